"""Tables, one module per area. Importing this package registers them all on ``metadata``."""

from careshift.adapters.db.tables import (
    accounts,
    learning,
    pathways,
    planning,
    platform,
    taxonomy,
    workforce,
)

__all__ = ["accounts", "learning", "pathways", "planning", "platform", "taxonomy", "workforce"]
