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
    ("approved", "complete", "percent"), [(True, True, 100), (False, False, 0), (None, True, 100)]
)
def test_a_course_without_an_exercise_has_no_worksheet_part(approved, complete, percent):
    progress = CourseProgress(
        fiscal_year=2026,
        lessons_total=0,
        quizzes_total=0,
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
