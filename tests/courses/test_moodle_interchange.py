"""Moodle's own example files, the types added for them (matching, essay, description, numeric
as Moodle reads it), ``--skip-invalid`` and the Moodle XML export."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from courses.interchange import parse_gift, parse_moodle_xml, parse_questions
from courses.interchange.importing import ImportRefused, questions_import
from courses.interchange.moodlexml_export import questions_to_moodle_xml
from courses.models import Question

MOODLE = Path(__file__).resolve().parents[1] / "data" / "moodle"


def _read(name: str) -> str:
    return (MOODLE / name).read_text(encoding="utf-8")


# Every question of Moodle's example files: imported (line, type) or refused (line, name).
EXPECTED = {
    "questions.gift.txt": (
        [(2, "essay"), (5, "matching"), (14, "single"), (22, "multiple"), (31, "numeric"),
         (34, "short"), (41, "truefalse"), (46, "truefalse"), (49, "truefalse")],
        [],
    ),
    "questions_in_category.gift.txt": (
        [(5, "matching"), (14, "single"), (22, "short"), (27, "truefalse")],
        [],
    ),
    "nested_categories_with_questions.xml": (
        [(15, "truefalse"), (55, "essay"), (83, "truefalse"), (123, "truefalse"),
         (163, "truefalse")],
        [],
    ),
    "sample_questions_with_old_image_tag.xml": (
        [(36, "single")],
        [(16, "cloze question with image")],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_moodles_example_files_import_every_question_or_name_it(db, name):
    imported, refused = EXPECTED[name]
    parsed = parse_questions(_read(name), file_name=name)
    assert [(q.line, q.qtype) for q in parsed.questions] == imported
    assert [(p.line, p.name) for p in parsed.problems] == refused
    created = questions_import(parsed=parsed, skip_invalid=True)
    assert len(created) == len(imported) == Question.objects.count()


def test_moodles_gift_examples_all_import(db):
    parsed = parse_questions(_read("examples.gift.txt"))
    assert parsed.problems == []
    types = [q.qtype for q in parsed.questions]
    assert len(types) == 43
    assert types.count("matching") == 3 and types.count("numeric") == 8
    assert len(questions_import(parsed=parsed)) == 43


def test_the_questions_the_issue_named_are_read_as_moodle_reads_them():
    by = {q.name: q for q in parse_gift(_read("questions.gift.txt")).questions}
    essay = by["Q8"]
    assert (essay.qtype, essay.text, essay.answers) == ("essay", "How are you?", [])
    matching = by["Moodle activities"]
    assert matching.text == "Match the activity to the description."  # [html] tags out
    assert [(a.text[:9], a.match_text) for a in matching.answers] == [
        ("An activi", "Forum"), ("A teacher", "Choice"), ("A bank of", "Database"),
        ("A collect", "Wiki"), ("", "Chat")]  # fmt: skip
    numeric = by["Q5"]
    assert [(a.value, a.tolerance, a.fraction, a.text, a.feedback) for a in numeric.answers] == [
        (3, 2, 100, "3", ""), (None, 0, 0, "*", "Completely wrong")]  # fmt: skip
    assert [a.text for a in by["Q2"].answers] == ["yellow", "red", "blue"]  # [plain] out
    assert by["Q2"].answers[1].feedback == "wrong, it's yellow"


@pytest.mark.parametrize(
    ("block", "answers"),
    [
        ("{#1..5}", [(3, 2, 100)]),
        ("{#=%50%3:2 =3:0#exact}", [(3, 2, 50), (3, 0, 100)]),
        ("{#=3:1 =%50%*#near enough}", [(3, 1, 100), (None, 0, 50)]),
        ("{#3~%30%#ignored weight}", [(3, 0, 100), (None, 0, 0)]),
    ],
)
def test_numeric_answers(block, answers):
    parsed = parse_gift(f"::n:: x {block}")
    assert parsed.problems == []
    assert [(a.value, a.tolerance, a.fraction) for a in parsed.questions[0].answers] == answers


def test_description_and_essay_with_general_feedback():
    parsed = parse_gift("::d:: 次の問いに答えてください。\n\n::e:: 感想を書く {####自由に}")
    d, e = parsed.questions
    assert (d.qtype, d.points, d.text) == ("description", 0, "次の問いに答えてください。")
    assert (e.qtype, e.general_feedback) == ("essay", "自由に")


MIXED = "::ok:: 良い? {T}\n\n::bad:: 数 {#abc}\n\n::m:: 組 {=a -> b}\n"


def test_without_skip_invalid_a_file_with_a_problem_imports_nothing(db):
    with pytest.raises(ImportRefused, match="2 problem"):
        questions_import(parsed=parse_gift(MIXED))
    assert not Question.objects.exists()


def test_skip_invalid_imports_the_valid_and_names_the_refused(db, tmp_path):
    path = tmp_path / "mixed.gift"
    path.write_text(MIXED, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_questions", str(path), stdout=StringIO(), stderr=StringIO())
    assert not Question.objects.exists()
    out, err = StringIO(), StringIO()
    call_command("import_questions", str(path), "--skip-invalid", stdout=out, stderr=err)
    assert list(Question.objects.values_list("name", flat=True)) == ["ok"]
    assert "imported 1 question(s), refused 2" in out.getvalue()
    assert err.getvalue().splitlines() == [
        "refused: line 3 (bad): “abc” is not a number.",
        "refused: line 5 (m): A matching question needs at least two pairs.",
    ]


def test_skip_invalid_still_refuses_a_file_with_nothing_valid(db):
    with pytest.raises(ImportRefused, match="no question that can be imported"):
        questions_import(parsed=parse_gift("::bad:: 数 {#abc}"), skip_invalid=True)


def test_admin_skip_invalid_checkbox(admin_client):
    url = reverse("courses_question_import")
    upload = SimpleUploadedFile("mixed.gift", MIXED.encode("utf-8"))
    plain = admin_client.post(url, {"file": upload})
    assert 'name="confirm"' not in plain.content.decode()
    upload = SimpleUploadedFile("mixed.gift", MIXED.encode("utf-8"))
    preview = admin_client.post(url, {"file": upload, "skip_invalid": "on"})
    html = preview.content.decode()
    assert 'name="confirm"' in html and "bad" in html
    done = admin_client.post(
        url, {"confirm": "1", "text": MIXED, "format": "", "category": "", "skip_invalid": "1"}
    )
    assert done.status_code == 302
    assert list(Question.objects.values_list("name", flat=True)) == ["ok"]


ALL_TYPES = r"""$CATEGORY: 基礎
::single:: どれ? {=A#良い ~B ~%25%C####全体}

::multi:: 二つ {~%50%A ~%50%B ~%-100%C#違う}

::tf:: 正しい {F#違います#正解}

::short:: 略語 {=DX =%50%デジタル*#惜しい}

::num:: 数 {#=3:2 =%50%1..5#近い ~#違う}

$CATEGORY: 応用
::match:: 組み合わせ {=窓口 -> 住民 =内部 -> 職員 = -> 議会}

::essay:: 改善案を書いてください {####例: 申請の電子化}

::desc:: ここから応用です。
"""


def test_moodle_xml_export_round_trips_through_our_importer(db, admin_client):
    created = questions_import(parsed=parse_gift(ALL_TYPES))
    Question.objects.filter(name="short").update(ignore_case=False)
    xml = admin_client.get(reverse("courses_question_export_moodle_xml")).content.decode()
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    assert '<question type="matching">' in xml and '<question type="essay">' in xml
    assert "<![CDATA[組み合わせ]]>" in xml and 'fraction="-100"' in xml
    again = parse_moodle_xml(xml)
    assert again.problems == []
    originals = Question.objects.prefetch_related("answers").order_by("category__name", "pk")
    assert len(again.questions) == len(created)
    for original, parsed in zip(originals, again.questions, strict=True):
        assert (parsed.name, parsed.qtype, parsed.text, parsed.category) == (
            original.name, original.qtype, original.text, original.category.name)  # fmt: skip
        assert parsed.general_feedback == original.general_feedback
        assert parsed.points == original.points
        assert parsed.ignore_case == original.ignore_case
        assert [
            (a.text if a.value is None else a.value, a.match_text, a.fraction, a.feedback,
             a.tolerance) for a in parsed.answers
        ] == [
            (a.text if a.value is None else a.value, a.match_text, a.fraction, a.feedback,
             a.tolerance) for a in original.answers.all()
        ]  # fmt: skip


def test_moodle_xml_export_of_one_category_and_awkward_text(db, admin_client):
    questions_import(parsed=parse_gift(ALL_TYPES))
    question = Question.objects.get(name="single")
    question.text = "a < b ]]> c & d"
    question.save()
    xml = questions_to_moodle_xml(
        Question.objects.filter(category=question.category).order_by("pk")
    )
    again = parse_moodle_xml(xml)
    assert again.questions[0].text == "a < b ]]> c & d"
    assert {q.category for q in again.questions} == {"基礎"}
    response = admin_client.get(
        reverse("courses_question_export_moodle_xml"), {"category": question.category_id}
    )
    assert response["Content-Disposition"] == 'attachment; filename="questions-moodle.xml"'
    assert "応用" not in response.content.decode()


def test_export_needs_the_view_permission(client, learner):
    client.force_login(learner)
    assert client.get(reverse("courses_question_export_moodle_xml")).status_code in (302, 403)


def test_gift_export_writes_the_new_types_back(db):
    from courses.interchange import questions_to_gift

    questions_import(parsed=parse_gift(ALL_TYPES))
    gift = questions_to_gift(
        Question.objects.select_related("category").prefetch_related("answers").order_by("pk")
    )
    again = parse_gift(gift)
    assert again.problems == []
    assert [q.qtype for q in again.questions] == [
        "single", "multiple", "truefalse", "short", "numeric", "matching", "essay",
        "description"]  # fmt: skip
    assert [(a.value, a.fraction, a.feedback) for a in again.questions[4].answers] == [
        (3, 100, ""), (3, 50, "近い"), (None, 0, "違う")]  # fmt: skip
    assert Decimal(again.questions[4].answers[1].tolerance) == 2


def test_export_command_writes_moodle_xml_that_imports_back(db, tmp_path):
    questions_import(parsed=parse_gift(ALL_TYPES))
    path = tmp_path / "bank.xml"
    err = StringIO()
    call_command("export_questions", "--output", str(path), stderr=err)
    assert "exported 8 question(s)" in err.getvalue()
    again = parse_questions(path.read_text(encoding="utf-8"), file_name=path.name)
    assert again.problems == [] and len(again.questions) == 8
    out = StringIO()
    call_command("export_questions", "--format", "gift", "--category", "応用", stdout=out)
    assert [q.name for q in parse_gift(out.getvalue()).questions] == ["match", "essay", "desc"]
    with pytest.raises(CommandError, match="No category"):
        call_command("export_questions", "--category", "無い", stdout=StringIO())
