"""``import_roster``: HR's roster import from the shell."""
