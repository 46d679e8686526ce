"""A BGZF writer that compresses its blocks on worker threads, with the bytes htslib's writer gives.

htslib's ``bgzf_write`` (what ``pysam.libcbgzf.BGZFile(path, "wb1")`` uses) cuts the data into blocks of
0xff00 bytes, compresses each with zlib's ``deflateInit2(level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY)``
and ``deflate(Z_FINISH)``, frames it with the gzip header holding the ``BC`` extra field (block size - 1) and
the CRC32 and length of the input, and ends the file with the 28-byte empty EOF block.  ``zlib.compress(data,
level, -15)`` makes the same deflate call, and it releases the GIL while it runs, so blocks compressed on a
thread pool overlap with the caller's work (the 1 GB of a 100,000-sample output: ~4 s of one core).  Same
zlib, same bytes (tests/test_bgzf_write.py compares them with htslib's).

Virtual offsets (block address << 16 | offset in the block, what a tabix index stores) are known only once
the blocks before them are compressed: :meth:`BgzfWriter.tell` returns the uncompressed offset, and after
:meth:`BgzfWriter.close`, :meth:`BgzfWriter.voffset` turns one into the virtual offset htslib's ``tell()``
gave at that point (a write that fills a block exactly leaves htslib at the next block, offset 0).
"""

from __future__ import annotations

import os
import struct
import zlib
from collections import deque

BLOCK = 0xFF00  # BGZF_BLOCK_SIZE: input bytes per block
_HEAD = b"\x1f\x8b\x08\x04\x00\x00\x00\x00\x00\xff\x06\x00BC\x02\x00"  # + BSIZE-1 (uint16 LE)
_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")
_MAX_PENDING = 64  # blocks in flight (~4 MB of input)


def compress_block(data, level: int) -> bytes:
    """One BGZF block of ``data`` (at most :data:`BLOCK` bytes), as htslib's bgzf_compress writes it."""
    body = zlib.compress(data, level, -15)
    return b"".join((_HEAD, struct.pack("<H", len(body) + 25), body,
                     struct.pack("<II", zlib.crc32(data), len(data))))


def default_threads() -> int:
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    return max(1, min(4, n))


class BgzfWriter:
    """``write`` bytes, ``close`` at the end (writes the EOF block).  ``threads`` <= 1 compresses in the
    calling thread."""

    def __init__(self, path: str, level: int = 1, threads: int | None = None):
        self.level = level
        self._fh = open(path, "wb")
        self._buf = bytearray()
        self._u = 0  # uncompressed bytes written
        self._addr = [0]  # compressed address of block k; the last entry is the end of the blocks written
        self._pending: deque = deque()
        threads = default_threads() if threads is None else threads
        self._pool = None
        if threads > 1:
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
        while n - pos >= BLOCK:  # whole blocks straight from the caller's bytes (the view keeps them alive)
            self._submit(view[pos:pos + BLOCK])
            pos += BLOCK
        if pos < n:
            self._buf += view[pos:]
        return n

    def tell(self) -> int:
        """The uncompressed offset (see :meth:`voffset`)."""
        return self._u

    def _submit(self, block) -> None:
        if self._pool is None:
            self._emit(compress_block(block, self.level))
            return
        self._pending.append(self._pool.submit(compress_block, block, self.level))
        while self._pending and (len(self._pending) > _MAX_PENDING or self._pending[0].done()):
            self._emit(self._pending.popleft().result())

    def _emit(self, block: bytes) -> None:
        self._fh.write(block)
        self._addr.append(self._addr[-1] + len(block))

    def close(self) -> None:
        if self.closed:
            return
        try:
            if self._buf:
                self._submit(bytes(self._buf))
                self._buf.clear()
            while self._pending:
                self._emit(self._pending.popleft().result())
            self._fh.write(_EOF)
        finally:
            self.closed = True
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
            self._fh.close()

    @property
    def end_voffset(self) -> int:
        """After close: the virtual offset where the data ends (htslib's ``tell()`` after a flush)."""
        return self._addr[-1] << 16

    def voffset(self, u: int) -> int:
        """After close: the virtual offset of uncompressed offset ``u``, as htslib's ``tell()`` had it."""
        k, within = divmod(u, BLOCK)
        return (self._addr[k] << 16) | within

    def __enter__(self) -> "BgzfWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
