"""ESCO labels straight from the official CSV zips and translation tables (benchmark input).

Used by the search benchmark when the store importer is not available; it reads only labels,
not relations, and does no validation (the importer is the one that checks files).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

# (uri, kind, lang, label_type, text)
LabelRow = tuple[str, str, str, str, str]

_CLASSIFICATION = {"occupations_en.csv": "occupation", "skills_en.csv": "skill"}
_TRANSLATIONS = {
    "esco_occupations_isco_sv.csv": "sv",
    "esco_occupations_isco_nb.csv": "nb",
    "esco_skills_sv_preflabels.csv": "sv",
}


def read_labels(esco_dir: Path) -> list[LabelRow]:
    rows: list[LabelRow] = []
    for archive in sorted(esco_dir.glob("v1.1.1/*.zip")):
        with zipfile.ZipFile(archive) as zipped:
            for name, kind in _CLASSIFICATION.items():
                if name in zipped.namelist():
                    with zipped.open(name) as raw:
                        rows.extend(_english(io.TextIOWrapper(raw, encoding="utf-8"), kind))
    for name, lang in _TRANSLATIONS.items():
        path = esco_dir / "translations" / name
        if path.exists():
            with path.open(encoding="utf-8", newline="") as handle:
                rows.extend(_translated(handle, lang))
    return rows


def _english(handle: io.TextIOWrapper, kind: str) -> Iterator[LabelRow]:
    for row in csv.DictReader(handle):
        uri = row["conceptUri"]
        yield uri, kind, "en", "preferred", row["preferredLabel"]
        for column, label_type in (("altLabels", "alt"), ("hiddenLabels", "hidden")):
            for text in (row.get(column) or "").split("\n"):
                if text.strip():
                    yield uri, kind, "en", label_type, text.strip()


def _translated(handle: io.TextIOBase, lang: str) -> Iterator[LabelRow]:
    for row in csv.DictReader(handle):
        uri = row["conceptUri"]
        concept_type = row.get("conceptType", "")
        if concept_type == "ISCOGroup":
            kind = "isco_group"
        elif concept_type == "Occupation":
            kind = "occupation"
        else:
            kind = "skill"
        yield uri, kind, lang, "preferred", row[f"preferredLabel_{lang}"]
        for text in (row.get(f"altLabels_{lang}") or "").split("\n"):
            if text.strip():
                yield uri, kind, lang, "alt", text.strip()
