"""Reading roster files: encodings, XLSX, header aliases, normalisation, whole-file errors."""

import pytest

from org.roster.parsing import RosterFileError, RosterFileErrors, normalize_cell, read_roster

from .roster_files import HEADER, csv_bytes, roster_line, xlsx_bytes

LINES = [roster_line("１２３４", name="山田　太郎"), roster_line("A-77", name=" 鈴木  花子 ")]


@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig", "utf-8"])
def test_csv_encodings_are_detected(encoding):
    parsed = read_roster(content=csv_bytes(LINES, encoding=encoding), file_name="r.csv")
    number = parsed.columns["employee_number"]
    name = parsed.columns["display_name"]
    assert [(line, cells[number], cells[name]) for line, cells in parsed.lines] == [
        (2, "1234", "山田 太郎"),
        (3, "A-77", "鈴木 花子"),
    ]


def test_xlsx_is_read_with_numbers_as_text():
    content = xlsx_bytes(
        [
            HEADER,
            [1234, "山田 太郎", "", "a@city.example.jp", "総務部", "人事課", None, "主事", "正規"],
        ]
    )
    parsed = read_roster(content=content, file_name="roster.xlsx")
    assert parsed.lines[0][1][parsed.columns["employee_number"]] == "1234"


def test_english_header_aliases():
    header = [
        "employee_number",
        "Name",
        "email",
        "Department",
        "section",
        "position",
        "Employment Type",
        "dx_pro",
    ]
    parsed = read_roster(
        content=(",".join(header) + "\n1,a,b,c,d,e,f,1\n").encode(), file_name="r.csv"
    )
    assert set(parsed.columns) == {
        "employee_number",
        "display_name",
        "email",
        "department",
        "section",
        "position",
        "employment_type",
        "dx_pro",
    }


def test_normalisation_keeps_compatibility_ideographs_of_names():
    assert normalize_cell("ＡＢＣ１２３　") == "ABC123"
    assert normalize_cell("ﾔﾏﾀﾞ") == "ヤマダ"
    assert normalize_cell("\ufa11田") == "\ufa11田"


@pytest.mark.parametrize(
    ("content", "file_name", "message"),
    [
        (b"", "r.csv", "empty"),
        (b"  \r\n", "r.csv", "empty"),
        ("職員番号,氏名\n".encode(), "r.csv", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "r.png", "not a CSV"),
        (b"\xd0\xcf\x11\xe0\x00\x00", "r.xls", "not a CSV"),
        (b"not a zip", "r.xlsx", "Excel"),
        (b"\x81\x00\xff\xfe", "r.csv", "not a CSV"),
        (b"\xff\xfe\x81\x39\xff", "r.csv", "cannot be read"),
    ],
)
def test_whole_file_errors(settings, content, file_name, message):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"), pytest.raises((RosterFileError, RosterFileErrors)) as info:
        read_roster(content=content, file_name=file_name)
    if message:
        assert message in info.value.message


def test_missing_required_columns_are_each_reported():
    with pytest.raises(RosterFileErrors) as info:
        read_roster(content="職員番号,氏名,部\n1,a,b\n".encode(), file_name="r.csv")
    missing = {error.column for error in info.value.errors}
    assert missing == {"メールアドレス", "課", "職名", "雇用区分"}
    assert {error.line for error in info.value.errors} == {1}


def test_header_only_file_is_an_error():
    with pytest.raises(RosterFileError):
        read_roster(content=csv_bytes([]), file_name="r.csv")


@pytest.mark.parametrize(
    "value", ["000123", "ab12", "Ｅ００１２", "e 12", " 12 ", "", "12-3", "ｶ12", "\x0b12"]
)
def test_employee_number_fast_path_matches_the_model_normalisation(value):
    import unicodedata

    from org.people import normalize_employee_number

    normalised = unicodedata.normalize("NFKC", value).strip().replace(" ", "").upper()
    assert normalize_employee_number(value) == normalised


# --- UTF-16 (security review note: it was refused as "not a CSV or XLSX file") ------------
def _utf16(encoding: str, *, tabs: bool = False) -> bytes:
    text = csv_bytes(LINES).decode("utf-8")
    # Excel's 「Unicode テキスト」: UTF-16 little-endian with a BOM, tab-separated.
    return (text.replace(",", "\t") if tabs else text).encode(encoding)


@pytest.mark.parametrize(
    "content",
    [
        _utf16("utf-16"),  # with the platform's byte-order mark
        _utf16("utf-16", tabs=True),
        _utf16("utf-16-be"),  # without a byte-order mark
        _utf16("utf-16-le"),
        ("職員番号,氏名\r\n" + "一丁目 二郎,一二三四\r\n" * 40).encode("utf-16-le"),
    ],
    ids=["bom", "excel-unicode-text", "be", "le", "mostly-kanji"],
)
def test_utf16_is_named_and_utf8_or_shift_jis_asked_for(content):
    from django.utils import translation

    with translation.override("en"), pytest.raises(RosterFileError) as info:
        read_roster(content=content, file_name="職員名簿.txt")
    assert "saved as UTF-16" in info.value.message
    assert "UTF-8 or Shift_JIS" in info.value.message
    with translation.override("ja"), pytest.raises(RosterFileError) as info:
        read_roster(content=content, file_name="職員名簿.csv")
    assert "UTF-16で保存されている" in info.value.message


@pytest.mark.parametrize(
    "content",
    [bytes(range(256)) * 4, b"\x00" * 64, b"PK\x00\x00" + bytes(60)],
    ids=["binary", "zeros", "zeros-on-both-sides"],
)
def test_other_files_with_nul_bytes_are_still_not_a_csv(content):
    from django.utils import translation

    with translation.override("en"), pytest.raises(RosterFileError) as info:
        read_roster(content=content, file_name="r.csv")
    assert "UTF-16" not in info.value.message
