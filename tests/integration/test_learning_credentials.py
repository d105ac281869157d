"""Open Badges 3.0 credentials: schema-valid, signed, and refused when tampered, expired or
revoked."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator

from careshift import Careshift
from careshift.adapters import signing
from careshift.domain.access import SYSTEM
from careshift.entrypoints.cli import app
from careshift.services import credentials, learning, learning_progress
from tests.conftest import shared_path
from tests.integration.test_learning_progress import academy, make_psa  # noqa: F401

FRAMEWORK = "https://careshift.eu/framework/careshift-healthcare"


def completed_enrolment(careshift: Careshift, course: str = "PHL-201") -> tuple[int, int]:
    worker_id = make_psa(careshift)
    enrolment = learning_progress.enrol(careshift, SYSTEM, worker_id, course)
    learning_progress.complete(careshift, SYSTEM, enrolment)
    return worker_id, enrolment


def schema() -> Draft201909Validator:
    path = shared_path("standards", "openbadges-3.0", "achievementcredential.schema.json")
    return Draft201909Validator(json.loads(path.read_text()))


def test_course_credential_validates_against_the_open_badges_schema_and_verifies(
    academy: Careshift,  # noqa: F811
) -> None:
    _, enrolment = completed_enrolment(academy)
    issued = credentials.issue_for_enrolment(academy, SYSTEM, enrolment)
    errors = [e.message for e in schema().iter_errors(issued.credential)]
    assert errors == []
    _, payload = signing.unverified_parts(issued.token)
    assert [e.message for e in schema().iter_errors(payload)] == []
    achievement = issued.credential["credentialSubject"]["achievement"]
    urls = {a["targetUrl"] for a in achievement["alignment"]}
    assert f"{FRAMEWORK}/skill/phlebotomy" in urls
    assert any(u.startswith("http://data.europa.eu/esco/skill/") for u in urls)
    result = issued.credential["credentialSubject"]["result"][0]
    assert result["achievedLevel"].endswith("-2")
    report = credentials.verify(academy, issued.token)
    assert report.valid, report.problems
    assert report.checks == {"signature": True, "issuer": True, "expiry": True, "revocation": True}


def test_skill_level_credential_carries_the_profile_level(academy: Careshift) -> None:  # noqa: F811
    worker_id, _ = completed_enrolment(academy)
    skill = f"{FRAMEWORK}/skill/phlebotomy"
    issued = credentials.issue_for_skill(academy, SYSTEM, worker_id, skill)
    assert [e.message for e in schema().iter_errors(issued.credential)] == []
    assert issued.credential["credentialSubject"]["achievement"]["achievementType"] == "Competency"
    assert issued.credential["credentialSubject"]["result"][0]["achievedLevel"].endswith("-2")
    assert credentials.verify(academy, issued.token).valid


def test_a_changed_byte_fails_verification(academy: Careshift) -> None:  # noqa: F811
    _, enrolment = completed_enrolment(academy)
    token = credentials.issue_for_enrolment(academy, SYSTEM, enrolment).token
    header, payload, signature = token.split(".")
    claims = json.loads(signing._unb64url(payload))
    claims["credentialSubject"]["result"][0]["achievedLevel"] = "level-6"
    forged = signing.b64url(json.dumps(claims, separators=(",", ":")).encode())
    for bad in (
        f"{header}.{forged}.{signature}",
        token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1],
    ):
        report = credentials.verify(academy, bad)
        assert not report.valid
        assert report.checks.get("signature") is False


def test_expired_and_revoked_credentials_fail_verification(academy: Careshift) -> None:  # noqa: F811
    _, enrolment = completed_enrolment(academy)
    issued = credentials.issue_for_enrolment(academy, SYSTEM, enrolment, valid_days=30)
    later = datetime.now(UTC) + timedelta(days=31)
    expired = credentials.verify(academy, issued.token, now=later)
    assert not expired.valid and expired.checks["expiry"] is False
    assert credentials.verify(academy, issued.token).valid
    credentials.revoke(academy, SYSTEM, issued.uid, "issued in error")
    revoked = credentials.verify(academy, issued.token)
    assert not revoked.valid and revoked.checks["revocation"] is False
    assert "issued in error" in revoked.problems[0]


def test_private_keys_live_in_data_dir_with_owner_only_access(academy: Careshift) -> None:  # noqa: F811
    _, enrolment = completed_enrolment(academy)
    credentials.issue_for_enrolment(academy, SYSTEM, enrolment)
    keys = list((academy.settings.data_dir / "keys").glob("*.pem"))
    assert len(keys) == 1 and keys[0].stat().st_mode & 0o077 == 0


def test_cli_verify_exits_one_for_a_tampered_file(
    academy: Careshift,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    _, enrolment = completed_enrolment(academy)
    token = credentials.issue_for_enrolment(academy, SYSTEM, enrolment).token
    monkeypatch.setenv("CARESHIFT_DATABASE_URL", academy.store.url)
    monkeypatch.setenv("CARESHIFT_DATA_DIR", str(academy.settings.data_dir))
    good, bad = tmp_path / "good.jwt", tmp_path / "bad.jwt"
    good.write_text(token)
    bad.write_text(token.replace(".", ".x", 1))
    runner = CliRunner()
    assert runner.invoke(app, ["credentials", "verify", str(good)]).exit_code == 0
    assert runner.invoke(app, ["credentials", "verify", str(bad)]).exit_code == 1
    assert learning.catalogue(academy)
