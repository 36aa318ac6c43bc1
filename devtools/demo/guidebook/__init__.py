"""Demo guidebook: a full edition and a summary edition, original Japanese text.

``guidebook_seed()`` is called by the project's ``seed_demo`` command. It is idempotent: when
the guidebook already has an edition it does nothing.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Page

from content.models import ChapterPage, GlossaryTerm, GuidebookIndexPage, GuidebookPage, HomePage

from . import full_edition, summary_edition
from .figures import flow_diagram_png
from .glossary import TERMS


def _glossary() -> dict[str, GlossaryTerm]:
    terms = {}
    for slug, (term, reading, definition, term_en, definition_en) in TERMS.items():
        terms[slug], _ = GlossaryTerm.objects.get_or_create(
            slug=slug,
            defaults={
                "term": term,
                "reading": reading,
                "definition": definition,
                "term_en": term_en,
                "definition_en": definition_en,
            },
        )
    return terms


def _figure_image(key: str, images: dict[str, Any]):
    if key not in images:
        image_model = get_image_model()
        png = flow_diagram_png(key)
        from io import BytesIO

        images[key] = image_model.objects.create(
            title=f"guidebook-{key}", file=ImageFile(BytesIO(png), name=f"guidebook-{key}.png")
        )
    return images[key]


def _raw_block(spec: tuple, terms: dict[str, GlossaryTerm], images: dict[str, Any]) -> dict:
    kind = spec[0]
    if kind in ("h", "h3"):
        return {
            "type": "heading",
            "value": {"text": spec[1], "level": "3" if kind == "h3" else "2", "anchor": ""},
        }
    if kind == "p":
        return {"type": "paragraph", "value": spec[1]}
    if kind in ("point", "caution", "example"):
        return {"type": "callout", "value": {"kind": kind, "title": spec[1], "body": spec[2]}}
    if kind == "figure":
        image = _figure_image(spec[1], images)
        return {
            "type": "figure",
            "value": {"image": image.pk, "alt_text": spec[2], "caption": spec[3]},
        }
    if kind == "table":
        return {
            "type": "table",
            "value": {
                "caption": spec[1],
                "header": spec[2],
                "rows": [{"cells": row} for row in spec[3]],
                "first_column_is_header": True,
            },
        }
    if kind == "quote":
        return {"type": "quote", "value": {"text": spec[1], "attribution": spec[2]}}
    if kind == "terms":
        return {
            "type": "key_terms",
            "value": {"title": "この章のキーワード", "terms": [terms[s].pk for s in spec[1]]},
        }
    if kind == "check":
        return {
            "type": "check_yourself",
            "value": {
                "title": "確認してみよう",
                "questions": [{"question": q, "answer": a} for q, a in spec[1]],
            },
        }
    raise ValueError(f"Unknown demo block {kind!r}")


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _edition(index: GuidebookIndexPage, module, terms, images, fiscal_year: int) -> GuidebookPage:
    data = module.EDITION
    edition = GuidebookPage(
        title=data["title"],
        title_en=data["title_en"],
        slug=data["slug"],
        summary=data["summary"],
        summary_en=data["summary_en"],
        audience=data["audience"],
        cover_text=data["cover_text"],
        fiscal_year=fiscal_year,
        edition="summary" if data["slug"] == "summary" else "full",
    )
    index.add_child(instance=edition)
    _publish(edition)
    for spec in module.CHAPTERS:
        chapter = ChapterPage(
            title=spec["title"],
            title_en=spec["title_en"],
            slug=spec["slug"],
            summary=spec["summary"],
            summary_en=spec["summary_en"],
            body=json.dumps([_raw_block(block, terms, images) for block in spec["blocks"]]),
        )
        edition.add_child(instance=chapter)
        _publish(chapter)
    return edition


def _index_page() -> GuidebookIndexPage:
    index = GuidebookIndexPage.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("Run the migrations first: they create the home page.")
    index = GuidebookIndexPage(title="DXガイドブック", title_en="DX guidebook", slug="guide")
    home.add_child(instance=index)
    _publish(index)
    return index


@transaction.atomic
def guidebook_seed(*, fiscal_year: int = 2026) -> dict:
    """Create the demo guidebook; returns what it made (empty counts when it already existed)."""
    index = _index_page()
    if GuidebookPage.objects.child_of(index).exists():
        return {"created": False, "editions": 0, "chapters": 0, "terms": 0}
    terms = _glossary()
    images: dict[str, Any] = {}
    editions = [
        _edition(index, full_edition, terms, images, fiscal_year),
        _edition(index, summary_edition, terms, images, fiscal_year),
    ]
    _publish(index)
    return {
        "created": True,
        "editions": len(editions),
        "chapters": sum(e.get_children().count() for e in editions),
        "terms": len(terms),
        "index_url": index.url,
        "edition_urls": [e.url for e in editions],
    }
