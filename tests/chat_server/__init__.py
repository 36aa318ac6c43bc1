"""The tests' chat service (``server.py``: Teams webhooks, LINE WORKS), a real process on
loopback.

``chat_service`` (session) starts one process per test process; ``chat`` (per test) resets it
and turns the site's channels off; ``lineworks`` also configures LINE WORKS for the site (a
fresh RSA key, the server told its public half) and points its URLs at the process; ``teams``
turns Teams on. Test modules import these fixtures into their ``conftest.py``.
"""

from __future__ import annotations

import json
import subprocess
import urllib.request
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.helpers.processes import loopback_service

START_TIMEOUT = 15  # seconds; it starts in well under one
LINEWORKS = {
    "client_id": "dx-training-client",
    "client_secret": "lineworks-test-secret-0123456789",
    "service_account": "training.serviceaccount@city-example",
    "bot_id": "2000001",
}


@dataclass
class ChatService:
    """A handle on the running process: its base URL, its controls, what it received."""

    url: str
    process: subprocess.Popen

    def control(self, name: str, data: dict | None = None) -> None:
        request = urllib.request.Request(
            f"{self.url}/_control/{name}",
            data=json.dumps(data or {}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5):
            pass

    def fail(self, prefix: str, *, status: int = 0, delay: float = 0, times: int = 1) -> None:
        """The next ``times`` requests under ``prefix`` answer ``status`` (after ``delay``)."""
        self.control("fail", {"prefix": prefix, "status": status, "delay": delay, "times": times})

    def requests(self, prefix: str = "") -> list[dict]:
        with urllib.request.urlopen(f"{self.url}/_control/requests", timeout=5) as response:
            found = json.load(response)["requests"]
        return [request for request in found if request["path"].startswith(prefix)]


@pytest.fixture(scope="session")
def chat_service():
    args = ["-m", "tests.chat_server.server"]
    with loopback_service(args, what="the test chat service", timeout=START_TIMEOUT) as (
        url,
        process,
    ):
        yield ChatService(url=url, process=process)


@pytest.fixture
def chat(chat_service, settings):
    """The service afresh; the site's channels off until a test turns one on."""
    chat_service.control("reset")
    settings.TEAMS_ENABLED = False
    for name in ("CLIENT_ID", "CLIENT_SECRET", "SERVICE_ACCOUNT", "PRIVATE_KEY", "BOT_ID"):
        setattr(settings, f"LINEWORKS_{name}", "")
    settings.LINEWORKS_PRIVATE_KEY_FILE = ""
    return chat_service


@pytest.fixture
def teams(chat, settings):
    settings.TEAMS_ENABLED = True
    return chat


@pytest.fixture
def lineworks(chat, settings):
    """LINE WORKS configured for the site and expected by the service, with a new key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    chat.control("reset", {**LINEWORKS, "public_key": public_pem})
    settings.LINEWORKS_CLIENT_ID = LINEWORKS["client_id"]
    settings.LINEWORKS_CLIENT_SECRET = LINEWORKS["client_secret"]
    settings.LINEWORKS_SERVICE_ACCOUNT = LINEWORKS["service_account"]
    settings.LINEWORKS_BOT_ID = LINEWORKS["bot_id"]
    settings.LINEWORKS_PRIVATE_KEY = private_pem
    settings.LINEWORKS_AUTH_URL = f"{chat.url}/lineworks/token"
    settings.LINEWORKS_API_URL = f"{chat.url}/lineworks/api"
    return chat
