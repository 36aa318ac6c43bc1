"""Japanese first, English second: pages and terms carry optional English texts."""

from django.utils.translation import get_language


def wants_english() -> bool:
    return (get_language() or "").split("-")[0] == "en"


def pick(japanese: str, english: str) -> str:
    """The English text when the active language is English and one was written."""
    if english and wants_english():
        return english
    return japanese
