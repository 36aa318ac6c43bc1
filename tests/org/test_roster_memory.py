"""The memory of a roster check is bounded, whatever file is uploaded under the size limit.

Each case runs in a child process (a fresh interpreter with Django set up and the file read),
which reports how much its peak resident memory grew while reading the file and checking every
line: ``ru_maxrss`` counts everything the check touched, C buffers included. The files are the
worst we could build under ``ROSTER_MAX_UPLOAD_BYTES``: as many lines as ``ROSTER_MAX_ROWS``
allows, every cell a distinct string (nothing shared), plus a hundred and fifty extra columns on
every line of the CSV; the XLSX with inline strings, near the inflated-size cap.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl.utils import get_column_letter

from .roster_files import inline_cell, sheet_xlsx

LIMIT_MB = 300
HEADER = [
    *("職員番号", "氏名", "フリガナ", "メールアドレス", "部", "課", "係", "職名", "雇用区分"),
    *("部コード", "課コード", "係コード", "DX PRO"),
]
ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, os, resource, sys
import django
django.setup()
from org.roster.parsing import read_roster
from org.roster.validation import LineChecker
content = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
parsed = read_roster(content=content, file_name=sys.argv[1])
checker = LineChecker(parsed)
checked = sum(1 for line, cells in parsed.lines if checker.check(line, cells))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"lines": checked, "grew_mb": (peak - before) / 1024}))
"""


def _values(n: int) -> list[str]:
    return [
        *(f"{n:07d}", f"氏名{n}号太郎", f"シメイ{n}ゴウ", f"p{n}@city.example.jp"),
        *(f"部{n}", f"課{n}", f"係{n}", f"主事{n}", f"正規{n}", f"D{n}", f"S{n}", f"U{n}", str(n)),
    ]


def _worst_csv(path: Path, rows: int) -> None:
    extra = 150
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(HEADER) + ",備考" * extra + "\n")
        for n in range(2, rows + 1):
            out.write(",".join(_values(n)) + ",x" * extra + "\n")


def _worst_xlsx(path: Path, rows: int) -> None:
    def pieces():
        yield (
            '<row r="1">'
            + "".join(
                inline_cell(f"{get_column_letter(i + 1)}1", text) for i, text in enumerate(HEADER)
            )
            + "</row>"
        )
        for n in range(2, rows + 1):
            cells = "".join(
                inline_cell(f"{get_column_letter(i + 1)}{n}", value)
                for i, value in enumerate(_values(n))
            )
            yield f'<row r="{n}">{cells}</row>'

    path.write_bytes(sheet_xlsx(pieces()))


def _grew(path: Path) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "ROSTER_MAX_ROWS": str(settings.ROSTER_MAX_ROWS),
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("build", "name"), [(_worst_csv, "r.csv"), (_worst_xlsx, "r.xlsx")])
def test_the_largest_roster_accepted_is_checked_within_the_memory_budget(tmp_path, build, name):
    path = tmp_path / name
    build(path, settings.ROSTER_MAX_ROWS)
    assert path.stat().st_size <= settings.ROSTER_MAX_UPLOAD_BYTES
    result = _grew(path)
    assert result["lines"] == settings.ROSTER_MAX_ROWS - 1  # every line read and checked
    assert result["grew_mb"] < LIMIT_MB, result
