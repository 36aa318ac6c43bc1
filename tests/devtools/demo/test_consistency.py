"""The demo does not contradict itself (UX review 2026-12, (c) "Demo content contradicts
itself"): durations come from the content, the quiz intro types no rules, a range question
agrees with its feedback, and people who completed have read the summary edition."""

import math
import re

import pytest

from content.models import ChapterPage, ChapterRead, GuidebookPage
from content.text import READING_CHARS_PER_MINUTE, html_to_text
from core.fiscal import current_fiscal_year
from courses.models import Answer, CoursePage, LessonPage, QuestionType, QuizPage, SvoExercisePage
from devtools.demo.courses import courses_seed
from devtools.demo.guidebook import guidebook_seed
from devtools.demo.reading import reading_demo_seed
from devtools.demo.svo import svo_demo_seed
from devtools.demo.training import training_demo_seed
from lms.models import Enrollment, EnrollmentStatus
from lms.reports.reading import reading_report
from tests.factories import DxProAssignmentFactory, UserFactory, make_org_tree
from tests.helpers.once import built_once

pytestmark = pytest.mark.django_db

#: A reading time typed into a text: 「30分ほど」, 「約5分」, "half an hour", "20 minutes".
TYPED_DURATION = re.compile(r"\d+\s*分|半時間|minute|half an hour|\bhours?\b", re.IGNORECASE)


def _seed():
    tree = make_org_tree()
    for key in ("jinji_kakari", "kyuyo_kakari", "dx_kakari", "madoguchi"):
        for _ in range(8):
            UserFactory(unit=tree[key])
    dx_pro = UserFactory(employee_number="9000005", unit=tree["madoguchi"])
    DxProAssignmentFactory(user=dx_pro, unit=tree["shimin_ka"])
    guidebook_seed()
    courses_seed()
    svo_demo_seed()
    training_demo_seed()
    return reading_demo_seed()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, _seed) as reading:
        yield reading


def test_editions_type_no_reading_time_and_the_page_computes_it(client, demo):
    for edition in GuidebookPage.objects.live():
        for text in (edition.summary, edition.summary_en, edition.cover_text, edition.audience):
            assert not TYPED_DURATION.search(text or ""), (edition.title, text)
        minutes = sum(chapter.reading_minutes for chapter in edition.chapters())
        assert f"約{minutes}分で読めます" in client.get(edition.url).text


def _expected_minutes(part) -> int:
    """What the learner meets in a part, counted here independently of the demo's code."""
    if isinstance(part, LessonPage):
        text = "\n".join(
            html_to_text(child.value.source) for child in part.body if child.block_type == "text"
        )
        chapters = ChapterPage.objects.filter(pk__in=part.chapter_ids())
        own = math.ceil(len(text.strip()) / READING_CHARS_PER_MINUTE)
        return max(1, own + sum(c.reading_minutes for c in chapters))
    if isinstance(part, QuizPage):
        return part.slots.count()  # one minute a question; the demo quizzes are fixed slots
    if isinstance(part, SvoExercisePage):
        return 10 * part.min_statements + 1  # writing the statements, reading the example
    return 0


def test_every_stated_duration_matches_the_content(client, demo):
    """DX PRO育成研修 said 「約180分」 for three one-sentence lessons."""
    for course in CoursePage.objects.live():
        parts = list(course.parts())
        expected = sum(_expected_minutes(part) for part in parts)
        assert abs(course.estimated_minutes - expected) <= 2, course.title
        assert f"約{course.estimated_minutes}分" in client.get(course.url).text
        for lesson in (p for p in parts if isinstance(p, LessonPage)):
            assert abs(lesson.estimated_minutes - _expected_minutes(lesson)) <= 1, lesson.title


def test_dx_pro_lessons_have_substance(demo):
    for lesson in LessonPage.objects.child_of(CoursePage.objects.get(slug="dx-pro")).live():
        paragraphs = [
            p for child in lesson.body for p in re.findall(r"<p>(.*?)</p>", child.value.source)
        ]
        assert len(paragraphs) >= 4, lesson.title
        assert sum(len(p) for p in paragraphs) >= 500, lesson.title
        assert lesson.chapter_ids(), lesson.title  # and the full-edition chapters behind it


def test_the_quiz_intro_types_no_rule_and_the_page_states_the_real_ones(client, demo):
    quiz = QuizPage.objects.get(title="確認テスト")
    assert not re.search(r"\d+\s*問|\d+\s*[%％]", quiz.intro)
    html = client.get(quiz.url).text
    asked = quiz.slots.exclude(question__qtype=QuestionType.DESCRIPTION).count()  # text only
    assert f"<dd>{asked}問</dd>" in html
    assert f"<dd>{quiz.pass_mark}%以上</dd>" in html


def test_range_questions_agree_with_their_feedback(demo):
    """問10 asked for 「800人から900人の間」 and its feedback said 「600〜900人程度」."""
    ranges = Answer.objects.filter(
        question__qtype=QuestionType.NUMERIC, tolerance__gt=0
    ).select_related("question")
    assert ranges
    for answer in ranges:
        low, high = answer.value - answer.tolerance, answer.value + answer.tolerance
        question = answer.question
        bounds = [f"{low.normalize():f}", f"{high.normalize():f}"]
        feedback = question.general_feedback + answer.feedback
        assert all(bound in feedback for bound in bounds), question.name
        assert not any(bound in question.text for bound in bounds), question.name
        # the feedback names no other range than the accepted one
        other = re.findall(r"(\d+)\s*[〜～~から]+\s*(\d+)", feedback)
        assert all(pair == tuple(bounds) for pair in other), (question.name, other)


def test_everyone_who_completed_has_read_the_summary_edition(demo):
    """350 completed DX基礎研修, yet every 概要版 chapter showed 0 readers."""
    summary = list(GuidebookPage.objects.get(edition="summary").chapters())
    completed = set(
        Enrollment.objects.filter(
            status=EnrollmentStatus.COMPLETED, fiscal_year=current_fiscal_year()
        )
        .filter(course__title="DX基礎研修", completed_at__isnull=False)
        .values_list("user_id", flat=True)
    )
    assert completed
    for chapter in summary:
        read_to_end = set(
            ChapterRead.objects.filter(page=chapter, reached_end=True).values_list(
                "user_id", flat=True
            )
        )
        assert completed - read_to_end == set(), chapter.title
    report = reading_report()
    for edition in GuidebookPage.objects.live():
        readers = [report["rows"][c.pk][0].readers for c in edition.chapters()]
        assert any(readers), edition.title
        if edition.edition == "summary":
            assert all(readers), readers
    assert demo["summary"] and demo["full"]
    assert reading_demo_seed() == {"summary": 0, "full": 0}
