"""Taking a quiz through the views: with and without JavaScript, and what reaches the browser."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import (
    AttemptStatus,
    LessonRead,
    QuestionCategory,
    QuestionType,
    QuizAttempt,
    QuizPage,
    QuizSlot,
)
from courses.services import attempt_start
from tests.factories import UserFactory, make_question
from tests.helpers.quiz import republish, right_responses, wrong_responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(client, learner):
    client.force_login(learner)
    return client


def _form(responses):
    data = {}
    for key, value in responses.items():
        data[key] = value
    return data


def test_quiz_page_offers_start_and_start_creates_attempt(client_in, quiz):
    page = client_in.get(quiz.url)
    assert page.status_code == 200
    assert reverse("courses:quiz_start", args=[quiz.pk]).encode() in page.content
    response = client_in.post(reverse("courses:quiz_start", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get()
    assert response.url == reverse("courses:attempt", args=[attempt.pk])


def test_start_requires_sign_in(client, quiz):
    response = client.post(reverse("courses:quiz_start", args=[quiz.pk]))
    assert response.status_code == 302
    assert "login" in response.url
    assert not QuizAttempt.objects.exists()


def test_correct_answers_never_reach_the_browser_before_submission(client_in, learner, quiz):
    attempt = attempt_start(user=learner, quiz=quiz)
    html = client_in.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()
    assert "fieldset" in html and "<legend>" in html
    for question in attempt.questions:
        assert question["text"] in html
        for answer in question["answers"]:
            if answer["feedback"]:
                assert answer["feedback"] not in html
        if question["type"] == "short":
            assert 'value="DX"' not in html and ">DX<" not in html
        if question["type"] == "numeric":
            # The right answer as a value or text; random tokens (CSRF, CSP nonce) may hold
            # the digits inside them, so only a standalone number counts.
            assert not re.search(r"(?<![\w+/=-])824(?![\w+/=-])", html)
    for marker in ("fraction", "correct", "data-right", "right_answers", "feedback"):
        assert marker not in html.lower()
    # nor through the polling endpoint
    status = client_in.get(reverse("courses:attempt_status", args=[attempt.pk])).json()
    assert status == {"status": "in_progress", "done": False}


def test_autosave_one_question_and_resume(client_in, learner, quiz):
    attempt = attempt_start(user=learner, quiz=quiz)
    # Questions may be drawn in any order: find them by type, not by position.
    single = next(q for q in attempt.questions if q["type"] == "single")
    short_key = next(q["key"] for q in attempt.questions if q["type"] == "short")
    choice = single["answers"][1]["key"]
    response = client_in.post(
        reverse("courses:attempt_answer", args=[attempt.pk]),
        {"question": single["key"], single["key"]: choice},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.json() == {"saved": True}
    short = client_in.post(
        reverse("courses:attempt_answer", args=[attempt.pk]),
        {"question": short_key, short_key: "ＤＸ推進"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert short.json() == {"saved": True}
    attempt.refresh_from_db()
    assert attempt.answers == {single["key"]: choice, short_key: "ＤＸ推進"}
    # coming back shows the saved answers
    html = client_in.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()
    assert f'value="{choice}" checked' in html
    assert 'value="ＤＸ推進"' in html
    # the quiz page offers to continue, not to start another one
    page = client_in.get(quiz.url).content.decode()
    assert reverse("courses:attempt", args=[attempt.pk]) in page
    assert reverse("courses:quiz_start", args=[quiz.pk]) not in page


def test_autosave_rejects_forged_choice_with_json_error(client_in, learner, quiz):
    attempt = attempt_start(user=learner, quiz=quiz)
    # A choice key that no choice of the single-choice question has (questions may be shuffled).
    key = next(q["key"] for q in attempt.questions if q["type"] == "single")
    response = client_in.post(
        reverse("courses:attempt_answer", args=[attempt.pk]),
        {"question": key, key: "forged"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.status_code == 409
    assert response.json()["saved"] is False
    attempt.refresh_from_db()
    assert attempt.answers == {}


def test_someone_elses_attempt_is_not_found(client, learner, quiz):
    attempt = attempt_start(user=learner, quiz=quiz)
    client.force_login(UserFactory())
    for name in ("courses:attempt", "courses:attempt_status"):
        assert client.get(reverse(name, args=[attempt.pk])).status_code == 404
    for name in ("courses:attempt_answer", "courses:attempt_submit"):
        response = client.post(reverse(name, args=[attempt.pk]), right_responses(attempt))
        assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS and attempt.answers == {}


def test_without_javascript_fail_retake_pass(
    client_in, learner, quiz, django_capture_on_commit_callbacks
):
    client_in.post(reverse("courses:quiz_start", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_in.post(
            reverse("courses:attempt_submit", args=[attempt.pk]), _form(wrong_responses(attempt))
        )
    assert response.url == reverse("courses:attempt", args=[attempt.pk])
    result = client_in.get(response.url)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED and attempt.passed is False
    assert result.context["review"]["passed"] is False
    # the review policy (responses) shows feedback but not the right answers of a failed attempt
    assert result.context["review"]["questions"][0]["feedback"]
    assert "right_answers" not in result.context["review"]["questions"][0]

    client_in.post(reverse("courses:quiz_start", args=[quiz.pk]))
    retake = QuizAttempt.objects.get(status=AttemptStatus.IN_PROGRESS)
    assert retake.attempt_no == 2
    with django_capture_on_commit_callbacks(execute=True):
        client_in.post(
            reverse("courses:attempt_submit", args=[retake.pk]), _form(right_responses(retake))
        )
    retake.refresh_from_db()
    assert retake.passed is True
    review = client_in.get(reverse("courses:attempt", args=[retake.pk])).context["review"]
    assert review["percent"] == Decimal("100.00")
    assert review["questions"][3]["right_answers"] == ["DX"]  # full review once passed


def test_status_endpoint_returns_the_result_when_graded(
    client_in, learner, quiz, django_capture_on_commit_callbacks
):
    attempt = attempt_start(user=learner, quiz=quiz)
    from unittest import mock

    from courses import tasks

    with mock.patch.object(tasks.attempts_grade_task, "apply_async"):
        with django_capture_on_commit_callbacks(execute=True):
            client_in.post(
                reverse("courses:attempt_submit", args=[attempt.pk]),
                _form(right_responses(attempt)),
            )
    page = client_in.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()
    assert "data-status-url" in page
    url = reverse("courses:attempt_status", args=[attempt.pk])
    assert client_in.get(url).json() == {"status": "submitted", "done": False}
    from courses.grading.batch import attempts_grade_waiting

    attempts_grade_waiting()
    body = client_in.get(url).json()
    assert body["done"] is True and body["status"] == "graded"
    assert "100%" in body["html"]


def test_score_only_policy_hides_details(
    client_in, learner, course, django_capture_on_commit_callbacks
):
    quiz = republish(course["quiz"], review_policy="score", review_full_after_pass=False)
    attempt = attempt_start(user=learner, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=True):
        client_in.post(
            reverse("courses:attempt_submit", args=[attempt.pk]), _form(right_responses(attempt))
        )
    html = client_in.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()
    assert "100%" in html
    assert "その通り" not in html  # choice feedback


# Session (read + save in a savepoint), user, the lms header's role lookups (4, the last
# whether a quiz chose the person as a marker), the attempt: the questions come from the
# attempt's snapshot, so nothing grows with their number.
MAX_QUERIES = 11


def test_query_counts_do_not_grow_with_questions(
    client_in, learner, quiz, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    attempt = attempt_start(user=learner, quiz=quiz)
    url = reverse("courses:attempt", args=[attempt.pk])
    with django_assert_max_num_queries(MAX_QUERIES):
        client_in.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        client_in.post(
            reverse("courses:attempt_submit", args=[attempt.pk]), _form(right_responses(attempt))
        )
    with django_assert_max_num_queries(MAX_QUERIES):
        client_in.get(url)
    with django_assert_max_num_queries(MAX_QUERIES):
        client_in.get(reverse("courses:attempt_status", args=[attempt.pk]))


def test_lesson_mark_read(client_in, learner, course):
    lesson = course["lessons"][0]
    page = client_in.get(lesson.url)
    assert page.status_code == 200
    client_in.post(reverse("courses:lesson_read", args=[lesson.pk]))
    assert LessonRead.objects.filter(user=learner, lesson=lesson).exists()
    course_page = client_in.get(course["course"].url)
    assert course_page.status_code == 200


def test_course_and_index_pages_render_for_anonymous(client, course):
    assert client.get(course["index"].url).status_code == 200
    assert client.get(course["course"].url).status_code == 200
    assert client.get(course["quiz"].url).status_code == 200


# --- B17: unanswered questions are confirmed before grading; the answered count -------------


def test_the_attempt_page_says_how_many_questions_are_answered(client_in, learner, quiz):
    attempt = attempt_start(user=learner, quiz=quiz)
    url = reverse("courses:attempt", args=[attempt.pk])
    assert "0 / 5 問回答済み" in client_in.get(url).text
    responses = right_responses(attempt)
    first, second = attempt.questions[0]["key"], attempt.questions[1]["key"]
    client_in.post(
        reverse("courses:attempt_answer", args=[attempt.pk]),
        {first: responses[first], second: responses[second]},
    )
    page = client_in.get(url).text
    assert "2 / 5 問回答済み" in page
    # quiz.js updates the count from the same sentence, the number left to fill in
    assert 'data-text-template="{answered} / 5 問回答済み"' in page


def test_submitting_with_blanks_asks_first_and_keeps_the_answers(
    client_in, learner, quiz, django_capture_on_commit_callbacks
):
    attempt = attempt_start(user=learner, quiz=quiz)
    responses = right_responses(attempt)
    last = attempt.questions[-1]["key"]
    given = {key: value for key, value in responses.items() if key != last}
    response = client_in.post(reverse("courses:attempt_submit", args=[attempt.pk]), given)
    confirm_url = reverse("courses:attempt_confirm", args=[attempt.pk])
    assert response.url == confirm_url
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS  # not graded behind the learner's back
    assert set(attempt.answers) == set(given)  # what was given is kept

    page = client_in.get(confirm_url).text
    assert "問5が未回答です。このまま提出しますか？" in page
    assert "4 / 5 問回答済み" in page
    assert f'href="{reverse("courses:attempt", args=[attempt.pk])}#question-5"' in page
    assert "戻って回答する" in page and "このまま提出する" in page
    # going back shows the answers given and the blank question where the link points
    back = client_in.get(reverse("courses:attempt", args=[attempt.pk])).text
    assert 'id="question-5"' in back and "4 / 5 問回答済み" in back

    with django_capture_on_commit_callbacks(execute=True):
        done = client_in.post(
            reverse("courses:attempt_submit", args=[attempt.pk]),
            {"answers": "saved", "confirm_blanks": "1"},
        )
    assert done.url == reverse("courses:attempt", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert set(attempt.answers) == set(given)  # the saved answers were graded, none lost
    # once submitted, the confirmation page has nothing to ask
    assert client_in.get(confirm_url).url == reverse("courses:attempt", args=[attempt.pk])


def test_the_confirmation_names_every_blank_question(client_in, learner, quiz):
    attempt = attempt_start(user=learner, quiz=quiz)
    key = attempt.questions[1]["key"]
    client_in.post(
        reverse("courses:attempt_submit", args=[attempt.pk]),
        {key: right_responses(attempt)[key], attempt.questions[3]["key"]: "   "},
    )
    page = client_in.get(reverse("courses:attempt_confirm", args=[attempt.pk])).text
    assert "問1、問3、問4、問5が未回答です。" in page  # spaces only are no answer


def test_a_complete_form_or_a_confirmed_one_is_submitted_at_once(
    client_in, learner, quiz, django_capture_on_commit_callbacks
):
    attempt = attempt_start(user=learner, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_in.post(
            reverse("courses:attempt_submit", args=[attempt.pk]), _form(right_responses(attempt))
        )
    assert response.url == reverse("courses:attempt", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED


def test_the_dialog_of_quiz_js_confirms_in_the_same_words(client_in, learner, quiz):
    attempt = attempt_start(user=learner, quiz=quiz)
    page = client_in.get(reverse("courses:attempt", args=[attempt.pk])).text
    assert "<dialog" in page
    assert 'data-text-one="{questions}が未回答です。このまま提出しますか？"' in page
    assert 'data-separator="、"' in page
    assert 'name="confirm_blanks"' in page


def test_the_quiz_page_says_how_many_attempts_are_left(
    client_in, learner, course, django_capture_on_commit_callbacks
):
    quiz = republish(course["quiz"], max_attempts=3)
    assert "残り3回" in client_in.get(quiz.url).text
    attempt = attempt_start(user=learner, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=True):
        client_in.post(
            reverse("courses:attempt_submit", args=[attempt.pk]), _form(wrong_responses(attempt))
        )
    page = client_in.get(quiz.url).text
    assert "年度あたり3回" in page and "残り2回" in page
    unlimited = republish(quiz, max_attempts=0)
    assert "残り" not in client_in.get(unlimited.url).text


def test_quiz_page_states_its_question_count_and_pass_mark_from_the_settings(
    client_in, quiz, questions
):
    """The demo typed 「15問です。80%以上で合格です」 into the introduction, which drifts from
    the rules; the page states them itself, from the slots and the pass mark."""
    html = client_in.get(quiz.url).content.decode()
    assert "<dd>5問</dd>" in html
    assert "<dd>80%以上</dd>" in html
    # A random draw from a category counts what the category can still give.
    category = QuestionCategory.objects.create(name="追加の設問")
    for number in range(3):
        make_question(QuestionType.SINGLE, name=f"extra-{number}", category=category)
    quiz = QuizPage.objects.get(pk=quiz.pk)
    quiz.slots.add(QuizSlot(category=category, count=2))  # two of the three
    quiz.slots.add(QuizSlot(category=category, count=5))  # the one left
    quiz.pass_mark = 60
    quiz.save_revision().publish()
    html = client_in.get(quiz.url).content.decode()
    assert "<dd>8問</dd>" in html
    assert "<dd>60%以上</dd>" in html
    attempt = attempt_start(user=UserFactory(), quiz=QuizPage.objects.get(pk=quiz.pk))
    assert len(attempt.questions) == 8


def test_points_and_score_read_as_whole_numbers_with_japanese_punctuation(
    client_in, learner, quiz, django_capture_on_commit_callbacks
):
    """The review saw 「問1 (1.00点)」 and 「(15点中4点; 合格点 80%)」."""
    attempt = attempt_start(user=learner, quiz=quiz)
    html = client_in.get(reverse("courses:attempt", args=[attempt.pk])).text
    points = {int(q["key"][1:]): q["points"] for q in attempt.questions}
    assert {str(Decimal(p).normalize()) for p in points.values()} == {"1", "2"}
    for number, value in points.items():
        assert f"問{number}（{Decimal(value).normalize()}点）" in html
    assert ".00" not in html
    with django_capture_on_commit_callbacks(execute=True):
        client_in.post(
            reverse("courses:attempt_submit", args=[attempt.pk]), _form(wrong_responses(attempt))
        )
    html = client_in.get(reverse("courses:attempt", args=[attempt.pk])).text
    assert "6点中0点、合格点80%" in html
    assert "問1：" in html
    assert ";" not in html.split('class="stats"')[1].split("</p>")[0]
