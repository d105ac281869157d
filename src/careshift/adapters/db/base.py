"""The one MetaData every area's tables hang on, and the engine/session factory."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from careshift.domain.text import lone_surrogate
from careshift.errors import InputError

__all__ = ["Store", "metadata"]

# Stable constraint names so Alembic migrations behave the same on SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets readers (web requests) continue while an import writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _refuse_nul_text(
    _connection: Any,
    _cursor: Any,
    _statement: str,
    parameters: Any,
    context: Any,
    executemany: bool,
) -> None:
    """Refuse text holding a NUL character or a lone surrogate before it reaches either database.

    PostgreSQL cannot store NUL in text and fails with a driver error that names no field;
    SQLite stores it silently. Refusing it here, for both, keeps the two backends accepting the
    same data and tells the caller which column the text was meant for.
    """
    for row in parameters if executemany else (parameters,):
        if isinstance(row, dict):
            pairs: Iterable[tuple[Any, Any]] = row.items()
        elif isinstance(row, list | tuple):
            compiled = getattr(context, "compiled", None)
            names = getattr(compiled, "positiontup", None) or range(len(row))
            pairs = zip(names, row, strict=False)
        else:
            continue
        for name, value in pairs:
            if type(value) is not str:
                continue
            # NUL (PostgreSQL cannot store it) and lone surrogates (neither driver can encode
            # one, and its error would name no field); the first in the text is reported
            nul, broken = value.find("\x00"), lone_surrogate(value)
            if nul < 0 and broken is None:
                continue
            field = re.sub(r"_\d+$", "", str(name))
            if broken is None or 0 <= nul < broken:
                raise InputError(
                    f"{field}: the text contains a NUL character (\\x00), which cannot be "
                    "stored; remove it and try again"
                )
            raise InputError(
                f"{field}: the text is not valid Unicode (a lone surrogate such as \\ud800, "
                f"at character {broken + 1}); correct it and try again"
            )


class Store:
    """A database: engine, session factory and schema migration."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = self._create_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @staticmethod
    def _create_engine(url: str) -> Engine:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        event.listen(engine, "before_cursor_execute", _refuse_nul_text)
        return engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Bring the schema to the newest revision of every area (Alembic ``upgrade heads``)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
