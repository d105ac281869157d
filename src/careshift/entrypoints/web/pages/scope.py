"""Choosing which institution and role a staff page is about, within the reader's scope."""

from __future__ import annotations

from careshift.bootstrap import Careshift
from careshift.domain.access import Principal
from careshift.errors import NotFound, PermissionDenied
from careshift.services.frameworks import framework_roles
from careshift.services.institutions import list_institutions
from careshift.services.taxonomy import snapshot

__all__ = ["local_roles", "pick_institution", "scoped_institutions"]


def scoped_institutions(careshift: Careshift, principal: Principal) -> list[tuple[int, str]]:
    """(id, name) of the reader's institutions, hospitals and clinics first (where staff are)."""
    every = [
        (item.id, item.name, item.kind)
        for item in list_institutions(careshift)
        if principal.institutions is None or item.id in principal.institutions
    ]
    every.sort(key=lambda row: (row[2] not in ("hospital", "clinic"), row[2] != "hospital", row[1]))
    return [(i, name) for i, name, _ in every]


def pick_institution(
    careshift: Careshift, principal: Principal, wanted: int | None
) -> tuple[int, list[tuple[int, str]]]:
    """The institution asked for (or the reader's first), and the choices to offer."""
    choices = scoped_institutions(careshift, principal)
    if not choices:
        raise NotFound("you are not scoped to any institution; ask an administrator")
    ids = [i for i, _ in choices]
    if wanted is not None and wanted not in ids:
        raise PermissionDenied(f"you are not scoped to institution {wanted}")
    return (wanted if wanted is not None else ids[0]), choices


def local_roles(careshift: Careshift, lang: str) -> list[tuple[str, str, str]]:
    """(uri, label, label language) of every local-framework role, by label."""
    concepts = snapshot(careshift).concepts
    rows = []
    for uri in framework_roles(careshift):
        label, label_lang = concepts[uri].label(lang) if uri in concepts else (uri, "en")
        rows.append((uri, label, label_lang))
    return sorted(rows, key=lambda row: row[1].lower())
