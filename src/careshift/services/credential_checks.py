"""Verify an Open Badges 3.0 JWT-VC offline: signature with the key careshift holds for the
token's ``kid`` (never the key embedded in the header), issuer = that key's institution,
validity window, and revocation. Every failed check is named."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from careshift.adapters import signing
from careshift.adapters.db.tables import learning as t
from careshift.adapters.db.tables.platform import institution
from careshift.bootstrap import Careshift

__all__ = ["Verification", "issuer_id", "verify"]


def issuer_id(code: str) -> str:
    return f"urn:careshift:institution:{code}"


@dataclass
class Verification:
    valid: bool = True
    checks: dict[str, bool] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    credential: dict[str, Any] | None = None

    def fail(self, check: str, problem: str) -> None:
        self.valid = False
        self.checks[check] = False
        self.problems.append(problem)


def verify(careshift: Careshift, token: str, now: datetime | None = None) -> Verification:
    """Check signature, issuer, validity window and revocation; every failed check is named."""
    report = Verification()
    moment = now or datetime.now(UTC)
    try:
        header, _ = signing.unverified_parts(token)
    except signing.BadToken as exc:
        report.fail("signature", str(exc))
        return report
    with careshift.store.engine.connect() as connection:
        key = connection.execute(
            select(t.signing_key.c.public_key, institution.c.code)
            .join(institution, institution.c.id == t.signing_key.c.institution_id)
            .where(t.signing_key.c.kid == str(header.get("kid")))
        ).first()
        if key is None:
            report.fail("signature", f"unknown signing key {header.get('kid')!r}")
            return report
        try:
            claims = signing.verify(token, key[0])
        except signing.BadToken as exc:
            report.fail("signature", str(exc))
            return report
        report.checks["signature"] = True
        report.credential = claims
        revoked = connection.execute(
            select(t.credential.c.revoked_at, t.credential.c.revocation_reason).where(
                t.credential.c.uid == str(claims.get("jti"))
            )
        ).first()
    _check_issuer(report, claims, issuer_id(key[1]))
    _check_window(report, claims, moment)
    if revoked is not None and revoked[0] is not None:
        report.fail("revocation", f"revoked: {revoked[1] or 'no reason given'}")
    else:
        report.checks["revocation"] = True
    return report


def _check_issuer(report: Verification, claims: dict[str, Any], expected: str) -> None:
    issuer = claims.get("issuer")
    named = issuer.get("id") if isinstance(issuer, dict) else issuer
    if claims.get("iss") == expected and named == expected:
        report.checks["issuer"] = True
    else:
        report.fail("issuer", f"issuer {named!r} is not the key's institution {expected!r}")


def _check_window(report: Verification, claims: dict[str, Any], moment: datetime) -> None:
    now = moment.timestamp()
    if isinstance(claims.get("nbf"), int) and claims["nbf"] > now + 60:
        report.fail("expiry", "not valid yet")
    elif isinstance(claims.get("exp"), int) and claims["exp"] < now:
        report.fail(
            "expiry", f"expired at {datetime.fromtimestamp(claims['exp'], UTC).isoformat()}"
        )
    else:
        report.checks["expiry"] = True
