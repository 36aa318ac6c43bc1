"""StreamField blocks of a lesson: text, headings, video and links to guidebook chapters."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock


class LessonTextBlock(blocks.RichTextBlock):
    """Running text of a lesson."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", ["h3", "bold", "italic", "link", "ol", "ul"])
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/lesson_text_block.html"
        label = _("Text")
        preview_value = "<p>DXは仕事の進め方そのものを見直す取り組みです。</p>"


class LessonVideoBlock(blocks.StructBlock):
    """An embedded video with a transcript, so that it can be followed without sound."""

    video = EmbedBlock(label=_("Video URL"))
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.TextBlock(label=_("Transcript"), required=False)

    class Meta:
        icon = "media"
        template = "blocks/lesson_video_block.html"
        label = _("Video")
        description = _("A video with its title and an optional transcript.")


class LessonBodyBlock(blocks.StreamBlock):
    """What a lesson is made of. Guidebook chapters are linked in their own panel."""

    text = LessonTextBlock()
    video = LessonVideoBlock()
