"""careshift: move health-service workers through technological change.

The library surface is re-exported here; entry points (CLI, REST, web) sit on the same services.
"""

from careshift.bootstrap import Careshift, bootstrap
from careshift.config import Settings, load_settings
from careshift.errors import CareshiftError

__all__ = [
    "Careshift",
    "CareshiftError",
    "Settings",
    "__version__",
    "bootstrap",
    "link_occupations",
    "link_skills",
    "load_settings",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # Text linking pulls in numpy/scipy and the model adapter: import it only when asked for.
    if name in ("link_occupations", "link_skills"):
        from careshift.services import linking

        return getattr(linking, name)
    raise AttributeError(f"module 'careshift' has no attribute {name!r}")
