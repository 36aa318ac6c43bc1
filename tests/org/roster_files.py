"""Roster files built in memory for the roster import tests."""

import io

from openpyxl import Workbook

HEADER = ["職員番号", "氏名", "フリガナ", "メールアドレス", "部", "課", "係", "職名", "雇用区分"]


def roster_line(
    number="000001",
    name="山田 太郎",
    email=None,
    dept="総務部",
    section="人事課",
    unit="人事係",
    position="主事",
    employment="正規",
    **extra,
) -> dict:
    return {
        "職員番号": number,
        "氏名": name,
        "フリガナ": "ヤマダ タロウ",
        "メールアドレス": email if email is not None else f"s{number}@city.example.jp",
        "部": dept,
        "課": section,
        "係": unit,
        "職名": position,
        "雇用区分": employment,
        **extra,
    }


def csv_bytes(lines: list[dict], *, encoding="utf-8", header: list[str] | None = None) -> bytes:
    header = header or list(
        dict.fromkeys(key for line in [dict.fromkeys(HEADER), *lines] for key in line)
    )
    text = (
        "\r\n".join(
            [",".join(header)]
            + [",".join(str(line.get(col, "")) for col in header) for line in lines]
        )
        + "\r\n"
    )
    return text.encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
