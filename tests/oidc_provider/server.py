"""A small OpenID provider for the tests, run as its own process on loopback.

``python -m tests.oidc_provider.server --client-id ID --client-secret SECRET`` binds a free
port on 127.0.0.1 and prints its issuer URL as the first line of its output. It speaks just
enough OpenID Connect for a relying party that uses the Authorization Code flow: discovery,
``/authorize`` (consent is automatic, for the person the tests chose), ``/token`` (a code is
good once, for the client and redirect URI it was issued to, and only with the PKCE verifier
of its challenge), the JWKS, and ``/logout`` (RP-initiated logout). ID tokens are RS256 JWTs
signed with a key the tests can rotate.

Test controls, JSON over POST, so that a test can make the provider misbehave as a real one
might (or as an attacker's would):

- ``/_control/person``: the claims of whoever "signs in" next (``sub`` required); ``{}``
  makes ``/authorize`` answer ``error=access_denied``.
- ``/_control/next-token``: how the next ID token differs from a good one, once:
  ``{"aud": ..., "iss": ..., "exp": -600 (seconds from now), "nonce": ..., "omit": [claims],
  "unknown_kid": true}``.
- ``/_control/rotate``: sign with a new key from now on (the JWKS lists the new and the old).
- ``/_control/reset``: forget codes, overrides, events; a fresh key.
- ``GET /_control/events``: what happened (token requests and their outcome, logouts, JWKS
  fetches), for the tests to assert on.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CODE_LIFETIME = 60  # seconds
TOKEN_LIFETIME = 300  # seconds


def _new_key() -> tuple[str, rsa.RSAPrivateKey]:
    return secrets.token_hex(8), rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _public_jwk(kid: str, key: rsa.RSAPrivateKey) -> dict:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}


class Provider:
    """Everything the provider remembers; one lock, since the server is threaded."""

    def __init__(self, issuer: str, clients: dict[str, str]):
        self.issuer = issuer
        self.clients = clients
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.keys = [_new_key()]  # signing key first; older ones stay published
        self.person: dict = {}
        self.codes: dict[str, dict] = {}
        self.next_token: dict = {}
        self.events: list[dict] = []

    def rotate(self) -> str:
        self.keys.insert(0, _new_key())
        del self.keys[2:]
        return self.keys[0][0]

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "scopes_supported": ["openid", "profile", "email"],
        }

    def id_token(self, *, client_id: str, nonce: str | None, claims: dict) -> str:
        override, self.next_token = self.next_token, {}
        now = int(time.time())
        payload = {
            "iss": override.get("iss", self.issuer),
            "aud": override.get("aud", client_id),
            "iat": now,
            "exp": now + override.get("exp", TOKEN_LIFETIME),
            **claims,
        }
        if nonce is not None:
            payload["nonce"] = override.get("nonce", nonce)
        for name in override.get("omit", []):
            payload.pop(name, None)
        kid, key = self.keys[0]
        if override.get("unknown_kid"):
            kid, key = _new_key()
        return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


class Handler(BaseHTTPRequestHandler):
    server_version = "TestOP/1"
    provider: Provider  # set on the class by main()

    def log_message(self, format, *args):  # quiet: the tests read /_control/events
        pass

    # --- plumbing ---------------------------------------------------------------------
    def _send(self, status: int, body: dict | str = "", headers: dict | None = None) -> None:
        data = json.dumps(body).encode() if isinstance(body, dict) else body.encode()
        self.send_response(status)
        content_type = "application/json" if isinstance(body, dict) else "text/plain"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _redirect(self, url: str) -> None:
        self._send(302, "", {"Location": url})

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    # --- routes -------------------------------------------------------------------------
    def do_GET(self):
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        op = self.provider
        with op.lock:
            if url.path == "/.well-known/openid-configuration":
                op.events.append({"event": "discovery"})
                return self._send(200, op.discovery())
            if url.path == "/jwks":
                op.events.append({"event": "jwks"})
                return self._send(200, {"keys": [_public_jwk(k, key) for k, key in op.keys]})
            if url.path == "/authorize":
                return self._authorize(query)
            if url.path == "/logout":
                op.events.append({"event": "end_session", **query})
                target = query.get("post_logout_redirect_uri")
                return self._redirect(target) if target else self._send(200, "signed out")
            if url.path == "/_control/events":
                return self._send(200, {"events": op.events})
        return self._send(404, {"error": "not_found"})

    def do_POST(self):
        url = urlsplit(self.path)
        body = self._body()
        op = self.provider
        with op.lock:
            if url.path == "/token":
                form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
                return self._token(form)
            if url.path.startswith("/_control/"):
                data = json.loads(body or b"{}")
                name = url.path.removeprefix("/_control/")
                if name == "person":
                    op.person = data
                elif name == "next-token":
                    op.next_token = data
                elif name == "rotate":
                    return self._send(200, {"kid": op.rotate()})
                elif name == "reset":
                    op.reset()
                else:
                    return self._send(404, {"error": "no such control"})
                return self._send(200, {"ok": True})
        return self._send(404, {"error": "not_found"})

    def _authorize(self, query: dict) -> None:
        op = self.provider
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") not in op.clients or not redirect_uri:
            return self._send(400, "unknown client or no redirect_uri")
        state = query.get("state", "")
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            return self._redirect(
                f"{redirect_uri}?{urlencode({'error': 'invalid_request', 'state': state})}"
            )
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return self._redirect(
                f"{redirect_uri}?{urlencode({'error': 'invalid_request', 'state': state})}"
            )
        if not op.person:
            return self._redirect(
                f"{redirect_uri}?{urlencode({'error': 'access_denied', 'state': state})}"
            )
        code = secrets.token_urlsafe(24)
        op.codes[code] = {
            "client_id": query["client_id"],
            "redirect_uri": redirect_uri,
            "nonce": query.get("nonce"),
            "challenge": query["code_challenge"],
            "claims": dict(op.person),
            "expires": time.time() + CODE_LIFETIME,
            "used": False,
        }
        op.events.append({"event": "authorize", "client_id": query["client_id"]})
        return self._redirect(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}")

    def _client(self, form: dict) -> str | None:
        """The client that authenticated, by HTTP Basic or by the form (client_secret_post)."""
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        expected = self.provider.clients.get(client_id)
        if expected is None or not secrets.compare_digest(expected, secret):
            return None
        return client_id

    def _token(self, form: dict) -> None:
        op = self.provider

        def refuse(error: str, status: int = 400):
            op.events.append({"event": "token", "outcome": error})
            return self._send(status, {"error": error})

        client_id = self._client(form)
        if client_id is None:
            return refuse("invalid_client", 401)
        if form.get("grant_type") != "authorization_code":
            return refuse("unsupported_grant_type")
        grant = op.codes.get(form.get("code", ""))
        if grant is None or grant["expires"] < time.time() or grant["client_id"] != client_id:
            return refuse("invalid_grant")
        if grant["used"]:
            # A code used twice: refused (RFC 6749 4.1.2: the second use must fail).
            return refuse("invalid_grant")
        grant["used"] = True
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return refuse("invalid_grant")
        verifier = form.get("code_verifier", "")
        digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if not verifier or not secrets.compare_digest(challenge, grant["challenge"]):
            return refuse("invalid_grant")
        id_token = op.id_token(client_id=client_id, nonce=grant["nonce"], claims=grant["claims"])
        op.events.append({"event": "token", "outcome": "ok"})
        return self._send(
            200,
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME,
                "id_token": id_token,
            },
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    issuer = f"http://127.0.0.1:{server.server_address[1]}"
    Handler.provider = Provider(issuer, {args.client_id: args.client_secret})
    print(issuer, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
