"""The lines of a bgzipped file from a virtual offset on, its blocks inflated ahead on a worker thread.

Raw-text mode (io/vcf_in.open_vcf) reads each wide record's line beside htslib, which inflates the same
blocks for its 8-column parse: two inflations of ~1 GB at 100,000 samples.  ``zlib.decompress`` (or ISA-L's,
~1.6x faster: io/deflate.py) releases the GIL, so the second one runs on another core while the main thread
parses genotypes.  A BGZF block is an 18-byte gzip header whose ``BC`` extra field holds the block size - 1,
raw deflate data, then CRC32 and the input length (SAM/BAM specification, section 4.1); the empty 28-byte
block marks the end.
"""

from __future__ import annotations

import struct
from collections import deque
from collections.abc import Iterator

from . import deflate

_MAGIC = b"\x1f\x8b\x08\x04"
_AHEAD = 8  # blocks inflated ahead (~0.5 MB)


def _inflate(block: bytes) -> bytes:
    try:
        data = deflate.decompress(memoryview(block)[18:-8])
    except ValueError as exc:
        raise ValueError(f"corrupt BGZF block ({exc})") from None
    if len(data) != struct.unpack_from("<I", block, len(block) - 4)[0]:
        raise ValueError("corrupt BGZF block (length differs from its footer)")
    return data


def _chomp(line: bytes) -> bytes:
    """As htslib's bgzf_getline: a CR before the newline is dropped too."""
    return line[:-1] if line[-1:] == b"\r" else line


def _blocks(fh) -> Iterator[bytes]:
    """Compressed blocks from the file's position on."""
    while True:
        head = fh.read(18)
        if not head:
            return
        if len(head) < 18 or head[:4] != _MAGIC or head[12:14] != b"BC":
            raise ValueError("not a BGZF block (truncated or corrupt file)")
        rest = struct.unpack_from("<H", head, 16)[0] + 1 - 18
        body = fh.read(rest)
        if len(body) < rest:
            raise ValueError("truncated BGZF block")
        yield head + body


def bgzf_lines(path: str, voffset: int, threads: int = 1) -> Iterator[bytes]:
    """Lines without their newline (nor a CR before it) from ``voffset`` (block address << 16 | offset in the
    inflated block), as htslib's ``BGZFile.readline`` gives them.  ``threads``: inflating workers (0: none)."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(threads, thread_name_prefix="bgzf-read") if threads > 0 else None
    fh = open(path, "rb")
    try:
        fh.seek(voffset >> 16)
        skip = voffset & 0xFFFF
        ahead: deque = deque()
        blocks = _blocks(fh)
        partial: list[bytes] = []
        while True:
            while len(ahead) < _AHEAD:
                block = next(blocks, None)
                if block is None:
                    break
                ahead.append(pool.submit(_inflate, block) if pool is not None else block)
            if not ahead:
                break
            data = ahead.popleft()
            data = data.result() if pool is not None else _inflate(data)
            if skip:
                data, skip = data[skip:], 0
            pieces = data.split(b"\n")
            if len(pieces) == 1:
                partial.append(pieces[0])
                continue
            partial.append(pieces[0])
            yield _chomp(b"".join(partial))
            for line in pieces[1:-1]:
                yield _chomp(line)
            partial = [pieces[-1]]
        last = b"".join(partial)
        if last:
            yield _chomp(last)
    finally:
        fh.close()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
