"""The careshift exception tree.

Every error careshift raises on purpose derives from :class:`CareshiftError`, so entry points can
turn it into an exit code (CLI) or an RFC 9457 problem document (API) without a stack trace::

    CareshiftError
    ├── ConfigError          a setting is missing or has a bad value
    ├── InputError           user-supplied data is invalid (carries file, line and field)
    │   └── ImportFailed     a file import was refused; nothing was written
    ├── NotFound             a referenced object does not exist
    ├── Conflict             the request contradicts the stored state
    ├── PermissionDenied     the caller may not do this
    └── Infeasible           a solver proved there is no solution
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CareshiftError",
    "ConfigError",
    "Conflict",
    "ImportFailed",
    "Infeasible",
    "InputError",
    "NotFound",
    "PermissionDenied",
    "RowProblem",
]


class CareshiftError(Exception):
    """Root of every error careshift raises on purpose."""

    status: int = 400
    title: str = "Bad request"


class ConfigError(CareshiftError):
    status = 500
    title = "Configuration error"


@dataclass(frozen=True)
class RowProblem:
    """Where in a file a problem was found: ``file:line field: message``."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" field {self.field!r}" if self.field else ""
        return f"{where}{field}: {self.message}"


class InputError(CareshiftError):
    status = 422
    title = "Invalid input"

    def __init__(self, message: str, problems: list[RowProblem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class ImportFailed(InputError):
    title = "Import refused; nothing was written"


class NotFound(CareshiftError):
    status = 404
    title = "Not found"


class Conflict(CareshiftError):
    status = 409
    title = "Conflict"


class PermissionDenied(CareshiftError):
    status = 403
    title = "Forbidden"


class Infeasible(CareshiftError):
    status = 422
    title = "No feasible solution"
