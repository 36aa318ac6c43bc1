"""The notice templates HR edits in the CMS, and the signature that closes every notice.

One ``NoticeTemplate`` per kind (``NoticeKind``), with a subject and a body in Japanese and
in English; the placeholders each kind offers are listed on its edit screen and checked on
save (``placeholders.template_errors``). ``NoticeSettings`` (a Wagtail setting, one per
installation) holds the signature in both languages and the contact of the training office.
They live in core because courses (review decisions) and lms (assignments, reminders,
certificates) both send notices.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import PreviewableMixin

from .defaults import DEFAULT_SIGNATURE
from .kinds import NoticeKind
from .placeholders import (
    KIND_PLACEHOLDERS,
    KIND_REQUIRED,
    PLACEHOLDERS,
    SIGNATURE_PLACEHOLDERS,
    template_errors,
)


def placeholder_help(
    names: tuple[str, ...], required: tuple[str, ...] = (), *, signature: bool = False
) -> str:
    """The list of placeholders an edit screen shows, with what each becomes."""
    rows = format_html_join(
        "",
        "<li><code>{{{}}}</code>: {}{}</li>",
        (
            (
                name,
                PLACEHOLDERS[name],
                gettext(" (required in the body)") if name in required else "",
            )
            for name in names
        ),
    )
    if signature:
        return format_html("<p>{}</p><ul>{}</ul>", gettext("The signature may use:"), rows)
    return format_html(
        "<p>{}</p><ul>{}</ul><p>{}</p>",
        gettext("You can use these placeholders in the subject and the body, in both languages:"),
        rows,
        gettext("The signature (Settings → Notice signature) is added under every body."),
    )


def test_send_buttons(pk: int) -> str:
    """The test send under the placeholders: the form as it stands, to the editor's address
    (``core.notices.views``; ``core/notice_test.js`` keeps the edits on the screen)."""
    return format_html(
        '<div class="notice-test" data-notice-test data-sending="{}" data-failed="{}">'
        "<p>{}</p>"
        '<button type="submit" class="button button-secondary" formaction="{}" '
        'formmethod="post" formnovalidate name="test_language" value="ja">{}</button> '
        '<button type="submit" class="button button-secondary" formaction="{}" '
        'formmethod="post" formnovalidate name="test_language" value="en">{}</button>'
        '<p role="status" aria-live="polite" data-notice-test-result></p></div>'
        '<script src="{}"></script>',
        gettext("Sending…"),
        gettext("The test could not be sent. Please try again."),
        gettext(
            "Test send: the text as it is now in this form, saved or not, filled with examples, "
            "to your own e-mail address. The preview (the eye icon) shows the same."
        ),
        reverse("notice_test_send", args=[pk]),
        gettext("Send a test in Japanese"),
        reverse("notice_test_send", args=[pk]),
        gettext("Send a test in English"),
        static("core/notice_test.js"),
    )


class PlaceholderHelpPanel(HelpPanel):
    """The placeholders of the kind being edited (a new template: every kind's), listed when
    the screen is drawn, in the editor's language."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if isinstance(self.instance, NoticeSettings):
                self.content = placeholder_help(SIGNATURE_PLACEHOLDERS, signature=True)
                return
            kind = getattr(self.instance, "kind", "")
            names = KIND_PLACEHOLDERS.get(kind) or tuple(
                name for name in PLACEHOLDERS if name not in SIGNATURE_PLACEHOLDERS
            )
            self.content = placeholder_help(names, KIND_REQUIRED.get(kind, ()))
            if getattr(self.instance, "pk", None):
                self.content += test_send_buttons(self.instance.pk)


class NoticeTemplate(PreviewableMixin, models.Model):
    """What one kind of notice says, in Japanese and English, as HR wrote it.

    The language sent is the site's (``LANGUAGE_CODE``, Japanese) unless a caller asks for
    another; a blank English text falls back to the Japanese one rather than sending nothing.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices, unique=True)
    subject_ja = models.CharField(_("subject (Japanese)"), max_length=200)
    body_ja = models.TextField(_("body (Japanese)"))
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("body (English)"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("kind", read_only=True),
        PlaceholderHelpPanel(heading=_("Placeholders")),
        MultiFieldPanel([FieldPanel("subject_ja"), FieldPanel("body_ja")], heading=_("Japanese")),
        MultiFieldPanel([FieldPanel("subject_en"), FieldPanel("body_en")], heading=_("English")),
    ]

    class Meta:
        verbose_name = _("notice template")
        verbose_name_plural = _("notice templates")
        ordering = ["kind"]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def preview_modes(self):
        return [("ja", _("Japanese")), ("en", _("English"))]

    def get_preview_template(self, request, mode_name):
        return "core/notice_preview.html"

    def get_preview_context(self, request, mode_name):
        from .preview import preview_errors, preview_notice

        language = "en" if mode_name == "en" else "ja"
        name = getattr(request.user, "display_name", "") or request.user.get_username()
        return {
            **super().get_preview_context(request, mode_name),
            "language": language,
            "falls_back": language == "en" and not (self.subject_en and self.body_en),
            "errors": preview_errors(self, language),
            "notice": preview_notice(self, language=language, name=name),
        }

    def clean(self) -> None:
        """Refuse an unknown placeholder, a lone brace or a body without its link."""
        allowed = KIND_PLACEHOLDERS.get(self.kind, ())
        required = KIND_REQUIRED.get(self.kind, ())
        errors: dict[str, list[str]] = {}
        for field in ("subject_ja", "body_ja", "subject_en", "body_en"):
            text = getattr(self, field) or ""
            if not text and field.endswith("_en"):
                continue
            found = template_errors(
                text, allowed=allowed, required=required if field.startswith("body") else ()
            )
            if found:
                errors[field] = found
        if errors:
            raise ValidationError(errors)


@register_setting(icon="mail")
class NoticeSettings(BaseGenericSetting):
    """The close of every notice: the signature in both languages and the office's contact.

    A blank contact means ``TRAINING_CONTACT`` from the environment, as before this setting.
    """

    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 人事課 研修担当（内線 1234）; blank: TRAINING_CONTACT of the server."),
    )
    signature_ja = models.TextField(_("signature (Japanese)"), default=DEFAULT_SIGNATURE[0])
    signature_en = models.TextField(
        _("signature (English)"), blank=True, default=DEFAULT_SIGNATURE[1]
    )

    panels = [
        PlaceholderHelpPanel(heading=_("Placeholders")),
        FieldPanel("contact"),
        FieldPanel("signature_ja"),
        FieldPanel("signature_en"),
    ]

    class Meta:
        verbose_name = _("notice signature")
        verbose_name_plural = _("notice signatures")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def clean(self) -> None:
        errors = {}
        for field in ("signature_ja", "signature_en"):
            found = template_errors(getattr(self, field) or "", allowed=SIGNATURE_PLACEHOLDERS)
            if found:
                errors[field] = found
        if errors:
            raise ValidationError(errors)
