"""One setting builds every absolute link: SITE_URL (core.links, core.checks)."""

import re
from pathlib import Path

import pytest
from django.core.checks import run_checks

from core.links import absolute_url

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ["config", "core", "content", "org", "audit", "courses", "lms", "surveys", "templates"]
# A host written into the code, or one taken from the request, instead of SITE_URL. The
# settings are the one place that names a default; migrations are history (content's makes
# Wagtail's placeholder site, which post_migrate then moves to SITE_URL).
HOST = re.compile(
    r"://(localhost|127\.0\.0\.1|0\.0\.0\.0)|example\.(com|net|org)|build_absolute_uri"
)


def test_product_code_names_no_host_of_its_own():
    found = []
    for top in PRODUCT:
        for path in (ROOT / top).rglob("*"):
            if path.suffix not in {".py", ".html", ".txt", ".js"}:
                continue
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative.startswith("config/settings/"):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if HOST.search(line):
                    found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []


def test_absolute_url_keeps_only_the_path_of_a_full_url(settings):
    settings.SITE_URL = "https://dx.city.example.jp"
    assert absolute_url("/my/") == "https://dx.city.example.jp/my/"
    assert absolute_url("http://localhost/a/?b=1#c") == "https://dx.city.example.jp/a/?b=1#c"


@pytest.mark.parametrize(
    ("site_url", "ids"),
    [
        ("https://dx.city.example.jp", []),
        ("http://127.0.0.1:8000", []),
        ("https://dx.city.example.jp:8443", ["core.W003"]),
        ("https://city.example.jp/dx", ["core.W003"]),
        ("dx.city.example.jp", ["core.E002"]),
    ],
)
def test_site_url_wagtail_cannot_name_is_reported(settings, site_url, ids):
    settings.SITE_URL = site_url
    found = [m.id for m in run_checks() if m.id in {"core.E002", "core.W003"}]
    assert found == ids
