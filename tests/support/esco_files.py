"""Builders for ESCO test files: copies of tests/data/esco_mini with one deliberate change."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

MINI = Path(__file__).resolve().parents[1] / "data" / "esco_mini"
CLASSIFICATION_NAME = "ESCO dataset - v1.1.0 - classification - en - csv"
RELATIONS_NAME = "ESCO dataset - v1.1.0 - classification -  - csv"
CLASSIFICATION = MINI / CLASSIFICATION_NAME
RELATIONS = MINI / RELATIONS_NAME
TRANSLATIONS = MINI / "translations"


def mini_copy(tmp_path: Path, version: str = "v1.1.0") -> Path:
    """A writable copy of the mini download whose folder names carry ``version``."""
    root = tmp_path / f"esco-{version}"
    for folder in (CLASSIFICATION, RELATIONS, TRANSLATIONS):
        shutil.copytree(folder, root / folder.name.replace("v1.1.0", version))
    return root


def classification(root: Path) -> Path:
    return next(p for p in root.iterdir() if p.name.endswith("- en - csv"))


def relations(root: Path) -> Path:
    return next(p for p in root.iterdir() if p.name.endswith("-  - csv"))


def line_of(path: Path, fragment: str) -> int:
    """Physical line number (1-based) of the first line containing ``fragment``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in {path}")


def replace_once(path: Path, old: str, new: str | bytes) -> None:
    data = path.read_bytes()
    assert data.count(old.encode()) == 1, f"{old!r} must occur exactly once in {path.name}"
    replacement = new if isinstance(new, bytes) else new.encode()
    path.write_bytes(data.replace(old.encode(), replacement))


def replace_on_line(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def drop_column(path: Path, column: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    index = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [value for i, value in enumerate(row) if i != index] for row in rows
    )
    path.write_text(out.getvalue(), encoding="utf-8")


def zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return target


def drop_row(path: Path, uri: str) -> None:
    """Remove the record describing ``uri`` (records may span several lines)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    kept = [row for row in rows if uri not in row]
    assert len(kept) == len(rows) - 1, f"{uri} must be described once in {path.name}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(kept)
    path.write_text(out.getvalue(), encoding="utf-8")
