"""A small chat service for the tests, run as its own process on loopback: a Microsoft Teams
Workflows webhook and the LINE WORKS token endpoint and Bot API, recording every request.

``python -m tests.chat_server.server`` binds a free port on 127.0.0.1 and prints its base URL
as the first line of its output. Endpoints:

- ``POST /teams/<name>``: a Workflows webhook; answers ``202 Accepted`` to a JSON body.
- ``POST /lineworks/token``: the OAuth token endpoint of the service-account flow; checks the
  form (grant type, client id and secret, scope) and the JWT assertion (RS256 with the public
  key the test configured, ``iss`` the client id, ``sub`` the service account, ``exp`` at
  most an hour after ``iat``) and answers a new access token, or ``400``.
- ``POST /lineworks/api/bots/<bot>/users/<user>/messages``: answers ``201`` to a bearer token
  it issued (and not revoked), else ``401``.

Test controls (JSON over POST): ``/_control/reset`` (forget everything; body: the LINE WORKS
client id, secret, service account and public key PEM to expect), ``/_control/fail`` (the
next ``times`` requests whose path starts with ``prefix`` answer ``status``, or wait
``delay`` seconds first), ``/_control/revoke`` (tokens issued so far stop working);
``GET /_control/requests``: what was asked and answered, oldest first.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset({})

    def reset(self, config: dict) -> None:
        self.config = config
        self.requests: list[dict] = []
        self.failures: list[dict] = []
        self.tokens: set[str] = set()

    def failure_for(self, path: str) -> dict | None:
        for failure in self.failures:
            if path.startswith(failure["prefix"]) and failure["times"] > 0:
                failure["times"] -= 1
                return failure
        return None


STATE = State()


class Handler(BaseHTTPRequestHandler):
    server_version = "chat-test/1"

    def log_message(self, format, *args):  # quiet
        pass

    def _answer(self, status: int, body: dict | None = None) -> None:
        data = json.dumps(body or {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/_control/requests":
            with STATE.lock:
                return self._answer(200, {"requests": STATE.requests})
        return self._answer(404)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/_control/"):
            return self._control(self.path.removeprefix("/_control/"), json.loads(raw or b"{}"))
        content_type = self.headers.get("Content-Type", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            body = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
        else:
            try:
                body = json.loads(raw)
            except ValueError:
                body = {"_raw": raw.decode(errors="replace")}
        with STATE.lock:
            failure = STATE.failure_for(self.path)
        if failure and failure.get("delay"):
            time.sleep(failure["delay"])
        if failure and failure.get("status"):
            status, answer = failure["status"], {"error": "test failure"}
        elif self.path.startswith("/teams/"):
            status, answer = 202, {}
        elif self.path == "/lineworks/token":
            status, answer = self._token(body)
        elif self.path.startswith("/lineworks/api/bots/") and self.path.endswith("/messages"):
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            with STATE.lock:
                known = token in STATE.tokens
            status, answer = (201, {}) if known else (401, {"code": "UNAUTHORIZED"})
        else:
            status, answer = 404, {}
        with STATE.lock:
            STATE.requests.append(
                {
                    "path": self.path,
                    "authorization": self.headers.get("Authorization", ""),
                    "body": body,
                    "status": status,
                }
            )
        self._answer(status, answer)

    def _token(self, form: dict) -> tuple[int, dict]:
        config = STATE.config
        if (
            form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer"
            or form.get("client_id") != config.get("client_id")
            or form.get("client_secret") != config.get("client_secret")
            or form.get("scope") != "bot"
        ):
            return 400, {"error": "invalid_request"}
        try:
            claims = jwt.decode(
                form.get("assertion", ""),
                config.get("public_key", ""),
                algorithms=["RS256"],
                options={"require": ["iss", "sub", "iat", "exp"]},
            )
        except jwt.PyJWTError as error:
            return 400, {"error": "invalid_grant", "detail": str(error)}
        if (
            claims["iss"] != config.get("client_id")
            or claims["sub"] != config.get("service_account")
            or claims["exp"] - claims["iat"] > 3600
        ):
            return 400, {"error": "invalid_grant"}
        token = "token-" + secrets.token_hex(8)
        with STATE.lock:
            STATE.tokens.add(token)
        return 200, {
            "access_token": token,
            "refresh_token": "refresh-" + secrets.token_hex(8),
            "scope": "bot",
            "token_type": "Bearer",
            "expires_in": str(config.get("expires_in", 86400)),
        }

    def _control(self, name: str, data: dict) -> None:
        with STATE.lock:
            if name == "reset":
                STATE.reset(data)
            elif name == "fail":
                STATE.failures.append({"times": 1, **data})
            elif name == "revoke":
                STATE.tokens.clear()
            else:
                return self._answer(404)
        self._answer(200, {"ok": True})


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"http://127.0.0.1:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
