"""Liveness and what data is loaded."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from careshift.entrypoints.api.deps import CareshiftDep

PREFIX = ""
router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness: the process answers and the database is reachable")
def healthz(careshift: CareshiftDep) -> dict[str, str]:
    with careshift.store.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return {"status": "ok", "database": careshift.store.dialect}
