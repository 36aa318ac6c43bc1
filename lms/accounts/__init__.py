"""Signing in: the employee-number-or-e-mail backend, the sign-in and password screens, and
the Wagtail user admin's forms for staff."""
