"""The tests' OpenID provider (``server.py``), started as a real process on loopback.

``openid_provider`` (session) starts one process per test process; ``provider`` (per test) resets
it, chooses nobody as the next person, and points the site's settings at it (discovery, client
id and secret). Test modules import these fixtures into their ``conftest.py``.
"""

from __future__ import annotations

import json
import subprocess
import urllib.request
from dataclasses import dataclass

import pytest

from tests.helpers.processes import loopback_service

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
    args = ["-m", "tests.oidc_provider.server", "--client-id", CLIENT_ID]
    args += ["--client-secret", CLIENT_SECRET]
    with loopback_service(args, what="the test OpenID provider", timeout=START_TIMEOUT) as (
        issuer,
        process,
    ):
        yield OpenIDProvider(issuer=issuer, process=process)


@pytest.fixture
def provider(openid_provider, settings):
    """The site signs in with the test provider; the provider starts afresh."""
    openid_provider.control("reset")
    settings.OIDC_ISSUER = openid_provider.issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    return openid_provider
