"""HR's and managers' reports: the training dashboard (roll-up, people, coverage, trend),
the guidebook reading report, and their CSV and Excel exports."""
