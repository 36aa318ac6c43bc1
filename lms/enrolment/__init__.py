"""Enrolment: assignments of a course to parts of the organisation, their fan-out to
enrollments, and the screens HR assigns and cancels with."""
