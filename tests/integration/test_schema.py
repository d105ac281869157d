"""The Alembic migrations build exactly the schema the table definitions describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import careshift.adapters.db.tables  # noqa: F401
from careshift import Careshift
from careshift.adapters.db.base import metadata


def test_migrations_match_the_table_definitions(careshift: Careshift) -> None:
    with careshift.store.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_migrating_twice_changes_nothing(careshift: Careshift) -> None:
    careshift.store.migrate()
    with careshift.store.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
