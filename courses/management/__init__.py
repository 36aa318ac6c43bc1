"""Management commands of the courses."""
