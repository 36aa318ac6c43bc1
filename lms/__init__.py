"""Staff and their training: the user model, assignments and enrolment, completion and the per-
unit figures, My training, certificates, reminders and HR's reports."""
