"""careshift: move health-service workers through technological change.

The library surface is re-exported here; entry points (CLI, REST, web) sit on the same services.
"""

from careshift.bootstrap import Careshift, bootstrap
from careshift.config import Settings, load_settings
from careshift.errors import CareshiftError

__all__ = ["Careshift", "CareshiftError", "Settings", "__version__", "bootstrap", "load_settings"]

__version__ = "0.1.0"
