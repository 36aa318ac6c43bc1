"""A quiz with matching, essay and description questions: what the learner sees and answers,
「採点待ち」 until a marker marks the essay, who may mark, the queue, and completion."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from audit.models import AuditAction, AuditEvent
from courses.grading.batch import attempts_grade_waiting
from courses.grading.rules import Mark
from courses.marking.services import MarkingRefused, attempt_mark
from courses.models import AttemptStatus, Question, QuestionType, QuizAttempt, QuizSlot
from courses.selectors import course_progress
from courses.services import attempt_start, attempt_submit, lesson_read_record
from tests.factories import DxProAssignmentFactory, UserFactory, make_course, make_question
from tests.factories.courses import QuestionCategoryFactory
from tests.helpers.quiz import republish

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    from tests.factories import make_org_tree

    tree = make_org_tree()
    learner = UserFactory(unit=tree["madoguchi"])
    dx_pro = UserFactory(unit=tree["madoguchi"])
    DxProAssignmentFactory(user=dx_pro, unit=tree["shimin_ka"])
    questions = [
        make_question(QuestionType.DESCRIPTION, name="intro", text="ここからは窓口業務です。"),
        make_question(QuestionType.MATCHING, name="match", text="業務と分類を結んでください"),
        make_question(QuestionType.ESSAY, name="essay", text="改善案を書いてください", points=4),
    ]
    course = make_course(questions=questions, lessons=1, pass_mark=60)
    return {"tree": tree, "learner": learner, "dx_pro": dx_pro, **course}


def _right_pairs(question: dict) -> dict:
    options = {o["text"]: o["key"] for o in question["options"]}
    return {a["key"]: options[a["match_text"]] for a in question["answers"] if a["text"]}


def _submitted(city, *, essay="申請書の電子化で窓口の待ち時間を減らす"):
    attempt = attempt_start(user=city["learner"], quiz=city["quiz"])
    by_type = {q["type"]: q for q in attempt.questions}
    responses = {by_type["matching"]["key"]: _right_pairs(by_type["matching"])}
    if essay:
        responses[by_type["essay"]["key"]] = essay
    attempt_submit(attempt_id=attempt.pk, user=city["learner"], responses=responses)
    attempts_grade_waiting()
    attempt.refresh_from_db()
    return attempt


def test_the_attempt_page_shows_selects_a_textarea_and_the_description(client, city):
    client.force_login(city["learner"])
    attempt = attempt_start(user=city["learner"], quiz=city["quiz"])
    with translation.override("ja"):
        html = client.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()
    assert "ここからは窓口業務です。" in html
    assert "0 / 2 問回答済み" in html  # the description is not a question
    assert "問1" in html and "問2" in html and "問3" not in html
    matching = next(q for q in attempt.questions if q["type"] == "matching")
    for item in (a for a in matching["answers"] if a["text"]):
        assert f'<select id="{matching["key"]}-{item["key"]}"' in html
        assert f'<label for="{matching["key"]}-{item["key"]}">{item["text"]}</label>' in html
    assert html.count('<option value="') == 2 * 4  # two items, "choose" and three answers
    assert "<textarea" in html and "data-all-items" in html
    assert "住民サービス" in html and "議会対応" in html  # answers offered, pairs not given


def test_a_matching_question_counts_once_every_item_is_chosen(client, city):
    client.force_login(city["learner"])
    attempt = attempt_start(user=city["learner"], quiz=city["quiz"])
    matching = next(q for q in attempt.questions if q["type"] == "matching")
    first, second = [a["key"] for a in matching["answers"] if a["text"]]
    option = matching["options"][0]["key"]
    url = reverse("courses:attempt_answer", args=[attempt.pk])
    client.post(url, {f"{matching['key']}-{first}": option})
    with translation.override("ja"):
        page = client.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()
    assert "0 / 2 問回答済み" in page
    client.post(url, {f"{matching['key']}-{first}": option, f"{matching['key']}-{second}": option})
    with translation.override("ja"):
        page = client.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()
    assert "1 / 2 問回答済み" in page
    attempt.refresh_from_db()
    assert attempt.answers[matching["key"]] == {first: option, second: option}


def test_a_forged_matching_option_is_refused(client, city):
    client.force_login(city["learner"])
    attempt = attempt_start(user=city["learner"], quiz=city["quiz"])
    matching = next(q for q in attempt.questions if q["type"] == "matching")
    item = next(a["key"] for a in matching["answers"] if a["text"])
    response = client.post(
        reverse("courses:attempt_answer", args=[attempt.pk]),
        {"question": matching["key"], f"{matching['key']}-{item}": "forged"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 409


def test_submitting_with_the_essay_blank_asks_first(client, city):
    client.force_login(city["learner"])
    attempt = attempt_start(user=city["learner"], quiz=city["quiz"])
    matching = next(q for q in attempt.questions if q["type"] == "matching")
    form = {f"{matching['key']}-{k}": v for k, v in _right_pairs(matching).items()}
    response = client.post(reverse("courses:attempt_submit", args=[attempt.pk]), form)
    assert response.url == reverse("courses:attempt_confirm", args=[attempt.pk])
    with translation.override("ja"):
        page = client.get(response.url).content.decode()
    assert "問2" in page and "1 / 2 問回答済み" in page


def test_an_essay_waits_for_marking_and_the_course_waits_with_it(client, city):
    lesson_read_record(user=city["learner"], lesson=city["lessons"][0])
    attempt = _submitted(city)
    assert attempt.status == AttemptStatus.MARKING and attempt.passed is None
    assert (attempt.score, attempt.max_score) == (Decimal(1), Decimal(5))
    assert not course_progress(user=city["learner"], course=city["course"]).is_complete
    client.force_login(city["learner"])
    with translation.override("ja"):
        html = client.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()
        quiz_page = client.get(city["quiz"].url).content.decode()
        status = client.get(reverse("courses:attempt_status", args=[attempt.pk])).json()
    assert "採点待ち" in html and "合格" not in html
    assert "採点待ち" in quiz_page
    assert status["done"] is True and "採点待ち" in status["html"]


def test_the_dx_pro_marks_and_the_learner_passes_and_completes(client, city):
    lesson_read_record(user=city["learner"], lesson=city["lessons"][0])
    attempt = _submitted(city)
    essay = next(q for q in attempt.questions if q["type"] == "essay")
    client.force_login(city["dx_pro"])
    with translation.override("ja"):
        queue = client.get(reverse("courses:marking_queue")).content.decode()
        assert city["learner"].display_name in queue and "採点待ち" in queue
        detail = client.get(reverse("courses:marking_detail", args=[attempt.pk]))
        assert "申請書の電子化で窓口の待ち時間を減らす" in detail.content.decode()
        response = client.post(
            reverse("courses:marking_detail", args=[attempt.pk]),
            {f"score-{essay['key']}": "3", f"comment-{essay['key']}": "具体的で良い案です"},
        )
    assert response.url == reverse("courses:marking_queue")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED and attempt.passed is True
    assert (attempt.score, attempt.percent) == (Decimal(4), Decimal("80.00"))
    assert attempt.marked_by == city["dx_pro"]
    event = AuditEvent.objects.get(action=AuditAction.ATTEMPT_MARKED)
    assert (event.actor, event.target_id) == (city["dx_pro"], str(attempt.pk))
    assert course_progress(user=city["learner"], course=city["course"]).is_complete
    client.force_login(city["learner"])
    with translation.override("ja"):
        html = client.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()
    assert "合格" in html and "具体的で良い案です" in html and "採点待ち" not in html


def test_a_second_marking_is_refused(city):
    attempt = _submitted(city)
    key = next(q["key"] for q in attempt.questions if q["type"] == "essay")
    attempt_mark(attempt_id=attempt.pk, by=city["dx_pro"], marks={key: Mark(Decimal(1))})
    with pytest.raises(MarkingRefused):
        attempt_mark(attempt_id=attempt.pk, by=city["dx_pro"], marks={key: Mark(Decimal(4))})
    attempt.refresh_from_db()
    assert attempt.score == Decimal(2) and attempt.passed is False


def test_an_impossible_score_is_shown_as_an_error(client, city):
    attempt = _submitted(city)
    key = next(q["key"] for q in attempt.questions if q["type"] == "essay")
    client.force_login(city["dx_pro"])
    response = client.post(
        reverse("courses:marking_detail", args=[attempt.pk]), {f"score-{key}": "5"}
    )
    assert response.status_code == 400
    assert "0〜4点で入力してください。" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.MARKING


def test_who_may_mark(client, city):
    attempt = _submitted(city)
    key = next(q["key"] for q in attempt.questions if q["type"] == "essay")
    stranger = UserFactory(unit=city["tree"]["jinji"])
    chosen = UserFactory(unit=city["tree"]["jinji"])
    republish(city["quiz"], markers=[chosen, city["learner"]])
    for person in (stranger, city["learner"]):  # never one's own, even when chosen
        with pytest.raises(PermissionDenied):
            attempt_mark(attempt_id=attempt.pk, by=person, marks={key: Mark(Decimal(4))})
        client.force_login(person)
        assert client.get(reverse("courses:marking_detail", args=[attempt.pk])).status_code == 403
        queue = client.get(reverse("courses:marking_queue")).content.decode()
        assert reverse("courses:marking_detail", args=[attempt.pk]) not in queue
    client.force_login(chosen)
    page = client.get(reverse("courses:marking_queue")).content.decode()
    assert reverse("courses:marking_detail", args=[attempt.pk]) in page
    attempt_mark(attempt_id=attempt.pk, by=chosen, marks={key: Mark(Decimal(4))})


def test_the_queue_pages_and_its_queries_do_not_grow(client, city):
    _submitted(city)
    client.force_login(city["dx_pro"])
    client.get(reverse("courses:marking_queue"))  # session and header cached
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("courses:marking_queue"))
    for _n in range(4):
        other = UserFactory(unit=city["tree"]["madoguchi"])
        _submitted({**city, "learner": other})
    with CaptureQueriesContext(connection) as five:
        html = client.get(reverse("courses:marking_queue")).content.decode()
    assert len(five) == len(one)
    assert len(re.findall(r'href="/marking/\d+/"', html)) == 5


def test_the_queue_is_empty_for_a_learner(client, learner):
    client.force_login(learner)
    with translation.override("ja"):
        html = client.get(reverse("courses:marking_queue")).content.decode()
    assert "採点を待っている解答はありません。" in html


def test_a_quiz_draws_n_random_questions_from_a_category(city):
    bank = QuestionCategoryFactory(name="ランダム")
    pool = {make_question(QuestionType.SINGLE, name=f"r{n}", category=bank).pk for n in range(6)}
    quiz = city["quiz"]
    quiz.slots = [QuizSlot(category=bank, count=3)]
    quiz = republish(quiz)
    drawn = [
        {q["question_id"] for q in attempt_start(user=UserFactory(), quiz=quiz).questions}
        for _n in range(5)
    ]
    assert all(len(ids) == 3 and ids <= pool for ids in drawn)
    assert len(set().union(*drawn)) > 3  # drawn afresh for each attempt


def test_submitted_attempts_of_old_quizzes_still_grade(city):
    """An attempt without essays is graded at once, as before."""
    quiz = city["quiz"]
    quiz.slots = [QuizSlot(question=make_question(QuestionType.SINGLE))]
    quiz = republish(quiz)
    attempt = attempt_start(user=city["learner"], quiz=quiz)
    right = next(a["key"] for a in attempt.questions[0]["answers"] if Decimal(a["fraction"]) == 100)
    attempt_submit(attempt_id=attempt.pk, user=city["learner"], responses={"q1": right})
    attempts_grade_waiting()
    assert QuizAttempt.objects.get(pk=attempt.pk).status == AttemptStatus.GRADED


def _question_form(qtype, answers, category):
    data = {
        "category": category.pk,
        "name": f"cms-{qtype}",
        "qtype": qtype,
        "text": "設問",
        "points": "1",
        "partial_credit": "on",
        "answers-TOTAL_FORMS": str(len(answers)),
        "answers-INITIAL_FORMS": "0",
        "answers-MIN_NUM_FORMS": "0",
        "answers-MAX_NUM_FORMS": "1000",
    }
    for n, answer in enumerate(answers):
        data.update({f"answers-{n}-{k}": v for k, v in answer.items()})
        data.update({f"answers-{n}-ORDER": str(n + 1), f"answers-{n}-tolerance": "0"})
        data.setdefault(f"answers-{n}-fraction", "0")
    return data


@pytest.mark.parametrize(
    ("qtype", "answers", "saved"),
    [
        ("essay", [], True),
        ("description", [], True),
        ("matching", [{"text": "窓口", "match_text": "住民", "fraction": "100"},
                      {"text": "決裁", "match_text": "内部", "fraction": "100"}], True),
        ("matching", [{"text": "窓口", "match_text": "住民", "fraction": "100"}], False),
        ("matching", [{"text": "窓口", "match_text": "住民", "fraction": "100"},
                      {"text": "決裁", "match_text": "", "fraction": "100"}], False),
        ("single", [{"text": "A", "fraction": "100"}], False),
        ("short", [], False),
    ],
)  # fmt: skip
def test_the_cms_question_editor_checks_the_answers_fit_the_type(
    admin_client, qtype, answers, saved
):
    category = QuestionCategoryFactory(name="CMS")
    response = admin_client.post(
        reverse("wagtailsnippets_courses_question:add"), _question_form(qtype, answers, category)
    )
    assert (response.status_code == 302) is saved, response.content.decode()[-2000:]
    assert Question.objects.filter(name=f"cms-{qtype}").exists() is saved
    if not saved:
        errors = response.context["form"].non_field_errors()
        assert len(errors) == 1 and "必要" in errors[0]  # the editor reads Japanese


def test_descriptions_are_never_drawn_at_random_nor_counted(city):
    from courses.quiz.draw import question_count

    bank = QuestionCategoryFactory(name="説明入り")
    make_question(QuestionType.DESCRIPTION, name="d", category=bank)
    asked = {make_question(QuestionType.SINGLE, name=f"s{n}", category=bank).pk for n in range(2)}
    quiz = city["quiz"]
    quiz.slots = [QuizSlot(category=bank, count=3)]
    quiz = republish(quiz)
    assert {q["question_id"] for q in attempt_start(user=UserFactory(), quiz=quiz).questions} == (
        asked
    )
    assert question_count(quiz.slots.all()) == 2
    assert question_count(city["quiz"].slots.none()) == 0
    fixed = [QuizSlot(question=q) for q in Question.objects.filter(name__in=["intro", "essay"])]
    assert question_count(fixed) == 1  # the essay; the description is not a question


def test_hr_marks_where_the_unit_has_no_dx_pro_and_only_there(city):
    from org.models import RoleGroup

    hr = UserFactory(unit=city["tree"]["jinji"], groups=[RoleGroup.HR])
    covered = _submitted(city)  # 窓口係 has its DX PRO: theirs to mark
    loner = UserFactory(unit=city["tree"]["jinji_kakari"])  # 人事係: no DX PRO
    uncovered = _submitted({**city, "learner": loner})
    key = next(q["key"] for q in covered.questions if q["type"] == "essay")
    with pytest.raises(PermissionDenied):
        attempt_mark(attempt_id=covered.pk, by=hr, marks={key: Mark(Decimal(1))})
    attempt_mark(attempt_id=uncovered.pk, by=hr, marks={key: Mark(Decimal(1))})
    assert QuizAttempt.objects.get(pk=uncovered.pk).marked_by == hr
