"""Tests of devtools: the demo data and the benchmark."""
