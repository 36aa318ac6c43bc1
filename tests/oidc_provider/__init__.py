"""The tests' OpenID provider (``server.py``), started as a real process on loopback.

``openid_provider`` (session) starts one process per test process; ``provider`` (per test) resets
it, chooses nobody as the next person, and points the site's settings at it (discovery, client
id and secret). Test modules import these fixtures into their ``conftest.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "dx-training-test"
CLIENT_SECRET = "test-client-secret-0123456789-abcdef"
START_TIMEOUT = 15  # seconds; it starts in well under one


@dataclass
class OpenIDProvider:
    """A handle on the running provider: its issuer, and its test controls."""

    issuer: str
    process: subprocess.Popen

    def control(self, name: str, data: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"{self.issuer}/_control/{name}",
            data=json.dumps(data or {}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)

    def sign_in_as(self, **claims) -> None:
        """Who the provider says signs in next (``sub`` is added when not given)."""
        claims.setdefault("sub", f"subject-{claims.get('employee_number', 'nobody')}")
        self.control("person", claims)

    def next_token(self, **changes) -> None:
        """Make the next ID token differ from a good one (see ``server.py``)."""
        self.control("next-token", changes)

    def rotate(self) -> str:
        return self.control("rotate")["kid"]

    def events(self, kind: str | None = None) -> list[dict]:
        with urllib.request.urlopen(f"{self.issuer}/_control/events", timeout=5) as response:
            events = json.load(response)["events"]
        return [event for event in events if kind is None or event["event"] == kind]


@pytest.fixture(scope="session")
def openid_provider():
    """The provider process, for the whole session of this test process."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.oidc_provider.server",
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            CLIENT_SECRET,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = _first_line(process)
        if not line.startswith("http://127.0.0.1:"):
            pytest.fail(f"the test OpenID provider did not start: {line!r}", pytrace=False)
        yield OpenIDProvider(issuer=line, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _first_line(process: subprocess.Popen) -> str:
    import selectors

    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=START_TIMEOUT):
            return "(nothing printed)"
    return process.stdout.readline().strip()


@pytest.fixture
def provider(openid_provider, settings):
    """The site signs in with the test provider; the provider starts afresh."""
    openid_provider.control("reset")
    settings.OIDC_ISSUER = openid_provider.issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    return openid_provider
