"""Read xAPI statements as an LRS exports them (a JSON array, or ``{"statements": [...]}``).

Only what careshift uses is kept: statement id, learner (``account.name`` or the local part of
``mbox``), verb (completed, passed, failed, attended; others are refused), object id (its last
path segment is the course code), result score/success/duration and timestamp. Problems cite
the line of the statement in the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from careshift.errors import ImportFailed, RowProblem

__all__ = ["VERBS", "Statement", "read_statements"]

#: xAPI verb ids careshift understands, by their last path segment
VERBS = ("completed", "passed", "failed", "attended")
_DURATION = re.compile(r"^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$")


@dataclass(frozen=True)
class Statement:
    id: str
    line: int
    learner: str
    verb: str
    verb_id: str
    course_code: str
    timestamp: datetime
    score: float | None = None
    success: bool | None = None
    hours: float | None = None


def read_statements(path: Path | str) -> list[Statement]:
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text)
    except OSError as exc:
        raise ImportFailed(
            f"cannot read {name}", [RowProblem(name, None, None, str(exc.strerror))]
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise ImportFailed(
            f"{name} is not JSON", [RowProblem(name, line, None, str(exc))]
        ) from None
    items = data.get("statements") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ImportFailed(
            f"{name} refused", [RowProblem(name, 1, None, "expected a JSON array of statements")]
        )
    starts = _statement_lines(text, len(items))
    statements, problems = [], []
    for index, item in enumerate(items):
        line = starts[index] if index < len(starts) else None
        try:
            statements.append(_statement(item, line or 0))
        except _Bad as bad:
            problems.append(RowProblem(name, line, bad.field, bad.message))
    if problems:
        raise ImportFailed(
            f"xAPI file {name} refused ({len(problems)} problems); nothing was written", problems
        )
    return statements


class _Bad(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _statement(item: Any, line: int) -> Statement:
    if not isinstance(item, dict):
        raise _Bad("statement", "expected an object")
    statement_id = str(item.get("id") or "")
    if not statement_id:
        raise _Bad("id", "a statement id is required (it makes imports idempotent)")
    verb_id = str((item.get("verb") or {}).get("id") or "")
    verb = verb_id.rstrip("/").rsplit("/", 1)[-1]
    if verb not in VERBS:
        raise _Bad("verb.id", f"verb {verb_id!r} is not one of {', '.join(VERBS)}")
    object_id = str((item.get("object") or {}).get("id") or "")
    if not object_id:
        raise _Bad("object.id", "an activity id is required")
    result = item.get("result") or {}
    score = (result.get("score") or {}).get("scaled")
    return Statement(
        id=statement_id,
        line=line,
        learner=_learner(item.get("actor") or {}),
        verb=verb,
        verb_id=verb_id,
        course_code=object_id.rstrip("/").rsplit("/", 1)[-1],
        timestamp=_timestamp(item.get("timestamp")),
        score=float(score) if isinstance(score, (int, float)) else None,
        success=result.get("success") if isinstance(result.get("success"), bool) else None,
        hours=_hours(result.get("duration")),
    )


def _learner(actor: dict[str, Any]) -> str:
    account = actor.get("account") or {}
    if account.get("name"):
        return str(account["name"])
    mbox = str(actor.get("mbox") or "")
    if mbox.startswith("mailto:") and "@" in mbox:
        return mbox[len("mailto:") :].split("@", 1)[0]
    raise _Bad("actor", "expected actor.account.name or actor.mbox")


def _timestamp(value: Any) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise _Bad("timestamp", f"not an ISO 8601 time: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _hours(duration: Any) -> float | None:
    match = _DURATION.match(str(duration or ""))
    if not duration or match is None:
        return None
    h, m, s = (float(g) if g else 0.0 for g in match.groups())
    return h + m / 60 + s / 3600


def _statement_lines(text: str, count: int) -> list[int]:
    """Line where each statement object starts (a scan that tracks strings and depth)."""
    top = 2 if text.lstrip().startswith("[") else 3
    lines, depth, line, in_string, escape = [], 0, 1, False, False
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escape:
                escape = False
            elif char == "\\":
                escape = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if char == "{" and depth == top:
                lines.append(line)
        elif char in "]}":
            depth -= 1
    return lines[:count]
