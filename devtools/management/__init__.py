"""Management commands of the devtools app."""
