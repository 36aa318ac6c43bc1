"""Helpers the tests share that are not fixtures (fixtures live in the conftest modules)."""
