"""Questionnaires after a course: offers, answering once a year, results per department."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.enrolment.services import assignment_create, assignment_fan_out, enrollment_set_status
from lms.models import Enrollment, EnrollmentStatus
from org.models import RoleGroup
from org.people import Position
from surveys.models import ItemKind, Questionnaire, QuestionnaireItem, SurveyAnswer, SurveyResponse
from surveys.selectors import MIN_GROUP, questionnaire_results, survey_offers
from surveys.services import SurveyError, SurveyInvalid, response_submit
from tests.factories import UserFactory
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = make_city()
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    for enrollment in Enrollment.objects.all():
        enrollment_set_status(enrollment=enrollment, status=EnrollmentStatus.COMPLETED,
                              refresh_stats=False)  # fmt: skip
    questionnaire = Questionnaire.objects.create(title="受講後アンケート", course=city["course"])
    city["likert"] = QuestionnaireItem.objects.create(
        questionnaire=questionnaire, text="I understood why DX matters", kind=ItemKind.LIKERT,
        required=True, sort_order=0,
    )  # fmt: skip
    city["text"] = QuestionnaireItem.objects.create(
        questionnaire=questionnaire, text="What will you try first?", kind=ItemKind.TEXT,
        sort_order=1,
    )  # fmt: skip
    city["questionnaire"] = questionnaire
    city["hr"] = UserFactory(groups=[RoleGroup.HR])
    return city


def _answer(city, person, rating="4", text=""):
    enrollment = Enrollment.objects.get(user=person)
    return response_submit(
        user=person,
        enrollment=enrollment,
        answers={city["likert"].pk: rating, city["text"].pk: text},
    )


def test_a_person_answers_once_per_course_and_year(city):
    person = city["people"]["madoguchi"][0]
    response = _answer(city, person, text="  Write my counter work as SVO  ")
    assert response.unit_id == person.unit_id
    assert SurveyAnswer.objects.get(response=response, item=city["text"]).text == (
        "Write my counter work as SVO"
    )
    with pytest.raises(SurveyError):
        _answer(city, person)
    assert SurveyResponse.objects.count() == 1


def test_bad_answers_change_nothing(city):
    person = city["people"]["madoguchi"][0]
    with pytest.raises(SurveyInvalid) as missing:
        _answer(city, person, rating="")
    assert [e.item_id for e in missing.value.errors] == [city["likert"].pk]
    with pytest.raises(SurveyInvalid):
        _answer(city, person, rating="6")
    other = city["people"]["madoguchi"][1]
    with pytest.raises(SurveyError):  # someone else's enrollment
        response_submit(user=other, enrollment=Enrollment.objects.get(user=person),
                        answers={city["likert"].pk: "3"})  # fmt: skip
    assert not SurveyResponse.objects.exists()


def test_open_enrollments_are_not_offered_a_questionnaire(city):
    person = city["people"]["madoguchi"][0]
    enrollment = Enrollment.objects.get(user=person)
    enrollment_set_status(enrollment=enrollment, status=EnrollmentStatus.IN_PROGRESS,
                          refresh_stats=False)  # fmt: skip
    assert survey_offers(user=person, enrollments=[enrollment]) == {}
    with pytest.raises(SurveyError):
        _answer(city, person)


def test_my_training_offers_the_questionnaire_until_answered(client, city):
    person = city["people"]["madoguchi"][0]
    client.force_login(person)
    client.cookies["django_language"] = "en"
    url = reverse("surveys:answer", args=[Enrollment.objects.get(user=person).pk])
    page = client.get(reverse("lms:my_training"))
    assert url in page.text and "Tell us what you thought" in page.text
    form = client.get(url)
    assert form.status_code == 200 and "<fieldset" in form.text and "<legend" in form.text
    saved = client.post(url, {f"item_{city['likert'].pk}": "5"}, follow=True)
    assert "saved without your name" in saved.text
    assert SurveyResponse.objects.filter(user=person).count() == 1
    assert url not in client.get(reverse("lms:my_training")).text
    again = client.get(url)
    assert "already answered" in again.text
    client.post(url, {f"item_{city['likert'].pk}": "1"})
    assert SurveyResponse.objects.filter(user=person).count() == 1


def test_nobody_answers_for_someone_else(client, city):
    client.force_login(city["people"]["madoguchi"][1])
    url = reverse("surveys:answer", args=[Enrollment.objects.get(
        user=city["people"]["madoguchi"][0]).pk])  # fmt: skip
    assert client.get(url).status_code == 404
    assert client.post(url, {f"item_{city['likert'].pk}": "5"}).status_code == 404
    assert not SurveyResponse.objects.exists()


def _answer_everyone(city):
    """総務部 has 7 people (answers 4 and 5), 市民部 2 (below the group minimum)."""
    for key in ("jinji_kakari", "kyuyo_kakari", "dx_kakari", "chief"):
        for index, person in enumerate(city["people"][key]):
            _answer(city, person, rating=str(4 + index % 2), text=f"idea of {person.pk}")
    for person in city["people"]["madoguchi"]:
        _answer(city, person, rating="1")


def test_results_per_department_hide_small_groups_and_names(city):
    _answer_everyone(city)
    results = questionnaire_results(viewer=city["hr"], questionnaire=city["questionnaire"],
                                    fiscal_year=dates()["fiscal_year"])  # fmt: skip
    assert results.total.responses == 9
    assert results.total.item(city["likert"].pk).counts == [2, 0, 0, 4, 3]
    # 市民部 has 2 < MIN_GROUP; 総務部 (7) is held back too, since the totals minus 総務部
    # would give away 市民部's two answers (F6).
    assert MIN_GROUP == 3 and results.departments == []
    assert results.hidden_departments == 2
    assert len(results.texts[city["text"].pk]) == 7
    assert results.texts[city["text"].pk] == sorted(results.texts[city["text"].pk])


def test_a_section_chief_sees_only_the_section(city):
    _answer_everyone(city)
    chief = city["people"]["chief"][0]
    assert chief.position == Position.SECTION_CHIEF
    results = questionnaire_results(viewer=chief, questionnaire=city["questionnaire"],
                                    fiscal_year=dates()["fiscal_year"])  # fmt: skip
    assert results.total.responses == 5  # 人事課: two 係 of two and the chief


def test_results_page_permissions_and_query_count(client, city):
    url = reverse("surveys:results") + f"?questionnaire={city['questionnaire'].pk}"
    client.force_login(city["people"]["madoguchi"][0])
    assert client.get(url).status_code == 403
    client.force_login(city["hr"])
    client.cookies["django_language"] = "en"
    with CaptureQueriesContext(connection) as few:
        empty = client.get(url)
    assert "Nobody has answered" in empty.text
    _answer_everyone(city)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.status_code == 200
    assert "市民部" not in page.text
    assert "<svg" in page.text and 'role="img"' in page.text and "<caption" in page.text
    assert "idea of" in page.text
    for person in city["people"]["madoguchi"]:
        assert person.display_name not in page.text
    assert len(many) <= len(few) + 2  # the two lists that are empty without answers
    assert len(many) <= 16


def test_the_course_page_says_completed_and_offers_the_questionnaire(client, city):
    person = city["people"]["madoguchi"][0]
    enrollment = Enrollment.objects.get(user=person)
    url = reverse("surveys:answer", args=[enrollment.pk])
    client.force_login(person)
    client.cookies["django_language"] = "en"
    page = client.get(city["course"].url)
    assert page.status_code == 200
    assert "You have completed this course" in page.text and url in page.text
    client.post(url, {f"item_{city['likert'].pk}": "4"})
    page = client.get(city["course"].url)
    assert "You have completed this course" in page.text and url not in page.text
    # Someone whose enrollment is still open sees neither.
    other = city["people"]["madoguchi"][1]
    enrollment_set_status(enrollment=Enrollment.objects.get(user=other),
                          status=EnrollmentStatus.IN_PROGRESS, refresh_stats=False)  # fmt: skip
    client.force_login(other)
    page = client.get(city["course"].url)
    assert "You have completed this course" not in page.text and "surveys/" not in page.text


def _respondents(city, people, texts=True):
    for person in people:
        _answer(city, person, rating="2", text=f"感想 {person.pk}" if texts else "")


def test_the_minimum_holds_for_a_dx_pro_whose_scope_has_one_respondent(client, city):
    """F6: a DX PRO of a unit with one respondent read that person's answers and free text."""
    from tests.factories import DxProAssignmentFactory

    dx_pro = UserFactory(unit=city["tree"]["madoguchi"])
    DxProAssignmentFactory(user=dx_pro, unit=city["tree"]["madoguchi"])
    lone = city["people"]["madoguchi"][0]
    _answer(city, lone, rating="1", text="ひとりだけの率直な感想")
    _respondents(city, city["people"]["jinji_kakari"] + city["people"]["kyuyo_kakari"])
    url = reverse("surveys:results") + f"?questionnaire={city['questionnaire'].pk}"
    client.force_login(dx_pro)
    page = client.get(url).text
    assert "回答が3件未満のため表示しません" in page
    assert "ひとりだけの率直な感想" not in page
    assert "likert-bar" not in page  # no distribution
    results = questionnaire_results(viewer=dx_pro, questionnaire=city["questionnaire"],
                                    fiscal_year=dates()["fiscal_year"])  # fmt: skip
    assert results.withheld and results.texts == {} and results.total.items == {}
    # HR's scope has five respondents: the whole scope and the free text are shown.
    client.force_login(city["hr"])
    page = client.get(url).text
    assert "回答が3件未満のため表示しません" not in page
    assert "ひとりだけの率直な感想" in page
    assert "likert-bar" in page


def test_the_answer_page_says_what_is_optional_and_the_notice_once(client, city):
    """B19: 「回答は任意です」 beside items marked 必須, and the anonymity notice twice."""
    from devtools.demo.surveys import INTRO

    city["questionnaire"].intro = INTRO  # the demo's introduction
    city["questionnaire"].save()
    person = city["people"]["madoguchi"][0]
    client.force_login(person)
    url = reverse("surveys:answer", args=[Enrollment.objects.get(user=person).pk])
    page = client.get(url).text
    assert "このアンケートへの回答は任意です。回答する場合は、「*」の付いた必須の項目" in page
    assert "回答は任意です。結果は" not in page
    assert page.count("氏名") == 1  # the notice on names, once
    assert "（必須）" in page  # the required item says so to screen readers too

    city["likert"].required = False
    city["likert"].save()
    page = client.get(url).text
    assert "このアンケートへの回答は任意です。" in page and "回答する場合は" not in page


def test_the_results_table_counts_answers_under_a_fitting_heading(client, city):
    """The column with the number of answers read 「答え」 (an answer), not 「回答数」."""
    _answer_everyone(city)
    client.force_login(city["hr"])
    url = reverse("surveys:results") + f"?questionnaire={city['questionnaire'].pk}"
    page = client.get(url).text
    assert '<th scope="col" class="num">回答数</th>' in page
    assert '<th scope="col" class="num">答え</th>' not in page


def test_two_cycles_completed_in_a_year_are_asked_once(city):
    """A course taken every six months: the latest completion of the year asks, once."""
    person = city["people"]["madoguchi"][0]
    april = Enrollment.objects.get(user=person)
    october = Enrollment.objects.create(
        user=person, course=april.course, fiscal_year=april.fiscal_year, cycle=1,
        status=EnrollmentStatus.COMPLETED, completed_at=april.completed_at,
    )  # fmt: skip
    offers = survey_offers(user=person, enrollments=[april, october])
    assert offers == {october.pk: city["questionnaire"]}
