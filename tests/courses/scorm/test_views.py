"""The SCORM lesson as a learner and an editor see it: the page with its frame, the package's
files with their own policy, the save API (CSRF, own data only), and the CMS upload."""

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import nested_form_data

from courses.models import LessonRead, ScormAttempt, ScormLessonPage
from courses.scorm.services import scorm_package_create
from tests.factories import UserFactory

from .helpers import manifest_of, package_zip

pytestmark = pytest.mark.django_db


def file_url(lesson, path):
    return reverse("courses:scorm_file", kwargs={"key": lesson.package.key, "path": path})


def test_lesson_page_frames_the_package_and_has_no_read_button(client, lesson12):
    client.force_login(UserFactory())
    response = client.get(lesson12.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-src="/scorm/{lesson12.package.key}/index.html"' in html
    assert 'sandbox="allow-scripts allow-same-origin' in html
    assert "scorm12.min.js" in html and "scorm2004.min.js" not in html
    assert reverse("courses:lesson_read", args=[lesson12.pk]) not in html
    assert '"entry": "ab-initio"' in html


def test_lesson_page_resumes_from_the_saved_location(client, lesson2004):
    learner = UserFactory()
    client.force_login(learner)
    page = client.get(lesson2004.url)
    token = page.context["csrf_token"]
    data = {"cmi": {"location": "p2", "suspend_data": '{"p1":"verify"}',
                    "completion_status": "incomplete"}}  # fmt: skip
    client.post(
        reverse("courses:scorm_commit", args=[lesson2004.pk]),
        {"data": json.dumps(data), "session": "abc", "sequence": 1, "csrfmiddlewaretoken": token},
    )
    html = client.get(lesson2004.url).content.decode()
    assert '"location": "p2"' in html
    assert '"entry": "resume"' in html
    assert "前回の続きから再開します" in html


def test_marking_a_scorm_lesson_read_by_button_is_refused(client, lesson12):
    learner = UserFactory()
    client.force_login(learner)
    client.post(reverse("courses:lesson_read", args=[lesson12.pk]))
    assert not LessonRead.objects.filter(user=learner).exists()


def test_package_files_are_served_with_their_own_policy(client, lesson12):
    client.force_login(UserFactory())
    response = client.get(file_url(lesson12, "lesson.js"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript"
    assert b"LMSInitialize" in b"".join(response.streaming_content)
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "connect-src 'self'" in policy
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # The site's own pages keep the strict policy and may not be framed.
    assert "frame-ancestors 'none'" in client.get(lesson12.url)["Content-Security-Policy"]


def test_package_files_need_sign_in_and_a_real_path(client, lesson12):
    assert client.get(file_url(lesson12, "index.html")).status_code == 302
    client.force_login(UserFactory())
    assert client.get(file_url(lesson12, "missing.html")).status_code == 404
    assert client.get(file_url(lesson12, "../package.zip")).status_code == 404
    assert client.get(file_url(lesson12, "..%2Fpackage.zip")).status_code == 404


def test_files_of_a_restricted_or_draft_lesson_are_refused(client, lesson12, scorm_course, editor):
    PageViewRestriction.objects.create(
        page=scorm_course, restriction_type=PageViewRestriction.LOGIN
    )
    client.force_login(UserFactory())
    assert client.get(file_url(lesson12, "index.html")).status_code == 200
    group_only = PageViewRestriction.objects.create(
        page=scorm_course, restriction_type=PageViewRestriction.GROUPS
    )
    assert group_only
    assert client.get(file_url(lesson12, "index.html")).status_code == 403
    lesson12.unpublish()
    PageViewRestriction.objects.all().delete()
    assert client.get(file_url(lesson12, "index.html")).status_code == 403
    client.force_login(editor)  # previewing a draft
    assert client.get(file_url(lesson12, "index.html")).status_code == 200


def test_commit_needs_the_csrf_token_and_saves_only_ones_own(lesson12):
    learner = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    url = reverse("courses:scorm_commit", args=[lesson12.pk])
    body = {"data": json.dumps({"cmi": {"core": {"lesson_status": "passed"}}}), "session": "s",
            "sequence": 1}  # fmt: skip
    assert client.post(url, body).status_code == 403
    assert not ScormAttempt.objects.exists()
    token = client.get(lesson12.url).context["csrf_token"]
    response = client.post(url, {**body, "csrfmiddlewaretoken": token})
    assert response.json() == {"result": True, "errorCode": 0, "done": True}
    assert ScormAttempt.objects.get().user == learner
    assert LessonRead.objects.filter(user=learner, lesson=lesson12).exists()
    assert client.get(url).status_code == 405


def test_commit_of_unreadable_data_says_why(client, lesson12):
    client.force_login(UserFactory())
    url = reverse("courses:scorm_commit", args=[lesson12.pk])
    response = client.post(url, {"data": "{", "session": "s", "sequence": 1})
    assert response.status_code == 400
    assert response.json()["result"] is False
    assert client.post(url, {"data": "{}", "session": "s", "sequence": "x"}).status_code == 400


def test_anonymous_commit_is_sent_to_sign_in(client, lesson12):
    url = reverse("courses:scorm_commit", args=[lesson12.pk])
    assert client.post(url, {"data": "{}"}).status_code == 302


# --- the editor's upload in the CMS ------------------------------------------------------


def _add(client, course, upload, action="action-publish"):
    data = nested_form_data(
        {
            "title": "個人情報研修", "slug": "privacy", "summary": "", "estimated_minutes": 20,
            "rule": "passed", "pass_score": 80, action: "1",
            "comments-TOTAL_FORMS": 0, "comments-INITIAL_FORMS": 0,
            "comments-MIN_NUM_FORMS": 0, "comments-MAX_NUM_FORMS": 1000,
        }
    )  # fmt: skip
    if upload is not None:
        data["package_upload"] = upload
    url = reverse("wagtailadmin_pages:add", args=["courses", "scormlessonpage", course.pk])
    with translation.override("ja"):
        return client.post(url, data, HTTP_ACCEPT_LANGUAGE="ja")


def _upload(data: bytes, name: str = "privacy.zip"):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def test_editor_adds_a_scorm_lesson_with_its_zip(client, scorm_course):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = _add(client, scorm_course, _upload(package_zip("scorm2004")))
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = ScormLessonPage.objects.get(slug="privacy")
    assert lesson.live and lesson.package.version == "2004-4"
    assert lesson.rule == "passed"


def test_a_bad_manifest_is_refused_in_japanese_naming_file_and_element(client, scorm_course):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    manifest = (
        manifest_of("scorm12").replace("<item ", "<notitem ").replace("</item>", "</notitem>")
    )
    response = _add(
        client, scorm_course, _upload(package_zip("scorm12", replace={"imsmanifest.xml": manifest}))
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "privacy.zip" in html
    assert "imsmanifest.xml の &lt;organization&gt; に &lt;item&gt; がありません" in html
    assert not ScormLessonPage.objects.filter(slug="privacy").exists()


def test_publishing_without_a_zip_is_refused_but_a_draft_may_wait(client, scorm_course):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = _add(client, scorm_course, None)
    assert response.status_code == 200
    assert "SCORM パッケージの zip をアップロードしてください" in response.content.decode()
    assert _add(client, scorm_course, None, action="action-draft").status_code == 302


def test_editing_without_a_new_zip_keeps_the_package_and_names_it(client, lesson12):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("wagtailadmin_pages:edit", args=[lesson12.pk])
    with translation.override("ja"):
        form = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "現在の教材：scorm12.zip（SCORM 1.2、4 ファイル、起動ファイル index.html）" in form
    data = nested_form_data(
        {
            "title": "改題", "slug": lesson12.slug, "summary": "", "estimated_minutes": 20,
            "rule": "score", "pass_score": 70, "action-publish": "1",
            "comments-TOTAL_FORMS": 0, "comments-INITIAL_FORMS": 0,
            "comments-MIN_NUM_FORMS": 0, "comments-MAX_NUM_FORMS": 1000,
        }
    )  # fmt: skip
    package = lesson12.package_id
    assert client.post(url, data).status_code == 302
    lesson12.refresh_from_db()
    assert (lesson12.title, lesson12.rule, lesson12.package_id) == ("改題", "score", package)


def test_files_with_japanese_names_and_spaces_are_served(client, scorm_course):
    package = scorm_package_create(
        by=None,
        upload=io.BytesIO(package_zip("scorm12", replace={"教材/画 像.png": b"\x89PNG"})),
        name="x.zip",
    )
    client.force_login(UserFactory(groups=["Editors"]))
    response = client.get(f"/scorm/{package.key}/%E6%95%99%E6%9D%90/%E7%94%BB%20%E5%83%8F.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == b"\x89PNG"
    assert client.head(f"/scorm/{package.key}/index.html").status_code == 200


def test_a_member_that_fails_its_checksum_is_refused_in_the_form(client, scorm_course):
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package_zip("scorm12"))) as source:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for info in source.infolist():
                archive.writestr(info.filename, source.read(info), zipfile.ZIP_STORED)
    data = buffer.getvalue().replace(b"LMSInitialize", b"LMSInitializX", 1)  # in lesson.js
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = _add(client, scorm_course, _upload(data))
    assert response.status_code == 200
    assert "lesson.js" in response.content.decode()
    assert not ScormLessonPage.objects.filter(slug="privacy").exists()


@pytest.mark.parametrize(
    ("header", "status", "body", "content_range"),
    [
        ("bytes=0-3", 206, b"<!DO", "bytes 0-3/"),
        ("bytes=-4", 206, b"ml>\n", None),
        ("bytes=9-", 206, None, None),
        ("bytes=99999-", 416, b"", "bytes */"),
        ("bytes=0-1,4-5", 200, None, None),  # several ranges: the whole file
        ("pages=1", 200, None, None),
    ],
)
def test_byte_ranges_let_video_seek(client, lesson12, header, status, body, content_range):
    client.force_login(UserFactory())
    whole = b"".join(client.get(file_url(lesson12, "index.html")).streaming_content)
    response = client.get(file_url(lesson12, "index.html"), HTTP_RANGE=header)
    assert response.status_code == status
    got = b"".join(response.streaming_content) if response.streaming else response.content
    if status == 200:
        assert got == whole
    elif body is not None:
        assert got == body
    else:
        assert got == whole[9:]
    if content_range:
        assert response["Content-Range"].startswith(content_range)
    if status == 206:
        assert response["Content-Range"].endswith(f"/{len(whole)}")
        assert response["Content-Security-Policy"].startswith("default-src 'self'")
