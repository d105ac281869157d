"""Link a national-scale file of texts (job ads, CVs, course descriptions, titles) on Dask.

Input: JSON lines ``{"id": ..., "text": "...", "lang": "en|nb|sv"}`` (``lang`` optional, the
batch's default otherwise), so one file can mix the languages of a national job-ad feed.
Output: JSON lines ``{"id", "lang", "results": [...]}`` in input order, each result exactly
what :func:`careshift.services.linking.link_skills` (or ``link_occupations``) gives for that
text alone; the tests check it.

The input is read twice and never held whole: a first pass checks every line (any bad line
refuses the whole batch, naming file, line and field, before any work), the second streams
the texts to the cluster in chunks. Each Dask worker opens careshift once from the same
settings and memory-maps the same label artefacts, so only settings travel, not indexes.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from careshift.adapters.dask_runner import iter_batch
from careshift.adapters.files.json_lines import write_json_lines
from careshift.bootstrap import Careshift, bootstrap
from careshift.config import Settings
from careshift.domain.taxonomy import LANGUAGES
from careshift.domain.text import lone_surrogate
from careshift.errors import InputError, RowProblem
from careshift.services.linking import (
    MAX_BATCH_BYTES,
    LinkResult,
    link_occupations,
    link_skills,
    looks_binary,
)

__all__ = ["LinkKind", "check_texts", "link_chunk", "run_link_batch"]

LinkKind = Literal["skills", "occupations"]
#: problems listed before the rest are summarised (a wrong file has millions of bad lines)
_MAX_PROBLEMS = 50
#: texts per Dask task: large enough that the model batches well, small enough to stream
_CHUNK = 64


@dataclass(frozen=True)
class _Text:
    id: str
    lang: str
    text: str


@dataclass(frozen=True)
class _Job:
    """What every task needs: settings to open careshift with, and how to link."""

    settings: Settings
    kind: LinkKind
    top: int
    distinct: bool


def check_texts(path: Path, default_lang: str) -> int:
    """Validate every line of ``path``; returns how many texts it holds, or raises
    :class:`InputError` listing the bad lines (file, line, field)."""
    if default_lang not in LANGUAGES:
        raise InputError(
            f"unsupported language {default_lang!r}: use one of {', '.join(LANGUAGES)}"
        )
    problems: list[RowProblem] = []
    count = 0
    for item in _records(path, default_lang):
        if isinstance(item, RowProblem):
            problems.append(item)
        else:
            count += 1
    if problems:
        shown = problems[:_MAX_PROBLEMS]
        more = f" (first {_MAX_PROBLEMS} listed)" if len(problems) > _MAX_PROBLEMS else ""
        raise InputError(f"{path}: {len(problems)} bad line(s){more}; nothing was linked", shown)
    if count == 0:
        raise InputError(f"{path}: no texts to link")
    return count


def _records(path: Path, default_lang: str) -> Iterator[_Text | RowProblem]:
    name = str(path)
    if not path.is_file():
        raise InputError(f"{name}: no such file")
    with path.open("rb") as handle:
        for line_no, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                data = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield RowProblem(name, line_no, None, f"not UTF-8 (byte {exc.start + 1})")
                continue
            except json.JSONDecodeError as exc:
                yield RowProblem(name, line_no, None, f"not a JSON object: {exc.msg}")
                continue
            yield _record(name, line_no, data, default_lang)


def _record(name: str, line_no: int, data: object, default_lang: str) -> _Text | RowProblem:
    if not isinstance(data, dict):
        return RowProblem(name, line_no, None, "not a JSON object")
    ident, text, lang = data.get("id"), data.get("text"), data.get("lang") or default_lang
    if not isinstance(ident, str | int) or isinstance(ident, bool) or str(ident).strip() == "":
        return RowProblem(name, line_no, "id", "missing (a string or a number)")
    if not isinstance(text, str):
        return RowProblem(name, line_no, "text", "missing or not a string")
    if lang not in LANGUAGES:
        return RowProblem(name, line_no, "lang", f"{lang!r} is not one of {', '.join(LANGUAGES)}")
    broken = lone_surrogate(text)
    if broken is not None:
        where = f"character {broken + 1}"
        return RowProblem(name, line_no, "text", f"not valid Unicode (a lone surrogate at {where})")
    if _size(text) > MAX_BATCH_BYTES:
        return RowProblem(name, line_no, "text", f"longer than {MAX_BATCH_BYTES:,} bytes")
    if looks_binary(text):  # the linker's own test, so the batch cannot stop half-way on it
        return RowProblem(name, line_no, "text", "looks binary (control characters), not text")
    # A text over the linker's limit is cut with a warning in its output line, as when
    # linked alone.
    return _Text(str(ident), str(lang), text)


def _texts(path: Path, default_lang: str) -> Iterator[_Text]:
    for item in _records(path, default_lang):
        if isinstance(item, _Text):  # checked by check_texts before the batch starts
            yield item


_OPEN: dict[str, Careshift] = {}
_OPEN_LOCK = threading.Lock()


def _key(settings: Settings) -> str:
    return settings.model_dump_json()


def _careshift_for(settings: Settings) -> Careshift:
    """One careshift per worker process and settings; its indexes stay loaded between tasks."""
    key = _key(settings)
    with _OPEN_LOCK:
        if key not in _OPEN:
            _OPEN[key] = bootstrap(settings, migrate=False)
        return _OPEN[key]


def link_chunk(job: _Job, chunk: Sequence[_Text]) -> list[dict[str, Any]]:
    """Link one chunk (runs on a Dask worker): texts grouped by language, order kept."""
    careshift = _careshift_for(job.settings)
    found: dict[int, LinkResult] = {}
    for lang in dict.fromkeys(t.lang for t in chunk):
        same_lang = [i for i, t in enumerate(chunk) if t.lang == lang]
        for positions in _under_request_limit(same_lang, chunk):
            texts = [chunk[i].text for i in positions]
            if job.kind == "skills":
                results = link_skills(careshift, texts, lang, job.top, distinct=job.distinct)
            else:
                results = link_occupations(careshift, texts, lang, job.top)
            found.update(zip(positions, results, strict=True))
    out = []
    for position, item in enumerate(chunk):
        payload = found[position].as_json()
        del payload["text"]
        out.append({"id": item.id, "lang": item.lang, **payload})
    return out


def _under_request_limit(positions: list[int], chunk: Sequence[_Text]) -> Iterator[list[int]]:
    """``positions`` in consecutive groups whose texts the linker accepts in one call
    (at most MAX_BATCH_BYTES together; check_texts refused any text over it alone)."""
    group: list[int] = []
    size = 0
    for position in positions:
        length = _size(chunk[position].text)
        if group and size + length > MAX_BATCH_BYTES:
            yield group
            group, size = [], 0
        group.append(position)
        size += length
    if group:
        yield group


def _size(text: str) -> int:
    """Bytes as the linker counts them against MAX_BATCH_BYTES."""
    return len(text.encode("utf-8", "replace"))


def run_link_batch(
    careshift: Careshift,
    source: Path,
    out: Path,
    *,
    kind: LinkKind = "skills",
    lang: str = "en",
    top: int = 10,
    distinct: bool = False,
    scheduler: str = "",
    processes: bool = False,
) -> dict[str, Any]:
    """Link every text of ``source`` on Dask and write JSON lines to ``out``.

    ``out`` is replaced only when every text is done (:func:`write_json_lines`).
    """
    if kind not in ("skills", "occupations"):
        raise InputError(f"unknown kind {kind!r}: use skills or occupations")
    if not 1 <= top <= 100:
        raise InputError(f"top must be between 1 and 100, got {top}")
    count = check_texts(source, lang)
    job = _Job(careshift.settings, kind, top, distinct)
    address = scheduler or careshift.settings.dask_scheduler
    # Threads of a local cluster live in this process: they use the caller's careshift (one
    # model, one set of indexes) instead of opening a second one that would compete for the
    # same cores with its own model.
    in_process = not address and not processes
    key = _key(careshift.settings)
    lent = in_process and _OPEN.setdefault(key, careshift) is careshift
    started = time.perf_counter()
    try:
        results = iter_batch(
            link_chunk,
            _texts(source, lang),
            shared=job,
            scheduler=address,
            processes=processes,
            chunk_size=_CHUNK,
        )
        write_json_lines(out, results)
    finally:
        if lent:
            _OPEN.pop(key, None)
    seconds = time.perf_counter() - started
    return {
        "texts": count,
        "kind": kind,
        "out": str(out),
        "scheduler": address or "local",
        "seconds": round(seconds, 2),
        "texts_per_second": round(count / seconds, 2) if seconds else None,
    }
