"""Work on the next batches of a file while the caller works on this one.

Reading and typing a batch is mostly Polars work, which runs without the GIL;
so does most of what callers do with a batch (checks, regions, screening).
`read_ahead` reads in a thread while the caller handles the batch before;
`map_ahead` also works on several read batches at once, in threads, and hands
them over in order. At most a few batches wait, so memory stays bounded; an
error is raised in the caller, at the batch where it happened; a caller that
stops early stops the threads.
"""

from __future__ import annotations

import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
U = TypeVar("U")

# Polars spreads each step over every core already: on two cores a second worker only adds contention
# (a 1M-row screening took 6.0 s with one worker, 6.4 s with two, 6.5 s with none).
WORKERS = max(1, (os.cpu_count() or 2) // 2)

_POLL_SECONDS = 0.1


class _Done:
    """The end of the batches, or the error that ended them."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


class ReadAhead(Iterator[T]):
    """The items of `batches`, each produced in a thread while the caller handles the one before.

    The thread starts at once, not at the first `next`: a caller can start the reading of a file, then
    do other work (import the engines) while its first batches are read. The thread ends when the last item
    is taken; a caller that stops before must `close` it, after an error too.
    """

    def __init__(self, batches: Iterator[T], depth: int = 1) -> None:
        self._batches = batches
        self._waiting: queue.Queue[T | _Done] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._ended = False
        self._worker = threading.Thread(target=self._produce, name="fundwatch-read-ahead", daemon=True)
        self._worker.start()

    def _offer(self, item: T | _Done) -> bool:
        while not self._stop.is_set():
            try:
                self._waiting.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self) -> None:
        try:
            for item in self._batches:
                if not self._offer(item):
                    return
        except BaseException as error:  # handed to the caller, which raises it
            self._offer(_Done(error))
            return
        finally:
            close = getattr(self._batches, "close", None)
            if close is not None:  # a generator's own clean-up (temporary files) runs now, in this thread
                close()
        self._offer(_Done())

    def __next__(self) -> T:
        if self._ended:
            raise StopIteration
        item = self._waiting.get()
        if isinstance(item, _Done):
            self.close()
            if item.error is not None:
                raise item.error
            raise StopIteration
        return item

    def close(self) -> None:
        """Stop the thread (the source's own clean-up runs in it) and wait for it."""
        self._ended = True
        self._stop.set()
        if self._worker is not threading.current_thread():
            self._worker.join()


def read_ahead(batches: Iterator[T], depth: int = 1) -> ReadAhead[T]:
    """`ReadAhead` of `batches`: up to `depth` items wait; the thread starts now."""
    return ReadAhead(batches, depth)


def map_ahead(items: Iterator[T], work: Callable[[T], U], workers: int = WORKERS, depth: int = 1) -> Iterator[U]:
    """`work` of each item, in order, up to `workers` items worked on at once while the caller handles
    the one before; the items themselves are read ahead in a thread, up to `depth` waiting."""
    source = read_ahead(items, depth)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fundwatch-work")
    pending: deque[Future[U]] = deque()
    try:
        for item in source:
            pending.append(pool.submit(work, item))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        source.close()
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True)
