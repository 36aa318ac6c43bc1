"""Template tags of the course pages."""
