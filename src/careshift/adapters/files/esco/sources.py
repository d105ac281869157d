"""Where ESCO CSV files come from: zips, folders and single files, expanded into sources.

The official download is a zip per kind (classification per language, relations); people also
unpack it, or point at a folder holding several zips and the translation tables. Every CSV found
becomes one :class:`CsvSource`; what it contains is decided later from its header and content.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath

from careshift.errors import ImportFailed, RowProblem

__all__ = ["CsvSource", "expand_sources", "version_in"]

# "ESCO dataset - v1.1.1 - classification - en - csv.zip", "esco-v1.2.0/", "v1.1.1"
_VERSION = re.compile(r"(?<![A-Za-z0-9])v(\d+(?:\.\d+)+)", re.IGNORECASE)
# occupations_en.csv, skills_pt-BR.csv; ESCO calls Norwegian "no", careshift says "nb".
_LANGUAGE_SUFFIX = re.compile(r"_([a-z]{2}(?:-[A-Za-z]{2,4})?)$")
_LANGUAGE_ALIASES = {"no": "nb"}


@dataclass(frozen=True)
class CsvSource:
    """One CSV file of an import call, read into memory."""

    #: file name only, e.g. ``occupations_en.csv``
    name: str
    #: how messages name it, e.g. ``ESCO dataset - v1.1.1 - ... csv.zip/occupations_en.csv``
    display: str
    data: bytes
    #: the ESCO version the file, its archive or folder names (``v1.1.1``), if any
    version: str | None

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem

    @property
    def language(self) -> str | None:
        """Language suffix of the file name (``occupations_sv.csv`` -> ``sv``), if any."""
        match = _LANGUAGE_SUFFIX.search(self.stem)
        if not match:
            return None
        code = match.group(1).lower()
        return _LANGUAGE_ALIASES.get(code, code)


def version_in(*names: str) -> str | None:
    """The first ``vX.Y[.Z]`` found in ``names`` (innermost first), as ``"vX.Y.Z"``."""
    for name in names:
        match = _VERSION.search(name)
        if match:
            return f"v{match.group(1)}"
    return None


def _path_version(path: Path) -> str | None:
    return version_in(*(part for part in reversed(path.resolve().parts)))


def _from_zip(path: Path) -> list[CsvSource]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFailed(
            f"{path}: not a readable zip ({exc})", [RowProblem(str(path), None, None, str(exc))]
        ) from None
    sources = []
    with archive:
        for member in sorted(archive.namelist()):
            inner = PurePosixPath(member)
            if member.endswith("/") or inner.suffix.lower() != ".csv":
                continue
            if "__MACOSX" in inner.parts:
                continue
            version = version_in(*reversed(inner.parts)) or _path_version(path)
            sources.append(
                CsvSource(inner.name, f"{path.name}/{member}", archive.read(member), version)
            )
    return sources


def _from_file(path: Path, display: str) -> CsvSource:
    return CsvSource(path.name, display, path.read_bytes(), _path_version(path))


def _from_folder(folder: Path) -> list[CsvSource]:
    sources: list[CsvSource] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix == ".zip":
            sources.extend(_from_zip(path))
        elif suffix == ".csv":
            sources.append(_from_file(path, str(path.relative_to(folder.parent))))
    return sources


def expand_sources(paths: list[Path]) -> list[CsvSource]:
    """Every CSV in ``paths`` (zips, folders searched recursively, CSV files), duplicates once.

    The same content reached twice (an unpacked folder beside its zip) is kept once.
    """
    if not paths:
        raise ImportFailed("nothing to import: give at least one ESCO zip, folder or CSV file")
    sources: list[CsvSource] = []
    for path in paths:
        if not path.exists():
            raise ImportFailed(
                f"{path}: no such file or folder", [RowProblem(str(path), None, None, "not found")]
            )
        if path.is_dir():
            found = _from_folder(path)
        elif path.suffix.lower() == ".zip":
            found = _from_zip(path)
        elif path.suffix.lower() == ".csv":
            found = [_from_file(path, path.name)]
        else:
            problem = RowProblem(str(path), None, None, "expected a .zip, a .csv or a folder")
            raise ImportFailed(str(problem), [problem])
        if not found:
            problem = RowProblem(str(path), None, None, "holds no CSV file")
            raise ImportFailed(str(problem), [problem])
        sources.extend(found)
    unique: dict[str, CsvSource] = {}
    for source in sources:
        unique.setdefault(source.digest, source)
    return list(unique.values())
