"""Ed25519 keys on disk and compact JWS (JWT-VC, ``alg: EdDSA``) signing and verification.

Private keys are PKCS#8 PEM files ``<data_dir>/keys/<kid>.pem`` written with mode 0600 and never
stored in the database; the public key (raw 32 bytes, base64url) is stored with the institution
and also embedded in each token's header as a JWK so a holder can inspect it. Verification
trusts only the key careshift holds for the ``kid``, never the embedded one.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "BadToken",
    "b64url",
    "generate_key",
    "load_private_key",
    "sign",
    "unverified_parts",
    "verify",
]


class BadToken(Exception):
    """The token is malformed or its signature does not verify."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_key(keys_dir: Path) -> tuple[str, str]:
    """A new key pair; writes the private key and returns (kid, public key base64url)."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    kid = f"ed25519-{secrets.token_hex(8)}"
    keys_dir.mkdir(parents=True, exist_ok=True)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path = keys_dir / f"{kid}.pem"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return kid, b64url(public)


def load_private_key(keys_dir: Path, kid: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key((keys_dir / f"{kid}.pem").read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise BadToken(f"key {kid} is not an Ed25519 key")
    return key


def sign(payload: dict[str, Any], private: Ed25519PrivateKey, kid: str, public: str) -> str:
    header = {
        "alg": "EdDSA",
        "typ": "JWT",
        "kid": kid,
        "jwk": {"kty": "OKP", "crv": "Ed25519", "x": public},
    }
    signing_input = ".".join(
        b64url(json.dumps(part, separators=(",", ":"), ensure_ascii=False).encode())
        for part in (header, payload)
    )
    signature = private.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


def unverified_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and payload of a compact JWS without checking anything (to find the key)."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise BadToken("not a compact JWS (expected three dot-separated parts)")
    try:
        header, payload = (json.loads(_unb64url(p)) for p in parts[:2])
    except ValueError as exc:
        raise BadToken(f"header or payload is not base64url JSON: {exc}") from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise BadToken("header and payload must be JSON objects")
    return header, payload


def verify(token: str, public: str) -> dict[str, Any]:
    """The payload if the EdDSA signature verifies with ``public`` (base64url raw key)."""
    header, payload = unverified_parts(token)
    if header.get("alg") != "EdDSA":
        raise BadToken(f"unsupported algorithm {header.get('alg')!r} (expected EdDSA)")
    signing_input, _, signature = token.strip().rpartition(".")
    try:
        key = Ed25519PublicKey.from_public_bytes(_unb64url(public))
        key.verify(_unb64url(signature), signing_input.encode("ascii"))
    except (InvalidSignature, ValueError):
        raise BadToken("signature does not verify") from None
    return payload
