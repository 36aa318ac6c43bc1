"""Recognising a roster saved as UTF-16, before the CSV reader tries to decode it.

Excel's 「Unicode テキスト」 and some HR systems write UTF-16 (tab-separated, with or without
a byte-order mark). Read as UTF-8 or Shift_JIS it is noise full of NUL bytes, and "not a CSV
file" would send HR looking for the wrong problem; the message says what the file is and how
to save it instead.
"""

from __future__ import annotations

import codecs

from django.utils.translation import gettext as _

#: Bytes looked at to recognise UTF-16 without a byte-order mark.
SAMPLE_BYTES = 4096


def is_utf16(content: bytes) -> bool:
    """UTF-16 by its byte-order mark, or by its zero bytes: ASCII characters (digits, commas,
    tabs, line ends, e-mail addresses) are a zero and a byte, the zero always on the same
    side, and the sample decodes on that side to printable lines. Binary files have their
    zeros anywhere and decode to control characters."""
    if len(content) % 2:
        return False
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = content[:SAMPLE_BYTES]
    if len(sample) < 16 or b"\x00" not in sample:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < len(sample) // 16:
        return False
    codec = "utf-16-le" if odd > even else "utf-16-be"
    text = sample.decode(codec, errors="ignore")  # the sample may cut a surrogate pair
    return ("\n" in text or "," in text or "\t" in text) and all(
        char.isprintable() or char.isspace() for char in text
    )


def utf16_message() -> str:
    return _(
        "This file is saved as UTF-16, which cannot be read. Save it again as CSV in UTF-8 "
        "or Shift_JIS (in Excel: 「CSV UTF-8 (コンマ区切り)」 or 「CSV (コンマ区切り)」) and "
        "upload it again."
    )
