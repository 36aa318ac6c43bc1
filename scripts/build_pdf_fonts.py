#!/usr/bin/env python3
"""Regenerate the Japanese fonts the PDFs embed (content/static/content/fonts/).

Guidebook editions and certificates are rendered by WeasyPrint on the server. A machine with no
Japanese system font would print every kanji and kana as a box, so the project carries its own:
Noto Sans CJK JP (SIL Open Font License 1.1), regular and bold, cut down to what Japanese
official text uses:

- ASCII, Latin-1, general punctuation, arrows, circled numbers and other common symbols;
- kana, CJK symbols and punctuation, half- and full-width forms;
- every character of JIS X 0208 (levels 1 and 2 kanji) and the Windows-31J (cp932)
  extensions (NEC and IBM kanji such as 髙 and 﨑, ①, ㈱), the set personnel systems export.

JIS X 0213 (levels 3 and 4) is left out on purpose: with it each weight is 6 MB instead of
about 3.5 MB. ``--jis2004`` adds it when a city's names need it.

The source is Debian's ``fonts-noto-cjk`` package, downloaded (not installed) with
``apt-get download``, or a ``.deb`` or ``NotoSansCJK-*.ttc`` directory given with ``--source``.
Needs fontTools with brotli (both come with WeasyPrint). Run from the repository root:

    .venv/bin/python scripts/build_pdf_fonts.py
    .venv/bin/python scripts/build_pdf_fonts.py --source /path/to/fonts-noto-cjk_*.deb
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "content" / "static" / "content" / "fonts"
FAMILY = "Noto Sans CJK JP"
WEIGHTS = {
    "Regular": "NotoSansCJKjp-Regular.subset.woff2",
    "Bold": "NotoSansCJKjp-Bold.subset.woff2",
}

# Blocks kept whole: Latin, punctuation and the symbols Japanese documents use.
RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1
    (0x0100, 0x017F),  # Latin Extended-A (romanised names: ō, ū)
    (0x2000, 0x206F),  # general punctuation
    (0x2070, 0x209F),  # super- and subscripts
    (0x20A0, 0x20CF),  # currency
    (0x2100, 0x218F),  # letterlike symbols, number forms (Roman numerals)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2460, 0x24FF),  # enclosed alphanumerics (①)
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes (○●■□△)
    (0x2600, 0x26FF),  # miscellaneous symbols (★☆)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x309F),  # hiragana
    (0x30A0, 0x30FF),  # katakana
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0x3200, 0x32FF),  # enclosed CJK letters (㈱)
    (0x3300, 0x33FF),  # CJK compatibility (㎡)
    (0xFF00, 0xFFEF),  # half- and full-width forms
]


def _decodable(codec: str, leads, trails, prefix: bytes = b"") -> set[str]:
    found: set[str] = set()
    for lead in leads:
        for trail in trails:
            try:
                found.update((prefix + bytes([lead, trail])).decode(codec))
            except UnicodeDecodeError:
                pass
    return found


def japanese_characters(*, jis2004: bool = False) -> set[str]:
    """Every character the subset keeps (about 9,500; 16,000 with JIS X 0213)."""
    row = range(0xA1, 0xFF)
    chars = {chr(c) for start, end in RANGES for c in range(start, end + 1)}
    chars |= _decodable("euc_jp", row, row)  # JIS X 0208
    if jis2004:
        chars |= _decodable("euc_jis_2004", row, row)  # JIS X 0213 plane 1
        chars |= _decodable("euc_jis_2004", row, row, prefix=b"\x8f")  # JIS X 0213 plane 2
    sjis_leads = [*range(0x81, 0xA0), *range(0xE0, 0xFD)]
    chars |= _decodable("cp932", sjis_leads, [*range(0x40, 0x7F), *range(0x80, 0xFD)])
    return {c for c in chars if c.isprintable() or c == "\u3000"}


def _source_dir(source: Path | None, work: Path) -> Path:
    if source is not None and source.is_dir():
        return source
    deb = source
    if deb is None:
        subprocess.run(["apt-get", "download", "fonts-noto-cjk"], cwd=work, check=True)
        deb = next(work.glob("fonts-noto-cjk_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "deb")], check=True)
    return work / "deb" / "usr" / "share" / "fonts" / "opentype" / "noto"


def build(source: Path | None, *, jis2004: bool) -> None:
    text = "".join(sorted(japanese_characters(jis2004=jis2004)))
    TARGET.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fonts = _source_dir(source, Path(tmp))
        for weight, name in WEIGHTS.items():
            collection = TTCollection(str(fonts / f"NotoSansCJK-{weight}.ttc"))
            font = next(f for f in collection.fonts if f["name"].getDebugName(1) == FAMILY)
            options = subset.Options()
            options.flavor = "woff2"
            # fontTools' default features (kern, locl, vert ...) and no alternates (jp78, hojo)
            options.name_IDs = ["*"]  # the copyright and licence names stay in the file
            options.name_languages = ["*"]
            options.notdef_outline = True
            subsetter = subset.Subsetter(options)
            subsetter.populate(text=text)
            subsetter.subset(font)
            out = TARGET / name
            font.flavor = "woff2"
            font.save(str(out))
            print(f"{out.relative_to(ROOT)}: {len(text)} characters, {out.stat().st_size:,} bytes")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", type=Path, help="fonts-noto-cjk .deb, or a folder with NotoSansCJK-*.ttc"
    )
    parser.add_argument("--jis2004", action="store_true", help="add the JIS X 0213 kanji")
    args = parser.parse_args()
    build(args.source, jis2004=args.jis2004)
    return 0


if __name__ == "__main__":
    sys.exit(main())
