"""Records read ahead on a worker thread: htslib reads the next records while the main thread works.

pysam releases the GIL while htslib inflates and parses a record (``bcf_read``), so in raw-text mode
(io/vcf_in.open_vcf: a cohort, where htslib parses the first 8 columns only but still inflates every sample
column) that read runs on the second core beside the main thread's genotype parse and output.  Items pass in
batches (one queue operation per batch, not per record).  The reader stops after the first item that
``last`` says ends the read, so it reads exactly what a plain loop that stops there reads; the queue is
bounded, so it never runs more than ``depth`` batches ahead; closing the generator stops the thread and
waits for it, so the file may be closed right after.  An exception raised by the read reaches the consumer
after the items read before it, as in a plain loop.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator

_END = object()


class _Failed:
    __slots__ = ("exc",)

    def __init__(self, exc: BaseException):
        self.exc = exc


def prefetched(items: Iterable, last: Callable[[object], bool] | None = None, *,
               batch: int = 16, depth: int = 8) -> Iterator:
    """``items`` in order, produced on a worker thread.  ``last(item)`` true: the read ends after that item."""
    q: queue.Queue = queue.Queue(depth)
    stop = threading.Event()

    def put(x) -> bool:
        while not stop.is_set():
            try:
                q.put(x, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        buf: list = []
        try:
            for item in items:
                buf.append(item)
                if last is not None and last(item):
                    break
                if len(buf) == batch:
                    if not put(buf):
                        return
                    buf = []
                if stop.is_set():
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            if put(buf):
                put(_Failed(exc))
            return
        if put(buf):
            put(_END)

    worker = threading.Thread(target=run, name="vcf-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            got = q.get()
            if got is _END:
                return
            if isinstance(got, _Failed):
                raise got.exc
            yield from got
    finally:
        stop.set()
        worker.join()
