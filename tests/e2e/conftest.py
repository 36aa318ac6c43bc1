"""End-to-end browser tests: Debian's chromium driven by Playwright against a live server.

The server is pytest-django's ``live_server`` (a thread of this process on the PostgreSQL test
database); grading, roster imports, fan-out and completion run in the real Celery worker process
of the integration layer (``tests/integration/conftest.py``), so these tests are integration
tests too and skip (or fail, under ``CI=true``) without PostgreSQL and Redis.

The browser is never downloaded: Playwright's Python driver launches the ``chromium`` package of
the machine (``scripts/run_tests.py`` and ``.ci/run`` install it). Without it the tests skip
with the reason, and fail under ``CI=true``.

Every page a person sees is checked with axe-core, bundled in ``vendor/axe-core`` and injected
from the file (never fetched): no serious or critical violation, and no page wider than the
viewport (reflow on a phone). Every page checked is also photographed at a phone's width
(390 px) and a desktop's (1280 px), whatever the test's own viewport, into
``test-artifacts/screens/<test>/`` (kept by CI), so a person can look at every screen of a run;
a page that a test opened and did not check fails the test. When a test fails, each open
page's screenshot and HTML are saved under ``test-artifacts/e2e/``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# The live Celery worker of the integration layer, shared rather than copied.
from tests.integration.conftest import (  # noqa: F401
    _ci,
    _media_root,
    live_celery_worker,
    wait_until,
)

# The tests' OpenID provider process (tests/oidc_provider), for test_oidc.py.
from tests.oidc_provider import openid_provider, provider  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
SCREENS = ROOT / "test-artifacts" / "screens"
#: The widths every page is photographed at (CSS pixels), with the height of the first view.
SCREEN_SIZES = ({"width": 390, "height": 844}, {"width": 1280, "height": 800})
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
#: Playwright's own waits (expect, click, goto), in milliseconds. Grading and imports run in the
#: worker; they take well under a second on an idle machine, so this only bounds a broken run.
WAIT_MS = 30_000

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def chromium_path() -> str | None:
    """Debian's chromium, or None."""
    for candidate in (shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures know in teardown whether it failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


#: The Japanese font the product carries for its PDFs. A staff PC has a Japanese font; the
#: machine running the tests may not, and its screenshots would show every kanji as a box.
FONTS_DIR = ROOT / "content" / "static" / "content" / "fonts"
BROWSER_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def browser_environment(folder: Path) -> dict[str, str]:
    """The browser's environment: the machine's fonts and, whatever it has, the product's own
    Japanese font, so screenshots show Japanese on any machine. Chromium's font loader does
    not read WOFF2, so the font is unpacked to OpenType first."""
    from fontTools.ttLib import TTFont

    fonts = folder / "fonts"
    fonts.mkdir()
    for packed in FONTS_DIR.glob("*.woff2"):
        font = TTFont(packed)
        font.flavor = None
        font.save(fonts / f"{packed.name.removesuffix('.woff2')}.otf")
    conf = folder / "fonts.conf"
    conf.write_text(BROWSER_FONTS_CONF.format(fonts=fonts, cache=folder / "cache"))
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


@pytest.fixture(scope="package")
def browser(django_db_setup, tmp_path_factory):
    """One chromium for the whole e2e package; each person gets a context of their own."""
    executable = chromium_path()
    if executable is None:
        reason = (
            "the e2e tests need Debian's chromium (/usr/bin/chromium): "
            "apt-get install chromium, or run `make test` as root"
        )
        if _ci():
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread while the browser is
    # open; Django would then refuse ORM calls from the tests (and pytest-django's flush)
    # as "async context". They are synchronous here, so allow them while the browser lives.
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Django's connections are context-local (asgiref), and that running loop gives this thread
    # a new context: the connection objects seen from now on are new ones. Hand them the
    # database snapshot that serialized_rollback restores before each test, or the second
    # test would start without Wagtail's root and home pages.
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    playwright = sync_playwright().start()
    for alias, snapshot in snapshots.items():
        connections[alias]._test_serialized_contents = snapshot
    try:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-dev-shm-usage"],
            env=browser_environment(tmp_path_factory.mktemp("fontconfig")),
        )
        yield browser
        browser.close()
    finally:
        # Close this context's connections, or they would keep the test database open.
        connections.close_all()
        playwright.stop()
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


class AccessibilityError(AssertionError):
    pass


def _path(url: str) -> str:
    """The path and query of ``url`` (what a person would call the page)."""
    return re.sub(r"^https?://[^/]+", "", url)


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            if node.get("failureSummary"):
                summary = " ".join(node["failureSummary"].split())
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def _without_accepted(violations: list[dict], accept: tuple[tuple[str, str], ...]) -> list[dict]:
    """``violations`` less the elements ``accept`` names (rule id, selector pattern)."""
    kept = []
    for violation in violations:
        patterns = [re.compile(pattern) for rule, pattern in accept if rule == violation["id"]]
        nodes = [
            node
            for node in violation["nodes"]
            if not any(pattern.search(" ".join(map(str, node["target"]))) for pattern in patterns)
        ]
        if nodes:
            kept.append({**violation, "nodes": nodes})
    return kept


@dataclass
class Audit:
    """What axe found in one test, over every page of every person, and the pages photographed."""

    folder: Path
    screens: Path
    pages: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    shots: int = 0

    def shoot(self, person: Person) -> None:
        """Photograph the page as it is now at each of ``SCREEN_SIZES`` (full length), then put
        the person's own viewport back."""
        page = person.page
        own = page.viewport_size
        self.shots += 1
        path = re.sub(r"^https?://[^/]+", "", page.url)
        slug = re.sub(r"[^\w-]+", "_", path).strip("_")[:60] or "root"
        self.screens.mkdir(parents=True, exist_ok=True)
        try:
            for size in SCREEN_SIZES:
                page.set_viewport_size(size)
                name = f"{self.shots:03d}-{person.name}-{slug}-{size['width']}.png"
                page.screenshot(path=str(self.screens / name), full_page=True)
        finally:
            page.set_viewport_size(own)

    def assert_clean(self) -> None:
        """Fail with every serious or critical violation found, page by page."""
        assert self.pages, "axe checked no page"
        if self.findings:
            raise AccessibilityError(
                f"axe found serious or critical violations on {len(self.findings)} of "
                f"{len(self.pages)} pages checked:\n" + "\n".join(self.findings)
            )


@dataclass
class Person:
    """One person's browser context and page, with the checks every page gets."""

    name: str
    page: object
    base_url: str
    audit: Audit
    #: Paths of the documents the page loaded, and of those checked (and photographed).
    loaded: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.page.on("load", lambda page: self.loaded.append(_path(page.url)))

    def unchecked(self) -> list[str]:
        """Pages the person opened that were never checked and photographed."""
        return [path for path in dict.fromkeys(self.loaded) if path not in self.checked]

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, *, accept: tuple[tuple[str, str], ...] = ()):
        """Open ``path``, expect a successful response and check the page with axe."""
        response = self.page.goto(self.url(path))
        assert response is not None and response.ok, (
            f"{self.name}: GET {path} answered {response.status if response else 'nothing'}"
        )
        self.axe(accept=accept)
        return response

    def axe(self, *, accept: tuple[tuple[str, str], ...] = ()) -> None:
        """Run axe-core on the page as it is now; fail on serious or critical violations.

        ``accept`` names violations of code we do not own (Wagtail's admin) as pairs of an axe
        rule id and a regular expression its element's selector must match; such elements are
        left out, every other element of the rule still fails.
        """
        page = self.page
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_JS))
        violations = page.evaluate(
            """async (impacts) => {
                const result = await axe.run(document, { resultTypes: ["violations"] });
                return result.violations.filter((v) => impacts.includes(v.impact));
            }""",
            list(FAILING_IMPACTS),
        )
        violations = _without_accepted(violations, accept)
        path = _path(page.url)
        self.audit.pages.append(path)
        # A page that works on a phone does not scroll sideways: wide tables scroll inside
        # their own wrapper instead.
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 1:
            violations.append(
                {
                    "id": "page-overflow",
                    "impact": "serious",
                    "help": f"The page is {overflow}px wider than the viewport",
                    "helpUrl": "https://www.w3.org/WAI/WCAG21/Understanding/reflow.html",
                    "nodes": [],
                }
            )
        if violations:
            # Go on with the flow, so that one run lists every page's problems; the test
            # fails at its end (``Audit.assert_clean``). Keep the page as it was seen.
            number = len(self.audit.findings) + 1
            self.audit.findings.append(f"[{number}] {path} ({self.name}):\n{_describe(violations)}")
            self.audit.folder.mkdir(parents=True, exist_ok=True)
            stem = self.audit.folder / f"axe-{number}-{self.name}"
            page.screenshot(path=f"{stem}.png")
            Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
            with (self.audit.folder / "axe.txt").open("a", encoding="utf-8") as report:
                report.write(self.audit.findings[-1] + "\n")
        self.audit.shoot(self)
        self.checked.add(path)

    def sign_in(self, username: str, password: str, *, language: str | None = None) -> None:
        """Sign in on the real form; switch the language there first when asked."""
        self.goto("/accounts/login/")
        if language is not None and self.page.locator("html").get_attribute("lang") != language:
            self.switch_language(language)
        self.page.locator("input[name=username]").fill(username)
        self.page.locator("input[name=password]").fill(password)
        self.page.locator("main form button[type=submit]").click()
        self.page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))
        self.axe()

    def switch_language(self, code: str) -> None:
        """Press the header's language button for ``code``; the page reloads in it."""
        self.page.locator(f".language-switch button[value={code}]").click()
        self.page.wait_for_selector(f"html[lang={code}]")
        self.axe()


class People:
    """``people(name, viewport)`` opens a fresh browser context for one person."""

    def __init__(self, browser, base_url: str, folder: Path, screens: Path):
        self.browser = browser
        self.base_url = base_url
        self.folder = folder
        self.audit = Audit(folder=folder, screens=screens)
        self.opened: list[tuple[Person, object]] = []

    def __call__(self, name: str, viewport: dict) -> Person:
        phone = viewport["width"] < 600
        context = self.browser.new_context(
            viewport=viewport,
            is_mobile=phone,
            has_touch=phone,
            # axe is added as a <script> element; a Content-Security-Policy without inline
            # scripts would refuse it. The site's own pages are unaffected.
            bypass_csp=True,
            locale="ja-JP",
            timezone_id="Asia/Tokyo",
        )
        context.set_default_timeout(WAIT_MS)
        person = Person(name=name, page=context.new_page(), base_url=self.base_url,
                        audit=self.audit)  # fmt: skip
        self.opened.append((person, context))
        return person

    def close(self, *, save: bool) -> None:
        """Close every context; first save each page's screenshot and HTML when asked."""
        for person, context in self.opened:
            if save:
                self.folder.mkdir(parents=True, exist_ok=True)
                stem = self.folder / f"last-{person.name}"
                try:
                    person.page.screenshot(path=f"{stem}.png", full_page=True)
                    Path(f"{stem}.html").write_text(person.page.content(), encoding="utf-8")
                    Path(f"{stem}.url.txt").write_text(person.page.url + "\n")
                except Exception as exc:  # a crashed page must not hide the test's failure
                    Path(f"{stem}.error.txt").write_text(repr(exc))
            context.close()


@pytest.fixture
def people(request, browser, live_server) -> Iterator[People]:
    """Browser contexts for the people of one test, and the axe findings over all of them.

    On failure, every open page is saved (screenshot and HTML) under
    ``test-artifacts/e2e/<test>/``; pages with axe violations are saved there as they are seen.
    The Celery worker comes with the autouse ``_media_root`` of the integration layer.
    """
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    folder, screens = ARTIFACTS / name, SCREENS / name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(screens, ignore_errors=True)
    crowd = People(browser, live_server.url, folder, screens)
    yield crowd
    report = getattr(request.node, "rep_call", None)
    failed = report is not None and report.failed
    unchecked = {person.name: person.unchecked() for person, _context in crowd.opened}
    crowd.close(save=failed)
    if failed:
        print(f"\ne2e artifacts: {folder}")
    elif any(unchecked.values()):
        pytest.fail(
            "pages opened but never checked with axe nor photographed (call person.axe() "
            f"after the step that shows them): {unchecked}",
            pytrace=False,
        )
