"""B2: an editor cannot publish a completion rule that names a part the course lacks."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import nested_form_data, rich_text

from courses.models import CoursePage
from tests.factories import UserFactory, make_course
from tests.factories.svo import make_svo_exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    return admin


def _post(client, course, action, **rule):
    data = nested_form_data(
        {
            "title": course.title,
            "slug": course.slug,
            "description": rich_text("<p>説明</p>"),
            "estimated_minutes": 60,
            "require_lessons": "on",
            "require_quiz": "on",
            **{name: "on" for name, on in rule.items() if on},
            "certificate": "on",
            "comments-TOTAL_FORMS": 0,
            "comments-INITIAL_FORMS": 0,
            "comments-MIN_NUM_FORMS": 0,
            "comments-MAX_NUM_FORMS": 1000,
        }
    )
    if action:
        data[action] = "1"
    with translation.override("ja"):
        return client.post(
            reverse("wagtailadmin_pages:edit", args=[course.pk]), data, HTTP_ACCEPT_LANGUAGE="ja"
        )


def test_publishing_a_worksheet_condition_without_an_exercise_is_refused(client, editor):
    course = make_course(title="DX PRO育成研修", slug="dx-pro")["course"]
    response = _post(client, course, "action-publish", require_worksheet=True)
    assert response.status_code == 200  # the form again, with the error
    text = response.content.decode()
    assert "SVOワークシートの演習がありません" in text
    assert not CoursePage.objects.get(pk=course.pk).require_worksheet


def test_a_draft_may_name_it_and_publishing_works_once_the_exercise_exists(client, editor):
    course = make_course(title="DX PRO育成研修", slug="dx-pro")["course"]
    response = _post(client, course, None, require_worksheet=True)  # save draft
    assert response.status_code == 302
    make_svo_exercise(CoursePage.objects.get(pk=course.pk))
    response = _post(client, course, "action-publish", require_worksheet=True)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CoursePage.objects.get(pk=course.pk).require_worksheet


def test_every_named_part_is_checked():
    course = make_course(slug="empty", lessons=0)["course"]
    course.get_children().delete()
    errors = CoursePage.objects.get(pk=course.pk).completion_rule_errors(require_worksheet=True)
    assert set(errors) == {"require_lessons", "require_quiz", "require_worksheet"}


def test_the_editor_sets_how_long_a_certificate_holds(client, editor):
    course = make_course()["course"]
    with translation.override("ja"):
        page = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
    assert "修了証の有効期間（か月）" in page.text
    data = nested_form_data(
        {
            "title": course.title, "slug": course.slug, "description": rich_text("<p>説明</p>"),
            "estimated_minutes": 60, "require_lessons": "on", "require_quiz": "on",
            "certificate": "on", "certificate_valid_months": 36, "action-publish": "1",
            "comments-TOTAL_FORMS": 0, "comments-INITIAL_FORMS": 0,
            "comments-MIN_NUM_FORMS": 0, "comments-MAX_NUM_FORMS": 1000,
        }
    )  # fmt: skip
    response = client.post(reverse("wagtailadmin_pages:edit", args=[course.pk]), data)
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.certificate_valid_months == 36
