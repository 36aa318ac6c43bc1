"""Make the English catalogue complete: every msgstr is its (English) msgid.

Our msgids are English, so English needs no translating; filling the catalogue anyway keeps
"both catalogues complete" checkable (tests/test_i18n.py) and makes untranslated strings in
the Japanese catalogue the only gaps to look for. Run through ``make messages``.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    po = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    ja = polib.pofile(str(ROOT / "locale/ja/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in ja if not e.obsolete and (not e.translated() or e.fuzzy)]
    for msgid in missing:
        print(f"untranslated (ja): {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
