"""Tests of the demo data, one module per part of the demo."""
