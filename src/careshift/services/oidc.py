"""Optional single sign-on with OpenID Connect: authorization code flow with PKCE (RFC 7636).

Off unless ``CARESHIFT_OIDC_ISSUER`` is set. The browser is sent to the issuer with a random
``state``, ``nonce`` and PKCE challenge; those travel back in a short-lived cookie signed with
the server secret, so nothing is stored server-side before sign-in. The ID token is verified
(RS256 signature against the issuer's JWKS, issuer, audience, expiry, nonce) and mapped to an
existing careshift account: by the linked identity, else once by a verified e-mail address.
careshift never creates accounts from a sign-in: an administrator decides who has one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers
from cryptography.hazmat.primitives.hashes import SHA256
from sqlalchemy import select, update

from careshift.adapters.db.tables.accounts import user_account
from careshift.bootstrap import Careshift
from careshift.errors import ConfigError, PermissionDenied
from careshift.services.secret import sign

__all__ = ["STATE_COOKIE", "Provider", "authorization_request", "complete", "enabled", "provider"]

STATE_COOKIE = "careshift_oidc"
_STATE_LIFETIME = 600
_LEEWAY = 60


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


def enabled(careshift: Careshift) -> bool:
    return bool(careshift.settings.oidc_issuer)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _http(http: httpx.Client | None) -> httpx.Client:
    return http or httpx.Client(timeout=10, follow_redirects=False)


def provider(careshift: Careshift, http: httpx.Client | None = None) -> Provider:
    """The issuer's endpoints from its discovery document (fetched once, then cached)."""
    issuer = careshift.settings.oidc_issuer
    if not issuer:
        raise ConfigError("single sign-on is off: set CARESHIFT_OIDC_ISSUER")

    def build() -> Provider:
        response = _http(http).get(f"{issuer}/.well-known/openid-configuration")
        response.raise_for_status()
        found = response.json()
        if found.get("issuer", "").rstrip("/") != issuer:
            raise ConfigError(f"the discovery document names issuer {found.get('issuer')!r}")
        return Provider(
            issuer,
            found["authorization_endpoint"],
            found["token_endpoint"],
            found["jwks_uri"],
        )

    try:
        result: Provider = careshift.cached("oidc:provider", build)
    except (httpx.HTTPError, KeyError, ValueError) as exc:
        raise ConfigError(f"cannot read the OpenID configuration of {issuer}: {exc}") from None
    return result


def _seal(careshift: Careshift, payload: dict[str, Any]) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    return f"{body}.{sign(careshift, 'oidc:' + body)}"


def _unseal(careshift: Careshift, cookie: str) -> dict[str, Any]:
    body, _, signature = cookie.partition(".")
    if not hmac.compare_digest(signature, sign(careshift, "oidc:" + body)):
        raise PermissionDenied("the sign-in attempt could not be verified; start again")
    payload: dict[str, Any] = json.loads(_unb64(body))
    if payload.get("exp", 0) < time.time():
        raise PermissionDenied("the sign-in attempt took too long; start again")
    return payload


def authorization_request(
    careshift: Careshift, redirect_uri: str, next_path: str, http: httpx.Client | None = None
) -> tuple[str, str]:
    """(URL to send the browser to, value of the signed state cookie to set)."""
    endpoints = provider(careshift, http)
    verifier = secrets.token_urlsafe(48)
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": careshift.settings.oidc_client_id,
            "redirect_uri": redirect_uri,
            "scope": "openid email profile",
            "state": state,
            "nonce": nonce,
            "code_challenge": _b64(hashlib.sha256(verifier.encode()).digest()),
            "code_challenge_method": "S256",
        }
    )
    cookie = _seal(
        careshift,
        {"state": state, "nonce": nonce, "verifier": verifier, "next": next_path,
         "exp": int(time.time()) + _STATE_LIFETIME},
    )  # fmt: skip
    return f"{endpoints.authorization_endpoint}?{query}", cookie


def _verified_claims(
    careshift: Careshift, endpoints: Provider, id_token: str, nonce: str, http: httpx.Client
) -> dict[str, Any]:
    try:
        header_b64, payload_b64, signature_b64 = id_token.split(".")
        header = json.loads(_unb64(header_b64))
        claims: dict[str, Any] = json.loads(_unb64(payload_b64))
    except ValueError:
        raise PermissionDenied("the identity provider sent a malformed ID token") from None
    if header.get("alg") != "RS256":
        raise PermissionDenied(f"unsupported ID token algorithm {header.get('alg')!r}")
    keys = _http(http).get(endpoints.jwks_uri).json().get("keys", [])
    key = next((k for k in keys if k.get("kid") == header.get("kid")), None)
    if key is None or key.get("kty") != "RSA":
        raise PermissionDenied("the ID token was signed with an unknown key")
    public = RSAPublicNumbers(
        int.from_bytes(_unb64(key["e"]), "big"), int.from_bytes(_unb64(key["n"]), "big")
    ).public_key()
    try:
        public.verify(
            _unb64(signature_b64), f"{header_b64}.{payload_b64}".encode(), PKCS1v15(), SHA256()
        )
    except InvalidSignature:
        raise PermissionDenied("the ID token signature is not valid") from None
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    now = time.time()
    if (
        claims.get("iss", "").rstrip("/") != endpoints.issuer
        or careshift.settings.oidc_client_id not in audiences
        or claims.get("exp", 0) + _LEEWAY < now
        or not hmac.compare_digest(str(claims.get("nonce", "")), nonce)
    ):
        raise PermissionDenied("the ID token is not meant for careshift or has expired")
    return claims


def complete(
    careshift: Careshift,
    *,
    code: str,
    state: str,
    cookie: str,
    redirect_uri: str,
    http: httpx.Client | None = None,
) -> tuple[int, str]:
    """Finish the flow: returns (account id, the local path to go to next)."""
    sealed = _unseal(careshift, cookie)
    if not hmac.compare_digest(state, sealed["state"]):
        raise PermissionDenied("the sign-in answer does not match the request; start again")
    client = _http(http)
    endpoints = provider(careshift, client)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": careshift.settings.oidc_client_id,
        "code_verifier": sealed["verifier"],
    }
    if careshift.settings.oidc_client_secret:
        form["client_secret"] = careshift.settings.oidc_client_secret
    answer = client.post(endpoints.token_endpoint, data=form)
    if answer.status_code != 200 or "id_token" not in answer.json():
        raise PermissionDenied("the identity provider refused the sign-in")
    claims = _verified_claims(
        careshift, endpoints, answer.json()["id_token"], sealed["nonce"], client
    )
    return _account_for(careshift, claims), str(sealed["next"])


def _account_for(careshift: Careshift, claims: dict[str, Any]) -> int:
    subject = f"{claims['iss'].rstrip('/')}|{claims['sub']}"
    with careshift.store.transaction() as session:
        user_id = session.scalar(
            select(user_account.c.id).where(user_account.c.oidc_subject == subject)
        )
        email = str(claims.get("email", "")).strip().lower()
        if user_id is None and email and claims.get("email_verified") is True:
            user_id = session.scalar(
                select(user_account.c.id).where(
                    user_account.c.email == email, user_account.c.oidc_subject.is_(None)
                )
            )
            if user_id is not None:
                session.execute(
                    update(user_account)
                    .where(user_account.c.id == user_id)
                    .values(oidc_subject=subject)
                )
    if user_id is None:
        raise PermissionDenied("no careshift account for this identity; ask an administrator")
    return int(user_id)
