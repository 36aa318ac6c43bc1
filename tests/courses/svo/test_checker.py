"""The SVO checker: each code on a clear example, the teaching messages, the quality on the
labelled set (fails under 0.85 precision or recall for any code) and ``manage.py svo_check``."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from courses.svo.checker import CODES, MESSAGES, MESSAGES_JA, check_codes, check_statement
from courses.svo.quality import measure, read_labelled

LABELLED = Path(__file__).resolve().parents[3] / "tests" / "data" / "svo_labelled.tsv"
GOOD = {
    "subject": "市民課窓口担当職員",
    "verb": "照合する",
    "object": "住民票の写し交付申請書の本人確認欄と運転免許証",
    "why": "なりすましによる不正な交付を防ぐため",
}


def codes(**changes):
    return check_codes(**{**GOOD, **changes})


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
    (finding,) = check_statement(**{**GOOD, "verb": "対応する"})
    assert finding.code == "verb_vague"
    assert finding.field == "verb"
    assert "対応する" in finding.message_ja
    with translation.override("en"):
        assert "verb" in finding.message


def test_precision_and_recall_per_code_on_the_labelled_set():
    statements = read_labelled(LABELLED.read_text(encoding="utf-8"))
    assert len(statements) >= 60
    results = measure(statements)
    for result in results:
        # Every code occurs in the set, else its figures would say nothing.
        assert result.true_positives + result.false_negatives >= 3, result.code
    poor = [
        (r.code, round(r.precision, 2), round(r.recall, 2))
        for r in results
        if r.precision < 0.85 or r.recall < 0.85
    ]
    assert poor == []


def test_measure_counts_misses_and_false_alarms():
    statements = read_labelled(
        "subject\tverb\tobject\twhy\tcodes\n"
        "山田さん\t確認する\t申請書\t住民のため\t\n"  # a false alarm: subject_person
        "係長\t確認する\t申請書\t住民のため\tverb_vague\n"  # a miss: verb_vague
    )
    by_code = {r.code: r for r in measure(statements)}
    assert by_code["subject_person"].precision == 0
    assert by_code["verb_vague"].recall == 0


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


def test_svo_check_command_measures_a_labelled_file():
    out = StringIO()
    call_command("svo_check", str(LABELLED), "--measure", stdout=out)
    assert "verb_vague\tprecision" in out.getvalue()


def test_svo_check_command_refuses_a_file_without_the_columns(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="header lacks"):
        call_command("svo_check", str(path))
