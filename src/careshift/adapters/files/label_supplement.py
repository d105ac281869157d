"""Read a table of extra labels for taxonomy concepts (``conceptUri,lang,label``).

careshift ships one (``careshift/data/labels``): Norwegian and Swedish wording for ESCO's
skills, which ESCO lacks (no Norwegian skill labels at all, one Swedish label per skill). It
is read as strictly as the ESCO files themselves (``esco.csv_table``: clean UTF-8, a BOM
allowed, every record as many fields as the header); a bad row raises :class:`ImportFailed`
naming file, line and field, and nothing is used.
"""

from __future__ import annotations

from pathlib import Path

from careshift.adapters.files.esco.csv_table import Problems, read_table
from careshift.adapters.files.esco.fields import is_uri
from careshift.adapters.files.esco.sources import CsvSource
from careshift.domain.taxonomy import LANGUAGES
from careshift.errors import ImportFailed, RowProblem

__all__ = ["SKILL_LABELS", "read_label_supplement"]

#: the bundled Norwegian and Swedish labels for ESCO skills (see its README)
SKILL_LABELS = Path(__file__).resolve().parents[2] / "data" / "labels" / "esco_skills_nb_sv.csv"

_COLUMNS = ("conceptUri", "lang", "label")


def read_label_supplement(path: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    """uri -> language -> labels, in file order without repeats; all rows or an error."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailed(
            f"cannot read {path}", [RowProblem(str(path), None, None, str(error))]
        ) from None
    problems = Problems()
    table = read_table(CsvSource(path.name, str(path), data, None), problems)
    problems.raise_if_any(str(path))
    if table is None:  # read_table reports a problem whenever it returns None
        raise ImportFailed(f"cannot read {path}")
    missing = [name for name in _COLUMNS if name not in table.positions]
    if missing:
        problem = RowProblem(str(path), 1, missing[0], "column missing from the header")
        raise ImportFailed(f"{path}: unexpected header", [problem])
    found: dict[str, dict[str, dict[str, None]]] = {}
    for line, values in table.rows:
        uri, lang, label = (" ".join(values[table.index(name)].split()) for name in _COLUMNS)
        if not is_uri(uri):
            problems.add(str(path), line, "conceptUri", f"not a concept URI: {uri!r}")
        elif lang not in LANGUAGES:
            problems.add(
                str(path),
                line,
                "lang",
                f"unsupported language {lang!r}: use one of {', '.join(LANGUAGES)}",
            )
        elif not label:
            problems.add(str(path), line, "label", "empty label")
        else:
            found.setdefault(uri, {}).setdefault(lang, {})[label] = None
    problems.raise_if_any(str(path))
    return {
        uri: {lang: tuple(labels) for lang, labels in by_lang.items()}
        for uri, by_lang in found.items()
    }
