"""Export Sudachi's synonym dictionary to content/data/sudachi_synonyms.tsv.gz.

The guidebook search reads Sudachi's synonym dictionary (Apache-2.0, Works Applications)
from that file rather than through chikkarpy at run time: chikkarpy's releases cannot be
installed by pip from PyPI on a fresh machine (0.1.1 downloads the dictionary from the
internet while it builds, and both pin sortedcontainers~=2.1, which the project's other
dependencies exclude). To refresh the file, in a throwaway virtualenv:

    python -m venv /tmp/chikkar && /tmp/chikkar/bin/pip install dartsclone==0.9.0 \
        setuptools wheel setuptools-scm
    /tmp/chikkar/bin/pip install --no-build-isolation chikkarpy==0.1.0
    /tmp/chikkar/bin/python scripts/export_sudachi_synonyms.py

One synonym group a line: its id, then its words, tab-separated; nouns only (the search
expands nouns, as chikkarpy does unless verbs are enabled). A word marked with a leading
``?`` is ambiguous: chikkarpy never expands from it, and neither does ``content.lexicon``.
"""

from __future__ import annotations

import gzip
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "content" / "data" / "sudachi_synonyms.tsv.gz"


def main() -> int:
    from chikkarpy.dictionarylib import Dictionary

    dictionary = Dictionary(None, False)
    groups = dictionary.group_list
    written = 0
    with gzip.open(OUTPUT, "wt", encoding="utf-8", compresslevel=9) as out:
        for group_id in sorted(groups.group_id_to_offset):
            words = [
                ("?" if synonym.flags.has_ambiguity else "") + synonym.head_word
                for synonym in groups.get_synonym_group(group_id).get_synonyms()
                if synonym.flags.is_noun
            ]
            if len(words) > 1:
                out.write("\t".join([str(group_id), *words]) + "\n")
                written += 1
    print(f"{written} synonym groups written to {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
