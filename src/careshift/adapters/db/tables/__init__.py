"""Tables, one module per area. Importing this package registers them all on ``metadata``."""

from careshift.adapters.db.tables import taxonomy

__all__ = ["taxonomy"]
