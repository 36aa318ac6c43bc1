"""The site header: on a phone it folds into the site name and a 「メニュー」 button."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from org.models import RoleGroup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CSS = Path(settings.BASE_DIR, "static", "css", "site.css").read_text(encoding="utf-8")


def _menu(html: str) -> str:
    return html.split('id="site-menu"', 1)[1].split("</header>", 1)[0]


def test_hr_header_has_a_menu_button_that_holds_every_link(client):
    client.force_login(UserFactory(groups=[RoleGroup.HR]))
    html = client.get(reverse("lms:assignments")).text
    header = html.split('<header class="site-header', 1)[1].split("</header>", 1)[0]
    button = re.search(r"<button[^>]*site-menu-toggle[^>]*>(.*?)</button>", header, re.S)
    assert button is not None
    assert 'type="button"' in button.group(0)
    assert 'aria-expanded="false"' in button.group(0)
    assert 'aria-controls="site-menu"' in button.group(0)
    assert "メニュー" in button.group(1)
    # The links, the person and sign-out are inside the part the button opens.
    menu = _menu(html)
    for name in ("lms:my_training", "lms:dashboard", "lms:assignments", "audit:event_list"):
        assert f'href="{reverse(name)}"' in menu
    assert f'action="{reverse("lms:logout")}"' in menu and "English" in menu
    # Without the script (and on a desktop) nothing is hidden: the menu is not [hidden] and the
    # small, CSP-safe script is a file.
    assert '<div class="site-menu" id="site-menu">' in html
    assert 'src="/static/js/site-menu.js"' in html and "<script>" not in html


def test_the_menu_folds_only_below_600px():
    phone = re.search(r"@media \(max-width: 599\.98px\) \{(.*?)\n\}", CSS, re.S)
    assert phone is not None
    assert ".site-header.has-menu .site-menu { display: none; }" in phone.group(1)
    assert '.site-header.has-menu .site-menu-toggle[aria-expanded="true"] + .site-menu' in (
        phone.group(1)
    )
    desktop = re.search(r"@media \(min-width: 600px\) \{(.*?)\n\}", CSS, re.S)
    assert ".site-menu-toggle { display: none; }" in desktop.group(1)


def test_anonymous_visitors_see_no_menu_button(client):
    html = client.get(reverse("lms:login")).text
    assert "site-menu-toggle" not in html and "English" in html


def test_my_training_cards_have_no_stray_bullet():
    """HR's マイ研修 showed a list bullet beside each course card (B20)."""
    rule = re.search(r"([^}]*\.training-list[^{]*)\{([^}]*)\}", CSS)
    assert rule is not None and ".notice-list" in rule.group(1)
    assert "list-style: none" in rule.group(2) and "padding: 0" in rule.group(2)
