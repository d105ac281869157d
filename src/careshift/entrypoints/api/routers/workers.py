"""Workers over REST: records, HR import, profiles, ratings, gaps, export and erasure.

Every route passes the caller to the service, which asks ``services.access`` and audits the
read or write. Institutions are the tenancy unit: ``/institutions/{id}/...`` lists only what
that institution's staff may see.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from careshift.domain.workforce import MAX_CHARS, EvidenceSource, Worker
from careshift.entrypoints.api.deps import CareshiftDep, PrincipalDep
from careshift.errors import InputError
from careshift.services import cv_suggestions, gaps, privacy, workers
from careshift.services.institutions import Institution, add_institution, list_institutions

router = APIRouter(tags=["workers"])

Level = Annotated[int, Field(ge=1, le=6)]


class InstitutionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    kind: str = "hospital"
    region: str | None = None
    parent_id: int | None = None


class InstitutionPublic(BaseModel):
    id: int
    code: str
    name: str
    kind: str
    region: str | None
    parent_id: int | None


class WorkerCreate(BaseModel):
    """One worker; the same fields and rules as a row of the HR import (docs/hr-import.md)."""

    model_config = ConfigDict(extra="forbid")
    employee_number: str = Field(min_length=1, max_length=MAX_CHARS["employee_number"])
    role: str = Field(
        min_length=1, max_length=MAX_CHARS["role"], description="Role URI or local role code."
    )
    name: str | None = Field(default=None, max_length=MAX_CHARS["name"])
    unit_code: str | None = Field(default=None, max_length=MAX_CHARS["unit_code"])
    unit_name: str | None = Field(default=None, max_length=MAX_CHARS["unit_name"])
    employed_from: date | None = None
    employed_to: date | None = None
    shift_pattern: str | None = None
    gender: str | None = None
    birth_year: int | None = None


class WorkerPublic(BaseModel):
    id: int
    institution_id: int
    employee_number: str
    role_uri: str
    name: str | None
    unit_code: str | None
    employed_from: date | None
    employed_to: date | None
    shift_pattern: str | None
    gender: str | None
    birth_year: int | None


class LevelsCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    levels: dict[str, Level] = Field(min_length=1, description="Skill URI -> level 1-6.")
    observed_on: date | None = None


class RatingCreate(LevelsCreate):
    source: EvidenceSource = EvidenceSource.SUPERVISOR
    note: str | None = Field(default=None, max_length=2000)


class SuggestionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=20_000, description="CV or job history.")
    lang: str = Field(default="en", pattern="^(en|nb|sv)$")


class SuggestionAccept(BaseModel):
    model_config = ConfigDict(extra="forbid")
    levels: dict[str, Level] = Field(min_length=1, description="Accepted skill URI -> level.")


class ImportPublic(BaseModel):
    created: int
    updated: int
    unchanged: int


def _public(worker: Worker) -> WorkerPublic:
    return WorkerPublic.model_validate(worker, from_attributes=True)


@router.get("/institutions", summary="Institutions (the tenancy units)")
def get_institutions(careshift: CareshiftDep, principal: PrincipalDep) -> list[InstitutionPublic]:
    found = list_institutions(careshift, principal)
    return [InstitutionPublic.model_validate(i, from_attributes=True) for i in found]


@router.post("/institutions", status_code=201, summary="Add an institution (administrators of all)")
def post_institution(
    body: InstitutionCreate, careshift: CareshiftDep, principal: PrincipalDep
) -> InstitutionPublic:
    """Only an administrator of every institution may add one (403 for an administrator
    scoped to some)."""
    made: Institution = add_institution(
        careshift, body.code, body.name, body.kind, region=body.region,
        parent_id=body.parent_id, principal=principal,
    )  # fmt: skip
    return InstitutionPublic.model_validate(made, from_attributes=True)


@router.get("/institutions/{institution_id}/workers", summary="Workers of an institution")
def get_workers(
    institution_id: int,
    careshift: CareshiftDep,
    principal: PrincipalDep,
    unit: str | None = None,
    role: str | None = None,
) -> list[WorkerPublic]:
    found = workers.list_workers(
        careshift, principal, institution_id, unit_code=unit, role_uri=role
    )
    return [_public(w) for w in found]


@router.post(
    "/institutions/{institution_id}/workers", status_code=201, summary="Create or update a worker"
)
def post_worker(
    institution_id: int, body: WorkerCreate, careshift: CareshiftDep, principal: PrincipalDep
) -> WorkerPublic:
    fields = body.model_dump(mode="json")
    return _public(workers.save_worker(careshift, principal, institution_id, fields))


@router.post(
    "/institutions/{institution_id}/workers/import",
    summary="Import an HR file (CSV or XLSX): all rows or none",
)
def post_import(
    institution_id: int,
    careshift: CareshiftDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="CSV or XLSX, see docs/hr-import.md")],
) -> ImportPublic:
    name = _upload_name(file.filename)
    with tempfile.TemporaryDirectory() as folder:
        # saved under a name of ours: the client's is only a label for messages
        path = Path(folder) / f"upload{Path(name).suffix.lower()}"
        path.write_bytes(file.file.read())
        counts = workers.import_workers(careshift, path, institution_id, principal, name=name)
    return ImportPublic(**counts)


#: the longest name a file system gives a file (255 on ext4, NTFS, APFS): no real file is longer
_MAX_FILE_NAME = 255
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def _upload_name(filename: str | None) -> str:
    """The uploaded file's own name, checked: it appears in every problem reported."""
    name = PurePosixPath((filename or "upload.csv").replace("\\", "/")).name
    if len(name) > _MAX_FILE_NAME:
        raise InputError(
            f"the file name is longer than {_MAX_FILE_NAME} characters; rename the file"
        )
    if _CONTROL.search(name):
        raise InputError("the file name contains a control character; rename the file")
    if PurePosixPath(name).suffix.lower() not in (".csv", ".xlsx"):
        raise InputError(f"{name}: expected a .csv or .xlsx file")
    return name


@router.get("/workers/{worker_id}", summary="A worker's record")
def get_worker(worker_id: int, careshift: CareshiftDep, principal: PrincipalDep) -> WorkerPublic:
    return _public(workers.get_worker(careshift, principal, worker_id))


@router.get("/workers/{worker_id}/profile", summary="Reconciled skill profile with evidence")
def get_profile(worker_id: int, careshift: CareshiftDep, principal: PrincipalDep) -> dict[str, Any]:
    found = workers.profile(careshift, principal, worker_id)
    skills = []
    for uri, skill in sorted(found.skills.items()):
        evidence = [
            {"level": e.level, "source": e.source.value, "observed_on": e.observed_on,
             "author": e.author, "note": e.note}
            for e in skill.evidence
        ]  # fmt: skip
        skills.append(
            {"skill_uri": uri, "level": skill.level, "basis": skill.basis.value,
             "evidence": evidence}
        )  # fmt: skip
    return {"worker": _public(found.worker).model_dump(mode="json"), "skills": skills}


@router.post("/workers/{worker_id}/self-assessment", status_code=204, summary="Assess yourself")
def post_self_assessment(
    worker_id: int, body: LevelsCreate, careshift: CareshiftDep, principal: PrincipalDep
) -> None:
    workers.assess_self(careshift, principal, worker_id, body.levels, body.observed_on)


@router.post("/workers/{worker_id}/ratings", status_code=204, summary="Record staff evidence")
def post_rating(
    worker_id: int, body: RatingCreate, careshift: CareshiftDep, principal: PrincipalDep
) -> None:
    workers.rate(
        careshift, principal, worker_id, body.levels, body.source, body.observed_on, body.note
    )


@router.post("/workers/{worker_id}/suggestions", summary="Skills suggested by a CV (not stored)")
def post_suggestions(
    worker_id: int, body: SuggestionCreate, careshift: CareshiftDep, principal: PrincipalDep
) -> list[dict[str, Any]]:
    return cv_suggestions.suggest_skills(careshift, principal, worker_id, body.text, body.lang)


@router.post(
    "/workers/{worker_id}/suggestions/accept", status_code=204, summary="Keep suggested skills"
)
def post_accept(
    worker_id: int, body: SuggestionAccept, careshift: CareshiftDep, principal: PrincipalDep
) -> None:
    cv_suggestions.accept_suggestions(careshift, principal, worker_id, body.levels)


@router.get("/workers/{worker_id}/gaps", summary="A worker's gap against a role")
def get_worker_gap(
    worker_id: int,
    careshift: CareshiftDep,
    principal: PrincipalDep,
    target: str | None = None,
    lang: Annotated[str, Query(pattern="^(en|nb|sv)$")] = "en",
) -> dict[str, Any]:
    return gaps.worker_gap(careshift, principal, worker_id, target, lang).to_dict()


@router.get("/workers/{worker_id}/export", summary="Everything held about a worker (JSON)")
def get_export(worker_id: int, careshift: CareshiftDep, principal: PrincipalDep) -> dict[str, Any]:
    return privacy.export_worker(careshift, principal, worker_id)


@router.delete("/workers/{worker_id}", summary="Erase a worker's personal data")
def delete_worker(
    worker_id: int, careshift: CareshiftDep, principal: PrincipalDep
) -> dict[str, str]:
    return {"erased_as": privacy.erase_worker(careshift, principal, worker_id)}


@router.get("/institutions/{institution_id}/gaps", summary="Group gaps (small cells suppressed)")
def get_group_gap(
    institution_id: int,
    careshift: CareshiftDep,
    principal: PrincipalDep,
    target: str | None = None,
    unit: str | None = None,
    role: str | None = None,
    by: Annotated[str, Query(pattern="^(unit|role|none)$")] = "unit",
    lang: Annotated[str, Query(pattern="^(en|nb|sv)$")] = "en",
) -> dict[str, Any]:
    report = gaps.group_gap(
        careshift, principal, institution_id, target_uri=target, unit_code=unit,
        role_uri=role, by=by, lang=lang,
    )  # fmt: skip
    return report.to_dict()
