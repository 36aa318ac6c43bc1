"""Wagtail's default site follows SITE_URL after migrate (content.sites)."""

import logging

import pytest
from django.core.management import call_command
from wagtail.models import Site

from content.models import GuidebookIndexPage
from content.sites import default_site_follow_site_url

pytestmark = pytest.mark.django_db


def _default_site() -> Site:
    return Site.objects.get(is_default_site=True)


def test_migrate_left_the_default_site_at_site_url(settings):
    # The test database was built by migrate under the test settings' SITE_URL.
    site = _default_site()
    assert site.root_url == settings.SITE_URL == "http://testserver"
    guide = GuidebookIndexPage.objects.get(slug="guide")
    assert guide.full_url == settings.SITE_URL + "/guide/"


@pytest.mark.parametrize(
    ("site_url", "hostname", "port"),
    [
        ("https://dx.city.example.jp", "dx.city.example.jp", 443),
        ("http://127.0.0.1:8123", "127.0.0.1", 8123),
        ("http://intra.city.example.jp", "intra.city.example.jp", 80),
    ],
)
def test_migrate_moves_the_site_and_page_addresses_follow(settings, site_url, hostname, port):
    settings.SITE_URL = site_url
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate still runs
    site = _default_site()
    assert (site.hostname, site.port) == (hostname, port)
    guide = GuidebookIndexPage.objects.get(slug="guide")
    assert guide.full_url == site_url + "/guide/"
    assert guide.get_site().root_url == site_url


def test_nothing_saved_when_the_site_already_matches(settings, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert default_site_follow_site_url() is None


def test_a_second_site_holding_the_address_is_left_alone(settings, caplog):
    home = _default_site().root_page
    Site.objects.create(hostname="dx.city.example.jp", port=443, root_page=home)
    settings.SITE_URL = "https://dx.city.example.jp"
    with caplog.at_level(logging.WARNING, logger="content.sites"):
        assert default_site_follow_site_url() is None
    assert _default_site().hostname == "testserver"
    assert "another Wagtail Site" in caplog.text
