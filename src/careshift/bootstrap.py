"""The one place where settings, database, indexes and services are wired together."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from careshift.adapters.db.base import Store
from careshift.config import Settings, load_settings

__all__ = ["Careshift", "bootstrap"]


@dataclass
class Careshift:
    """A running careshift: settings, the store and lazily built in-memory indexes.

    Indexes (search, embeddings, similarity matrices) are built on first use and dropped by
    :meth:`invalidate` whenever an import changes the data they were built from.
    """

    settings: Settings
    store: Store
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)
    _building: dict[str, threading.Lock] = field(default_factory=dict, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def cached(self, key: str, build: Any) -> Any:
        """Return the cached value for ``key``, building it with ``build()`` on first use.

        Requests arriving together on first use wait for one build (a label index takes
        seconds to minutes, the embedding model ~100 MB) instead of each building its own.
        Each key has its own lock, so a long build does not hold up other keys, and a build
        may itself use other cached values.
        """
        try:
            return self._cache[key]
        except KeyError:
            pass
        with self._guard:
            lock = self._building.setdefault(key, threading.Lock())
        with lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]

    def invalidate(self, prefix: str = "") -> None:
        for key in [k for k in self._cache if k.startswith(prefix)]:
            del self._cache[key]

    def close(self) -> None:
        self._cache.clear()
        self.store.dispose()


def bootstrap(settings: Settings | None = None, *, migrate: bool = True) -> Careshift:
    """Build a :class:`Careshift` from ``settings`` (default: the environment)."""
    settings = settings or load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(settings.effective_database_url)
    if migrate:
        store.migrate()
    return Careshift(settings=settings, store=store)
