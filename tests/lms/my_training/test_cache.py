"""The kept body of "my training" is never stale: each change shows on the very next visit.

The tests run with the fragment cache on (``LMS_FRAGMENT_CACHE`` in the test settings), so
every visit after the first one of a test is served from the cache unless a version changed.
"""

import datetime as dt
import re

import pytest
from django.contrib import messages
from django.contrib.auth.models import Group
from django.contrib.messages.storage.session import SessionStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.grading.batch import attempts_grade_waiting
from courses.models import CoursePage, ReviewDecision
from courses.services import attempt_start, attempt_submit, lesson_read_record
from courses.svo.services import (
    worksheet_for,
    worksheet_review_decide,
    worksheet_save,
    worksheet_submit,
)
from lms import context_processors
from lms.enrolment.services import (
    assignment_cancel,
    assignment_create,
    assignment_fan_out,
    enrollment_set_status,
)
from lms.models import Enrollment, EnrollmentStatus
from lms.my_training import cache as caching
from lms.my_training.views import CSRF_PLACEHOLDER
from org.models import RoleGroup, RosterImport
from org.signals import roster_applied
from surveys.models import ItemKind, Questionnaire, QuestionnaireItem
from surveys.services import response_submit
from tests.factories import (
    GOOD_STATEMENT,
    DxProAssignmentFactory,
    UserFactory,
    make_svo_exercise,
)
from tests.helpers.quiz import right_responses
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db

URL = reverse("lms:my_training")


def page(client, user, language="en") -> str:
    client.cookies["django_language"] = language
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.text


def main(text: str) -> str:
    """The page's main region (the header's forms carry a fresh CSRF token each time)."""
    return text[text.index("<main") : text.index("</main>")]


def served_from_cache(client, user, language="en") -> bool:
    """Whether a visit now builds nothing: no query touches the enrollments."""
    client.cookies["django_language"] = language
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        client.get(URL)
    return not [q for q in captured.captured_queries if "lms_enrollment" in q["sql"]]


@pytest.fixture
def city():
    city = make_city()
    city["learner"] = city["people"]["jinji_kakari"][0]
    return city


@pytest.fixture
def assigned(city):
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    city["assignment"] = assignment
    return city


def test_a_repeat_visit_is_served_from_the_cache(client, assigned):
    first = main(page(client, assigned["learner"]))
    assert served_from_cache(client, assigned["learner"])
    assert main(page(client, assigned["learner"])) == first


def test_a_new_assignment_shows_right_after_its_fan_out(client, city):
    assert "Nothing is assigned to you yet." in page(client, city["learner"])
    assert served_from_cache(client, city["learner"])
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    text = page(client, city["learner"])
    assert "Nothing is assigned to you yet." not in text
    assert city["course"].title in text and "Start the course" in text


def test_a_cancelled_assignment_goes_right_away(client, assigned):
    assert assigned["course"].title in page(client, assigned["learner"])
    assignment_cancel(assignment_id=assigned["assignment"].pk)
    assert "Nothing is assigned to you yet." in page(client, assigned["learner"])


def test_progress_and_completion_by_the_engine_show_right_away(
    client, assigned, django_capture_on_commit_callbacks
):
    learner, capture = assigned["learner"], django_capture_on_commit_callbacks
    assert 'value="0"' in page(client, learner)
    with capture(execute=True):
        lesson_read_record(user=learner, lesson=assigned["lessons"][0])
    assert 'value="33"' in page(client, learner)
    with capture(execute=True):
        lesson_read_record(user=learner, lesson=assigned["lessons"][1])
    attempt = attempt_start(user=learner, quiz=assigned["quiz"])
    with capture(execute=True):
        attempt_submit(attempt_id=attempt.pk, user=learner, responses=right_responses(attempt))
    with capture(execute=True):
        attempts_grade_waiting()
    assert Enrollment.objects.get(user=learner).status == EnrollmentStatus.COMPLETED
    text = page(client, learner)
    assert "Everything assigned to you is done." in text
    assert "Certificate (PDF)" in text


def _submitted_worksheet(city, author):
    """A worksheet of ``author`` submitted for review, and the DX PRO who reviews it."""
    dx_pro = UserFactory(unit=city["tree"]["madoguchi"])
    DxProAssignmentFactory(user=dx_pro, unit=city["tree"]["jinji"])
    exercise = make_svo_exercise(city["course"], min_statements=1)
    worksheet = worksheet_for(user=author, exercise=exercise)
    worksheet_save(worksheet_id=worksheet.pk, user=author, lock_version=worksheet.lock_version,
                   statements=[GOOD_STATEMENT])  # fmt: skip
    worksheet_submit(worksheet_id=worksheet.pk, user=author)
    return dx_pro, worksheet


def test_a_returned_worksheet_shows_right_away_and_goes_once_resubmitted(client, city):
    author = city["learner"]
    dx_pro, worksheet = _submitted_worksheet(city, author)
    assert "Returned for revision" not in page(client, author)
    assert served_from_cache(client, author)
    worksheet_review_decide(
        worksheet_id=worksheet.pk,
        reviewer=dx_pro,
        decision=ReviewDecision.RETURNED,
        version=1,
        comment="具体的に",
    )
    text = page(client, author)
    assert "Returned for revision" in text and "1 comment" in text and dx_pro.display_name in text
    # The reviewer's new name shows on the author's notice.
    dx_pro.display_name = "改名 太郎"
    dx_pro.save()
    assert "改名 太郎" in page(client, author)
    worksheet_submit(worksheet_id=worksheet.pk, user=author)
    assert "Returned for revision" not in page(client, author)


def test_an_approval_stops_being_a_notice_after_its_days_even_when_kept(client, city, monkeypatch):
    author = city["learner"]
    dx_pro, worksheet = _submitted_worksheet(city, author)
    worksheet_review_decide(worksheet_id=worksheet.pk, reviewer=dx_pro,
                            decision=ReviewDecision.APPROVED, version=1)  # fmt: skip
    assert "Approved" in page(client, author)
    later = timezone.now() + dt.timedelta(days=31)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Approved" not in page(client, author)


def test_a_new_day_is_a_new_body(client, assigned, monkeypatch):
    Enrollment.objects.filter(user=assigned["learner"]).update(
        due_on=timezone.localdate() + dt.timedelta(days=1)
    )
    assert "(1 day left)" in page(client, assigned["learner"])
    tomorrow = timezone.now() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    assert "(0 days left)" in page(client, assigned["learner"])


def test_a_questionnaire_offer_shows_and_goes_once_answered(client, assigned):
    enrollment = Enrollment.objects.get(user=assigned["learner"])
    enrollment_set_status(enrollment=enrollment, status=EnrollmentStatus.COMPLETED,
                          refresh_stats=False)  # fmt: skip
    answer_url = reverse("surveys:answer", args=[enrollment.pk])
    assert answer_url not in page(client, assigned["learner"])
    questionnaire = Questionnaire.objects.create(title="アンケート", course=assigned["course"])
    item = QuestionnaireItem.objects.create(
        questionnaire=questionnaire, text="Useful?", kind=ItemKind.LIKERT, required=True
    )
    assert answer_url in page(client, assigned["learner"])
    response_submit(user=assigned["learner"], enrollment=enrollment, answers={item.pk: "4"})
    assert answer_url not in page(client, assigned["learner"])


def test_a_course_renamed_in_the_cms_shows_its_new_title(client, assigned):
    assert assigned["course"].title in page(client, assigned["learner"])
    course = CoursePage.objects.get(pk=assigned["course"].pk)
    course.title = "新しいDX研修"
    course.save_revision().publish()
    assert "新しいDX研修" in page(client, assigned["learner"])


def test_each_person_and_each_language_has_its_own_body(client, assigned):
    learner = assigned["learner"]
    nobody = UserFactory(unit=assigned["tree"]["madoguchi"])
    english = main(page(client, learner, "en"))
    japanese = main(page(client, learner, "ja"))
    assert "To do" in english and "To do" not in japanese
    assert main(page(client, learner, "en")) == english
    assert main(page(client, learner, "ja")) == japanese
    assert assigned["course"].title not in page(client, nobody, "en")


def test_a_roster_import_renews_everyone(assigned):
    before = caching.cache.get(caching.EPOCH_KEY)
    roster_applied.send(sender=RosterImport, roster_import_id=0)
    assert caching.cache.get(caching.EPOCH_KEY) != before


def test_bodies_are_kept_only_in_a_cache_every_process_shares(settings):
    settings.LMS_FRAGMENT_CACHE = None
    settings.CACHES = {"pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert not caching.enabled()
    settings.CACHES = {"pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    assert caching.enabled()


def test_a_kept_page_carries_a_working_csrf_token(assigned):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    client.force_login(assigned["learner"])
    client.get(URL)
    assert served_from_cache(client, assigned["learner"])
    text = client.get(URL).text
    assert CSRF_PLACEHOLDER not in text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
    form = {"language": "ja", "csrfmiddlewaretoken": token}
    response = client.post(reverse("lms:language"), form)
    assert response.status_code == 302


def test_the_header_follows_a_new_role_on_a_kept_page(client, assigned):
    learner = assigned["learner"]
    assert reverse("lms:assignments") not in page(client, learner)
    learner.groups.add(Group.objects.get(name=RoleGroup.HR))
    session = client.session
    session[context_processors.SESSION_KEY]["until"] = 0  # the header's time in the session is up
    session.save()
    assert reverse("lms:assignments") in page(client, learner)


def test_a_message_shows_once_and_is_not_kept(client, assigned, settings):
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    page(client, assigned["learner"])
    request = RequestFactory().get(URL)
    request.session = client.session
    storage = SessionStorage(request)
    storage.add(messages.SUCCESS, "Saved for the test")
    storage.update(HttpResponse())
    request.session.save()
    assert "Saved for the test" in client.get(URL).text
    assert "Saved for the test" not in client.get(URL).text


def test_with_the_cache_unreachable_pages_are_built_and_every_write_goes_on(
    client, assigned, settings, django_capture_on_commit_callbacks
):
    """Redis down: the page is built each time, and the writes whose receivers renew
    versions (a lesson read, a fan-out) still happen."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "tests.lms.unreachable_cache.UnreachableCache"},
    }
    learner = assigned["learner"]
    assert "Start the course" in page(client, learner)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_read_record(user=learner, lesson=assigned["lessons"][0])
    enrollment = Enrollment.objects.get(user=learner)
    assert enrollment.status == EnrollmentStatus.IN_PROGRESS
    assert "In progress" in page(client, learner)


def test_no_page_is_kept_longer_than_the_bound(client, assigned):
    page(client, assigned["learner"])
    assert served_from_cache(client, assigned["learner"])
    slot = next(k for k in caching.cache._cache if "my-training:" in k and "version" not in k
                and "epoch" not in k)  # fmt: skip
    remaining = caching.cache._expire_info[slot] - timezone.now().timestamp()
    assert 0 < remaining <= caching.SLOT_MAX_SECONDS
