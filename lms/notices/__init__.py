"""Notices of the lms app, from the templates HR edits (``core.notices``):

- ``delivery``: a reminder to one person by their chat channel (LINE WORKS to the person,
  else the Teams channel of their unit), falling back to e-mail when the channel fails;
- ``assignment``: the e-mail that tells people a course was assigned to them;
- ``certificate``: the e-mail that tells a person their certificate was issued.
"""
