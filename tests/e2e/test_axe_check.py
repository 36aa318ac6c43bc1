"""The accessibility check itself: the bundled axe-core runs and its findings fail a test.

Without this, a broken injection (a wrong path, a blocked script) would make every page look
clean. No server is needed: the pages are set directly in the browser.
"""

from __future__ import annotations

import pytest

from .conftest import AXE_JS, DESKTOP, PHONE, AccessibilityError, People

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

BROKEN = """<!DOCTYPE html><html lang="ja"><head><title>壊れたページ</title></head><body>
<main><h1>見出し</h1><img src="figure.png">
<p style="color:#bbb;background:#fff">薄すぎる文字</p></main></body></html>"""

CLEAN = """<!DOCTYPE html><html lang="ja"><head><title>よいページ</title></head><body>
<main><h1>見出し</h1><p>読みやすい文字</p></main></body></html>"""


def test_the_bundled_axe_is_version_4_and_licensed():
    head = AXE_JS.read_text(encoding="utf-8")[:200]
    assert head.startswith("/*! axe v4."), head
    assert (AXE_JS.parent / "LICENSE").read_text().startswith("Mozilla Public License")


def test_axe_finds_serious_violations_and_saves_the_page(browser, tmp_path):
    crowd = People(browser, "http://127.0.0.1:9", tmp_path / "artifacts", tmp_path / "screens")
    person = crowd("checker", DESKTOP)
    try:
        person.page.set_content(CLEAN)
        assert person.unchecked() == ["about:blank"]  # opened, not looked at yet
        person.axe()
        assert person.unchecked() == []
        assert crowd.audit.findings == []
        crowd.audit.assert_clean()

        person.page.set_content(BROKEN)
        person.axe()
    finally:
        crowd.close(save=False)
    assert len(crowd.audit.pages) == 2
    assert len(crowd.audit.findings) == 1
    finding = crowd.audit.findings[0]
    assert "image-alt (critical)" in finding
    assert "color-contrast (serious)" in finding
    assert (tmp_path / "artifacts" / "axe-1-checker.png").stat().st_size > 0
    assert "薄すぎる文字" in (tmp_path / "artifacts" / "axe-1-checker.html").read_text()
    with pytest.raises(AccessibilityError, match="image-alt"):
        crowd.audit.assert_clean()
    # Every page checked is photographed at a phone's and a desktop's width, full length, and
    # the person's own viewport is put back.
    shots = sorted(path.name for path in (tmp_path / "screens").iterdir())
    assert shots == [
        "001-checker-about_blank-1280.png",
        "001-checker-about_blank-390.png",
        "002-checker-about_blank-1280.png",
        "002-checker-about_blank-390.png",
    ]
    assert all((tmp_path / "screens" / name).stat().st_size > 0 for name in shots)
    assert person.page.viewport_size == DESKTOP


def test_a_page_wider_than_a_phone_is_a_finding(browser, tmp_path):
    crowd = People(browser, "http://127.0.0.1:9", tmp_path / "artifacts", tmp_path / "screens")
    person = crowd("phone", PHONE)
    try:
        person.page.set_content(CLEAN.replace("<p>", '<p style="width:1200px">'))
        person.axe()
    finally:
        crowd.close(save=False)
    assert len(crowd.audit.findings) == 1
    assert "page-overflow (serious)" in crowd.audit.findings[0]


def test_accepting_a_third_party_element_keeps_the_rules_other_elements():
    from .conftest import _without_accepted

    violations = [
        {"id": "label", "nodes": [{"target": ["#body-4-value-header-0-value"]},
                                  {"target": ["#id_title"]}]},
        {"id": "color-contrast", "nodes": [{"target": [".success"]}]},
    ]  # fmt: skip
    kept = _without_accepted(
        violations, (("label", r"^#body-\d+-value-header-"), ("color-contrast", r"^\.success$"))
    )
    assert kept == [{"id": "label", "nodes": [{"target": ["#id_title"]}]}]
    assert _without_accepted(violations, ()) == violations
