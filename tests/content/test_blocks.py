"""Every chapter block renders: with its preview value, and with real content."""

import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.blocks import StructBlockValidationError
from wagtail.images import get_image_model

from content.blocks import (
    CalloutBlock,
    ChapterBodyBlock,
    CheckYourselfBlock,
    FigureBlock,
    HeadingBlock,
    KeyTermsBlock,
    ParagraphBlock,
    QuoteBlock,
    TableBlock,
    VideoBlock,
)


def _image():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return get_image_model().objects.create(
        title="図", file=ImageFile(io.BytesIO(buffer.getvalue()), name="figure.png")
    )


def test_every_block_type_is_in_the_body():
    assert set(ChapterBodyBlock.base_blocks) == {
        "heading",
        "paragraph",
        "callout",
        "figure",
        "video",
        "quote",
        "table",
        "key_terms",
        "check_yourself",
    }


@pytest.mark.parametrize(
    "block_class",
    [
        HeadingBlock,
        ParagraphBlock,
        CalloutBlock,
        QuoteBlock,
        TableBlock,
        CheckYourselfBlock,
        KeyTermsBlock,
    ],
)
def test_block_renders_its_preview_value(block_class):
    block = block_class()
    assert block.meta.icon
    assert block.meta.template.startswith("blocks/")
    html = block.render(block.get_preview_value())
    assert html.strip()


@pytest.mark.django_db
def test_figure_requires_alt_text_and_renders_it():
    block = FigureBlock()
    image = _image()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))
    value = block.to_python({"image": image.pk, "alt_text": "流れ図", "caption": "図1"})
    html = block.render(value)
    assert 'alt="流れ図"' in html
    assert "<figcaption>図1</figcaption>" in html


def test_table_has_caption_and_header_cells():
    block = TableBlock()
    html = block.render(block.get_preview_value())
    assert "<caption>" in html
    assert '<th scope="col">' in html
    assert '<th scope="row">' in html


def test_check_yourself_hides_answers_in_details():
    block = CheckYourselfBlock()
    html = block.render(block.get_preview_value())
    assert "<details" in html and "<summary>" in html


def test_callout_kinds():
    block = CalloutBlock()
    for kind in ("point", "caution", "example"):
        value = block.to_python({"kind": kind, "title": "", "body": "<p>本文</p>"})
        assert f"callout--{kind}" in block.render(value)


def test_video_needs_a_source():
    block = VideoBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"title": "動画", "embed": None, "file": None}))


@pytest.mark.django_db
def test_video_with_uploaded_file_renders_a_player():
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="動画", file=ContentFile(b"not really a video", name="intro.mp4")
    )
    block = VideoBlock()
    value = block.to_python(
        {"title": "DXとは", "embed": None, "file": document.pk, "transcript": "説明"}
    )
    html = block.render(value)
    assert "<video controls" in html
    assert "<details" in html


@pytest.mark.django_db
def test_key_terms_link_to_the_glossary(term):
    block = KeyTermsBlock()
    html = block.render(block.to_python({"title": "", "terms": [term.pk]}))
    assert f'href="/guide/glossary/#term-{term.slug}"' in html
    assert term.definition in html
