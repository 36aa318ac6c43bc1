"""Japanese first, English second: both catalogues complete and compiled."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
# %(name)s, %s, %d and {name}: what a translation fills in, not words to translate.
PLACEHOLDER = re.compile(r"%(\([a-z_]+\))?[sd]|\{[a-z_]*\}")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_catalogue_is_complete(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert len(po.translated_entries()) > 100


@pytest.mark.parametrize("language", ["ja", "en"])
def test_compiled_catalogue_matches_source(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in mo}
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, entry.msgid


def test_japanese_translations_are_japanese():
    po = polib.pofile(str(LOCALE / "ja" / "LC_MESSAGES" / "django.po"))
    # Every translated sentence has at least one kana or kanji, or is a proper noun kept as is.
    kept_as_is = {"DX PRO", "DX PROs", "CSV", "XLSX", "DX", "CMS", "English", "OK"}
    kept_as_is |= {"Microsoft Teams", "LINE WORKS"}  # the services' own names
    for entry in po.translated_entries():
        text = entry.msgstr or "".join(entry.msgstr_plural.values())
        words = PLACEHOLDER.sub("", entry.msgid)
        if entry.msgid in kept_as_is or not any(c.isalpha() for c in words):
            continue
        assert any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text), (
            entry.msgid
        )


#: Japanese text: kana, kanji, the CJK punctuation block and full-width forms.
JAPANESE = "\u3040-\u30ff\u3400-\u9fff\u3000-\u303f\uff01-\uff5e"
#: A half-width bracket, colon or semicolon touching Japanese text (placeholders count as
#: text: 「(%(count)s人)」 is the same mistake as 「(5人)」).
HALF_WIDTH_NEXT_TO_JAPANESE = re.compile(
    rf"[{JAPANESE}]\s*[():;]|[():;]\s*[{JAPANESE}]|[(][^()]*[{JAPANESE}][^()]*[)]"
)
#: Japanese texts that must keep a half-width sign: it is syntax the reader types.
HALF_WIDTH_KEPT = {
    "The question name is not closed with ::.",  # GIFT's own "::" marker
    # the ":" and "!" of a format spec, which the notice template check refuses
    "{%(field)s%(rest)s}: write the placeholder alone, without : or !.",
}


def test_japanese_punctuation_is_full_width():
    """「修了証（PDF）」, 「アンケート（任意）」, 「修了者のいない課・部：5」: brackets, colons and
    semicolons in Japanese text are full-width, so one screen does not mix 「(任意)」 and
    「（PDF）」."""
    po = polib.pofile(str(LOCALE / "ja" / "LC_MESSAGES" / "django.po"))
    mixed = []
    for entry in po.translated_entries():
        if entry.msgid in HALF_WIDTH_KEPT:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            plain = re.sub(r"<[^>]+>", "", PLACEHOLDER.sub("X", text or ""))
            if HALF_WIDTH_NEXT_TO_JAPANESE.search(plain):
                mixed.append(f"{entry.msgid!r}: {text!r}")
    assert mixed == []


def test_the_punctuation_check_catches_what_the_review_found():
    for text in (
        "アンケート(任意)",
        "修了者のいない課・部:%(n)s",
        "15点中4点; 合格点",
        "(%(n)s人)",
    ):
        plain = PLACEHOLDER.sub("X", text)
        assert HALF_WIDTH_NEXT_TO_JAPANESE.search(plain), text
    for text in ("修了証（PDF）", "状態：%(status)s", "DX PRO (%(n)s)", "%(a)s: %(b)s"):
        assert not HALF_WIDTH_NEXT_TO_JAPANESE.search(PLACEHOLDER.sub("X", text)), text


def test_form_labels_end_with_a_full_width_colon_in_japanese():
    """Django's label suffix 「:」 read 「研修:」 on HR forms rendered the default way."""
    from django.utils import translation

    from lms.enrolment.views import AssignmentForm

    with translation.override("ja"):
        label = AssignmentForm()["fiscal_year"].label_tag()
    assert label.endswith("年度：</label>")
    with translation.override("en"):
        assert AssignmentForm()["fiscal_year"].label_tag().endswith("Fiscal year:</label>")
