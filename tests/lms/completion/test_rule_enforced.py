"""B2: a course's completion rule requires every condition it names.

DX PRO育成研修 named 「SVOワークシートの承認を受ける」 without having a worksheet task, and was
completed and certified while the learner's only worksheet (in another course) was submitted.
"""

import pytest

from courses.models import WorksheetStatus
from courses.services import lesson_read_record
from lms.certificates.services import CertificateUnavailable, certificate_issue
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment, EnrollmentStatus
from tests.factories import make_course
from tests.factories.svo import make_svo_exercise, make_worksheet
from tests.helpers.quiz import right_responses
from tests.lms.completion.test_engine import _take_quiz
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def dx_pro_course(django_capture_on_commit_callbacks):
    """The city's basic course has an SVO exercise; the DX PRO course names the worksheet
    approval but has no worksheet task (the demo as the review found it)."""
    city = make_city()
    basics_exercise = make_svo_exercise(city["course"])
    pro = make_course(title="DX PRO育成研修", slug="dx-pro", lessons=3)
    pro["course"].require_worksheet = True
    pro["course"].save_revision().publish()
    assignment = assignment_create(course=pro["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    learner = city["people"]["madoguchi"][0]
    make_worksheet(learner, basics_exercise, status=WorksheetStatus.SUBMITTED, version=1)
    return {**city, **pro, "learner": learner}


def test_lessons_read_and_quiz_passed_without_an_approved_worksheet_is_not_completed(
    dx_pro_course, django_capture_on_commit_callbacks
):
    city = dx_pro_course
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        for lesson in city["lessons"]:
            lesson_read_record(user=city["learner"], lesson=lesson)
    _take_quiz(city, right_responses, capture)
    enrollment = Enrollment.objects.get(user=city["learner"], course=city["course"])
    assert enrollment.status == EnrollmentStatus.IN_PROGRESS
    assert enrollment.progress < 100
    with pytest.raises(CertificateUnavailable):
        certificate_issue(enrollment=enrollment)


def test_the_course_page_does_not_say_completed(
    client, dx_pro_course, django_capture_on_commit_callbacks
):
    city = dx_pro_course
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in city["lessons"]:
            lesson_read_record(user=city["learner"], lesson=lesson)
    _take_quiz(city, right_responses, django_capture_on_commit_callbacks)
    client.force_login(city["learner"])
    page = client.get(city["course"].url).text
    assert "この研修を修了しました" not in page
    assert "修了証" not in page.split("この研修の修了条件")[0]
