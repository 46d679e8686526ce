"""What a tabix (``.tbi``) or CSI (``.csi``) index says about where its file has records, without the file.

A region-sharded callset (a UK Biobank pVCF release: hundreds of bgzipped VCFs, each holding a region of one
chromosome) is searched by its indexes alone: an index lists, per contig, the bins that hold records, so the
span of a shard's records on chromosome 2 is known to the bin's size (16,384 bases at the finest level) without
decompressing a byte of the shard or parsing its header (which, for 470,000 samples, is megabytes).

The layouts are those of the SAM/VCF specifications (``tabix.pdf`` and ``CSIv1.pdf``): both are BGZF-compressed,
read here with htslib's own BGZF reader (:mod:`pysam.libcbgzf`).  A CSI index of a BCF file carries no contig
names (they are the BCF header's dictionary), so :func:`bcf_contig_names` reads them from the BCF header text.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from il1rn_annot.errors import InputError

TBI_MIN_SHIFT, TBI_DEPTH = 14, 5


@dataclass(frozen=True, slots=True)
class ContigBins:
    """The bins of one contig that hold records, as half-open 0-based spans ``(start, end)``."""

    spans: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return min(s for s, _ in self.spans)

    @property
    def end(self) -> int:
        return max(e for _, e in self.spans)

    def overlaps(self, start: int, end: int) -> bool:
        """Does a bin that holds records overlap ``[start, end)``?"""
        return any(s < end and start < e for s, e in self.spans)


@dataclass(frozen=True, slots=True)
class IndexSpans:
    """Per contig name, the bins of the index that hold records (contigs without records are absent)."""

    path: str
    contigs: dict[str, ContigBins]


def read_index_spans(index: str, *, bcf: str | None = None) -> IndexSpans:
    """The spans of a ``.tbi`` or ``.csi`` index; ``bcf``: the BCF file of a ``.csi`` without names (its header
    gives them).  A damaged index is refused with the fix."""
    from pysam.libcbgzf import BGZFile

    try:
        with BGZFile(index, "rb") as fh:
            raw = fh.read()
    except (OSError, EOFError, ValueError) as exc:
        raise _damaged(index, f"cannot be read ({exc})") from None
    try:
        if raw[:4] == b"TBI\x01":
            return _tbi(index, raw)
        if raw[:4] == b"CSI\x01":
            return _csi(index, raw, bcf)
    except (struct.error, IndexError, UnicodeDecodeError, ValueError) as exc:
        raise _damaged(index, f"is cut short or damaged ({exc})") from None
    raise _damaged(index, "is neither a tabix (.tbi) nor a CSI (.csi) index")


def _damaged(index: str, what: str) -> InputError:
    return InputError(f"the index {what}", file=index,
                      fix="re-create it: tabix -f -p vcf FILE (bcftools index -f FILE for BCF)")


class _Reader:
    def __init__(self, raw: bytes, at: int = 4):
        self.raw, self.at = raw, at

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        values = struct.unpack_from(fmt, self.raw, self.at)
        self.at += size
        return values if len(values) > 1 else values[0]

    def skip(self, n: int) -> None:
        if n < 0 or self.at + n > len(self.raw):
            raise ValueError("a length runs past the end of the index")
        self.at += n


def _names(blob: bytes) -> list[str]:
    return [n.decode() for n in blob.split(b"\0") if n]


def _tbi(path: str, raw: bytes) -> IndexSpans:
    r = _Reader(raw)
    n_ref = r.take("<i")
    r.take("<6i")  # format, col_seq, col_beg, col_end, meta, skip
    l_nm = r.take("<i")
    names = _names(raw[r.at:r.at + l_nm])
    r.skip(l_nm)
    if len(names) != n_ref:
        raise ValueError(f"{len(names)} contig names for {n_ref} references")
    pseudo = _pseudo_bin(TBI_DEPTH)
    contigs = {}
    for name in names:
        bins = []
        for _ in range(r.take("<i")):
            b, n_chunk = r.take("<Ii")
            r.skip(16 * n_chunk)
            if b != pseudo:
                bins.append(b)
        r.skip(8 * r.take("<i"))  # the linear index
        if bins:
            contigs[name] = ContigBins(tuple(sorted(_bin_span(b, TBI_MIN_SHIFT, TBI_DEPTH) for b in bins)))
    return IndexSpans(path, contigs)


def _csi(path: str, raw: bytes, bcf: str | None) -> IndexSpans:
    r = _Reader(raw)
    min_shift, depth, l_aux = r.take("<3i")
    aux = raw[r.at:r.at + l_aux]
    r.skip(l_aux)
    n_ref = r.take("<i")
    if l_aux >= 28:  # tabix-style CSI of a bgzipped VCF: the names are in the aux block
        l_nm = struct.unpack_from("<i", aux, 24)[0]
        names = _names(aux[28:28 + l_nm])
    elif bcf is not None:
        names = bcf_contig_names(bcf)
    else:
        raise ValueError("a CSI index without contig names needs its BCF file")
    pseudo = _pseudo_bin(depth)
    contigs = {}
    for i in range(n_ref):
        bins = []
        for _ in range(r.take("<i")):
            b, _loffset, n_chunk = r.take("<IQi")
            r.skip(16 * n_chunk)
            if b != pseudo:
                bins.append(b)
        if bins:
            if i >= len(names):
                raise ValueError(f"reference {i} has records but the header names {len(names)} contigs")
            contigs[names[i]] = ContigBins(tuple(sorted(_bin_span(b, min_shift, depth) for b in bins)))
    return IndexSpans(path, contigs)


def _pseudo_bin(depth: int) -> int:
    return ((1 << ((depth + 1) * 3)) - 1) // 7 + 1


def _bin_span(b: int, min_shift: int, depth: int) -> tuple[int, int]:
    """The 0-based half-open span of bin ``b`` (levels 0..depth; level l's first bin is (8**l - 1) / 7)."""
    level = 0
    while level < depth and b >= ((1 << (3 * (level + 1))) - 1) // 7:
        level += 1
    first = ((1 << (3 * level)) - 1) // 7
    size = 1 << (min_shift + 3 * (depth - level))
    return (b - first) * size, (b - first + 1) * size


_CONTIG = re.compile(rb"^##contig=<(.*)>\s*$")


def bcf_contig_names(bcf: str) -> list[str]:
    """The BCF header's contig dictionary, in id order (``IDX=`` honoured), read from the header text alone."""
    from pysam.libcbgzf import BGZFile

    with BGZFile(bcf, "rb") as fh:
        head = fh.read(9)
        if head[:3] != b"BCF":
            raise ValueError("not a BCF file")
        text = fh.read(struct.unpack("<I", head[5:9])[0])
    names: dict[int, str] = {}
    next_id = 0
    for line in text.split(b"\n"):
        m = _CONTIG.match(line)
        if not m:
            continue
        fields = dict(_attributes(m.group(1)))
        if b"ID" not in fields:
            continue
        idx = int(fields[b"IDX"]) if b"IDX" in fields else next_id
        names[idx] = fields[b"ID"].decode()
        next_id = idx + 1
    return [names.get(i, "") for i in range(max(names) + 1)] if names else []


def _attributes(body: bytes):
    for m in re.finditer(rb'([A-Za-z_]+)=("(?:[^"\\]|\\.)*"|[^,]*)', body):
        yield m.group(1), m.group(2).strip(b'"')
