"""Models of the content app, split by concern and re-exported here."""

from .glossary import GlossaryTerm
from .pages import (
    ChapterPage,
    Edition,
    GuidebookIndexPage,
    GuidebookPage,
    HomePage,
)
from .reading import ChapterRead
from .search import SearchEntry
from .vocabulary import CityVocabulary

__all__ = [
    "ChapterPage",
    "ChapterRead",
    "CityVocabulary",
    "Edition",
    "GlossaryTerm",
    "GuidebookIndexPage",
    "GuidebookPage",
    "HomePage",
    "SearchEntry",
]
