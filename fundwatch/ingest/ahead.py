"""Work on the next batch of a file while the caller works on this one.

Reading and typing a batch is mostly Polars work, which runs without the GIL;
so does most of what callers do with a batch (checks, regions, screening). A
thread that prepares batch n+1 while the caller handles batch n keeps both
cores of a small machine busy. At most `depth` batches wait, so memory stays
bounded; an error in the thread is raised in the caller, at the batch where it
happened; a caller that stops early stops the thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

_POLL_SECONDS = 0.1


class _Done:
    """The end of the batches, or the error that ended them."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


def read_ahead(batches: Iterator[T], depth: int = 1) -> Iterator[T]:
    """The items of `batches`, each produced in a thread while the caller handles the one before."""
    waiting: queue.Queue[T | _Done] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item: T | _Done) -> bool:
        while not stop.is_set():
            try:
                waiting.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in batches:
                if not offer(item):
                    return
        except BaseException as error:  # handed to the caller, which raises it
            offer(_Done(error))
            return
        finally:
            close = getattr(batches, "close", None)
            if close is not None:  # a generator's own clean-up (temporary files) runs now, in this thread
                close()
        offer(_Done())

    worker = threading.Thread(target=produce, name="fundwatch-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            item = waiting.get()
            if isinstance(item, _Done):
                if item.error is not None:
                    raise item.error
                return
            yield item
    finally:
        stop.set()
        worker.join()
