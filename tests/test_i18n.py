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
    for entry in po.translated_entries():
        text = entry.msgstr or "".join(entry.msgstr_plural.values())
        words = PLACEHOLDER.sub("", entry.msgid)
        if entry.msgid in kept_as_is or not any(c.isalpha() for c in words):
            continue
        assert any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text), (
            entry.msgid
        )
