"""Our own 403, 404, 500 and refused-form pages: the site's look, the person's language, a
way back; the 500 page needs neither the database nor a context processor."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def production_like(settings):
    settings.DEBUG = False


@pytest.mark.django_db
def test_404_in_the_site_layout_and_language(client):
    person = UserFactory(display_name="窓口 花子")
    client.force_login(person)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "ページが見つかりません" in html
    assert "窓口 花子" in html  # the header of the signed-in person
    assert f'href="{reverse("lms:my_training")}"' in html and "マイ研修に戻る" in html
    assert "Not Found" not in html
    client.cookies["django_language"] = "en"
    assert "Page not found" in client.get("/no-such-page/").content.decode()


@pytest.mark.django_db
def test_403_in_the_site_layout_with_a_way_back(client):
    client.force_login(UserFactory())
    response = client.get(reverse("audit:event_list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "このページを表示する権限がありません" in html
    assert "マイ研修に戻る" in html and 'class="site-header"' in html
    assert "403 Forbidden" not in html


def test_500_is_standalone_and_needs_no_database():
    # No django_db mark: any query would fail the test.
    with translation.override("ja"):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "システムでエラーが発生しました" in html
    assert 'href="/"' in html and "/static/css/site.css" in html
    assert "Server Error" not in html


@pytest.mark.django_db
def test_a_refused_form_gets_our_page():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(display_name="窓口 花子"))
    response = client.post(reverse("lms:logout"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "送信を受け付けられませんでした" in html
    assert "窓口 花子" in html
    assert "CSRF" not in html
