"""A worker's pathways: ranked from their own profile, every read audited even when the
ranking is reused, and never for a colleague."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from careshift import Careshift
from careshift.adapters.db.tables.platform import audit_log
from careshift.domain.access import SYSTEM, Principal, Role
from careshift.errors import PermissionDenied
from careshift.services import workers
from careshift.services.demo import STARTER_FRAMEWORK
from careshift.services.frameworks import load_framework
from careshift.services.worker_pathways import pathways_for_worker
from tests.support.accounts import make_institution


def test_pathways_come_from_the_profile_and_each_read_is_audited(careshift: Careshift) -> None:
    load_framework(careshift, STARTER_FRAMEWORK)
    hospital = make_institution(careshift)
    mine = workers.save_worker(
        careshift, SYSTEM, hospital, {"employee_number": "E1", "role": "patient_service_associate"}
    )
    other = workers.save_worker(
        careshift, SYSTEM, hospital, {"employee_number": "E2", "role": "patient_service_associate"}
    )
    me = Principal("user:1", frozenset({Role.WORKER}), frozenset({hospital}), worker_id=mine.id)
    first = pathways_for_worker(careshift, me, mine.id)
    again = pathways_for_worker(careshift, me, mine.id)
    assert first.report.options and again.report is first.report
    with careshift.store.sessions() as session:
        reads = session.scalar(
            select(func.count()).where(
                audit_log.c.subject_type == "profile", audit_log.c.actor == "user:1"
            )
        )
    assert reads == 2
    skill = workers.role_index(careshift).requirements[mine.role_uri][0].skill_uri
    workers.assess_self(careshift, me, mine.id, {skill: 6})
    assert pathways_for_worker(careshift, me, mine.id).report is not first.report
    with pytest.raises(PermissionDenied):
        pathways_for_worker(careshift, me, other.id)
