"""Fill untranslated entries of the Japanese catalogue from JSON files of translations.

Usage: ``python scripts/i18n_apply_ja.py FILE.json [...]``. Each file maps an English msgid to
its Japanese translation (a list for plural msgids, one form since Japanese has one). Entries
that already have a translation are left alone; msgids not in the catalogue are reported.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main(paths: list[str]) -> int:
    translations: dict[str, str | list[str]] = {}
    for path in paths:
        translations.update(json.loads(Path(path).read_text(encoding="utf-8")))
    po = polib.pofile(str(ROOT / "locale/ja/LC_MESSAGES/django.po"))
    filled = 0
    for entry in po:
        if entry.obsolete or (entry.translated() and not entry.fuzzy):
            continue
        value = translations.get(entry.msgid)
        if value is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value[0] if isinstance(value, list) else value}
        else:
            entry.msgstr = value[0] if isinstance(value, list) else value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    po.save()
    known = {entry.msgid for entry in po}
    unknown = sorted(set(translations) - known)
    print(f"filled {filled}; {len(unknown)} msgids in the files are not in the catalogue")
    for msgid in unknown[:20]:
        print(f"  not in catalogue: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
