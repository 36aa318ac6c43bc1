"""Filling a notice: the kind's template as HR left it, the values, and the signature.

``notice_composer`` reads the template and the signature once (two queries), so a job that
sends a thousand notices of one kind reads them once; ``Composer.render`` then costs nothing.
Each person gets the notice in their own language (``recipient_language``); ``Composers``
keeps one composer per language for a job that writes to many.
A template that fails the placeholder check (edited outside the CMS) is not sent as it is:
the default of its kind is used and the fault is logged, so people still get a whole notice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from .defaults import DEFAULT_SIGNATURE, DEFAULT_TEMPLATES
from .kinds import NoticeKind
from .placeholders import KIND_PLACEHOLDERS, KIND_REQUIRED, fill, template_errors

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """A notice ready to send: ``body`` ends with the signature; ``text`` is the body without
    it, for the chat channels, which add the contact themselves."""

    subject: str
    text: str
    signature: str
    contact: str

    @property
    def body(self) -> str:
        return f"{self.text.rstrip()}\n\n{self.signature}\n"


def _language(language: str | None) -> str:
    code = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return "en" if code == "en" else "ja"


def recipient_language(person) -> str:
    """The language a notice to ``person`` is written in: the one they chose with the
    language switch (``User.language``), else the site's (``LANGUAGE_CODE``)."""
    return _language(getattr(person, "language", "") or settings.LANGUAGE_CODE)


def signature_values(contact: str = "") -> dict[str, str]:
    return {
        "サイト名": str(settings.WAGTAIL_SITE_NAME),
        "連絡先": contact or settings.TRAINING_CONTACT,
        "サイトURL": settings.SITE_URL.rstrip("/"),
    }


@dataclass(frozen=True)
class Composer:
    kind: str
    subject: str
    body: str
    signature: str
    contact: str

    def render(self, values: dict[str, str]) -> Notice:
        allowed = {name: values.get(name, "") for name in KIND_PLACEHOLDERS[self.kind]}
        return Notice(
            subject=" ".join(fill(self.subject, allowed).split()),
            text=fill(self.body, allowed),
            signature=fill(self.signature, signature_values(self.contact)).strip(),
            contact=self.contact or settings.TRAINING_CONTACT,
        )


def template_texts(template, language: str) -> tuple[str, str]:
    """The subject and body ``template`` (a ``NoticeTemplate``, saved or not) sends in
    ``language``: English falls back to Japanese when either English text is blank."""
    if language == "en" and template.subject_en and template.body_en:
        return template.subject_en, template.body_en
    return template.subject_ja, template.body_ja


def texts_errors(kind: str, subject: str, body: str) -> list[str]:
    """What would stop ``subject`` and ``body`` from going out as written for ``kind``."""
    allowed = KIND_PLACEHOLDERS.get(kind, ())
    return template_errors(subject, allowed=allowed) + template_errors(
        body, allowed=allowed, required=KIND_REQUIRED.get(kind, ())
    )


def _texts(kind: str, language: str) -> tuple[str, str]:
    from .models import NoticeTemplate

    subject_ja, body_ja, subject_en, body_en = DEFAULT_TEMPLATES[kind]
    default = (subject_en, body_en) if language == "en" else (subject_ja, body_ja)
    row = NoticeTemplate.objects.filter(kind=kind).first()
    if row is None:
        return default
    subject, body = template_texts(row, language)
    if texts_errors(kind, subject, body):
        logger.error("Notice template %s (%s) is invalid; the default is sent.", kind, language)
        return default
    return subject, body


def _signature(language: str) -> tuple[str, str]:
    from .models import NoticeSettings

    row = NoticeSettings.objects.first()
    default = DEFAULT_SIGNATURE[1 if language == "en" else 0]
    if row is None:
        return default, ""
    text = (row.signature_en if language == "en" else row.signature_ja) or row.signature_ja
    return (text or default), row.contact


def notice_signature(*, language: str | None = None) -> tuple[str, str]:
    """The signature filled in, and the contact, in ``language`` (one query)."""
    signature, contact = _signature(_language(language))
    contact = contact or settings.TRAINING_CONTACT
    return fill(signature, signature_values(contact)).strip(), contact


def notice_composer(kind: NoticeKind | str, *, language: str | None = None) -> Composer:
    """The template of ``kind`` and the signature in ``language`` (default: the active one,
    else the site's), read once (two queries)."""
    language = _language(language)
    subject, body = _texts(str(kind), language)
    signature, contact = _signature(language)
    return Composer(str(kind), subject, body, signature, contact)


class Composers:
    """The composer of one kind in each language a job writes in, each read once: a run
    to a thousand people in two languages reads the template and the signature twice."""

    def __init__(self, kind: NoticeKind | str) -> None:
        self.kind = kind
        self._by_language: dict[str, Composer] = {}

    def __call__(self, language: str) -> Composer:
        language = _language(language)
        if language not in self._by_language:
            self._by_language[language] = notice_composer(self.kind, language=language)
        return self._by_language[language]


def notice_render(
    kind: NoticeKind | str, values: dict[str, str], *, language: str | None = None
) -> Notice:
    """One notice of ``kind`` with ``values`` filled in (two queries)."""
    return notice_composer(kind, language=language).render(values)
