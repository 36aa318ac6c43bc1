"""SVO worksheets: the automatic checker and its findings, autosave and submit, the review
queue and decisions, the notifications of a decision, and the editor and review screens."""
