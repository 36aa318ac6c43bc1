"""Template tags of the survey screens."""
