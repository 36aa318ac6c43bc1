"""Oversized uploads (question bank, roster) are refused early with a clear message; the
question import's confirm step posts multipart, so a large Japanese file passes there."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from courses.models import Question

pytestmark = pytest.mark.django_db

GIFT = "::一問::DXとは何の略ですか。 {=デジタルトランスフォーメーション ~データ交換}\n"


@pytest.fixture
def english(admin_client):
    admin_client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield admin_client


def test_a_body_over_the_limit_is_refused_before_it_is_read(english, settings, monkeypatch):
    settings.QUESTION_IMPORT_MAX_UPLOAD_BYTES = 1000
    from courses import admin_views

    monkeypatch.setattr(admin_views, "_BODY_OVERHEAD", 100)
    read = []
    monkeypatch.setattr(
        admin_views.QuestionImportForm, "clean_file", lambda form: read.append(1)
    )  # the form never sees the file
    upload = SimpleUploadedFile("big.gift", GIFT.encode() * 100)
    response = english.post(reverse("courses_question_import"), {"file": upload})
    assert response.status_code == 413
    assert "The file is larger than 1000\xa0bytes." in response.content.decode()
    assert read == []
    assert not Question.objects.exists()


def test_a_file_over_the_limit_is_refused_by_the_form(english, settings):
    settings.QUESTION_IMPORT_MAX_UPLOAD_BYTES = 200
    upload = SimpleUploadedFile("big.gift", GIFT.encode() * 3)  # under the body overhead
    response = english.post(reverse("courses_question_import"), {"file": upload})
    assert response.status_code == 200
    assert "The file is larger than 200\xa0bytes." in response.content.decode()
    assert "parsed" not in response.context


def test_the_confirm_form_posts_multipart_and_stays_under_the_field_limit(english, settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE > settings.QUESTION_IMPORT_MAX_UPLOAD_BYTES
    upload = SimpleUploadedFile("q.gift", GIFT.encode())
    preview = english.post(reverse("courses_question_import"), {"file": upload})
    html = preview.content.decode()
    confirm = html[html.index('name="confirm"') - 200 : html.index('name="confirm"')]
    assert 'enctype="multipart/form-data"' in confirm


def test_a_roster_body_over_the_limit_is_refused_before_it_is_read(client, settings, monkeypatch):
    """The early refusal itself (the form's own check is tested in tests/lms)."""
    from django.contrib.auth.models import Group

    from org.models import RoleGroup, RosterImport
    from org.roster import views as roster_import
    from tests.factories.lms import UserFactory

    hr = UserFactory()
    hr.groups.add(Group.objects.get_or_create(name=RoleGroup.HR)[0])
    client.force_login(hr)
    client.cookies["django_language"] = "en"
    settings.ROSTER_MAX_UPLOAD_BYTES = 1000
    monkeypatch.setattr(roster_import, "_BODY_OVERHEAD", 100)
    upload = SimpleUploadedFile("roster.csv", b"x" * 5000)
    response = client.post(reverse("org:roster_import_upload"), {"file": upload})
    assert response.status_code == 413
    assert "The file is larger than 1000" in response.content.decode()
    assert not RosterImport.objects.exists()
