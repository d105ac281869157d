"""Every audit subject type that names a worker is in the export's access log and
pseudonymised by erasure (PERSONAL_SUBJECTS), or listed here as naming no worker, and why.

A new ``audit.record(..., "subject_type", ...)`` call fails here until it is classified.
"""

from __future__ import annotations

import ast
from pathlib import Path

import careshift
from careshift.services.privacy import PERSONAL_SUBJECTS

SOURCE = Path(careshift.__file__).resolve().parent

#: Audit subject types whose subject id names no worker, nor a row of one worker.
NOT_NAMING_A_WORKER = {
    "account": "an account id; the account outlives the worker's erasure (only its link is "
    "cleared), so its trail stays with it",
    "access_token": "a token id of an account (see account)",
    "aggregate": "suppressed counts of a group",
    "audit_log": "the log's own export, no subject",
    "catalogue": "a catalogue file name",
    "cohort_calendar": "an institution's calendar",
    "cohort_plan": "a programme code",
    "engagement_invitation": "a session id (the count of invitations in detail)",
    "engagement_session": "a session id",
    "enrolment_requests": "an institution's list of requests",
    "exposure_override": "an occupation URI",
    "institution": "an institution id",
    "planning_document": "a document name",
    "programme": "a programme code",
    "role_impact": "a role URI",
    "roster": "a roster import, no subject",
    "session_attendance": "a course session code",
    "xapi_statements": "an LRS export file name",
}


def audited_subject_types() -> dict[str, list[str]]:
    """Literal subject types of every ``record(session, principal, action, subject_type, ...)``
    call in the package, with where they are written."""
    found: dict[str, list[str]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 4:
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            subject = node.args[3]
            if name == "record" and isinstance(subject, ast.Constant):
                where = f"{path.relative_to(SOURCE)}:{node.lineno}"
                found.setdefault(str(subject.value), []).append(where)
    return found


def test_every_audited_subject_type_is_personal_or_says_why_not() -> None:
    written = audited_subject_types()
    assert {"worker", "learning_record", "enrolment", "account"} <= set(written)
    assert set(PERSONAL_SUBJECTS) & set(NOT_NAMING_A_WORKER) == set()
    unknown = {
        kind: where
        for kind, where in written.items()
        if kind not in PERSONAL_SUBJECTS and kind not in NOT_NAMING_A_WORKER
    }
    assert unknown == {}
