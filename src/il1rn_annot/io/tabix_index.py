"""Read the one number the IL1RN window needs from a tabix (.tbi) index: where to start reading.

htslib loads a whole .tbi before the first fetch (every contig's bins and linear index: ~45 ms for the
1.6 MB index of a 4.5 M-record genome, a fifth of a whole run).  The window needs one entry of one
contig's linear index, so this module decompresses the index only up to the end of that contig.

The .tbi layout (tabix spec, samtools/hts-specs ``tabix.tex``), all little-endian, BGZF-compressed:
``TBI\\1``, n_ref, format, col_seq, col_beg, col_end, meta, skip, l_nm, names; then per contig n_bin,
n_bin x (bin, n_chunk, n_chunk x (chunk_beg, chunk_end)), n_intv, n_intv x ioff.

``ioff[i]`` is the virtual offset of the first record (in file order) that overlaps the 16 kb tile ``i``
(htslib ``hts_idx_push``); empty tiles hold the previous tile's value (``update_loff``).  Records are
sorted by start, so every record overlapping a position ``p`` comes at or after ``ioff[p >> 14]``: reading
on from there until a record starts past the window finds all of them (plus a few neighbours before the
window, which the caller filters as on the other paths).  A tile past ``n_intv`` has no record touching it,
so nothing overlaps the window.
"""

from __future__ import annotations

import struct
import sys

from .bgzf_bisect import BgzfReader

TBI_MAGIC = b"TBI\x01"
MIN_SHIFT = 14  # the .tbi linear index has 16 kb tiles
_I32 = struct.Struct("<i")
_U64 = struct.Struct("<Q")
_HEAD = struct.Struct("<4s8i")


class IndexUnusable(Exception):
    """The .tbi cannot be read here (reason in the message); let htslib load it instead."""


class _Inflated:
    """The decompressed index, extended block by block only as far as it is read."""

    def __init__(self, reader: BgzfReader):
        self.reader = reader
        self.buf = bytearray()
        self.next_block = 0

    def need(self, end: int) -> None:
        while len(self.buf) < end:
            if self.next_block >= self.reader.size:
                raise IndexUnusable("the index ends early (truncated)")
            block = self.reader.block_at(self.next_block)
            if block is None:
                raise IndexUnusable(f"no valid BGZF block at byte {self.next_block}")
            self.buf += block.data
            self.next_block = block.end


_ONE = (1).to_bytes(4, "little")  # n_chunk of a one-chunk bin


def _ones(got: bytes, k: int) -> int:
    """How many of the ``k`` 32-bit words of ``got`` are 1, counted from the start until one is not."""
    pattern = _ONE * k
    if got == pattern:
        return k
    lo, hi = 0, k  # the first lo words are 1; a word before hi is not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if got[4 * lo:4 * mid] == pattern[:4 * (mid - lo)]:
            lo = mid
        else:
            hi = mid
    return lo


def _skip_bins(ix: _Inflated, pos: int, n_bin: int) -> int:
    """The offset after ``n_bin`` bins from ``pos`` (each: bin, n_chunk, then 16 bytes per chunk).  The
    decompressed part is read as 32-bit words (a bin is 2 + 4 x n_chunk words).  Nearly every bin of a
    genome's index has one chunk (6 words): the n_chunk words of a run of such bins, every 6th word, are
    compared with 1 at once, and only a bin with another count is stepped over alone.  The ~30,000 bins before
    chr2's linear index in the WGS bench: ~0.1 ms, against ~4 ms a bin at a time."""
    if sys.byteorder != "little":  # the index is little-endian; native words would be read byte-swapped
        for _ in range(max(n_bin, 0)):
            ix.need(pos + 8)
            (n_chunk,) = _I32.unpack_from(ix.buf, pos + 4)
            if n_chunk < 0:
                raise IndexUnusable(f"corrupt bin (n_chunk {n_chunk})")
            pos += 8 + 16 * n_chunk
        return pos
    while n_bin > 0:
        ix.need(pos + 8)
        words = memoryview(ix.buf)[pos:pos + (len(ix.buf) - pos) // 4 * 4].cast("i")
        try:
            w, last = 0, len(words) - 2  # a bin header must lie inside the words read
            while n_bin and w <= last:
                k = min(n_bin, (last - w) // 6 + 1)  # one-chunk bins whose n_chunk word is inside
                if k > 4:
                    run = _ones(words[w + 1:w + 6 * k:6].tobytes(), k)
                    w += 6 * run
                    n_bin -= run
                    if run == k:
                        continue
                n_chunk = words[w + 1]  # a bin with another count, or a few bins at the end of the words
                if n_chunk < 0:
                    raise IndexUnusable(f"corrupt bin (n_chunk {n_chunk})")
                w += 2 + 4 * n_chunk
                n_bin -= 1
        finally:
            words.release()  # before the buffer grows
        pos += 4 * w
    return pos


def window_start_voffset(tbi_path: str, contig: str, beg: int) -> tuple[int | None, int]:
    """(virtual offset to read from, BGZF blocks of the index decompressed) for records overlapping 0-based
    position ``beg`` onwards on ``contig``.  The offset is None when no record can overlap it (the contig is
    not in the index, has no records, or none reaching the tile of ``beg``)."""
    reader = BgzfReader(tbi_path)
    try:
        ix = _Inflated(reader)
        ix.need(_HEAD.size)
        magic, n_ref, _fmt, _cs, _cb, _ce, _meta, _skip, l_nm = _HEAD.unpack_from(ix.buf, 0)
        if magic != TBI_MAGIC:
            raise IndexUnusable("not a tabix index (no TBI magic)")
        if n_ref < 0 or l_nm < 0:
            raise IndexUnusable("corrupt header")
        pos = _HEAD.size
        ix.need(pos + l_nm)
        names = bytes(ix.buf[pos:pos + l_nm]).split(b"\0")[:n_ref]
        pos += l_nm
        try:
            target = names.index(contig.encode())
        except ValueError:
            return None, reader.blocks_read
        i32 = _I32.unpack_from
        for ref in range(target + 1):
            ix.need(pos + 4)
            (n_bin,) = i32(ix.buf, pos)
            pos += 4
            pos = _skip_bins(ix, pos, n_bin)
            ix.need(pos + 4)
            (n_intv,) = i32(ix.buf, pos)
            pos += 4
            if n_bin < 0 or n_intv < 0:
                raise IndexUnusable(f"corrupt entry for contig {ref}")
            if ref < target:
                pos += 8 * n_intv
                continue
            tile = beg >> MIN_SHIFT
            if n_bin == 0 or tile >= n_intv:
                return None, reader.blocks_read
            ix.need(pos + 8 * (tile + 1))
            (voffset,) = _U64.unpack_from(ix.buf, pos + 8 * tile)
            return voffset, reader.blocks_read
        raise AssertionError("unreachable")
    finally:
        reader.close()
