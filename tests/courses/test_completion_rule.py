"""The completion rule, stated once (``CourseProgress.is_complete``): one table of every
combination of required parts and what is done, the worksheet part included."""

import itertools

import pytest

from courses.selectors import CourseProgress

PARTS = list(itertools.product([True, False], repeat=6))


@pytest.mark.parametrize(
    ("lessons_required", "quiz_required", "worksheet_required", "lessons", "quiz", "worksheet"),
    PARTS,
)
def test_every_combination(
    lessons_required, quiz_required, worksheet_required, lessons, quiz, worksheet
):
    progress = CourseProgress(
        fiscal_year=2026,
        lessons_total=2,
        lessons_read={1, 2} if lessons else {1},
        quizzes_total=1,
        quizzes_passed={3} if quiz else set(),
        lessons_required=lessons_required,
        quiz_required=quiz_required,
        worksheet_required=worksheet_required,
        worksheet_approved=worksheet,
    )
    expected = (
        (not lessons_required or lessons)
        and (not quiz_required or quiz)
        and (not worksheet_required or worksheet)
    )
    assert progress.is_complete is expected
    steps = 2 * lessons_required + quiz_required + worksheet_required
    done = (2 if lessons else 1) * lessons_required + quiz * quiz_required
    done += worksheet * worksheet_required
    assert progress.percent == (int(100 * done / steps) if steps else 100)


@pytest.mark.parametrize(
    ("approved", "complete", "percent"), [(True, True, 100), (False, False, 0), (None, False, 0)]
)
def test_a_named_worksheet_approval_is_required_even_without_an_exercise(
    approved, complete, percent
):
    """B2: a rule that names the approval is never met by a course without the task."""
    progress = CourseProgress(
        fiscal_year=2026,
        lessons_total=0,
        quizzes_total=0,
        lessons_required=False,
        quiz_required=False,
        worksheet_required=True,
        worksheet_approved=approved,
    )
    assert progress.is_complete is complete
    assert progress.percent == percent


def test_percent_counts_each_lesson_quiz_and_the_worksheet_as_a_step():
    progress = CourseProgress(
        fiscal_year=2026,
        lessons_total=2,
        lessons_read={1},
        quizzes_total=1,
        worksheet_required=True,
        worksheet_approved=False,
    )
    assert progress.percent == 25
    assert progress.started


@pytest.mark.parametrize("part", ["lessons", "quiz"])
def test_a_named_part_the_course_lacks_is_never_met(part):
    progress = CourseProgress(
        fiscal_year=2026,
        lessons_total=0 if part == "lessons" else 1,
        lessons_read=set() if part == "lessons" else {1},
        quizzes_total=0 if part == "quiz" else 1,
        quizzes_passed=set() if part == "quiz" else {2},
    )
    assert not progress.is_complete
    assert progress.percent == 50
