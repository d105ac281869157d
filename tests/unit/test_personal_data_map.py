"""Every table and every audit subject type about a worker is in the export (and, for audit
subjects, pseudonymised by erasure), or deliberately left out for a stated reason.

A new table with a ``worker_id`` column (or one hanging off such a table by foreign key), or a
new ``audit.record(..., "subject_type", ...)`` call, fails here until it is classified.
"""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, Table

import careshift.adapters.db.tables  # every area's tables on metadata, and the package
from careshift.adapters.db.base import metadata
from careshift.services.privacy import EXPORT_SECTIONS, NOT_EXPORTED, PERSONAL_SUBJECTS

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


def tables_about_a_worker(schema: MetaData) -> set[str]:
    """Tables with a ``worker_id`` column, the worker table, and every table that depends on
    one of those by foreign key (attendance on an enrolment, roles on an account)."""
    found = {t.name for t in schema.tables.values() if "worker_id" in t.c}
    found.add("workforce_worker")
    while True:
        more = {
            table.name
            for table in schema.tables.values()
            for fk in table.foreign_keys
            if fk.column.table.name in found and table.name not in found
        }
        if not more:
            return found
        found |= more


def unclassified(schema: MetaData) -> set[str]:
    exported = {t.name for tables in EXPORT_SECTIONS.values() for t in tables}
    return tables_about_a_worker(schema) - exported - set(NOT_EXPORTED)


def test_every_table_about_a_worker_is_exported_or_deliberately_left_out() -> None:
    assert unclassified(metadata) == set()


def test_nothing_is_both_exported_and_left_out_and_every_exclusion_says_why() -> None:
    exported = {t.name for tables in EXPORT_SECTIONS.values() for t in tables}
    assert exported & set(NOT_EXPORTED) == set()
    # The audit log names workers by subject, not by a column; it is the export's access_log.
    assert exported | set(NOT_EXPORTED) == tables_about_a_worker(metadata) | {"audit_log"}
    assert all(len(reason) > 20 for reason in NOT_EXPORTED.values())


def test_a_new_table_with_a_worker_id_column_is_caught() -> None:
    schema = MetaData()
    for table in metadata.tables.values():
        table.to_metadata(schema)
    Table("learning_mentor_note", schema, Column("id", Integer), Column("worker_id", Integer))
    assert unclassified(schema) == {"learning_mentor_note"}


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
