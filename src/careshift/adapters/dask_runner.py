"""Run a function over many items on Dask: a local cluster by default, a remote one by address.

Small and reusable by any area (pathways for every worker, job-ad extraction ...)::

    results = run_batch(rank_one, items, shared=index, scheduler=settings.dask_scheduler)
    for result in iter_batch(rank_one, items, shared=index):  # streamed, bounded memory
        ...

``func(shared, chunk) -> list`` is called once per chunk; ``shared`` (a large read-only object
such as a similarity index) is sent to the cluster once (scattered and broadcast), not once
per task. Results come back in item order, so a batch equals the single-process loop.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

__all__ = ["iter_batch", "run_batch"]

T = TypeVar("T")
R = TypeVar("R")


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive chunks, taken lazily: a streamed input is never held whole."""
    source = iter(items)
    while chunk := list(itertools.islice(source, size)):
        yield chunk


def run_batch(
    func: Callable[[Any, Sequence[T]], list[R]], items: Iterable[T], **options: Any
) -> list[R]:
    """:func:`iter_batch` gathered into a list (``options`` as there)."""
    return list(iter_batch(func, items, **options))


def iter_batch(
    func: Callable[[Any, Sequence[T]], list[R]],
    items: Iterable[T],
    *,
    shared: Any = None,
    scheduler: str = "",
    n_workers: int = 2,
    chunk_size: int = 500,
    processes: bool = False,
    in_flight: int = 8,
) -> Iterator[R]:
    """Yield ``func``'s results for ``items`` in item order, computed in chunks on Dask.

    ``scheduler`` empty starts a local cluster of ``n_workers`` threads in this process (the
    shared object is then not copied at all), or of ``n_workers`` processes with ``processes``
    (pure-Python work holds the GIL, so processes scale on an idle multi-core machine; each
    receives one copy of ``shared``); otherwise it is the address of a running
    ``dask scheduler`` (e.g. ``tcp://10.0.0.5:8786``) whose workers can import careshift.
    At most ``in_flight`` chunks per worker are queued or held, so a national batch (100,000
    workers and more) streams through in bounded memory instead of gathering everything;
    ``items`` may be a generator (a file read line by line), taken a chunk at a time.
    """
    from dask.distributed import Client, LocalCluster

    chunks = _chunks(items, chunk_size)
    first = next(chunks, None)
    if first is None:
        return
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=n_workers if processes else 1,
            threads_per_worker=1 if processes else n_workers,
            processes=processes,
            dashboard_address=":0",
            scheduler_port=0,
        )
        client = Client(cluster)
    try:
        handle = client.scatter(shared, broadcast=True) if shared is not None else None
        chunks = itertools.chain([first], chunks)
        window = max(1, in_flight * max(1, len(client.scheduler_info().get("workers", {}))))
        pending = [
            client.submit(func, handle, c, pure=False) for c in itertools.islice(chunks, window)
        ]
        while pending:
            future = pending.pop(0)
            yield from future.result()
            future.release()
            following = next(chunks, None)
            if following is not None:
                pending.append(client.submit(func, handle, following, pure=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
