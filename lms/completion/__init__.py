"""Completion: the engine that applies a course's rule to enrollments, the per-unit figures
kept from it, and the receivers of the course and roster events."""
