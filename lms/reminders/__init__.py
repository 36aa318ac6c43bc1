"""Reminders (受講のお願い): the daily digest, escalations to managers and DX PROs, and HR's
manual reminders, each at most once a day per person."""
