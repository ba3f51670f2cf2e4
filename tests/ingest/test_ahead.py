"""Batches prepared in a thread: same items in the same order, errors where they happened, clean early stops."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from fundwatch.ingest.ahead import map_ahead, read_ahead


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


def test_work_on_several_items_at_once_comes_out_in_order() -> None:
    started = threading.Barrier(2, timeout=5)

    def slow_first(i: int) -> int:
        if i < 2:
            started.wait()  # both workers hold an item at the same time, or this times out
        return i * i

    assert list(map_ahead(iter(range(30)), slow_first, workers=2)) == [i * i for i in range(30)]


def test_an_error_in_the_work_is_raised_at_its_item() -> None:
    def work(i: int) -> int:
        if i == 5:
            raise ValueError("第5批无法处理")
        return i

    got = []
    with pytest.raises(ValueError, match="第5批"):
        for item in map_ahead(iter(range(20)), work, workers=2):
            got.append(item)
    assert got == [0, 1, 2, 3, 4]
    assert not any(t.name.startswith(("fundwatch-work", "fundwatch-read-ahead")) for t in threading.enumerate())


def test_reading_starts_before_the_first_item_is_asked_for() -> None:
    made = threading.Event()

    def source() -> Iterator[int]:
        made.set()
        yield 1

    batches = read_ahead(source())
    assert made.wait(timeout=5)  # the caller has not called next yet
    assert list(batches) == [1]
