"""The GiNZA model for the SVO tests: loaded once per pytest worker, never per test."""

import pytest

from courses.svo import parsing


@pytest.fixture(scope="session")
def svo_model():
    """The parser, loaded once for the session (a few seconds); the checker shares it."""
    return parsing.nlp()
