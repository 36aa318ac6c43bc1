"""Real concurrent transactions on PostgreSQL: two submits of one quiz attempt give one
graded attempt; two reviewers deciding one worksheet give one decision, and the other
reviewer is told.

Both requests are held at the row lock by a third connection until both are waiting on it,
so they really overlap; then the lock is released and they race.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.fiscal import current_fiscal_year
from courses.models import (
    AttemptStatus,
    QuestionType,
    QuizAttempt,
    ReviewDecision,
    SvoReview,
    SvoWorksheet,
    WorksheetStatus,
)
from courses.services import attempt_start
from courses.svo.services import worksheet_submit
from tests.factories import UserFactory, make_course, make_question
from tests.factories.lms import DxProAssignmentFactory, OrgUnitFactory
from tests.factories.svo import make_svo_exercise, make_worksheet
from tests.integration.test_faults import RowLock, _wait

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _race(lock: RowLock, requests: list) -> list:
    """Run each request in a thread of its own; release ``lock`` once all wait on it."""
    results: list = [None] * len(requests)

    def run(index: int, request) -> None:
        try:
            results[index] = request()
        except Exception as error:  # reported by the test, not lost in the thread
            results[index] = error
        finally:
            connection.close()  # each thread has its own connection

    threads = [
        threading.Thread(target=run, args=(index, request), daemon=True)
        for index, request in enumerate(requests)
    ]
    try:
        for thread in threads:
            thread.start()
        _wait(
            lambda: len(lock.waiting_pids()) == len(requests),
            timeout=30,
            what="both requests wait for the row",
        )
    finally:
        lock.release()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_two_submits_at_once_give_one_graded_attempt(live_celery_worker, wait_until):
    learner = UserFactory()
    quiz = make_course(questions=[make_question(QuestionType.SHORT)], slug="race-quiz")["quiz"]
    attempt = attempt_start(user=learner, quiz=quiz)
    key = attempt.questions[0]["key"]
    url = reverse("courses:attempt_submit", args=[attempt.pk])
    first, second = _client(learner), _client(learner)

    responses = _race(
        RowLock(QuizAttempt._meta.db_table, attempt.pk),
        [lambda: first.post(url, {key: "DX"}), lambda: second.post(url, {key: "wrong"})],
    )

    assert [r.status_code for r in responses] == [302, 302], responses

    def graded() -> bool:
        """the worker grades the attempt"""
        attempt.refresh_from_db()
        return attempt.status == AttemptStatus.GRADED

    wait_until(graded, timeout=30)
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    assert attempt.grading_tries == 1  # graded once, from the answers of the submit that won
    assert attempt.answers[key] in {"DX", "wrong"}


def test_two_reviewers_at_once_give_one_decision_and_the_other_is_told(live_celery_worker):
    unit = OrgUnitFactory.create(name="競合課")
    author = UserFactory(unit=unit)
    reviewers = [UserFactory(), UserFactory()]
    for reviewer in reviewers:
        DxProAssignmentFactory(user=reviewer, unit=unit, fiscal_year=current_fiscal_year())
    exercise = make_svo_exercise(make_course(lessons=1, slug="race-svo")["course"])
    worksheet = make_worksheet(author, exercise, statements=2)
    worksheet = worksheet_submit(worksheet_id=worksheet.pk, user=author)
    url = reverse("courses:review_detail", args=[worksheet.pk])
    approve = {"confirmed": "1", "decision": ReviewDecision.APPROVED, "version": worksheet.version}
    send_back = {
        "confirmed": "1",  # both on the confirmation step: the decision itself races
        "decision": ReviewDecision.RETURNED,
        "version": worksheet.version,
        "comment": "WHYをもう少し具体的に。",
    }
    clients = [_client(reviewer) for reviewer in reviewers]

    responses = _race(
        RowLock(SvoWorksheet._meta.db_table, worksheet.pk),
        [
            lambda: clients[0].post(url, approve, follow=True),
            lambda: clients[1].post(url, send_back, follow=True),
        ],
    )

    assert all(getattr(r, "status_code", None) == 200 for r in responses), responses
    reviews = list(SvoReview.objects.filter(worksheet=worksheet))
    assert len(reviews) == 1
    winner = reviewers.index(reviews[0].reviewer)
    loser = responses[1 - winner]
    assert "This worksheet has already been decided or changed" in loser.text
    assert "already been decided" not in responses[winner].text
    worksheet.refresh_from_db()
    expected = (WorksheetStatus.APPROVED, WorksheetStatus.RETURNED)[winner]
    assert worksheet.status == expected
