"""The Dask runner streams results in item order through a bounded window of chunks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from careshift.adapters.dask_runner import iter_batch, run_batch


def _square(offset: int, chunk: Sequence[int]) -> list[int]:
    return [offset + n * n for n in chunk]


def test_results_come_back_in_item_order_with_more_chunks_than_the_window() -> None:
    items = list(range(103))
    streamed = iter_batch(_square, items, shared=1, chunk_size=4, in_flight=1)
    assert list(streamed) == [1 + n * n for n in items]


def test_a_local_cluster_of_processes_gives_the_same_results() -> None:
    items = list(range(20))
    assert run_batch(_square, items, shared=0, chunk_size=3, processes=True) == [
        n * n for n in items
    ]


def test_no_items_start_no_cluster() -> None:
    assert run_batch(_square, [], shared=0) == []


def test_a_generator_is_read_a_window_at_a_time_not_whole() -> None:
    taken: list[int] = []

    def numbers() -> Iterator[int]:
        for n in range(1_000):
            taken.append(n)
            yield n

    streamed = iter_batch(_square, numbers(), shared=0, chunk_size=10, n_workers=1, in_flight=2)
    first = next(streamed)
    # one window of 2 chunks (+ the one peeked to see the input is not empty) has been read
    assert first == 0 and len(taken) <= 30
    assert [first, *streamed] == [n * n for n in range(1_000)]
