"""Grading: the rules (pure, no database), the normalisation of typed answers, and the
batch that grades submitted attempts."""
