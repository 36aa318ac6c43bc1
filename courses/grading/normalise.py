"""Normalisation of learners' typed answers, so that equivalent Japanese text compares equal.

Always: Unicode NFKC (full-width Latin and digits to half-width, half-width katakana to
full-width, ideographic space to space), trimmed, inner whitespace collapsed, trailing
sentence punctuation dropped. Optionally (per question): case folded, katakana folded to
hiragana. So "ＤＸ", "dx" and " DX。" all become "dx" when case is ignored.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"\s+")
_TRAILING_PUNCTUATION = "。．.、，,!！?？"
# Katakana ァ (U+30A1) .. ヶ (U+30F6) map to hiragana ぁ (U+3041) .. ゖ (U+3096).
_KATA_TO_HIRA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
# Minus signs and the long-vowel-like dashes people type for a minus.
_MINUS = str.maketrans({"−": "-", "‐": "-", "‑": "-", "–": "-", "—": "-", "ー": "-"})


def normalise_text(text: str, *, ignore_case: bool = True, ignore_kana: bool = True) -> str:
    """The comparable form of ``text`` (see the module docstring)."""
    value = unicodedata.normalize("NFKC", text or "")
    value = _SPACES.sub(" ", value).strip()
    value = value.rstrip(_TRAILING_PUNCTUATION).strip()
    if ignore_kana:
        value = value.translate(_KATA_TO_HIRA)
    if ignore_case:
        value = value.casefold()
    return value


def parse_number(text: str) -> Decimal | None:
    """A number typed in any width ("１，２００", "3.5", "−2"), or None if it is not one."""
    value = unicodedata.normalize("NFKC", text or "").strip().translate(_MINUS)
    value = value.replace(",", "").replace(" ", "")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def wildcard_match(pattern: str, value: str) -> bool:
    """Moodle short-answer matching: ``*`` in an accepted answer matches any text."""
    if "*" not in pattern:
        return pattern == value
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, value, flags=re.DOTALL) is not None
