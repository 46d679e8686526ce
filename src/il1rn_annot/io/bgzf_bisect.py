"""Find the IL1RN window in a sorted, bgzipped VCF that has no index, by bisection over BGZF blocks.

A BGZF file is a series of independent gzip members ("blocks", at most 64 KiB of text each) whose header
carries the ``BC`` extra field with the block size.  Any block can be decompressed on its own, so a byte
offset in the middle of the file can be turned into text: find the next block magic, decompress it, skip the
partial line it starts with, and read CHROM and POS of the next full line.  Comparing that (contig rank in
the header's ``##contig`` order, POS) with the target halves the byte range each step: O(log n) block reads
instead of decompressing the whole genome.

What this module returns is a BGZF *virtual offset* (``block_offset << 16 | offset_in_block``) of a line
start at or before the first record that can overlap the window; :mod:`il1rn_annot.io.vcf_in` seeks the
pysam reader there, so the records are the very same pysam objects the indexed path yields.

Safety:
- the keys of :data:`SORT_SAMPLES` evenly spaced blocks and of every bisection probe must be non-decreasing
  with the byte offset (else :class:`NotBisectable`: the caller streams the whole file with its full sort
  check).  This catches files sorted in another contig order than the header's (e.g. lexicographic
  chr1, chr10, ..) and gross disorder; like tabix, bisection otherwise trusts the file to be sorted (records
  read from the window onwards are checked one by one);
- a record can overlap the window while starting before it (a long deletion, a symbolic SV with END); the
  search aims ``lookback`` bases before the window (:data:`LOOKBACK_SV` when the header declares INFO END or
  SVLEN, else :data:`LOOKBACK_SMALL`).  A record starting further before the window than that is not seen on
  this path (the indexed path would see it): the documented limit of bisection.
"""

from __future__ import annotations

import os
import re
import struct
import zlib

from ..frozen import frozen

MAGIC = b"\x1f\x8b\x08\x04"
MAX_BLOCK = 65536
LOOKBACK_SV = 1_000_000  # bases searched before the window when records may carry END/SVLEN
LOOKBACK_SMALL = 100_000  # ... when the span of a record is its REF length only
SORT_SAMPLES = 64  # evenly spaced probes that check the sort order before any bisection step
_END = re.compile(rb"(?:^|;)END=(\d+)")


class NotBisectable(Exception):
    """The file cannot be searched by bisection (reason in the message); stream it instead."""


@frozen
class Block:
    """One BGZF block: its compressed offset and end in the file and its decompressed data."""
    offset: int  # file offset of the block
    end: int  # file offset of the next block
    data: bytes  # decompressed text


@frozen
class BisectResult:
    """Where reading should start (a virtual offset, None when nothing reaches the window) and what it cost."""
    voffset: int | None  # virtual offset of the first line to parse; None: no record at or after the target
    blocks_read: int
    probes: int


def is_bgzf(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(18)
    except OSError:
        return False
    return len(head) == 18 and head[:4] == MAGIC and _bsize(head) is not None


def _bsize(head: bytes) -> int | None:
    """Total block size from a gzip header with the BGZF ``BC`` subfield, or None."""
    xlen = struct.unpack_from("<H", head, 10)[0]
    if len(head) < 12 + xlen:
        return None
    i, extra = 0, head[12:12 + xlen]
    while i + 4 <= len(extra):
        si1, si2, slen = extra[i], extra[i + 1], struct.unpack_from("<H", extra, i + 2)[0]
        if si1 == 66 and si2 == 67 and slen == 2 and i + 6 <= len(extra):
            return struct.unpack_from("<H", extra, i + 4)[0] + 1
        i += 4 + slen
    return None


class BgzfReader:
    """Random access to the blocks of one BGZF file (counts blocks decompressed)."""

    def __init__(self, path: str):
        self.fh = open(path, "rb")
        self.size = os.fstat(self.fh.fileno()).st_size
        self.blocks_read = 0

    def close(self) -> None:
        self.fh.close()

    def block_at(self, offset: int) -> Block | None:
        """The block starting exactly at ``offset`` (validated by CRC32 and length), or None."""
        self.fh.seek(offset)
        head = self.fh.read(18)
        if len(head) < 18 or head[:4] != MAGIC:
            return None
        xlen = struct.unpack_from("<H", head, 10)[0]
        head += self.fh.read(max(0, 12 + xlen - 18))
        bsize = _bsize(head)
        if bsize is None or bsize < 12 + xlen + 8 or offset + bsize > self.size:
            return None
        self.fh.seek(offset)
        raw = self.fh.read(bsize)
        try:
            data = zlib.decompress(raw[12 + xlen:-8], -15)
        except zlib.error:
            return None
        crc, isize = struct.unpack_from("<II", raw, bsize - 8)
        if isize != len(data) or crc != zlib.crc32(data):
            return None
        self.blocks_read += 1
        return Block(offset, offset + bsize, data)

    def block_from(self, offset: int) -> Block | None:
        """The first valid block starting at or after ``offset``."""
        pos = offset
        while pos < self.size:
            self.fh.seek(pos)
            chunk = self.fh.read(MAX_BLOCK + 18)
            if not chunk:
                return None
            i = chunk.find(MAGIC)
            while i != -1:
                b = self.block_at(pos + i)
                if b is not None:
                    return b
                i = chunk.find(MAGIC, i + 1)
            pos += max(1, len(chunk) - 3)
        return None

    def lines_from(self, voffset: int):
        """Yield (virtual offset, line bytes without newline) from ``voffset`` to the end of the file."""
        boff, within = voffset >> 16, voffset & 0xFFFF
        pending = b""
        pending_v = None
        block = self.block_at(boff)
        while block is not None:
            data = block.data
            i = within
            within = 0
            while True:
                j = data.find(b"\n", i)
                if j == -1:
                    if i < len(data):
                        if pending_v is None:
                            pending_v = (block.offset << 16) | i
                        pending += data[i:]
                    break
                if pending_v is not None:
                    yield pending_v, pending + data[i:j]
                    pending, pending_v = b"", None
                else:
                    yield (block.offset << 16) | i, data[i:j]
                i = j + 1
            if block.end >= self.size:
                break
            block = self.block_at(block.end)
        if pending_v is not None and pending:
            yield pending_v, pending


def _first_full_line(reader: BgzfReader, block: Block) -> int | None:
    """Virtual offset of the first line that starts after the first newline at or after ``block``."""
    b = block
    while b is not None:
        j = b.data.find(b"\n")
        if j != -1:
            if j + 1 < len(b.data):
                return (b.offset << 16) | (j + 1)
            nxt = reader.block_at(b.end) if b.end < reader.size else None
            while nxt is not None and not nxt.data:  # the empty EOF block
                nxt = reader.block_at(nxt.end) if nxt.end < reader.size else None
            return (nxt.offset << 16) if nxt is not None else None
        b = reader.block_at(b.end) if b.end < reader.size else None
    return None


class _Keyer:
    def __init__(self, contig_rank: dict[str, int], display: str):
        self.rank = contig_rank
        self.display = display

    def key(self, line: bytes) -> tuple[int, int]:
        parts = line.split(b"\t", 2)
        if len(parts) < 3:
            raise NotBisectable(f"a record line has fewer than 3 columns ({line[:40]!r})")
        contig = parts[0].decode(errors="replace")
        r = self.rank.get(contig)
        if r is None:
            raise NotBisectable(f"contig {contig} of a record is not declared in the header")
        try:
            return r, int(parts[1])
        except ValueError:
            raise NotBisectable(f"POS {parts[1][:20]!r} is not a number") from None


def find_window_start(path: str, header_voffset: int, contigs: list[str], contig: str, start1: int, end1: int,
                      *, lookback: int = LOOKBACK_SMALL) -> BisectResult:
    """Virtual offset from which reading finds every record of ``contig`` that starts at or after
    ``start1 - lookback`` (1-based) and can overlap ``[start1, end1]``.  Raises :class:`NotBisectable`."""
    if contig not in contigs:
        raise NotBisectable(f"contig {contig} is not declared in the header")
    keyer = _Keyer({c: i for i, c in enumerate(contigs)}, path)
    target = (keyer.rank[contig], max(1, start1 - lookback))
    reader = BgzfReader(path)
    probes: list[tuple[int, tuple[int, int]]] = []
    try:
        n_samples = max(16, min(SORT_SAMPLES, reader.size // (1 << 20)))
        for k in range(1, n_samples):
            b = reader.block_from(reader.size * k // n_samples)
            v = _first_full_line(reader, b) if b is not None else None
            line = _line_head(reader, v) if v is not None else b""
            if line and not line.startswith(b"#"):
                probes.append((b.offset, keyer.key(line)))
        _check_sorted(probes)
        lo_block, lo_v = header_voffset >> 16, header_voffset
        hi = reader.size
        while True:
            mid = max((lo_block + hi) // 2, lo_block + 1)
            if mid >= hi:
                break
            b = reader.block_from(mid)
            if b is None or b.offset >= hi:
                break
            v = _first_full_line(reader, b)
            if v is None:  # no full line after this block: everything is before it
                hi = b.offset
                continue
            line = _line_head(reader, v)
            if not line:
                hi = b.offset
                continue
            k = keyer.key(line)
            probes.append((b.offset, k))
            if k < target:
                lo_block, lo_v = b.offset, v
            else:
                hi = b.offset
        _check_sorted(probes)
        # Walk forward (cheap: at most the lookback) to the first line that can overlap the window.
        last = None
        rank = keyer.rank[contig]
        for v, line in reader.lines_from(lo_v):
            if not line or line.startswith(b"#"):
                continue
            k = keyer.key(line)
            if last is not None and k < last:
                raise NotBisectable("records are not sorted in the header's contig order")
            last = k
            if k[0] > rank or (k[0] == rank and k[1] > end1):
                return BisectResult(v, reader.blocks_read, len(probes))
            if k[0] == rank and k[1] >= target[1] and _reaches(line, k[1]) >= start1 - 1:
                return BisectResult(v, reader.blocks_read, len(probes))
        return BisectResult(None, reader.blocks_read, len(probes))
    finally:
        reader.close()


def _check_sorted(probes: list[tuple[int, tuple[int, int]]]) -> None:
    probes.sort()
    if any(a[1] > b[1] for a, b in zip(probes, probes[1:])):
        raise NotBisectable("records are not sorted in the header's contig order")


def _line_head(reader: BgzfReader, voffset: int) -> bytes:
    """The start of the line at ``voffset``: enough text for CHROM and POS (not the whole, maybe huge, line)."""
    out = b""
    b = reader.block_at(voffset >> 16)
    i = voffset & 0xFFFF
    while b is not None:
        chunk = b.data[i:]
        j = chunk.find(b"\n")
        if j != -1:
            return out + chunk[:j]
        out += chunk
        if out.count(b"\t") >= 2:
            return out
        i = 0
        b = reader.block_at(b.end) if b.end < reader.size else None
    return out


def _reaches(line: bytes, pos: int) -> int:
    """A generous 1-based last base of a record: max of the REF span and INFO END; symbolic/SVLEN: unbounded."""
    parts = line.split(b"\t", 8)
    if len(parts) < 8:
        return pos
    ref, alt, info = parts[3], parts[4], parts[7]
    if b"<" in alt or b"SVLEN=" in info or b"[" in alt or b"]" in alt:
        return 1 << 62
    end = pos + len(ref) - 1
    m = _END.search(info)
    if m:
        end = max(end, int(m.group(1)))
    return end
