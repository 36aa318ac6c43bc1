"""Tests of devtools."""
