"""A BGZF writer that compresses its blocks on worker threads, cut where htslib's writer cuts them.

htslib's ``bgzf_write`` (what ``pysam.libcbgzf.BGZFile(path, "wb1")`` uses) cuts the data into blocks of
0xff00 bytes, compresses each with zlib's ``deflateInit2(level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY)``
and ``deflate(Z_FINISH)``, frames it with the gzip header holding the ``BC`` extra field (block size - 1) and
the CRC32 and length of the input, and ends the file with the 28-byte empty EOF block.  ``zlib.compress(data,
level, -15)`` makes the same deflate call, and it releases the GIL while it runs, so blocks compressed on a
thread pool overlap with the caller's work (the 1 GB of a 100,000-sample output: ~4 s of one core).  Same
zlib, same bytes (tests/test_bgzf_write.py compares them with htslib's, with ``IL1RN_ANNOT_DEFLATE=zlib``).
Where ISA-L is installed (the ``fast`` extra) the blocks are deflated with it instead (io/deflate.py): the
same pieces of text in the same blocks, 3-4x less compressing time, other compressed bytes.

Virtual offsets (block address << 16 | offset in the block, what a tabix index stores) are known only once
the blocks before them are compressed: :meth:`BgzfWriter.tell` returns the uncompressed offset, and after
:meth:`BgzfWriter.close`, :meth:`BgzfWriter.voffset` turns one into the virtual offset a reader sees there
(a block's end is the next block's start, as htslib's ``tell()`` after a write that fills a block).

:meth:`BgzfWriter.prepare` compresses a piece of text ahead of time as blocks of its own and
:meth:`BgzfWriter.write_prepared` places them later (the current block is ended first, so blocks may be
shorter than 0xff00, which BGZF allows): the writer uses it for the sample columns of a cohort record, which
it writes unchanged, so that they are compressed while the input is still being read.  With it the file is
no longer byte-identical to htslib's writer (other block boundaries); its text and its index are those
htslib gives (tests/test_tbi_build.py).
"""

from __future__ import annotations

import os
import struct
from array import array
from bisect import bisect_right
from collections import deque

from . import deflate

BLOCK = 0xFF00  # BGZF_BLOCK_SIZE: input bytes per block
_HEAD = b"\x1f\x8b\x08\x04\x00\x00\x00\x00\x00\xff\x06\x00BC\x02\x00"  # + BSIZE-1 (uint16 LE)
_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")
_BATCH = 8  # blocks per task on a worker thread (a task per 64 kB block costs more than it saves on repetitive text)
_MAX_PENDING = 4  # batches in flight on the workers (~2 MB of input, each block its own copy)
_MAX_QUEUED = 16  # batches waiting to be written, compressed or not (~8 MB of input); prepare(): records queued


def compress_block(data, level: int) -> bytes:
    """One BGZF block of ``data`` (at most :data:`BLOCK` bytes), as htslib's bgzf_compress writes it."""
    body = deflate.compress(data, level)
    return b"".join((_HEAD, struct.pack("<H", len(body) + 25), body,
                     struct.pack("<II", deflate.crc32(data), len(data))))


def compress_blocks(blocks: list, level: int) -> list[bytes]:
    return [compress_block(b, level) for b in blocks]


def _done(job) -> bool:
    """A batch compressed here (a list) or by a worker that has finished."""
    return isinstance(job, list) or job.done()


def default_threads() -> int:
    """Worker threads beside the main one: one per other core (at most 3); 0 on one core."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    return max(0, min(3, n - 1))


class BgzfWriter:
    """``write`` bytes, ``close`` at the end (writes the EOF block).  ``threads``: compressing workers (0
    compresses in the calling thread; default :func:`default_threads`)."""

    def __init__(self, path: str, level: int = 1, threads: int | None = None):
        self.level = level
        deflate.backend_name()  # a bad IL1RN_ANNOT_DEFLATE fails here, before the file is made
        self._fh = open(path, "wb")
        self._buf = bytearray()
        self._u = 0  # uncompressed bytes written
        # compressed address and uncompressed start of block k; the last entries: the end of the blocks written
        self._addr = array("Q", [0])
        self._ustart = array("Q", [0])
        self._batch: list = []  # input blocks not yet handed to a worker
        # (a batch's compressed blocks: future or list, None, None, input lengths) or (None, run, sizes, input lengths)
        self._pending: deque = deque()
        self._prep = None  # temporary file of the blocks prepare() made
        self._prep_pending: deque = deque()
        self._prep_inflight = 0
        self._prepared: dict = {}  # key -> (offset in _prep, compressed sizes, input lengths)
        threads = default_threads() if threads is None else threads
        self._pool = None
        if threads > 0:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(threads, thread_name_prefix="bgzf")
        self.closed = False

    def write(self, data: bytes) -> int:
        n = len(data)
        self._u += n
        view = memoryview(data)
        pos = 0
        if self._buf:
            take = min(BLOCK - len(self._buf), n)
            self._buf += view[:take]
            pos = take
            if len(self._buf) == BLOCK:
                self._submit(bytes(self._buf))
                self._buf.clear()
        while n - pos >= BLOCK:  # whole blocks, copied: a view would keep the caller's (multi-MB) line alive
            self._submit(bytes(view[pos:pos + BLOCK]) if self._pool is not None else view[pos:pos + BLOCK])
            pos += BLOCK
        if pos < n:
            self._buf += view[pos:]
        return n

    def tell(self) -> int:
        """The uncompressed offset (see :meth:`voffset`)."""
        return self._u

    def flush_block(self) -> None:
        """End the current block here, however short (as htslib's ``bgzf_flush``)."""
        if self._buf:
            self._submit(bytes(self._buf))
            self._buf.clear()

    # ---- text compressed ahead, placed later --------------------------------------------------------
    def prepare(self, key, data: bytes, start: int = 0, newline: bool = False) -> None:
        """Compress ``data[start:]`` (+ a newline) now, as blocks of its own, for :meth:`write_prepared`
        later: a record's columns the writer will not change are compressed on the worker threads while the
        input is still being read.  Compressed blocks wait in a temporary file (memory stays bounded)."""
        view = memoryview(data)[start:]
        copy = bytes if self._pool is not None else (lambda v: v)  # a view would keep the whole line alive
        pieces = [copy(view[i:i + BLOCK]) for i in range(0, len(view), BLOCK)]
        if newline:
            if pieces and len(pieces[-1]) < BLOCK:
                pieces[-1] = bytes(pieces[-1]) + b"\n"
            else:
                pieces.append(b"\n")
        if self._prep is None:
            import tempfile

            self._prep = tempfile.TemporaryFile(prefix="il1rn_annot_bgzf_")
        ulens = [len(p) for p in pieces]
        if self._pool is None:
            self._prep_pending.append((key, [compress_blocks(pieces, self.level)], ulens))
        else:
            batches = []
            for i in range(0, len(pieces), _BATCH):
                job = self._job(pieces[i:i + _BATCH], busy=self._prep_inflight >= _MAX_PENDING)
                self._prep_inflight += not isinstance(job, list)
                batches.append(job)
            self._prep_pending.append((key, batches, ulens))
        while self._prep_pending and (len(self._prep_pending) > _MAX_QUEUED
                                      or all(_done(b) for b in self._prep_pending[0][1])):
            self._store_prepared()

    def _store_prepared(self) -> None:
        key, batches, ulens = self._prep_pending.popleft()
        blocks = []
        for b in batches:
            if not isinstance(b, list):
                self._prep_inflight -= 1
                b = b.result()
            blocks.extend(b)
        off = self._prep.seek(0, 2)
        self._prep.write(b"".join(blocks))
        self._prepared[key] = (off, [len(b) for b in blocks], ulens)

    def write_prepared(self, key) -> None:
        """Place the blocks :meth:`prepare` made for ``key``: the current block ends first."""
        while key not in self._prepared:
            self._store_prepared()  # IndexError: nothing prepared under this key
        off, clens, ulens = self._prepared.pop(key)
        self.flush_block()
        self._send()
        self._prep.flush()
        run = os.pread(self._prep.fileno(), sum(clens), off)
        self._u += sum(ulens)
        self._pending.append((None, run, clens, ulens))
        self._drain()

    # ---- blocks in order ------------------------------------------------------------------------------
    def _submit(self, block) -> None:
        if self._pool is None:
            self._emit(compress_block(block, self.level), len(block))
            return
        self._batch.append(block)
        if len(self._batch) >= _BATCH:
            self._send()

    def _send(self) -> None:
        """Hand the blocks collected to a worker; when every worker is busy with the batches in flight, the
        caller compresses them itself rather than wait (at 100,000 samples the output is ~2 GB of text: the
        caller making lines and one worker compressing them, the caller waited for the worker)."""
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        busy = sum(1 for job, *_ in self._pending if job is not None and not _done(job)) >= _MAX_PENDING
        self._pending.append((self._job(batch, busy), None, None, [len(b) for b in batch]))
        self._drain()

    def _job(self, batch: list, busy: bool):
        """A batch's compressed blocks: a worker's future, or (``busy``: the workers have enough in flight)
        the list compressed here and now, rather than waiting for them."""
        return compress_blocks(batch, self.level) if busy else self._pool.submit(compress_blocks, batch, self.level)

    def _drain(self, everything: bool = False) -> None:
        """Write the blocks at the head of the queue that are ready (all of them: ``everything``); wait for
        the head only when the queue holds more than :data:`_MAX_QUEUED` batches (memory stays bounded)."""
        pending = self._pending
        while pending and (everything or len(pending) > _MAX_QUEUED or pending[0][0] is None
                           or _done(pending[0][0])):
            job, run, clens, ulens = pending.popleft()
            if job is not None:
                for block, u in zip(job if isinstance(job, list) else job.result(), ulens):
                    self._emit(block, u)
                continue
            self._fh.write(run)
            for c, u in zip(clens, ulens):
                self._addr.append(self._addr[-1] + c)
                self._ustart.append(self._ustart[-1] + u)

    def _emit(self, block: bytes, ulen: int) -> None:
        self._fh.write(block)
        self._addr.append(self._addr[-1] + len(block))
        self._ustart.append(self._ustart[-1] + ulen)

    def close(self) -> None:
        if self.closed:
            return
        try:
            self.flush_block()
            if self._pool is not None:
                self._send()
            self._drain(everything=True)
            self._fh.write(_EOF)
        finally:
            self.closed = True
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
            if self._prep is not None:
                self._prep.close()
            self._fh.close()

    @property
    def end_voffset(self) -> int:
        """After close: the virtual offset where the data ends (htslib's ``tell()`` after a flush)."""
        return self._addr[-1] << 16

    def voffset(self, u: int) -> int:
        """After close: the virtual offset of uncompressed offset ``u``, as htslib's ``tell()`` had it (an
        offset where a block ends is the start of the next block)."""
        k = bisect_right(self._ustart, u) - 1
        return (self._addr[k] << 16) | (u - self._ustart[k])

    def __enter__(self) -> "BgzfWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
