"""LINE WORKS Bot API 2.0: a message from the training bot to one person.

Authentication is the service-account flow: a JWT (RS256, ``iss`` the client id, ``sub`` the
service account, valid an hour) signed with the app's private key is exchanged at the token
endpoint for an access token (scope ``bot``), which is kept in the cache until shortly before
it expires; a 401 from the API drops it and asks once more. The message goes to
``{API}/bots/{bot}/users/{user}/messages``, the user named by their LINE WORKS ID, which the
city sets to the staff e-mail address.

Configured only from the environment (``LINEWORKS_*``, see README and config/settings/base);
``LINEWORKS_AUTH_URL`` and ``LINEWORKS_API_URL`` point the tests at a local server.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import quote

import jwt
from django.conf import settings
from django.core.cache import cache

from .transport import ChannelError, post

TOKEN_KEY = "notices:lineworks:token"
#: The API refuses longer texts.
MAX_TEXT = 2000


def lineworks_settings() -> dict[str, str]:
    """The LINE WORKS settings that are set (private key read from its file if given)."""
    key = settings.LINEWORKS_PRIVATE_KEY
    if not key and settings.LINEWORKS_PRIVATE_KEY_FILE:
        try:
            key = Path(settings.LINEWORKS_PRIVATE_KEY_FILE).read_text()
        except OSError:
            key = ""
    values = {
        "client_id": settings.LINEWORKS_CLIENT_ID,
        "client_secret": settings.LINEWORKS_CLIENT_SECRET,
        "service_account": settings.LINEWORKS_SERVICE_ACCOUNT,
        "private_key": key,
        "bot_id": settings.LINEWORKS_BOT_ID,
    }
    return {name: value for name, value in values.items() if value}


REQUIRED = ("client_id", "client_secret", "service_account", "private_key", "bot_id")


def lineworks_configured() -> bool:
    return all(name in lineworks_settings() for name in REQUIRED)


def _assertion(config: dict[str, str]) -> str:
    now = int(time.time())
    claims = {
        "iss": config["client_id"],
        "sub": config["service_account"],
        "iat": now,
        "exp": now + 3600,
    }
    try:
        return jwt.encode(claims, config["private_key"], algorithm="RS256")
    except (ValueError, TypeError, jwt.PyJWTError) as error:
        raise ChannelError("LINE WORKS private key unusable") from error


def lineworks_token(*, fresh: bool = False) -> str:
    """An access token for the bot: the cached one, or a new one from the token endpoint."""
    if not fresh:
        token = cache.get(TOKEN_KEY)
        if token:
            return token
    config = lineworks_settings()
    _status, body = post(
        settings.LINEWORKS_AUTH_URL,
        form={
            "assertion": _assertion(config),
            "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "client_id": config["client_id"],
            "client_secret": config["client_secret"],
            "scope": "bot",
        },
    )
    try:
        answer = json.loads(body)
        token = answer["access_token"]
        expires_in = int(answer.get("expires_in", 86400))
    except (ValueError, KeyError, TypeError) as error:
        raise ChannelError("LINE WORKS token answer unreadable") from error
    cache.set(TOKEN_KEY, token, timeout=max(expires_in - 60, 1))
    return token


def lineworks_send(*, user_id: str, text: str) -> None:
    """Send ``text`` to one person; ``ChannelError`` when LINE WORKS did not take it."""
    config = lineworks_settings()
    url = (
        f"{settings.LINEWORKS_API_URL.rstrip('/')}/bots/{quote(config['bot_id'], safe='')}"
        f"/users/{quote(user_id, safe='@')}/messages"
    )
    payload = {"content": {"type": "text", "text": text[:MAX_TEXT]}}
    try:
        post(url, json_body=payload, headers={"Authorization": f"Bearer {lineworks_token()}"})
    except ChannelError as error:
        if str(error) != "HTTP 401":
            raise
        cache.delete(TOKEN_KEY)  # revoked or expired early: one more try with a new token
        token = lineworks_token(fresh=True)
        post(url, json_body=payload, headers={"Authorization": f"Bearer {token}"})
