"""Read the exposure and transition reference files (under ``reference/``).

Each table keeps its source and year. A malformed row raises :class:`ImportFailed` naming the
file, line and field. Files: ILO WP 140 (2025) and WP 96 (2023) generative-AI exposure by
ISCO-08 unit group; Nesta Mapping Career Causeways automation risk by ISCO-08 unit group and by
ESCO occupation (joined on ``concept_uri``, never on Nesta's integer id); Nesta's transition
counts per occupation (for the benchmark comparison).
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from careshift.domain.exposure import ExposureReference, SourceTable
from careshift.errors import ImportFailed, RowProblem

__all__ = [
    "ILO_2023",
    "ILO_2025",
    "NESTA",
    "NestaOccupation",
    "read_exposure_reference",
    "read_nesta_transitions",
]

ILO_2025 = "ILO WP 140 generative-AI exposure (Gmyrek et al. 2025)"
ILO_2023 = "ILO WP 96 generative-AI exposure (Gmyrek, Berg, Bescond 2023)"
NESTA = "Nesta Mapping Career Causeways automation risk (Kanders et al. 2020)"

_EXPOSURE = Path("exposure")
_CAUSEWAYS = Path("causeways/supplementary_online_data")
ILO_FILE = _EXPOSURE / "ilo_genai_exposure_2025_isco08_4digit.csv"
NESTA_ISCO_FILE = _EXPOSURE / "nesta_mcc_automation_risk_isco08_4digit.csv"
NESTA_ESCO_FILE = _CAUSEWAYS / "automation_risk/mcc_risk_All_occupations.csv"
NESTA_TRANSITIONS_FILE = _CAUSEWAYS / "transitions/mcc_transitions_Occupation_data.csv"


def _rows(
    root: Path, relative: Path, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    path = root / relative
    if not path.is_file():
        raise ImportFailed(
            f"missing reference file {path}", [RowProblem(str(path), None, None, "not found")]
        )
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in required if name not in (reader.fieldnames or [])]
        if missing:
            problem = RowProblem(str(path), 1, missing[0], "column missing from the header")
            raise ImportFailed(f"{path}: unexpected header", [problem])
        for row in reader:
            yield reader.line_num, row


def _number(
    path: Path, line: int, row: dict[str, str], name: str, parse: Callable[[str], float] = float
) -> float:
    try:
        return parse(row[name])
    except (TypeError, ValueError):
        problem = RowProblem(str(path), line, name, f"not a number: {row.get(name)!r}")
        raise ImportFailed(f"{path}:{line}: bad value in {name}", [problem]) from None


def _isco(path: Path, line: int, value: str) -> str:
    code = value.strip()
    if not (code.isdigit() and len(code) == 4):
        problem = RowProblem(str(path), line, "isco code", f"not a 4-digit ISCO-08 code: {value!r}")
        raise ImportFailed(f"{path}:{line}: bad ISCO-08 code", [problem])
    return f"isco08:{code}"


def _ilo_tables(root: Path) -> tuple[SourceTable, SourceTable]:
    cols = (
        "isco08_code",
        "mean_score_2025",
        "exposure_gradient_2025",
        "mean_score_2023",
        "exposure_category_2023",
    )
    y2025: dict[str, tuple[float, str]] = {}
    y2023: dict[str, tuple[float, str]] = {}
    for line, row in _rows(root, ILO_FILE, cols):
        key = _isco(root / ILO_FILE, line, row["isco08_code"])
        y2025[key] = (
            _number(root / ILO_FILE, line, row, "mean_score_2025"),
            row["exposure_gradient_2025"],
        )
        y2023[key] = (
            _number(root / ILO_FILE, line, row, "mean_score_2023"),
            row["exposure_category_2023"],
        )
    high_2025 = frozenset({"Exposed: Gradient 3", "Exposed: Gradient 4"})
    return (
        SourceTable(
            "ilo-genai",
            ILO_2025,
            2025,
            y2025,
            tuple(sorted(v for v, _ in y2025.values())),
            high_2025,
        ),
        SourceTable(
            "ilo-genai",
            ILO_2023,
            2023,
            y2023,
            tuple(sorted(v for v, _ in y2023.values())),
            frozenset({"Automation Potential"}),
        ),
    )


def _nesta_raw(root: Path, relative: Path, key_column: str) -> dict[str, tuple[float, float, str]]:
    cols = ("risk", "prevalence", "risk_category", key_column)
    out: dict[str, tuple[float, float, str]] = {}
    for line, row in _rows(root, relative, cols):
        path = root / relative
        key = (
            _isco(path, line, row[key_column])
            if key_column == "isco_code"
            else row[key_column].strip()
        )
        risk, prevalence = _number(path, line, row, "risk"), _number(path, line, row, "prevalence")
        out[key] = (risk, prevalence, row["risk_category"])
    return out


def _nesta_tables(root: Path) -> tuple[SourceTable, SourceTable]:
    """Nesta's two dimensions on one axis, as Nesta's own "High risk" rule reads them.

    High automation risk (1-5) and few bottleneck tasks (prevalence 0-1) both mean exposed, so
    the value is ``z(risk) - z(prevalence)``, standardised over the 1,627 ESCO occupations
    Nesta scored; percentiles are taken in that same distribution for both tables.
    """
    by_uri = _nesta_raw(root, NESTA_ESCO_FILE, "concept_uri")
    by_isco = _nesta_raw(root, NESTA_ISCO_FILE, "isco_code")
    risks = [r for r, _, _ in by_uri.values()]
    prevalences = [p for _, p, _ in by_uri.values()]
    mean_r, sd_r = statistics.fmean(risks), statistics.pstdev(risks) or 1.0
    mean_p, sd_p = statistics.fmean(prevalences), statistics.pstdev(prevalences) or 1.0

    def value(risk: float, prevalence: float) -> float:
        return round((risk - mean_r) / sd_r - (prevalence - mean_p) / sd_p, 6)

    esco = {k: (value(r, p), label) for k, (r, p, label) in by_uri.items()}
    isco = {k: (value(r, p), label) for k, (r, p, label) in by_isco.items()}
    reference = tuple(sorted(v for v, _ in esco.values()))
    high = frozenset({"High risk"})
    return (
        SourceTable("nesta-automation", NESTA, 2020, esco, reference, high),
        SourceTable("nesta-automation", NESTA + ", ISCO-08 average", 2020, isco, reference, high),
    )


def read_exposure_reference(root: Path) -> ExposureReference:
    """Every exposure source under ``root`` (the shared ``reference`` folder)."""
    return ExposureReference(
        {"ilo-genai": _ilo_tables(root), "nesta-automation": _nesta_tables(root)}
    )


@dataclass(frozen=True)
class NestaOccupation:
    uri: str
    label: str
    isco: str
    risk_category: str
    n_desirable: int
    n_safe_desirable: int
    n_desirable_highly_viable: int


def read_nesta_transitions(root: Path) -> list[NestaOccupation]:
    """Nesta's per-occupation transition counts (mcc_transitions_Occupation_data.csv)."""
    path = root / NESTA_TRANSITIONS_FILE
    cols = (
        "concept_uri",
        "occupation",
        "isco_code",
        "risk_category",
        "n_desirable",
        "n_safe_desirable",
    )
    return [
        NestaOccupation(
            row["concept_uri"].strip(),
            row["occupation"],
            row["isco_code"],
            row["risk_category"],
            int(_number(path, line, row, "n_desirable", int)),
            int(_number(path, line, row, "n_safe_desirable", int)),
            int(_number(path, line, row, "n_desirable_and_highly_viable", int)),
        )
        for line, row in _rows(root, NESTA_TRANSITIONS_FILE, cols)
    ]
