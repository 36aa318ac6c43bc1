"""Property tests of the GIFT and Moodle XML readers: any text gives questions or problems
with a line and a message, never a crash; a file with problems imports nothing."""

from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.interchange import parse_questions
from courses.interchange.gift import parse_gift
from courses.interchange.importing import ImportRefused, questions_import
from courses.interchange.moodlexml import parse_moodle_xml
from courses.models import Question

FAST = settings(max_examples=80, deadline=None)

gift_piece = st.sampled_from(
    ["::名前::", "問題文", "{", "}", "=", "~", "#", "##", "%50%", "%-25%", "->", "TRUE", "F",
     "\\{", "\\=", "\\", "$CATEGORY: 研修/DX", "//", "\n", "\n\n", " ", "1..2", "3:0.5",
     "<b>", "&amp;", "[html]", "１２", "e+9", "nan", "%abc%"]
)  # fmt: skip
gift_words = st.lists(gift_piece, max_size=6).map("".join)


@st.composite
def gift_question(draw) -> str:
    """A question shaped like GIFT (name, text, an answer block) with random parts."""
    answers = "".join(
        draw(st.sampled_from(["=", "~", "~%50%", "=%-10%", "#", ""])) + draw(gift_words)
        for _ in range(draw(st.integers(0, 4)))
    )
    kind = draw(st.sampled_from(["", "#", "T", "FALSE"]))
    return f"::{draw(gift_words)}::{draw(gift_words)} {{{kind}{answers}}}"


gift_text = st.one_of(
    st.lists(gift_question(), max_size=3).map("\n\n".join),
    st.lists(gift_piece, max_size=30).map("".join),
    st.text(max_size=200),
)

# Text XML can carry (no surrogates or control characters), escaped, so that most files are
# well-formed and reach the question reader; the raw variant exercises the XML errors.
_xml_chars = st.characters(blacklist_categories=["Cs", "Cc"])
xml_text = st.one_of(
    st.text(alphabet=_xml_chars, max_size=40).map(escape),
    st.sampled_from(["&lt;script&gt;", "<![CDATA[<img onerror=x>]]>", "設問"]),
)
number_text = st.one_of(
    st.sampled_from(["", "1", "-1", "0.5", "１", "1e400", "nan", "inf", "abc", "100", "50.0"]),
    xml_text,
)


@st.composite
def moodle_xml(draw) -> str:
    questions = []
    for _ in range(draw(st.integers(0, 3))):
        qtype = draw(st.sampled_from(
            ["multichoice", "truefalse", "shortanswer", "numerical", "category", "essay", ""]
        ))  # fmt: skip
        answers = "".join(
            f"<answer fraction={quoteattr(draw(number_text))}><text>{draw(xml_text)}</text>"
            f"<tolerance>{draw(number_text)}</tolerance></answer>"
            for _ in range(draw(st.integers(0, 3)))
        )
        single = draw(st.sampled_from(["true", "false", "", "maybe"]))
        questions.append(
            f'<question type="{qtype}"><name><text>{draw(xml_text)}</text></name>'
            f"<questiontext><text>{draw(xml_text)}</text></questiontext>"
            f"<category><text>{draw(xml_text)}</text></category>"
            f"<defaultgrade>{draw(number_text)}</defaultgrade><single>{single}</single>"
            f"{answers}</question>"
        )
    return (
        draw(st.sampled_from(["<quiz>", "<quiz >", "<notquiz>"]))
        + "".join(questions)
        + ("</quiz>" if draw(st.booleans()) else "")
    )


def _assert_clear(result) -> None:
    for problem in result.problems:
        assert problem.line >= 1
        assert str(problem.message).strip()
    for question in result.questions:
        assert question.qtype
        assert isinstance(question.text, str)


@FAST
@given(text=gift_text)
def test_any_gift_text_gives_questions_or_clear_problems(text):
    _assert_clear(parse_gift(text))


@FAST
@given(text=moodle_xml())
def test_any_moodle_xml_gives_questions_or_clear_problems(text):
    _assert_clear(parse_moodle_xml(text))


@FAST
@given(text=st.text(max_size=300), name=st.sampled_from(["q.gift", "q.xml", "q.txt", ""]))
def test_any_text_under_detection_gives_questions_or_clear_problems(text, name):
    _assert_clear(parse_questions(text, file_name=name))


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.one_of(gift_text, moodle_xml()))
def test_a_file_with_problems_imports_nothing(text):
    parsed = parse_questions(text)
    before = Question.objects.count()
    if parsed.problems or not parsed.questions:
        with pytest.raises(ImportRefused):
            questions_import(parsed=parsed)
        assert Question.objects.count() == before
    else:
        created = questions_import(parsed=parsed)
        assert Question.objects.count() == before + len(created) == before + len(parsed.questions)
