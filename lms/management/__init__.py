"""Management commands of the training administration."""
