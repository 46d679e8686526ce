r"""Every coordinate conversion of the package lives here, and only here.

Conventions
-----------
Inside the package every genomic coordinate is **0-based half-open** (``Interval(start, end)``, like BED
and pysam).  1-based coordinates exist only at the edges: VCF ``POS``, region strings (``chr2:1-10``),
resource files (1-based inclusive, as their sources) and HGVS.

The three scales, for a + strand transcript with two exons (``=`` exon, ``-`` intron, ``|`` CDS start
and end, ``c.`` numbering in the line below)::

    genome (0-based)    100      110       120         140        150
                         |        |         |           |          |
    transcript           ======|======-----------------=====|=====
    n. (1-based)         1     7    12                 13   18    23
    c.                 c.-6  c.1  c.6  c.6+1 ... c.7-1 c.7  c.12 c.*1 .. c.*5

- ``n.`` counts transcript bases from 1 at the first base of exon 1 (in transcript direction).
- ``c.`` counts from 1 at the A of the start codon; bases 5' of it are ``c.-1, c.-2 ...`` (no c.0), bases 3'
  of the stop codon's last base are ``c.*1, c.*2 ...``.
- An intronic base is written against the nearest exon base: ``c.6+1`` (after the donor-side exon base
  c.6) or ``c.7-1`` (before the acceptor-side exon base c.7).  In an intron of odd length the middle base
  is written ``+`` (from the upstream exon), as the HGVS recommendations say.
- On the - strand, transcript direction runs from high to low genomic positions; the same rules apply
  in transcript direction.
- Bases outside the transcript are extended in transcript direction: upstream of exon 1 they continue
  ``c.-N`` (``n.-N``), downstream of the last exon ``c.*N``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from il1rn_annot.types import Interval, Strand, Transcript

# --- VCF / region-string / resource edges ---------------------------------------------------------

def vcf_pos_to_start(pos1: int) -> int:
    """VCF POS (1-based) of the first REF base -> 0-based start."""
    return pos1 - 1


def start_to_vcf_pos(start0: int) -> int:
    return start0 + 1


def closed_to_interval(start1: int, end1: int) -> Interval:
    """1-based inclusive ``start1..end1`` (resource files, region strings) -> 0-based half-open."""
    return Interval(start1 - 1, end1)


def interval_to_closed(iv: Interval) -> tuple[int, int]:
    return iv.start + 1, iv.end


def parse_segments(text: str) -> tuple[Interval, ...]:
    """``"101-200,301-400"`` (1-based inclusive) -> intervals."""
    if not text:
        return ()
    out = []
    for seg in text.split(","):
        a, b = seg.split("-")
        out.append(closed_to_interval(int(a), int(b)))
    return tuple(out)


def region_string(contig: str, iv: Interval) -> str:
    """samtools/bcftools region ``chr:start-end`` (1-based inclusive)."""
    s, e = interval_to_closed(iv)
    return f"{contig}:{s}-{e}"


def parse_region(text: str) -> tuple[str, Interval]:
    contig, _, rng = text.rpartition(":")
    a, _, b = rng.replace(",", "").partition("-")
    return contig, closed_to_interval(int(a), int(b))


def footprint(start: int, end: int) -> Interval:
    """The reference bases a change touches: its span, or for an insertion (``start == end``) the two bases
    around the insertion point.  Used wherever a variant is tested against features."""
    return Interval(start - 1, start + 1) if start == end else Interval(start, end)


# --- transcript scales --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TxPos:
    """A position on a transcript: ``n`` is the 1-based transcript base (may be <= 0 upstream or beyond the
    last base downstream); ``offset`` is the intronic offset (+ after, - before the exon base ``n``)."""

    n: int
    offset: int = 0


@dataclass(frozen=True, slots=True)
class CPos:
    """An HGVS c./n. position: ``kind`` is '' (CDS or n.), '-' (5' of c.1) or '*' (3' of the stop)."""

    base: int
    kind: str = ""
    offset: int = 0

    def __str__(self) -> str:
        off = "" if self.offset == 0 else (f"+{self.offset}" if self.offset > 0 else str(self.offset))
        if self.kind == "-":
            return f"-{self.base}{off}"
        if self.kind == "*":
            return f"*{self.base}{off}"
        return f"{self.base}{off}"


class TranscriptMapper:
    """Maps genomic 0-based positions to n./c. positions of one transcript and back."""

    def __init__(self, tx: Transcript):
        self.tx = tx
        self.strand = tx.strand
        # exons in transcript order with the n. number of their first base
        ordered = list(tx.exons) if tx.strand is Strand.PLUS else list(reversed(tx.exons))
        self._ordered = ordered
        self._first_n: list[int] = []
        n = 1
        for ex in ordered:
            self._first_n.append(n)
            n += len(ex)
        self.length = n - 1
        # genomic order (tx.exons is sorted by start): starts, ends, n. of each exon's 5'-most base, for
        # genomic_to_tx, which runs several times per variant per transcript
        k = len(ordered)
        self._plus = tx.strand is Strand.PLUS
        self._starts = [e.start for e in tx.exons]
        self._ends = [e.end for e in tx.exons]
        self._n0 = [self._first_n[i if self._plus else k - 1 - i] for i in range(k)]
        self.cds_first_n: int | None = None
        self.cds_last_n: int | None = None
        if tx.cds is not None:
            first_g = tx.cds.start if tx.strand is Strand.PLUS else tx.cds.end - 1
            last_g = tx.cds.end - 1 if tx.strand is Strand.PLUS else tx.cds.start
            self.cds_first_n = self.genomic_to_tx(first_g).n
            self.cds_last_n = self.genomic_to_tx(last_g).n

    # genomic -> transcript ------------------------------------------------------------------
    def genomic_to_tx(self, g: int) -> TxPos:
        """The exon holding ``g`` by bisection over the exon starts; outside every exon: upstream of the
        first base, downstream of the last, or intronic (written against the nearer exon base, the
        upstream one on a tie: ``+`` for the middle base of an odd intron)."""
        starts, ends, n0, plus = self._starts, self._ends, self._n0, self._plus
        i = bisect_right(starts, g) - 1  # the last exon starting at or before g (genomic order)
        if i >= 0 and g < ends[i]:
            return TxPos(n0[i] + (g - starts[i] if plus else ends[i] - 1 - g))
        last = len(starts) - 1
        if plus:
            if i < 0:  # upstream of the transcript
                return TxPos(1 - (starts[0] - g))
            if i == last:  # downstream
                return TxPos(self.length + (g - (ends[last] - 1)))
            d_up, d_down = g - (ends[i] - 1), starts[i + 1] - g  # intron between exons i and i + 1
            if d_up <= d_down:
                return TxPos(n0[i] + (ends[i] - 1 - starts[i]), d_up)
            return TxPos(n0[i + 1], -d_down)
        if i == last:  # - strand: upstream lies at higher positions
            return TxPos(1 - (g - (ends[last] - 1)))
        if i < 0:
            return TxPos(self.length + (starts[0] - g))
        d_up, d_down = starts[i + 1] - g, g - (ends[i] - 1)  # transcript order: exon i + 1, then exon i
        if d_up <= d_down:
            return TxPos(n0[i + 1] + (ends[i + 1] - 1 - starts[i + 1]), d_up)
        return TxPos(n0[i], -d_down)

    def tx_to_c(self, p: TxPos) -> CPos:
        if self.cds_first_n is None or self.cds_last_n is None:
            if p.n <= 0:
                return CPos(1 - p.n, "-", p.offset)
            if p.n > self.length:
                return CPos(p.n - self.length, "*", p.offset)
            return CPos(p.n, "", p.offset)
        if p.n < self.cds_first_n:
            return CPos(self.cds_first_n - p.n, "-", p.offset)
        if p.n > self.cds_last_n:
            return CPos(p.n - self.cds_last_n, "*", p.offset)
        return CPos(p.n - self.cds_first_n + 1, "", p.offset)

    def genomic_to_c(self, g: int) -> CPos:
        return self.tx_to_c(self.genomic_to_tx(g))

    @property
    def prefix(self) -> str:
        """``c.`` for coding transcripts, ``n.`` for non-coding ones."""
        return "c." if self.tx.cds is not None else "n."

    def hgvs_pos(self, g: int) -> str:
        return f"{self.prefix}{self.genomic_to_c(g)}"

    # transcript -> genomic ------------------------------------------------------------------
    def c_to_tx(self, c: CPos) -> TxPos:
        if self.cds_first_n is None or self.cds_last_n is None:
            n = {"": c.base, "-": 1 - c.base, "*": self.length + c.base}[c.kind]
        else:
            n = {"": self.cds_first_n + c.base - 1, "-": self.cds_first_n - c.base,
                 "*": self.cds_last_n + c.base}[c.kind]
        return TxPos(n, c.offset)

    def tx_to_genomic(self, p: TxPos) -> int:
        n = p.n
        if n < 1:
            first = self._ordered[0]
            anchor = first.start if self.strand is Strand.PLUS else first.end - 1
            g = anchor - self.strand.value * (1 - n)
        elif n > self.length:
            last = self._ordered[-1]
            anchor = last.end - 1 if self.strand is Strand.PLUS else last.start
            g = anchor + self.strand.value * (n - self.length)
        else:
            for idx in range(len(self._ordered) - 1, -1, -1):
                if self._first_n[idx] <= n:
                    ex = self._ordered[idx]
                    k = n - self._first_n[idx]
                    g = ex.start + k if self.strand is Strand.PLUS else ex.end - 1 - k
                    break
        return g + self.strand.value * p.offset

    def c_to_genomic(self, c: CPos) -> int:
        return self.tx_to_genomic(self.c_to_tx(c))


_MAPPERS: dict[int, tuple[Transcript, TranscriptMapper]] = {}  # id(tx) -> (tx, its mapper)


def mapper_for(tx: Transcript) -> TranscriptMapper:
    """The mapper of ``tx``, built once per transcript object (consequences ask for it per allele)."""
    hit = _MAPPERS.get(id(tx))
    if hit is None or hit[0] is not tx:  # holding tx keeps its id from being reused
        hit = _MAPPERS[id(tx)] = (tx, TranscriptMapper(tx))
    return hit[1]


def parse_cpos(text: str) -> CPos:
    """Parse ``318+2``, ``-27``, ``*75``, ``-15+3`` (without the ``c.`` prefix)."""
    kind = ""
    if text[0] in "-*":
        kind, text = text[0], text[1:]
    i = 0
    while i < len(text) and text[i].isdigit():
        i += 1
    base = int(text[:i])
    offset = int(text[i:]) if i < len(text) else 0
    return CPos(base, kind, offset)
