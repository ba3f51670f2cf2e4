"""Batches prepared in a thread: same items in the same order, errors where they happened, clean early stops."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from fundwatch.ingest.ahead import read_ahead


def test_items_arrive_in_order() -> None:
    assert list(read_ahead(iter(range(50)), depth=2)) == list(range(50))
    assert list(read_ahead(iter([]))) == []


def test_the_items_are_made_in_another_thread() -> None:
    def made() -> Iterator[str]:
        yield threading.current_thread().name

    assert list(read_ahead(made())) != [threading.current_thread().name]


def test_an_error_is_raised_after_the_items_before_it() -> None:
    def failing() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("第3批无法读取")

    got = []
    with pytest.raises(ValueError, match="第3批"):
        for item in read_ahead(failing()):
            got.append(item)
    assert got == [1, 2]


def test_stopping_early_stops_the_thread_and_cleans_up_the_source() -> None:
    made: list[int] = []
    cleaned = threading.Event()

    def source() -> Iterator[int]:
        try:
            for i in range(1000):
                made.append(i)
                yield i
        finally:
            cleaned.set()

    batches = read_ahead(source(), depth=1)
    assert next(batches) == 0
    batches.close()
    assert cleaned.is_set()
    assert len(made) <= 3  # the one taken, one waiting, one being made when the stop came
    assert not any(t.name == "fundwatch-read-ahead" for t in threading.enumerate())
