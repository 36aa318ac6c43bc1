"""The SVO checker: each code on a clear example, the teaching messages, and
``manage.py svo_check`` (the figures on the labelled set are held in test_quality.py).

The examples pass the lexicon of the data files, so they need no database; the GiNZA model
is loaded once per pytest worker (``svo_model`` in conftest)."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from courses.svo.checker import CODES, MESSAGES, MESSAGES_JA, check_codes, check_statement
from courses.svo.lexicon import build
from courses.svo.quality import measure, read_labelled

pytestmark = pytest.mark.usefixtures("svo_model")
FILES = build()


GOOD = {
    "subject": "市民課窓口担当職員",
    "verb": "照合する",
    "object": "住民票の写し交付申請書の本人確認欄と運転免許証",
    "why": "なりすましによる不正な交付を防ぐため",
}


def codes(**changes):
    return check_codes(**{**GOOD, **changes}, lexicon=FILES)


def test_a_good_statement_has_no_findings():
    assert codes() == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"subject": ""}, ["subject_missing"]),
        ({"subject": "  "}, ["subject_missing"]),
        ({"subject": "山田さん"}, ["subject_person"]),
        ({"subject": "田中係長"}, ["subject_person"]),
        ({"subject": "係長"}, []),
        ({"verb": ""}, ["verb_missing"]),
        ({"verb": "窓口で"}, ["verb_missing"]),
        ({"verb": "対応する"}, ["verb_vague"]),
        ({"verb": "処理する"}, ["verb_vague"]),
        ({"verb": "取り扱う"}, ["verb_vague"]),
        ({"verb": "入力を行う"}, []),
        ({"verb": "受け付けて入力する"}, ["multiple_actions"]),
        ({"verb": "作成し提出する"}, ["multiple_actions"]),
        ({"verb": "確認・押印する"}, ["multiple_actions"]),
        ({"verb": "読み取る"}, []),
        ({"verb": "確認している"}, []),
        ({"object": ""}, ["object_missing"]),
        ({"object": "窓口業務"}, ["object_vague"]),
        ({"object": "証明書等"}, ["object_vague"]),
        ({"object": "申請関係書類"}, ["object_vague"]),
        ({"object": "各種申請書"}, ["object_vague"]),
        ({"object": "業務日誌"}, []),
        ({"why": ""}, ["why_missing"]),
        ({"why": "特になし"}, ["why_missing"]),
        ({"why": "決まりだから"}, ["why_rule_only"]),
        ({"why": "前任者にそう言われたため"}, ["why_rule_only"]),
        ({"why": "規則に沿って確認し、住民の個人情報を守るため"}, []),
    ],
)
def test_codes(changes, expected):
    assert codes(**changes) == expected


def test_full_width_input_is_normalised():
    assert codes(subject="ＤＸ推進課", object="ＩＣカード") == []


def test_every_code_has_an_english_and_a_japanese_message():
    assert set(MESSAGES) == set(CODES) == set(MESSAGES_JA)
    assert all(str(MESSAGES[code]) and MESSAGES_JA[code] for code in CODES)


def test_findings_carry_field_and_messages():
    (finding,) = check_statement(**{**GOOD, "verb": "対応する"}, lexicon=FILES)
    assert finding.code == "verb_vague"
    assert finding.field == "verb"
    assert "対応する" in finding.message_ja
    with translation.override("en"):
        assert "verb" in finding.message


def test_measure_counts_misses_and_false_alarms():
    statements = read_labelled(
        "subject\tverb\tobject\twhy\tcodes\n"
        "山田さん\t確認する\t申請書\t住民のため\t\n"  # a false alarm: subject_person
        "係長\t確認する\t申請書\t住民のため\tverb_vague\n"  # a miss: verb_vague
    )
    by_code = {r.code: r for r in measure(statements, lexicon=FILES)}
    assert by_code["subject_person"].precision == 0
    assert by_code["verb_vague"].recall == 0


@pytest.mark.django_db
def test_svo_check_command_prints_one_json_line_per_statement(tmp_path):
    path = tmp_path / "statements.tsv"
    path.write_text(
        "subject\tverb\tobject\twhy\n"
        "山田さん\t対応する\t各種申請書\t決まりだから\n"
        "市民課窓口担当職員\t照合する\t申請書の本人確認欄\tなりすましを防ぐため\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("svo_check", str(path), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [
        {"line": 2, "codes": ["subject_person", "verb_vague", "object_vague", "why_rule_only"]},
        {"line": 3, "codes": []},
    ]


@pytest.mark.django_db
def test_svo_check_command_refuses_a_file_without_the_columns(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="header lacks"):
        call_command("svo_check", str(path))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # Vague verbs outside the old list, and the guidebook's own 調整する.
        ({"verb": "取り組む"}, ["verb_vague"]),
        ({"verb": "進める"}, ["verb_vague"]),
        ({"verb": "調整する"}, ["verb_vague"]),
        # Placeholders are empty answers in every field.
        ({"subject": "－"}, ["subject_missing"]),
        ({"object": "特になし"}, ["object_missing"]),
        ({"why": "ー"}, ["why_missing"]),
        # A habit without the old marker words; a WHY that repeats the WHAT.
        ({"why": "毎年そうしているので同じように続けるため"}, ["why_rule_only"]),
        ({"why": "運転免許証を照合するため"}, ["why_restates_what"]),
        # Two actions joined by a て-form; an office name is not a person; ordinary objects.
        ({"verb": "パトロールして記録する"}, ["multiple_actions"]),
        ({"subject": "大島出張所窓口担当"}, []),
        ({"object": "消防用設備等の設置届"}, []),
        ({"object": "勤怠データ"}, []),
        ({"object": "申告書類"}, ["object_vague"]),
    ],
)
def test_codes_beyond_the_old_word_lists(changes, expected):
    assert codes(**changes) == expected


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        (None, []),  # the exercise does not ask for HOW
        ("", ["how_missing"]),
        ("特になし", ["how_missing"]),
        ("効率化する", ["how_vague"]),
        ("照合の手順を見直して効率化を図る", ["how_vague"]),
        ("もっと早く照合する", ["how_vague"]),
        ("マイナンバーカードのICチップを読み取り、照合を自動にする", []),
        ("本人確認の記入欄を廃止する", []),
        ("申請をオンラインフォームで受け付ける", []),
    ],
)
def test_how(how, expected):
    assert codes(how=how) == expected


@pytest.mark.parametrize(
    ("count", "minutes", "expected"),
    [
        (3000, Decimal("5"), []),
        (None, Decimal("5"), ["hours_missing"]),
        (3000, None, ["hours_missing"]),
        (0, Decimal("5"), ["hours_zero"]),
        (3000, Decimal("0"), ["hours_zero"]),
        (12000, Decimal("40"), ["hours_implausible"]),  # 8,000 hours for one clerk
        (1900, Decimal("60"), []),  # exactly one person's year
    ],
)
def test_hours(count, minutes, expected):
    found = codes(count_per_year=count, minutes_per_case=minutes, hours_asked=True)
    assert found == expected
    assert codes(count_per_year=count, minutes_per_case=minutes) == []  # not asked


def test_hours_findings_show_the_numbers_typed():
    (finding,) = check_statement(
        **GOOD, count_per_year=12000, minutes_per_case=Decimal("40"), hours_asked=True,
        lexicon=FILES,
    )  # fmt: skip
    assert finding.code == "hours_implausible"
    assert "12,000" in finding.message_ja and "40" in finding.message_ja
    assert "8,000" in finding.message_ja and "1,900" in finding.message_ja
    with translation.override("en"):
        assert "8,000 hours" in finding.text


def test_checking_many_statements_loads_the_model_once():
    from courses.svo import parsing
    from courses.svo.checker import Statement, check_many

    found = check_many(
        [Statement(**GOOD), Statement(**{**GOOD, "verb": "対応する"})], lexicon=FILES
    )
    assert found == [[], ["verb_vague"]]
    assert parsing.loads == 1
