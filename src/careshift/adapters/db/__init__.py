"""SQLAlchemy store: table definitions per area, engine/session wiring, Alembic migrations."""
