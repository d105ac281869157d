"""Tables, one module per area. Importing this package registers them all on ``metadata``."""

from careshift.adapters.db.tables import platform, taxonomy

__all__ = ["platform", "taxonomy"]
