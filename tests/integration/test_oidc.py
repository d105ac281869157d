"""Single sign-on: settings refused when unsafe, PKCE request built right, and the whole code
flow against an identity provider simulated offline (httpx transport, a freshly made RSA key)."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.hashes import SHA256

from careshift import Careshift, bootstrap, load_settings
from careshift.errors import ConfigError, PermissionDenied
from careshift.services import accounts, oidc

ISSUER = "https://idp.example/realms/staff"
CALLBACK = "https://careshift.example/login/oidc/callback"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class IdentityProvider:
    """Just enough of an OpenID provider: discovery, JWKS and a token endpoint checking PKCE."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.challenges: dict[str, str] = {}
        self.claims: dict[str, object] = {}
        self.nonces: dict[str, str] = {}

    def id_token(self, nonce: str) -> str:
        header = b64(json.dumps({"alg": "RS256", "kid": "k1"}).encode())
        claims = {
            "iss": ISSUER,
            "aud": "careshift",
            "exp": time.time() + 300,
            "nonce": nonce,
            "sub": "abc-123",
            "email": "nurse@example.org",
            "email_verified": True,
        }
        payload = b64(json.dumps({**claims, **self.claims}).encode())
        signature = self.key.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), SHA256())
        return f"{header}.{payload}.{b64(signature)}"

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/.well-known/openid-configuration"):
            return httpx.Response(
                200,
                json={
                    "issuer": ISSUER,
                    "authorization_endpoint": f"{ISSUER}/auth",
                    "token_endpoint": f"{ISSUER}/token",
                    "jwks_uri": f"{ISSUER}/certs",
                },
            )
        if path.endswith("/certs"):
            numbers = self.key.public_key().public_numbers()
            return httpx.Response(
                200,
                json={
                    "keys": [
                        {
                            "kty": "RSA",
                            "kid": "k1",
                            "e": b64(numbers.e.to_bytes(3, "big")),
                            "n": b64(numbers.n.to_bytes(256, "big")),
                        }
                    ]
                },
            )
        form = parse_qs(request.content.decode())
        code = form["code"][0]
        challenge = b64(hashlib.sha256(form["code_verifier"][0].encode()).digest())
        if self.challenges.get(code) != challenge:
            return httpx.Response(400, json={"error": "invalid_grant"})
        return httpx.Response(200, json={"id_token": self.id_token(self.nonces[code])})

    def authorize(self, url: str) -> tuple[str, str]:
        """What the user's browser would do at the issuer: returns (code, state)."""
        query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        assert query["code_challenge_method"] == "S256"
        self.challenges["code-1"] = query["code_challenge"]
        self.nonces["code-1"] = query["nonce"]
        return "code-1", query["state"]


@pytest.fixture
def sso(database_url: str, tmp_path: Path) -> Iterator[Careshift]:
    settings = load_settings(database_url=database_url, data_dir=tmp_path / "var",
                             oidc_issuer=ISSUER + "/", oidc_client_id="careshift")  # fmt: skip
    instance = bootstrap(settings)
    try:
        yield instance
    finally:
        instance.close()


def test_single_sign_on_is_off_by_default_and_refuses_a_plain_http_issuer() -> None:
    assert load_settings().oidc_issuer == ""
    with pytest.raises(ConfigError, match="https"):
        load_settings(oidc_issuer="http://idp.example", oidc_client_id="x")
    with pytest.raises(ConfigError, match="CARESHIFT_OIDC_CLIENT_ID"):
        load_settings(oidc_issuer="https://idp.example")


def test_the_authorization_request_carries_pkce_state_and_nonce(sso: Careshift) -> None:
    idp = IdentityProvider()
    http = httpx.Client(transport=httpx.MockTransport(idp.handle))
    url, cookie = oidc.authorization_request(sso, CALLBACK, "/me/profile", http)
    query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    assert url.startswith(f"{ISSUER}/auth?")
    assert query["client_id"] == "careshift" and query["redirect_uri"] == CALLBACK
    assert query["scope"] == "openid email profile" and query["response_type"] == "code"
    assert len(query["code_challenge"]) == 43 and query["state"] not in cookie


def test_the_code_flow_signs_in_an_existing_account_by_verified_email(sso: Careshift) -> None:
    user_id = accounts.create_user(sso, "nurse@example.org", "Nina")
    idp = IdentityProvider()
    http = httpx.Client(transport=httpx.MockTransport(idp.handle))
    url, cookie = oidc.authorization_request(sso, CALLBACK, "/me/profile", http)
    code, state = idp.authorize(url)
    signed, next_path = oidc.complete(
        sso, code=code, state=state, cookie=cookie, redirect_uri=CALLBACK, http=http
    )
    assert (signed, next_path) == (user_id, "/me/profile")
    # the identity is now linked: a later sign-in matches by subject, whatever the e-mail says
    idp.claims = {"email": "changed@example.org"}
    url, cookie = oidc.authorization_request(sso, CALLBACK, "/", http)
    code, state = idp.authorize(url)
    assert oidc.complete(sso, code=code, state=state, cookie=cookie, redirect_uri=CALLBACK,
                         http=http)[0] == user_id  # fmt: skip


@pytest.mark.parametrize(
    "claims",
    [{"aud": "someone-else"}, {"exp": 1}, {"iss": "https://evil.example"}, {"nonce": "replayed"}],
)
def test_a_token_for_someone_else_expired_or_replayed_is_refused(
    sso: Careshift, claims: dict[str, object]
) -> None:
    accounts.create_user(sso, "nurse@example.org", "Nina")
    idp = IdentityProvider()
    idp.claims = claims
    http = httpx.Client(transport=httpx.MockTransport(idp.handle))
    url, cookie = oidc.authorization_request(sso, CALLBACK, "/", http)
    code, state = idp.authorize(url)
    with pytest.raises(PermissionDenied):
        oidc.complete(sso, code=code, state=state, cookie=cookie, redirect_uri=CALLBACK, http=http)


def test_a_tampered_state_or_an_unknown_person_is_refused(sso: Careshift) -> None:
    idp = IdentityProvider()
    http = httpx.Client(transport=httpx.MockTransport(idp.handle))
    url, cookie = oidc.authorization_request(sso, CALLBACK, "/", http)
    code, state = idp.authorize(url)
    with pytest.raises(PermissionDenied, match="does not match"):
        oidc.complete(sso, code=code, state="forged", cookie=cookie, redirect_uri=CALLBACK,
                      http=http)  # fmt: skip
    with pytest.raises(PermissionDenied, match="ask an administrator"):
        oidc.complete(sso, code=code, state=state, cookie=cookie, redirect_uri=CALLBACK, http=http)
