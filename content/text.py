"""Plain text of chapters: for reading time, the search index and snippets."""

from __future__ import annotations

import html
import re
from typing import Any

#: Japanese readers manage roughly 400-600 characters a minute; 500 is the usual estimate.
READING_CHARS_PER_MINUTE = 500

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|div|blockquote)>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v]+")


def html_to_text(markup: str) -> str:
    """Tags removed, entities decoded, one line per paragraph or list item."""
    text = _BLOCK_END.sub("\n", str(markup or ""))
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _rich(value: Any) -> str:
    source = getattr(value, "source", value)
    return html_to_text(source or "")


def block_plain_text(block_type: str, value: Any) -> str:
    """The readable text of one body block."""
    if block_type == "heading":
        return value.get("text", "")
    if block_type == "paragraph":
        return _rich(value)
    if block_type == "callout":
        return "\n".join(filter(None, [value.get("title", ""), _rich(value.get("body"))]))
    if block_type == "figure":
        return "\n".join(filter(None, [value.get("caption", ""), value.get("alt_text", "")]))
    if block_type == "video":
        return "\n".join(filter(None, [value.get("title", ""), value.get("transcript", "")]))
    if block_type == "quote":
        return "\n".join(filter(None, [value.get("text", ""), value.get("attribution", "")]))
    if block_type == "table":
        rows = [" ".join(value.get("header") or [])]
        rows += [" ".join(row.get("cells") or []) for row in value.get("rows") or []]
        return "\n".join(filter(None, [value.get("caption", ""), *rows]))
    if block_type == "key_terms":
        terms = [t for t in value.get("terms") or [] if t is not None]
        return "\n".join(f"{t.term} {t.definition}" for t in terms)
    if block_type == "check_yourself":
        parts = [value.get("title", "")]
        for question in value.get("questions") or []:
            parts += [question.get("question", ""), _rich(question.get("answer"))]
        return "\n".join(filter(None, parts))
    return ""


def stream_plain_text(body: Any) -> str:
    """The whole StreamField as text, one block after another."""
    return "\n".join(
        text for child in body if (text := block_plain_text(child.block_type, child.value))
    )
