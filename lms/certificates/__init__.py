"""Certificates of completion: issued on demand, rendered to PDF, checked by serial."""
