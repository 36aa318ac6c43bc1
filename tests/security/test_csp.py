"""Content-Security-Policy: sent on every page, strict on the site, and no template needs more.

The site policy allows scripts and styles from our own origin only, so no template may
contain an inline script, an inline event handler, a ``javascript:`` URL, a ``<style>`` block
or a ``style`` attribute (templates rendered to PDF by WeasyPrint, never served, excepted).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from config.middleware import csp_header
from org.models import RoleGroup
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_ROOTS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
# Rendered to PDF by WeasyPrint in the server; never sent to a browser.
PDF_TEMPLATES = {
    "lms/certificate_pdf.html",
    "content/guidebook_pdf.html",
    "lms/activation_slips_pdf.html",
}

INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")", re.I
)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)
STYLE_BLOCK = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def _templates():
    for root in TEMPLATE_ROOTS:
        for path in sorted(root.rglob("*.html")):
            yield path.relative_to(root).as_posix(), path.read_text(encoding="utf-8")


def test_the_scan_finds_the_templates():
    names = {name for name, _text in _templates()}
    assert {"base.html", "lms/dashboard.html", "audit/audit_event_list.html"} <= names


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="text/javascript">x()</script>',
        '<button onclick="go()">',
        '<a href="javascript:void(0)">',
        '<div style="color:red">',
        "<style>p{}</style>",
    ],
)
def test_the_scan_would_catch(snippet):
    patterns = (INLINE_SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL, STYLE_BLOCK, STYLE_ATTRIBUTE)
    assert any(pattern.search(snippet) for pattern in patterns)
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')


def test_no_template_has_inline_script_or_style():
    problems = []
    for name, text in _templates():
        checks = [("inline <script>", INLINE_SCRIPT), ("on* handler", EVENT_HANDLER),
                  ("javascript: URL", JAVASCRIPT_URL)]  # fmt: skip
        if name not in PDF_TEMPLATES:
            checks += [("<style> block", STYLE_BLOCK), ("style attribute", STYLE_ATTRIBUTE)]
        problems += [f"{name}: {what}" for what, pattern in checks if pattern.search(text)]
    assert problems == []


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in (part.strip() for part in header.split(";"))
        if directive
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["lms:login", "lms:my_training", "lms:certificate_verify"])
def test_site_pages_get_the_strict_policy(client, url_name):
    if url_name != "lms:login":  # signed in, the login page redirects
        client.force_login(UserFactory())
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_wagtail_pages_and_json_get_it_too(client):
    client.force_login(UserFactory())
    for url in ["/", reverse("health_live")]:
        response = client.get(url, follow=True)
        assert _policy(response)["script-src"] == ["'self'"], url


@pytest.mark.django_db
def test_the_cms_gets_the_admin_policy(client):
    client.force_login(UserFactory(groups=[RoleGroup.EDITORS]))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    policy = _policy(response)
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]  # the preview panel frames our own pages


def test_csp_header_keeps_the_order_of_directives():
    assert csp_header({"default-src": ["'self'"], "img-src": ["'self'", "data:"]}) == (
        "default-src 'self'; img-src 'self' data:"
    )
    assert next(iter(settings.CSP_POLICY)) == "default-src"
