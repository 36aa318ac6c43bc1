"""Questionnaires after a course and the departments' digital-maturity self-assessment."""
