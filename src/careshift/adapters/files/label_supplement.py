"""Read a table of extra labels for taxonomy concepts (``conceptUri,lang,label``).

careshift ships one (``careshift/data/labels``): Norwegian and Swedish wording for ESCO's
health and care skills, which ESCO lacks (no Norwegian skill labels at all, one Swedish
label per skill). A malformed row raises :class:`ImportFailed` naming file, line and field.
"""

from __future__ import annotations

import csv
from pathlib import Path

from careshift.domain.taxonomy import LANGUAGES
from careshift.errors import ImportFailed, RowProblem

__all__ = ["SKILL_LABELS", "read_label_supplement"]

#: the bundled Norwegian and Swedish labels for ESCO skills (see its README)
SKILL_LABELS = Path(__file__).resolve().parents[2] / "data" / "labels" / "esco_skills_nb_sv.csv"

_COLUMNS = ("conceptUri", "lang", "label")


def read_label_supplement(path: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    """uri -> language -> labels, in file order without repeats; all rows or an error."""
    problems: list[RowProblem] = []
    found: dict[str, dict[str, dict[str, None]]] = {}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in _COLUMNS if name not in (reader.fieldnames or [])]
            if missing:
                problem = RowProblem(str(path), 1, missing[0], "column missing from the header")
                raise ImportFailed(f"{path}: unexpected header", [problem])
            for row in reader:
                uri, lang, label = (" ".join((row[name] or "").split()) for name in _COLUMNS)
                problem = _problem(uri, lang, label)
                if problem:
                    problems.append(RowProblem(str(path), reader.line_num, *problem))
                    continue
                found.setdefault(uri, {}).setdefault(lang, {})[label] = None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ImportFailed(
            f"cannot read {path}", [RowProblem(str(path), None, None, str(error))]
        ) from None
    if problems:
        raise ImportFailed(f"{path}: {len(problems)} invalid rows", problems)
    return {
        uri: {lang: tuple(labels) for lang, labels in by_lang.items()}
        for uri, by_lang in found.items()
    }


def _problem(uri: str, lang: str, label: str) -> tuple[str, str] | None:
    if not uri.startswith(("http://", "https://")):
        return "conceptUri", f"not a concept URI: {uri!r}"
    if lang not in LANGUAGES:
        return "lang", f"unsupported language {lang!r}: use one of {', '.join(LANGUAGES)}"
    if not label:
        return "label", "empty label"
    return None
