"""StreamField blocks of a guidebook chapter.

Small blocks, each with an icon, a template under ``templates/blocks/`` and a preview value so
that editors see what they insert. Accessibility is designed in: figures refuse to save without
alt text, tables have header cells, hidden answers are ``<details>``/``<summary>``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading; every heading is an entry of the chapter's table of contents."""

    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("2", _("Section")), ("3", _("Subsection"))],
        default="2",
    )
    anchor = blocks.RegexBlock(
        label=_("Anchor"),
        regex=r"^[a-z0-9][a-z0-9-]*$",
        required=False,
        max_length=60,
        help_text=_("Optional link target (a-z, 0-9, -). Generated when left empty."),
        error_messages={"invalid": _("Use lower-case letters, digits and hyphens.")},
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        description = _("A section heading that appears in the table of contents.")
        preview_value = {"text": "DXとは何か", "level": "2", "anchor": "what-is-dx"}


class ParagraphBlock(blocks.RichTextBlock):
    """Running text with the few formats a guidebook needs."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", ["bold", "italic", "link", "ol", "ul", "document-link"])
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph_block.html"
        label = _("Text")
        description = _("Paragraphs, lists and links.")
        preview_value = (
            "<p>DXは、デジタル技術を使って仕事の進め方そのものを見直す取り組みです。</p>"
        )


class CalloutKind:
    POINT = "point"
    CAUTION = "caution"
    EXAMPLE = "example"
    CHOICES = [
        (POINT, _("Point")),
        (CAUTION, _("Caution")),
        (EXAMPLE, _("Example")),
    ]


class CalloutBlock(blocks.StructBlock):
    """A boxed aside: the point to remember, a caution, or a worked example."""

    kind = blocks.ChoiceBlock(label=_("Kind"), choices=CalloutKind.CHOICES, default="point")
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=80)
    body = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        template = "blocks/callout_block.html"
        label = _("Callout")
        description = _("A point to remember, a caution or an example, set off from the text.")
        preview_value = {
            "kind": "point",
            "title": "ポイント",
            "body": "<p>まず目的をはっきりさせ、それから手段を考えます。</p>",
        }


class FigureBlock(blocks.StructBlock):
    """An image with the alt text screen-reader users need and a visible caption."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"
        label = _("Figure")
        description = _("An image with required alternative text and an optional caption.")
        preview_value = {"alt_text": "WHAT、WHY、HOWの順に進む流れ図", "caption": "図: 考える順番"}


class VideoBlock(blocks.StructBlock):
    """A video: an embed (e.g. the city's video service) or an uploaded file."""

    title = blocks.CharBlock(label=_("Title"), max_length=120)
    embed = EmbedBlock(label=_("Embed URL"), required=False)
    file = DocumentChooserBlock(
        label=_("Video file"), required=False, help_text=_("An uploaded MP4 or WebM file.")
    )
    transcript = blocks.TextBlock(
        label=_("Transcript"), required=False, help_text=_("Text for those who cannot listen.")
    )

    def clean(self, value):
        value = super().clean(value)
        if not value.get("embed") and not value.get("file"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "embed": ValidationError(
                        _("Give an embed URL or choose an uploaded video file.")
                    )
                }
            )
        return value

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        label = _("Video")
        description = _("An embedded or uploaded video with an optional transcript.")
        preview_value = {
            "title": "DXとは(3分)",
            "transcript": "この動画ではDXの考え方を紹介します。",
        }


class QuoteBlock(blocks.StructBlock):
    """A quotation with its source."""

    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Source"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Quote")
        description = _("A quotation with its source.")
        preview_value = {
            "text": "小さく始めて、続けることが大切です。",
            "attribution": "DX推進課",
        }


class TableRowBlock(blocks.StructBlock):
    cells = blocks.ListBlock(blocks.CharBlock(label=_("Cell"), required=False), label=_("Cells"))

    class Meta:
        icon = "list-ul"
        label = _("Row")


class TableBlock(blocks.StructBlock):
    """A data table: a caption, a header row, and rows whose first cell may head the row."""

    caption = blocks.CharBlock(label=_("Caption"), max_length=200)
    header = blocks.ListBlock(blocks.CharBlock(label=_("Column heading")), label=_("Header row"))
    rows = blocks.ListBlock(TableRowBlock(), label=_("Rows"))
    first_column_is_header = blocks.BooleanBlock(
        label=_("First column heads each row"), required=False, default=True
    )

    class Meta:
        icon = "table"
        template = "blocks/table_block.html"
        label = _("Table")
        description = _("A table with a caption and column headings.")
        preview_value = {
            "caption": "デジタル化とDXの違い",
            "header": ["観点", "デジタル化", "DX"],
            "rows": [
                {"cells": ["目的", "紙を電子にする", "仕事と価値を変える"]},
                {"cells": ["範囲", "一つの作業", "業務の流れ全体"]},
            ],
            "first_column_is_header": True,
        }


class KeyTermsBlock(blocks.StructBlock):
    """Key terms of the chapter, linked to the glossary; definitions show as tooltips."""

    title = blocks.CharBlock(label=_("Title"), required=False, max_length=80)
    terms = blocks.ListBlock(SnippetChooserBlock("content.GlossaryTerm"), label=_("Terms"))

    class Meta:
        icon = "tag"
        template = "blocks/key_terms_block.html"
        label = _("Key terms")
        description = _("Glossary terms used in this chapter, with their definitions.")
        preview_value = {"title": "この章のキーワード", "terms": []}


class QuestionBlock(blocks.StructBlock):
    question = blocks.TextBlock(label=_("Question"))
    answer = blocks.RichTextBlock(label=_("Answer"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "help"
        label = _("Question")


class CheckYourselfBlock(blocks.StructBlock):
    """Questions to check understanding; answers stay hidden until the reader opens them."""

    title = blocks.CharBlock(label=_("Title"), required=False, max_length=80)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "tick-inverse"
        template = "blocks/check_yourself_block.html"
        label = _("Check yourself")
        description = _("Questions with answers hidden until opened.")
        preview_value = {
            "title": "確認してみよう",
            "questions": [
                {
                    "question": "デジタル化とDXの違いを一言で説明できますか。",
                    "answer": "<p>デジタル化は手段、DXは仕事と価値の変革です。</p>",
                }
            ],
        }


class ChapterBodyBlock(blocks.StreamBlock):
    """Everything a chapter body may contain."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    callout = CalloutBlock()
    figure = FigureBlock()
    video = VideoBlock()
    quote = QuoteBlock()
    table = TableBlock()
    key_terms = KeyTermsBlock()
    check_yourself = CheckYourselfBlock()
