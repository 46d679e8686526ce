"""Placing a variant on a transcript: exon/intron/UTR/CDS/splice/flank/VNTR, distances and HGVS positions.

Splice terms follow Ensembl VEP (Sequence Ontology names):

- ``splice_donor``: intron bases +1..+2; ``splice_acceptor``: intron bases -2..-1;
- ``splice_donor_5th_base``: +5; ``splice_donor_region``: +3..+6;
- ``splice_polypyrimidine_tract``: -17..-3;
- ``splice_region``: exon bases 1..3 next to an intron, or intron bases +3..+8 / -8..-3.

Only internal exon/intron boundaries carry splice classes (not the transcript's outer ends).
``upstream``/``downstream``: within 5,000 bp of the transcript ends, in transcript direction.
A deletion or long variant gets every class any of its bases touches; an insertion, the classes of
both bases around the insertion point, except donor/acceptor, which need both flanks inside the
dinucleotide (an insertion next to, not inside, GT/AG does not change it).

``distance_to_boundary``: for exonic positions, bases to the nearest exon edge (0 = the edge base);
for intronic ones, the absolute HGVS offset (1 = +1/-1); for flanks, bases to the transcript end.
For a multi-base variant the smallest over its ends.
"""

from __future__ import annotations

from il1rn_annot.coords import footprint, mapper_for
from il1rn_annot.model.gene_model import FLANK
from il1rn_annot.types import Interval, Location, Strand, Transcript, Variant
from il1rn_annot.types import RegionClass as R

DONOR = (1, 2)
DONOR_REGION = (3, 6)
DONOR_5TH = (5, 5)
SPLICE_REGION_INTRON = (3, 8)
ACCEPTOR = (1, 2)
POLYPYRIMIDINE = (3, 17)
SPLICE_REGION_EXON = 3


def _intron_side(intron: Interval, strand: Strand, side: str, k1: int, k2: int) -> Interval:
    """Genomic interval of intron offsets k1..k2 counted from the donor ('5') or acceptor ('3') end."""
    k2 = min(k2, len(intron))
    if k1 > k2:
        return Interval(intron.start, intron.start)
    five_at_start = strand is Strand.PLUS
    if (side == "5") == five_at_start:  # counted from intron.start
        return Interval(intron.start + k1 - 1, intron.start + k2)
    return Interval(intron.end - k2, intron.end - k1 + 1)


def _clamp(start: int, end: int) -> Interval:
    return Interval(start, max(start, end))


def _touch(span: Interval, iv: Interval) -> bool:
    return span.overlaps(iv)


class Placer:
    """Places variants on one transcript; built once per transcript and reused."""

    def __init__(self, tx: Transcript, vntr: Interval | None = None, flank: int = FLANK):
        self.tx = tx
        self.mapper = mapper_for(tx)
        self.vntr = vntr
        self.n = len(tx.exons)
        s = tx.span
        if tx.strand is Strand.PLUS:
            self.upstream, self.downstream = Interval(max(0, s.start - flank), s.start), Interval(s.end, s.end + flank)
        else:
            self.upstream, self.downstream = Interval(s.end, s.end + flank), Interval(max(0, s.start - flank), s.start)
        self.introns = tuple(Interval(a.end, b.start) for a, b in zip(tx.exons, tx.exons[1:]))
        splice = []  # (interval, class, rule)
        for i, intron in enumerate(self.introns):
            for cls, side, (k1, k2), rule in (
                (R.SPLICE_DONOR, "5", DONOR, "intron+1..+2"),
                (R.SPLICE_DONOR_REGION, "5", DONOR_REGION, "intron+3..+6"),
                (R.SPLICE_DONOR_5TH_BASE, "5", DONOR_5TH, "intron+5"),
                (R.SPLICE_REGION, "5", SPLICE_REGION_INTRON, "intron+3..+8"),
                (R.SPLICE_ACCEPTOR, "3", ACCEPTOR, "intron-2..-1"),
                (R.SPLICE_POLYPYRIMIDINE_TRACT, "3", POLYPYRIMIDINE, "intron-17..-3"),
                (R.SPLICE_REGION, "3", SPLICE_REGION_INTRON, "intron-8..-3"),
            ):
                splice.append((_intron_side(intron, tx.strand, side, k1, k2), cls, rule))
            left, right = tx.exons[i], tx.exons[i + 1]
            splice.append((Interval(max(left.start, left.end - SPLICE_REGION_EXON), left.end), R.SPLICE_REGION,
                           "exon_bases_1..3_at_intron"))
            splice.append((Interval(right.start, min(right.end, right.start + SPLICE_REGION_EXON)), R.SPLICE_REGION,
                           "exon_bases_1..3_at_intron"))
        # bounds as plain ints, for place(), which runs per variant per transcript
        self.span = s
        self._exon_ends = tuple((ex.start, ex.end) for ex in tx.exons)
        self._intron_ends = tuple((iv.start, iv.end) for iv in self.introns)
        self._splice_ends = tuple((iv.start, iv.end, iv, cls, rule) for iv, cls, rule in splice if len(iv))

    def _tx_number(self, genomic_index: int, count: int) -> int:
        return genomic_index + 1 if self.tx.strand is Strand.PLUS else count - genomic_index

    def place(self, v: Variant) -> Location:
        tx = self.tx
        is_ins = v.end == v.start
        # the bases whose classes count: the changed bases, or both flanks of an insertion point
        span = footprint(v.start, v.end)
        s0, s1 = span.start, span.end
        regions: set[R] = set()
        rules: list[str] = []
        # every exon, intron and splice interval lies inside tx.span: a variant off the span (a flank or
        # another gene of the window, most records of a genome) skips those loops
        inside = s0 < self.span.end and self.span.start < s1
        exons = sorted({self._tx_number(i, self.n) for i, (a, b) in enumerate(self._exon_ends)
                        if s0 < b and a < s1}) if inside else []
        introns = sorted({self._tx_number(i, self.n - 1) for i, (a, b) in enumerate(self._intron_ends)
                          if s0 < b and a < s1}) if inside else []
        if exons:
            regions.add(R.EXON)
            rules.append("exon_overlap")
            for ex in tx.exons:
                if not _touch(span, ex):
                    continue
                part = Interval(max(ex.start, span.start), min(ex.end, span.end))
                if tx.cds is None:
                    regions.add(R.NON_CODING_EXON)
                    continue
                if part.overlaps(tx.cds):
                    regions.add(R.CDS)
                before = _clamp(ex.start, min(ex.end, tx.cds.start))
                after = _clamp(max(ex.start, tx.cds.end), ex.end)
                five, three = (before, after) if tx.strand is Strand.PLUS else (after, before)
                if len(five) and part.overlaps(five):
                    regions.add(R.FIVE_PRIME_UTR)
                if len(three) and part.overlaps(three):
                    regions.add(R.THREE_PRIME_UTR)
        if introns:
            regions.add(R.INTRON)
            rules.append("intron_overlap")
        for a, b, iv, cls, rule in self._splice_ends if inside else ():
            if not (s0 < b and a < s1):
                continue
            if is_ins and cls in (R.SPLICE_DONOR, R.SPLICE_ACCEPTOR) and not (iv.contains(span.start) and iv.contains(span.end - 1)):
                continue
            regions.add(cls)
            rules.append(f"{cls.value}:{rule}")
        if _touch(span, self.upstream):
            regions.add(R.UPSTREAM)
            rules.append("upstream_within_5kb")
        if _touch(span, self.downstream):
            regions.add(R.DOWNSTREAM)
            rules.append("downstream_within_5kb")
        if not is_ins and v.start <= self.span.start and self.span.end <= v.end:
            regions.add(R.TRANSCRIPT_ABLATION)
            rules.append("covers_whole_transcript")
        in_vntr = bool(self.vntr is not None and (
            _touch(v.interval, self.vntr) if not is_ins else self.vntr.start <= v.start <= self.vntr.end))
        if in_vntr:
            regions.add(R.VNTR)
            rules.append("overlaps_intron2_VNTR")
        first, last = (span.start, span.end - 1)
        if is_ins:
            first, last = v.start - 1, v.start
        a, b = (first, last) if tx.strand is Strand.PLUS else (last, first)
        hgvs_start, hgvs_end = (self.mapper.hgvs_pos(a), self.mapper.hgvs_pos(b)) if regions else ("", "")
        return Location(transcript=tx, regions=frozenset(regions), exons=tuple(exons), introns=tuple(introns),
                        n_exons=self.n, distance_to_boundary=self._distance(first, last) if regions else None,
                        hgvs_start=hgvs_start, hgvs_end=hgvs_end, rule=";".join(rules), in_vntr=in_vntr)

    def _distance(self, first: int, last: int) -> int:
        best = None
        for g in {first, last}:
            d = self._point_distance(g)
            best = d if best is None else min(best, d)
        return best if best is not None else 0

    def _point_distance(self, g: int) -> int:
        for ex in self.tx.exons:
            if ex.contains(g):
                return min(g - ex.start, ex.end - 1 - g)
        s = self.span
        if g < s.start:
            return s.start - g
        if g >= s.end:
            return g - s.end + 1
        return abs(self.mapper.genomic_to_tx(g).offset)


def relevant(tx_span: Interval, v: Variant, flank: int = FLANK) -> bool:
    """Cheap pre-check: could ``v`` touch ``tx`` or its flanks?"""
    lo, hi = tx_span.start - flank, tx_span.end + flank
    span = footprint(v.start, v.end)
    return span.start < hi and lo < span.end
