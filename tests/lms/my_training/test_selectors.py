"""My training: enrollments with due dates, next step, completed list, empty state."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.enrolment.services import assignment_create, assignment_fan_out, enrollment_set_status
from lms.models import Enrollment, EnrollmentStatus
from lms.my_training.cache import my_training_changed
from tests.factories import UserFactory, make_course
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db


def test_empty_state_when_nothing_is_assigned(client):
    client.force_login(UserFactory())
    response = client.get(reverse("lms:my_training"))
    assert response.status_code == 200
    assert 'class="card empty-state"' in response.text
    assert response.context["training"].is_empty


def test_lists_to_do_and_completed_with_a_fixed_query_count(client, settings):
    settings.LANGUAGE_CODE = "en"
    city = make_city()
    learner = city["people"]["jinji_kakari"][0]
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    other = make_course(title="DX PRO育成研修", slug="dx-pro", lessons=1, trains_dx_pros=True)[
        "course"
    ]
    past = assignment_create(course=other, enqueue=False, **dates(dates()["fiscal_year"] - 1))
    assignment_fan_out(assignment_id=past.pk)
    enrollment_set_status(
        enrollment=Enrollment.objects.get(user=learner, course=other),
        status=EnrollmentStatus.COMPLETED,
        refresh_stats=False,
    )
    Enrollment.objects.filter(user=learner, course=city["course"]).update(
        due_on=dt.date(2000, 1, 1)
    )
    client.force_login(learner)
    url = reverse("lms:my_training")
    client.get(url)  # warm the site root cache of Wagtail
    my_training_changed(user_ids=[learner.pk])  # measure a body built afresh, not a kept one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    training = response.context["training"]
    assert [e.course_id for e in training.to_do] == [city["course"].pk]
    assert [e.course_id for e in training.completed] == [other.pk]
    assert training.to_do[0].overdue
    html = response.text
    assert city["course"].url in html
    assert "training-item--overdue" in html
    assert '<th scope="col">' in html
    enrollment_queries = [q for q in queries.captured_queries if "lms_enrollment" in q["sql"]]
    assert len(enrollment_queries) == 1
    # The same queries as for someone with nothing assigned: the layout's plus one.
    newcomer = UserFactory(unit=city["tree"]["madoguchi"])
    client.force_login(newcomer)
    client.get(url)
    my_training_changed(user_ids=[newcomer.pk])
    with CaptureQueriesContext(connection) as empty:
        client.get(url)
    assert len(queries) == len(empty)
    # Kept, the body costs no query at all.
    with CaptureQueriesContext(connection) as kept:
        client.get(url)
    assert len(kept) == len(empty) - 2
    assert not [q for q in kept.captured_queries if "lms_enrollment" in q["sql"]]


def test_open_enrollments_of_a_closed_year_are_not_to_do(client):
    city = make_city()
    learner = city["people"]["madoguchi"][0]
    year = dates()["fiscal_year"]
    last_year = assignment_create(course=city["course"], enqueue=False, **dates(year - 1))
    assignment_fan_out(assignment_id=last_year.pk)
    client.force_login(learner)
    training = client.get(reverse("lms:my_training")).context["training"]
    assert training.to_do == [] and training.completed == []
    this_year = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=this_year.pk)
    training = client.get(reverse("lms:my_training")).context["training"]
    assert [e.fiscal_year for e in training.to_do] == [year]
