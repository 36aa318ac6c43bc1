"""The append-only audit log: who did what to which record, when, in which unit; and HR's page
to read it."""
