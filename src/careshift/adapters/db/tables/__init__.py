"""Tables, one module per area. Importing this package registers them all on ``metadata``."""

from careshift.adapters.db.tables import accounts, platform, taxonomy, workforce

__all__ = ["accounts", "platform", "taxonomy", "workforce"]
