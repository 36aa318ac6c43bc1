"""Roster files built in memory for the roster import tests."""

import io
import zipfile

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


# --- hostile workbooks (security review F2) ------------------------------------------------

_M = "http://schemas.openxmlformats.org"
_PARTS = {
    "[Content_Types].xml": f'<Types xmlns="{_M}/package/2006/content-types"><Default '
    'Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/><Override '
    'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>",
    "_rels/.rels": f'<Relationships xmlns="{_M}/package/2006/relationships"><Relationship '
    f'Id="rId1" Type="{_M}/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{_M}/spreadsheetml/2006/main" '
    f'xmlns:r="{_M}/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" '
    'r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_M}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_M}/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>',
}


def inline_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row_xml(row: int = 1) -> str:
    letters = "ABCDEFGHI"
    cells = "".join(inline_cell(f"{letters[i]}{row}", text) for i, text in enumerate(HEADER))
    return f'<row r="{row}">{cells}</row>'


def line_row_xml(row: int, number: str) -> str:
    values = [number, "山田 太郎", "ヤマダ タロウ", f"s{number}@city.example.jp"]
    values += ["総務部", "人事課", "人事係", "主事", "正規"]
    letters = "ABCDEFGHI"
    cells = "".join(inline_cell(f"{letters[i]}{row}", text) for i, text in enumerate(values))
    return f'<row r="{row}">{cells}</row>'


def sheet_xlsx(rows_xml, *, dimension: str = "", level: int = 9) -> bytes:
    """A minimal workbook whose first sheet's rows are ``rows_xml`` (a string or an iterable
    of strings, written as they come, so a bomb of gigabytes never sits in memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            dim = f'<dimension ref="{dimension}"/>' if dimension else ""
            sheet.write(
                f'<worksheet xmlns="{_M}/spreadsheetml/2006/main">{dim}<sheetData>'.encode()
            )
            for piece in [rows_xml] if isinstance(rows_xml, str) else rows_xml:
                sheet.write(piece.encode())
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def dimension_bomb() -> bytes:
    """The review's F2 file, with a whole header: declares ``A1:XFD1048576`` and has a line
    in the last row Excel allows."""
    return sheet_xlsx(header_row_xml() + line_row_xml(1048576, "000001"), dimension="A1:XFD1048576")


def zip_bomb(rows: int = 2_000_000) -> bytes:
    """``rows`` one-cell rows after a header: about 300 KB zipped, about 100 MB of XML."""
    chunk = 10_000
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>' * chunk

    def pieces():
        yield header_row_xml()
        for _ in range(rows // chunk):
            yield row

    return sheet_xlsx(pieces(), dimension=f"A1:A{rows + 1}")
