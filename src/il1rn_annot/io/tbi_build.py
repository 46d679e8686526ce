"""Build the tabix (.tbi) index of a bgzipped VCF while it is written, byte for byte what htslib writes.

``pysam.tabix_index(path, preset="vcf")`` re-reads and re-decompresses the whole output (~2 s for a 1 GB
100,000-sample VCF).  The writer already knows each record's BGZF virtual offsets (``BGZFile.tell()``) and
its text, which is all htslib's indexer uses: :class:`TbiBuilder` replays htslib 1.24's algorithm on them.

What is reproduced (htslib ``tbx.c`` / ``hts.c``; tests/test_tbi_build.py compares with ``tabix_index``):

- the span of a record, :func:`span_from_cols` (``tbx_parse1``, VCF preset): 0-based ``beg = POS - 1``;
  ``end`` = INFO ``END=`` when given and past ``beg`` (``END=`` first in INFO or ``;END=``, parsed like
  ``strtoll(s, 0)``), else ``beg + len(REF)``; then at least ``beg + max(len(REF), SVLEN, LEN)``, where
  SVLEN counts for ``<DEL>``/``<DUP>``/``<CNV>``/``<INV>`` ALTs (other ALTs count 1 when INFO has SVLEN) and
  FORMAT/LEN (max over samples) for ``<*>``/``<NON_REF>`` ALTs;
- ``hts_idx_push``: the record's start is the end of the previous record (the first one's: the end of the
  header); a chunk per run of records in the same bin; the 16 kb linear index takes the first record
  touching each tile; the pseudo-bin 37450 holds (first offset, end offset) and (n_mapped, 0) per contig;
- ``hts_idx_finish``: empty tiles take the next tile's offset; bins whose chunks span < 64 KiB of compressed
  file are merged into their parent; chunks starting in the block where the previous one ends are joined;
- ``idx_save_core``: the bins of a contig are written in the bucket order of htslib's khash table, which
  depends on the sequence of insertions and deletions: :class:`_BinHash` is that table (same probing,
  resizes and tombstones), so the bytes match, not just the content.

Offsets: htslib's reader reports the offset after a line that ends a BGZF block as the start of the next
block, as ``BGZFile.tell()`` does after a ``write`` that fills a block (both flush at 0xff00 bytes).  The
last record ends where the final partial block is flushed: pass ``tell()`` after ``flush()`` to
:meth:`TbiBuilder.finish`.
"""

from __future__ import annotations

import re
import struct

from .tabix_index import _HEAD, _I32, _U64, MIN_SHIFT, TBI_MAGIC

N_LVLS = 5  # a .tbi has 6 levels of bins (0..5) over 2^29 bases
N_BINS = ((1 << (3 * N_LVLS + 3)) - 1) // 7  # 37449
META_BIN = N_BINS + 1  # pseudo-bin 37450: offsets and record counts of the contig
MAX_POS = 1 << (MIN_SHIFT + 3 * N_LVLS)  # hts_idx_check_range: larger positions need a CSI index
MIN_MARKER_DIST = 0x10000  # compress_binning merges bins spanning less than this (in compressed bytes)
TBX_VCF = 2
VCF_CONF = (TBX_VCF, 1, 2, 0, ord("#"), 0)  # format, col_seq, col_beg, col_end, meta char, lines skipped
_NONE = -1  # htslib's 0xffffffff "no bin / no tid yet"
_EMPTY, _DELETED, _LIVE = 2, 1, 0  # khash bucket flags
_U64_MASK = (1 << 64) - 1
_STRTOLL0 = re.compile(rb"[ \t\n\v\f\r]*([+-]?)(?:0[xX]([0-9a-fA-F]+)|(0[0-7]*)|([1-9][0-9]*))")
_ATOLL = re.compile(rb"[ \t\n\v\f\r]*([+-]?[0-9]+)")
_SV_PREFIXES = (b"<CNV", b"<DEL", b"<DUP", b"<INV")
_GVCF_ALTS = (b"<*>", b"<NON_REF>")


class TbiUnbuildable(ValueError):
    """htslib would refuse to index this record sequence (message as htslib's); no index is built."""


def _strtoll0(s: bytes, at: int = 0) -> int | None:
    """C ``strtoll(s + at, &end, 0)``: decimal, 0x hex or 0 octal prefix; None when no digit is read."""
    m = _STRTOLL0.match(s, at)
    if m is None:
        return None
    sign, hex_, octal, dec = m.groups()
    v = min(int(hex_, 16) if hex_ else int(octal, 8) if octal else int(dec), (1 << 63) - 1)
    return -v if sign == b"-" else v


def _atoll(s: bytes) -> int:
    m = _ATOLL.match(s)
    return int(m.group(1)) if m else 0


def _sv_alt(alt: bytes) -> bool:
    """hts_internal.h svlen_on_ref_for_vcf_alt: <CNV>, <DEL>, <DUP>, <INV> and their <XXX:...> subtypes."""
    return len(alt) >= 5 and alt[:4] in _SV_PREFIXES and alt[4] in b">:" and alt.endswith(b">")


def vcf_span(pos: int, ref: bytes | str | int, info_end: int | None = None, svlen: int = 0,
             fmt_len: int = 0) -> tuple[int, int]:
    """(beg0, end0) tabix's VCF preset gives a record: ``pos`` = POS, ``ref`` = REF (or its length),
    ``info_end`` = the value read after INFO ``END=`` (None: absent or '.'), ``svlen`` / ``fmt_len`` = the
    SVLEN / FORMAT LEN lengths that apply (see :func:`span_from_cols`)."""
    beg = pos - 1 if pos > 0 else 0
    reflen = ref if isinstance(ref, int) else len(ref)
    end = beg + reflen if reflen else 1  # POS sets end to 1 (from -1); a non-empty REF to beg + len(REF)
    if info_end is not None and info_end > beg:  # END <= POS - 1 is ignored (htslib warns)
        end = info_end
    return beg, max(end, beg + max(reflen, svlen, fmt_len))


def info_end(info: bytes) -> int | None:
    """The INFO ``END=`` value as tbx_parse1 reads it (``END=`` first in INFO, else ``;END=``); None when
    absent or '.', 0 when not a number."""
    if info.startswith(b"END="):
        at = 4
    else:
        at = info.find(b";END=")
        if at < 0:
            return None
        at += 5
    if info[at:at + 1] == b".":
        return None
    return _strtoll0(info, at) or 0


def span_from_cols(cols: list[bytes]) -> tuple[bytes, int, int]:
    """(CHROM, beg0, end0) of a VCF record given as its columns (bytes, no trailing newline): CHROM, POS,
    ID, REF, ALT, QUAL, FILTER, INFO at least.  The FORMAT and sample columns are read only for an ALT
    ``<*>`` / ``<NON_REF>`` (gVCF: FORMAT/LEN); ``cols`` may end with all the sample columns in one item
    (``line.split(b"\\t", 9)``).  Raises :class:`TbiUnbuildable` where tabix fails to parse the line."""
    n = len(cols)
    p = cols[1] if n > 1 else b""
    if p.isdigit() and (p[0] != 48 or len(p) == 1):  # no leading 0 (octal for strtoll)
        pos = int(p)
    else:
        pos = _strtoll0(p)
        if pos is None:
            raise TbiUnbuildable(f"Failed to parse TBX_VCF, was wrong -p [type] used? ({cols[0][:40]!r} POS {p[:20]!r})")
    if n < 8:  # no INFO: the span of POS and REF only
        return (cols[0], *vcf_span(pos, cols[3] if n > 3 else 0))
    ref, alt, info = cols[3], cols[4], cols[7]
    sv: list[bool] | None = None
    getlen = False
    if b"<" in alt:  # symbolic ALTs: SVLEN may count, or FORMAT/LEN (gVCF)
        alts = alt.split(b",")
        sv = [False] + [_sv_alt(a) for a in alts]
        getlen = any(a in _GVCF_ALTS for a in alts)
    end = info_end(info) if b"END=" in info else None
    svlen = 0
    if b"SVLEN=" in info:
        if info.startswith(b"SVLEN="):
            at = 6
        else:
            at = info.find(b";SVLEN=")
            at = at + 7 if at >= 0 else -1
        if at >= 0 and (sv is None or not any(sv)):
            svlen = 1  # the SVLEN value of an ALT that is not <DEL>/<DUP>/<CNV>/<INV> counts 1
        elif at >= 0:  # values are cut at any ',' in the rest of INFO, as htslib's strchr does
            for d, value in enumerate(info[at:].split(b",")[:len(sv) - 1], start=1):
                svlen = max(svlen, abs(_atoll(value)) if sv[d] else 1)
    fmt_len = _format_len(cols) if getlen and n > 8 else 0
    return (cols[0], *vcf_span(pos, ref, end, svlen, fmt_len))


def _format_len(cols: list[bytes]) -> int:
    """Max FORMAT/LEN over the samples (0 when FORMAT has no LEN)."""
    keys = cols[8].split(b":")
    if b"LEN" not in keys:
        return 0
    k = keys.index(b"LEN")
    best = 0
    for sample in b"\t".join(cols[9:]).split(b"\t") if len(cols) > 9 else ():
        fields = sample.split(b":", k + 1)
        best = max(best, _atoll(fields[k]) if len(fields) > k else 0)
    return best


def info_stop(line: bytes) -> int:
    """Where INFO ends (the tab before FORMAT) in a record line, or -1 for a line of 8 columns or fewer."""
    stop = -1
    for _ in range(8):
        stop = line.find(b"\t", stop + 1)
        if stop < 0:
            return -1
    return stop


def span_reads_samples(alt: bytes) -> bool:
    """Does the span of a record with this ALT column read its sample columns (gVCF FORMAT/LEN)?"""
    return b"<*>" in alt or b"<NON_REF>" in alt


def line_span(line: bytes) -> tuple[bytes, int, int]:
    """:func:`span_from_cols` of one text line (trailing ``\\n`` / ``\\r\\n`` ignored) without splitting
    its sample columns unless a gVCF ALT needs them."""
    stop = info_stop(line)
    if stop < 0:
        return span_from_cols(_chomp(line).split(b"\t"))
    cols = line[:stop].split(b"\t")
    if span_reads_samples(cols[4]):
        cols += _chomp(line[stop + 1:]).split(b"\t", 1)
    return span_from_cols(cols)


def _chomp(text: bytes) -> bytes:
    """bgzf_getline's line: without the newline and one carriage return before it."""
    if text.endswith(b"\n"):
        text = text[:-1]
    return text[:-1] if text.endswith(b"\r") else text


def reg2bin(beg: int, end: int) -> int:
    """hts_reg2bin for the .tbi geometry (14-bit tiles, 5 levels)."""
    end -= 1
    s, t = MIN_SHIFT, _bin_first(N_LVLS)
    for level in range(N_LVLS, 0, -1):
        if beg >> s == end >> s:
            return t + (beg >> s)
        s += 3
        t -= 1 << (3 * (level - 1))
    return 0


def _bin_first(level: int) -> int:
    return ((1 << (3 * level)) - 1) // 7


class _BinHash:
    """khash.h's ``KHASH_MAP_INIT_INT`` (version 0.2.8: identity hash, quadratic probing, 0.77 load,
    in-place rehash), reproduced for its bucket order: values are chunk lists ``[[beg, end], ...]``."""

    __slots__ = ("n_buckets", "size", "n_occupied", "upper_bound", "flags", "keys", "vals")

    def __init__(self):
        self.n_buckets = self.size = self.n_occupied = self.upper_bound = 0
        self.flags: list[int] = []
        self.keys: list[int] = []
        self.vals: list[list] = []

    def get(self, key: int) -> int:
        """Bucket of ``key``, or ``n_buckets`` when absent (kh_get)."""
        if not self.n_buckets:
            return 0
        flags, keys, mask = self.flags, self.keys, self.n_buckets - 1
        i = last = key & mask
        step = 0
        while flags[i] != _EMPTY and (flags[i] == _DELETED or keys[i] != key):
            step += 1
            i = (i + step) & mask
            if i == last:
                return self.n_buckets
        return i if flags[i] == _LIVE else self.n_buckets

    def put(self, key: int) -> int:
        """Bucket of ``key``, inserted with an empty chunk list when absent (kh_put + insert_to_b)."""
        if self.n_occupied >= self.upper_bound:
            self._resize(self.n_buckets - 1 if self.n_buckets > self.size << 1 else self.n_buckets + 1)
        flags, keys, n = self.flags, self.keys, self.n_buckets
        mask = n - 1
        x = site = n
        i = key & mask
        if flags[i] == _EMPTY:
            x = i
        else:
            last = i
            step = 0
            while flags[i] != _EMPTY and (flags[i] == _DELETED or keys[i] != key):
                if flags[i] == _DELETED:
                    site = i
                step += 1
                i = (i + step) & mask
                if i == last:
                    x = site
                    break
            if x == n:
                x = site if flags[i] == _EMPTY and site != n else i
        if flags[x] == _LIVE:
            return x
        if flags[x] == _EMPTY:
            self.n_occupied += 1
        keys[x] = key
        flags[x] = _LIVE
        self.vals[x] = []
        self.size += 1
        return x

    def delete(self, x: int) -> None:
        if x != self.n_buckets and self.flags[x] == _LIVE:
            self.flags[x] = _DELETED
            self.size -= 1

    def _resize(self, new_n: int) -> None:
        new_n = 1 << (new_n - 1).bit_length() if new_n > 1 else 1  # kroundup32
        new_n = max(new_n, 4)
        if self.size >= int(new_n * 0.77 + 0.5):
            return  # requested size too small
        new_flags = [_EMPTY] * new_n
        old_n, flags, keys, vals = self.n_buckets, self.flags, self.keys, self.vals
        if old_n < new_n:
            keys.extend([0] * (new_n - old_n))
            vals.extend([None] * (new_n - old_n))
        mask = new_n - 1
        for j in range(old_n):
            if flags[j] != _LIVE:
                continue
            key, val = keys[j], vals[j]
            flags[j] = _DELETED
            while True:  # kick-out process
                i = key & mask
                step = 0
                while new_flags[i] != _EMPTY:
                    step += 1
                    i = (i + step) & mask
                new_flags[i] = _LIVE
                if i < old_n and flags[i] == _LIVE:
                    keys[i], key = key, keys[i]
                    vals[i], val = val, vals[i]
                    flags[i] = _DELETED
                else:
                    keys[i], vals[i] = key, val
                    break
        if old_n > new_n:
            del keys[new_n:], vals[new_n:]
        self.flags = new_flags
        self.n_buckets = new_n
        self.n_occupied = self.size
        self.upper_bound = int(new_n * 0.77 + 0.5)

    def live(self):
        """(bucket, key, chunks) in bucket order."""
        for k in range(self.n_buckets):
            if self.flags[k] == _LIVE:
                yield k, self.keys[k], self.vals[k]


class TbiBuilder:
    """Feed the records in file order with :meth:`add`, then :meth:`finish` returns the index (uncompressed;
    :meth:`write` writes the .tbi file).  Raises :class:`TbiUnbuildable` where
    htslib's indexer fails (records out of order, a contig in two blocks, a position past 2^29)."""

    def __init__(self):
        self.names: list[bytes] = []
        self._tid: dict[bytes, int] = {}
        self._bidx: list[_BinHash | None] = []
        self._lidx: list[list[int | None]] = []
        self._started = False
        self._data: bytes | None = None
        self.last_tid = self.save_tid = _NONE
        self.last_bin = self.save_bin = _NONE
        self.last_coor = 0xFFFFFFFF
        self.last_off = self.save_off = self.off_beg = 0
        self.n_mapped = 0

    def add(self, contig: bytes | str, beg0: int, end0: int, voff_start: int, voff_end: int) -> None:
        """One record: its contig, 0-based half-open span (:func:`vcf_span`), and the virtual offsets of the
        start of its line and of the next line.  As in htslib, only the first record's ``voff_start`` is
        used (the end of the header); later records start where the previous one ended."""
        if isinstance(contig, str):
            contig = contig.encode()
        if not self._started:
            self._started = True
            self.last_off = self.save_off = self.off_beg = voff_start
        tid = self._tid.get(contig)
        if tid is None:
            tid = self._tid[contig] = len(self.names)
            self.names.append(contig)
            self._bidx.append(None)
            self._lidx.append([])
        if beg0 > MAX_POS or end0 > MAX_POS:
            raise TbiUnbuildable(f"Region {beg0}..{end0} cannot be stored in a tbi index. Try using a csi index")
        if tid != self.last_tid:
            if self._bidx[tid] is not None:
                raise TbiUnbuildable(f"Chromosome blocks not continuous ({contig.decode(errors='replace')})")
            self.last_tid = tid
            self.last_bin = _NONE
        elif self.last_coor > beg0:
            raise TbiUnbuildable(f"Unsorted positions on sequence #{tid + 1}: "
                                 f"{self.last_coor + 1} followed by {beg0 + 1}")
        if end0 < beg0:
            raise TbiUnbuildable(f"Invalid record on sequence #{tid + 1}: end {end0} < begin {beg0 + 1}")
        if self._bidx[tid] is None:
            self._bidx[tid] = _BinHash()
        beg0 = max(beg0, 0)  # shoehorn POS=0 ([-1, 0)) into the first bin
        end0 = max(end0, 1)
        lidx = self._lidx[tid]  # insert_to_l: tiles touched by the record keep their first offset
        first, last = beg0 >> MIN_SHIFT, (end0 - 1) >> MIN_SHIFT
        if len(lidx) <= last:
            lidx.extend([None] * (last + 1 - len(lidx)))
        for i in range(first, last + 1):
            if lidx[i] is None:
                lidx[i] = self.last_off
        bin_ = reg2bin(beg0, end0)
        if self.last_bin != bin_:
            if self.save_bin != _NONE:
                self._chunk(self.save_tid, self.save_bin, self.save_off, self.last_off)
            if self.last_bin == _NONE and self.save_bin != _NONE:  # new contig: close the previous one
                self._chunk(self.save_tid, META_BIN, self.off_beg, self.last_off)
                self._chunk(self.save_tid, META_BIN, self.n_mapped, 0)
                self.n_mapped = 0
                self.off_beg = self.last_off
            self.save_off = self.last_off
            self.save_bin = self.last_bin = bin_
            self.save_tid = tid
        self.n_mapped += 1
        self.last_off = voff_end
        self.last_coor = beg0

    def _chunk(self, tid: int, bin_: int, beg: int, end: int) -> None:
        h = self._bidx[tid]
        h.vals[h.put(bin_)].append([beg, end])

    def finish(self, final_voffset: int | None = None, to_voffset=None) -> bytes:
        """The uncompressed index.  ``final_voffset``: where the file's data ends (``tell()`` after the last
        block is flushed); default the last record's ``voff_end``.  ``to_voffset``: if the offsets given to
        :meth:`add` were uncompressed ones (bgzf_write.BgzfWriter.tell), the function that makes them virtual
        offsets (``BgzfWriter.voffset``); ``final_voffset`` is a virtual offset either way."""
        if self._data is not None:
            return self._data
        if to_voffset is not None:
            self._remap(to_voffset)
        final = self.last_off if final_voffset is None else final_voffset
        if self.save_tid != _NONE:
            self._chunk(self.save_tid, self.save_bin, self.save_off, final)
            self._chunk(self.save_tid, META_BIN, self.off_beg, final)
            self._chunk(self.save_tid, META_BIN, self.n_mapped, 0)
        for lidx in self._lidx:  # update_loff: an empty tile takes the next tile's offset
            for i in range(len(lidx) - 2, -1, -1):
                if lidx[i] is None:
                    lidx[i] = lidx[i + 1]
        for h in self._bidx:
            _compress_binning(h)
        names = b"".join(n + b"\0" for n in self.names)
        out = [_HEAD.pack(TBI_MAGIC, len(self.names), *VCF_CONF, len(names)), names]
        i32 = _I32.pack
        for h, lidx in zip(self._bidx, self._lidx):
            out.append(i32(h.size))
            for _, key, chunks in h.live():
                out.append(struct.pack(f"<Ii{2 * len(chunks)}Q", key, len(chunks), *(x for c in chunks for x in c)))
            out.append(i32(len(lidx)))
            out.append(struct.pack(f"<{len(lidx)}Q", *lidx))
        out.append(_U64.pack(0))  # n_no_coor
        self._data = b"".join(out)
        return self._data

    def _remap(self, fn) -> None:
        """Every offset held (tiles, chunks, the running ones) through ``fn``; a META_BIN's second chunk holds
        counts, not offsets."""
        for lidx in self._lidx:
            lidx[:] = [None if o is None else fn(o) for o in lidx]
        for h in self._bidx:
            for _, key, chunks in (h.live() if h is not None else ()):
                for c in (chunks[:1] if key == META_BIN else chunks):
                    c[0], c[1] = fn(c[0]), fn(c[1])
        self.last_off, self.save_off, self.off_beg = fn(self.last_off), fn(self.save_off), fn(self.off_beg)

    def write(self, path: str, final_voffset: int | None = None, to_voffset=None) -> str:
        """Write the BGZF-compressed index to ``path``; returns ``path``."""
        from pysam.libcbgzf import BGZFile

        data = self.finish(final_voffset, to_voffset)
        out = BGZFile(path, "wb")  # htslib's BGZF writer at its default level, as hts_idx_save
        try:
            out.write(data)
        finally:
            out.close()
        return path


def _compress_binning(h: _BinHash) -> None:
    """hts.c compress_binning: merge small bins into their parent (bucket order, level by level), sort,
    join chunks that start in the block where the previous chunk ends."""
    flags, keys, vals = h.flags, h.keys, h.vals
    for level in range(N_LVLS, 0, -1):
        start = _bin_first(level)
        for k in range(h.n_buckets):
            if flags[k] != _LIVE or keys[k] >= N_BINS or keys[k] < start:
                continue
            p = vals[k]
            if level < N_LVLS and len(p) > 1:
                p.sort()  # by start offset (all distinct: one chunk per run of records)
            if ((p[-1][1] >> 16) - (p[0][0] >> 16)) & _U64_MASK < MIN_MARKER_DIST:
                kp = h.get((keys[k] - 1) >> 3)
                if kp == h.n_buckets:
                    continue
                vals[kp].extend(p)
                h.delete(k)
    k = h.get(0)
    if k != h.n_buckets:
        vals[k].sort()
    for k in range(h.n_buckets):
        if flags[k] != _LIVE or keys[k] >= N_BINS:
            continue
        p = vals[k]
        m = 0
        for c in p[1:]:
            if p[m][1] >> 16 >= c[0] >> 16:
                if p[m][1] < c[1]:
                    p[m][1] = c[1]
            else:
                m += 1
                p[m] = c
        del p[m + 1:]
