"""Placing a variant on a transcript: exon/intron/UTR/CDS/splice/flank/VNTR, distances and HGVS positions.

Splice terms follow Ensembl VEP (Sequence Ontology names; ``_intron_effects`` and ``_intron_overlap`` of
ensembl-variation):

- ``splice_donor``: intron bases +1..+2; ``splice_acceptor``: intron bases -2..-1;
- ``splice_donor_5th_base``: +5; ``splice_donor_region``: +3..+6; ``splice_polypyrimidine_tract``: -17..-3;
- ``splice_region``: exon bases 1..3 next to an intron, or intron bases +3..+8 / -8..-3; never beside
  ``splice_donor``/``splice_acceptor`` (VEP's ``splice_region`` returns false when either holds);
- ``intron_variant`` (the ``intron_interior`` flag): the change reaches intron bases +3..-3.

An insertion lies in a region when both bases around it do (VEP's overlap of an insertion), and also counts
as ``splice_region`` when it sits at an exon/intron junction or between intron bases 2 and 3 from either end
(counted as intronic there too).  So an insertion between +8 and +9 is intronic only, one between the exon's
last base and +1 changes neither dinucleotide.

**One allele, one answer.**  An indel in a repeat can be written at several places (``equivalents.py``); the
consequence must not depend on which one a VCF used.  Per transcript, the members are walked in transcript
direction and the first one lying inside one exon (an insertion strictly inside it), else inside one intron,
names the *segment* (a member inside an exon leaves both splice dinucleotides as they were: ``AG|G`` losing a
G is the exon's first base, not the acceptor's); the member used for exon/CDS/UTR membership, c. positions, HGVS and the protein is the 3'-most
member still inside that segment (the HGVS 3' rule, which does not cross exon/intron borders), so
``c.100dup`` at an exon's last base is the exonic duplication it says it is.  The upstream flank belongs to
the first exon's segment and the downstream flank to the last exon's: no splicing separates them, so a
tandem duplication across a transcript's start is shifted into it.  Regions anchored at a junction are read
from the member farthest from that junction (the sequence next to the junction is then unchanged, whichever
member a file wrote): donor-side intron regions and an exon's first three bases from the 3'-most member,
acceptor-side regions and an exon's last three bases from the 5'-most.  A deletion no member of which fits
in one segment is *spanning* and read at its 3'-most member (``c.97_100+5del``); an insertion that can only
sit at a junction is intronic (its bases lie between the exon and the GT/AG).

``upstream``/``downstream``: within 5,000 bp of the transcript ends, in transcript direction, only for a
change wholly outside the transcript (VEP).  UTR terms only where the transcript has that UTR; an insertion
before c.1 is 5' UTR, one after the stop codon's last base 3' UTR, one outside the transcript's first or last
base is not in the transcript.

``distance_to_boundary``: for exonic positions, bases to the nearest exon edge (0 = the edge base);
for intronic ones, the absolute HGVS offset (1 = +1/-1); for flanks, bases to the transcript end.
For a multi-base variant the smallest over its ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from il1rn_annot.consequence.equivalents import Equivalents
from il1rn_annot.coords import footprint, mapper_for
from il1rn_annot.model.gene_model import FLANK
from il1rn_annot.types import Interval, Location, Strand, Transcript, Variant
from il1rn_annot.types import RegionClass as R

SPLICE_REGION_EXON = 3
FAR = 10 ** 12  # the terminal segments reach into the flanks without a bound

# (class, side, first offset, last offset, rule) for intron regions counted from the donor ('5') or acceptor ('3')
INTRON_REGIONS = (
    (R.SPLICE_DONOR, "5", 1, 2, "intron+1..+2"),
    (R.SPLICE_DONOR_REGION, "5", 3, 6, "intron+3..+6"),
    (R.SPLICE_DONOR_5TH_BASE, "5", 5, 5, "intron+5"),
    (R.SPLICE_REGION, "5", 3, 8, "intron+3..+8"),
    (R.SPLICE_ACCEPTOR, "3", 1, 2, "intron-2..-1"),
    (R.SPLICE_POLYPYRIMIDINE_TRACT, "3", 3, 17, "intron-17..-3"),
    (R.SPLICE_REGION, "3", 3, 8, "intron-8..-3"),
)


def _intron_side(intron: Interval, strand: Strand, side: str, k1: int, k2: int) -> Interval:
    """Genomic interval of intron offsets k1..k2 counted from the donor ('5') or acceptor ('3') end."""
    k2 = min(k2, len(intron))
    if k1 > k2:
        return Interval(intron.start, intron.start)
    five_at_start = strand is Strand.PLUS
    if (side == "5") == five_at_start:  # counted from intron.start
        return Interval(intron.start + k1 - 1, intron.start + k2)
    return Interval(intron.end - k2, intron.end - k1 + 1)


def _hits(iv: Interval, v: Variant) -> bool:
    """VEP's overlap: a changed base inside ``iv``; an insertion when both bases around it are inside."""
    if v.start == v.end:
        return iv.start < v.start < iv.end
    return v.start < iv.end and iv.start < v.end


@dataclass(frozen=True, slots=True)
class Choice:
    """The members of an indel's class a transcript's answer is read from: ``five`` (5'-most in the segment),
    ``three`` (3'-most in the segment: membership, HGVS, protein) and what the segment is."""
    five: Variant
    three: Variant
    kind: str  # "exon", "intron", "spanning" (no member fits one segment), "junction" (an insertion that can only sit at one)
    segment: int  # index into Placer.segments, -1 for spanning/junction


class Placer:
    """Places variants on one transcript; built once per transcript and reused."""

    def __init__(self, tx: Transcript, vntr: Interval | None = None, flank: int = FLANK):
        self.tx = tx
        self.mapper = mapper_for(tx)
        self.vntr = vntr
        self.n = len(tx.exons)
        self.plus = tx.strand is Strand.PLUS
        s = tx.span
        if self.plus:
            self.upstream, self.downstream = Interval(max(0, s.start - flank), s.start), Interval(s.end, s.end + flank)
        else:
            self.upstream, self.downstream = Interval(s.end, s.end + flank), Interval(max(0, s.start - flank), s.start)
        self.introns = tuple(Interval(a.end, b.start) for a, b in zip(tx.exons, tx.exons[1:]))
        # segments in genomic order: exon, intron, exon, ...; the outer exons reach into the flanks
        segs: list[tuple[int, int, str, int]] = []
        for i, ex in enumerate(tx.exons):
            a = -FAR if i == 0 else ex.start
            b = FAR if i == self.n - 1 else ex.end
            segs.append((a, b, "exon", i))
            if i < self.n - 1:
                segs.append((ex.end, tx.exons[i + 1].start, "intron", i))
        self.segments = tuple(segs)
        intron_regions = []  # (interval, class, rule, side, intron index)
        for i, intron in enumerate(self.introns):
            for cls, side, k1, k2, rule in INTRON_REGIONS:
                iv = _intron_side(intron, tx.strand, side, k1, k2)
                if len(iv):
                    intron_regions.append((iv, cls, rule, side, i))
        self.intron_regions = tuple(intron_regions)
        self.span = s
        # the annotated coding span in n. positions (partial codons of an incomplete CDS count as coding)
        self.coding_n = None
        if tx.cds is not None:
            cds = tx.cds_annotated or tx.cds
            ends = (self.mapper.genomic_to_tx(cds.start).n, self.mapper.genomic_to_tx(cds.end - 1).n)
            self.coding_n = (min(ends), max(ends))
        self._exon_ends = tuple((ex.start, ex.end) for ex in tx.exons)
        self._intron_ends = tuple((iv.start, iv.end) for iv in self.introns)

    def _tx_number(self, genomic_index: int, count: int) -> int:
        return genomic_index + 1 if self.plus else count - genomic_index

    # --- which member of an indel's class is read --------------------------------------------------------
    def _inside(self, v: Variant, k: int, closed: bool) -> bool:
        a, b, _, _ = self.segments[k]
        if v.start == v.end:
            return a <= v.start <= b if closed else a < v.start < b
        return a <= v.start and v.end <= b

    def choose(self, eq: Equivalents | None, v: Variant) -> Choice:
        """The members of ``v``'s class this transcript's answer is read from (see the module docstring)."""
        if eq is None or eq.left == eq.right:
            members = [v if eq is None else eq.at(eq.left)]
        else:
            starts = list(eq.starts()) if self.plus else list(reversed(eq.starts()))
            members = [eq.at(s) for s in starts]
        # an exon first: a member wholly inside an exon leaves every splice dinucleotide as it was
        for kinds in (("exon",), ("exon", "intron")):
            for m in members:
                k = next((k for k, seg in enumerate(self.segments)
                          if seg[2] in kinds and self._inside(m, k, closed=False)), None)
                if k is None:
                    continue
                inside = [x for x in members if self._inside(x, k, closed=True)]
                return Choice(inside[0], inside[-1], self.segments[k][2], k)
        kind = "junction" if members[0].start == members[0].end else "spanning"
        return Choice(members[0], members[-1], kind, -1)

    # --- placement -----------------------------------------------------------------------------------------
    def place(self, v: Variant, eq: Equivalents | None = None) -> Location:
        tx = self.tx
        c = self.choose(eq, v)
        p3, p5 = c.three, c.five
        regions: set[R] = set()
        rules: list[str] = []
        exons: set[int] = set()
        introns: set[int] = set()
        interior = False
        if c.kind != "intron":
            self._exonic(c, regions, rules, exons)
        if c.kind in ("intron", "spanning", "junction"):
            for m in {p5, p3}:
                for i, (a, b) in enumerate(self._intron_ends):
                    if self._touches(m, a, b, c.kind == "junction"):
                        introns.add(self._tx_number(i, self.n - 1))
                        interior = interior or self._interior(m, Interval(a, b))
            if introns:
                regions.add(R.INTRON)
                rules.append("intron_overlap")
        self._splice(c, regions, rules)
        if R.SPLICE_DONOR in regions or R.SPLICE_ACCEPTOR in regions:
            regions.discard(R.SPLICE_REGION)  # VEP never pairs them
        outside = self._outside(p3)
        if outside and not regions & {R.EXON, R.INTRON}:
            if _hits_flank(self.upstream, p3):
                regions.add(R.UPSTREAM)
                rules.append("upstream_within_5kb")
            if _hits_flank(self.downstream, p3):
                regions.add(R.DOWNSTREAM)
                rules.append("downstream_within_5kb")
        if v.end > v.start and v.start <= self.span.start and self.span.end <= v.end:
            regions.add(R.TRANSCRIPT_ABLATION)
            rules.append("covers_whole_transcript")
        in_vntr = self._in_vntr(p5, p3)
        if in_vntr:
            regions.add(R.VNTR)
            rules.append("overlaps_intron2_VNTR")
        if eq is not None and eq.left != eq.right:  # an indel several placements describe: say which was read
            rules.append(f"read_at:{c.kind}:{p3.start + 1}")
        first, last = (p3.start, p3.end - 1) if p3.end > p3.start else (p3.start - 1, p3.start)
        a, b = (first, last) if self.plus else (last, first)
        hgvs_start, hgvs_end = (self.mapper.hgvs_pos(a), self.mapper.hgvs_pos(b)) if regions else ("", "")
        return Location(transcript=tx, regions=frozenset(regions), exons=tuple(sorted(exons)),
                        introns=tuple(sorted(introns)), n_exons=self.n,
                        distance_to_boundary=self._distance(first, last) if regions else None,
                        hgvs_start=hgvs_start, hgvs_end=hgvs_end, rule=";".join(dict.fromkeys(rules)), in_vntr=in_vntr,
                        canonical=p3, segment=c.kind, intron_interior=interior,
                        open_left=bool(eq and eq.left_open), open_right=bool(eq and eq.right_open))

    def _touches(self, m: Variant, a: int, b: int, junction: bool) -> bool:
        if m.start == m.end:
            return (a <= m.start <= b) if junction else (a < m.start < b)
        return m.start < b and a < m.end

    @staticmethod
    def _interior(m: Variant, intron: Interval) -> bool:
        """VEP's ``intronic``: the change reaches intron bases +3..-3 (an insertion: both bases around it do,
        or it sits between the 2nd and 3rd base from either end)."""
        inner = Interval(intron.start + 2, max(intron.start + 2, intron.end - 2))
        if m.start == m.end:
            return _hits(inner, m) or m.start in (intron.start + 2, intron.end - 2)
        return bool(len(inner)) and _hits(inner, m)

    def _outside(self, m: Variant) -> bool:
        s = self.span
        if m.start == m.end:
            return m.start <= s.start or m.start >= s.end
        return m.end <= s.start or m.start >= s.end

    def _exonic(self, c: Choice, regions: set, rules: list, exons: set) -> None:
        """Exon, CDS/UTR and non-coding exon membership, read at the 3'-most member of the segment."""
        tx, m = self.tx, c.three
        if c.kind == "junction":
            # an insertion between an exon's last/first base and the intron: touches both, changes neither
            for i, (a, b) in enumerate(self._exon_ends):
                if a <= m.start <= b and not self._outside(m):
                    exons.add(self._tx_number(i, self.n))
            if exons:
                regions.add(R.EXON)
                rules.append("exon_overlap")
            return
        if self._outside(m):
            return
        positions = self._tx_positions(m, c)
        if positions is None:
            return
        for i, (a, b) in enumerate(self._exon_ends):
            if self._touches(m, a, b, junction=c.kind == "exon" and m.start == m.end):
                exons.add(self._tx_number(i, self.n))
        regions.add(R.EXON)
        rules.append("exon_overlap")
        if tx.cds is None:
            regions.add(R.NON_CODING_EXON)
            return
        assert self.coding_n is not None  # tx.cds is set
        first, last = self.coding_n
        if m.start == m.end:
            before, after = positions
            if first <= before and after <= last:
                regions.add(R.CDS)
            elif after <= first:
                regions.add(R.FIVE_PRIME_UTR)
            else:
                regions.add(R.THREE_PRIME_UTR)
            return
        if any(first <= n <= last for n in positions):
            regions.add(R.CDS)
        if any(n < first for n in positions):
            regions.add(R.FIVE_PRIME_UTR)
        if any(n > last for n in positions):
            regions.add(R.THREE_PRIME_UTR)

    def _tx_positions(self, m: Variant, c: Choice):
        """n. positions of the exonic bases of ``m``; for an insertion the two n. positions it lies between
        (the exon's neighbour across an intron for an insertion at the exon's edge); None if not exonic."""
        mp = self.mapper
        if m.start == m.end:
            p = m.start
            for a, b in self._exon_ends:
                if a < p < b:
                    n1, n2 = mp.genomic_to_tx(p - 1).n, mp.genomic_to_tx(p).n
                    return (min(n1, n2), max(n1, n2))
                if c.kind == "exon" and (p == a or p == b):
                    edge = p if p == a else p - 1  # the exon's own base beside the insertion
                    n = mp.genomic_to_tx(edge).n
                    # the inserted bases sit 5' (transcript) of n when they are on its genomic left (+) / right (-)
                    five = (p == a) == self.plus
                    return (n - 1, n) if five else (n, n + 1)
            return None
        out = []
        for g in range(max(m.start, self.span.start), min(m.end, self.span.end)):
            t = mp.genomic_to_tx(g)
            if t.offset == 0:
                out.append(t.n)
        return out or None

    def _splice(self, c: Choice, regions: set, rules: list) -> None:
        """Splice classes, each read at the member farthest from the junction it is counted from."""
        if c.kind == "exon":
            evaluations = [("exon_end", c.five), ("exon_start", c.three)]
        elif c.kind == "intron":
            evaluations = [("5", c.three), ("3", c.five)]
        else:
            evaluations = [(side, m) for m in {c.five, c.three} for side in ("5", "3", "exon_end", "exon_start")]
        for side, m in evaluations:
            if side in ("5", "3"):
                for iv, cls, rule, s, i in self.intron_regions:
                    if s == side and _hits(iv, m):
                        regions.add(cls)
                        rules.append(f"{cls.value}:{rule}")
                for intron in self.introns:
                    if m.start == m.end and self._insertion_splice_clause(m.start, intron, side):
                        regions.add(R.SPLICE_REGION)
                        rules.append("splice_region:insertion_at_junction_or_intron_2|3")
            else:
                for iv in self._exon_splice_bases(side):
                    if _hits(iv, m):
                        regions.add(R.SPLICE_REGION)
                        rules.append("splice_region:exon_bases_1..3_at_intron")
                if c.kind == "exon" and m.start == m.end:
                    # VEP: an insertion at the exon/intron junction is splice_region
                    for intron in self.introns:
                        if m.start in (intron.start, intron.end) and self._junction_side(m.start, intron) == side:
                            regions.add(R.SPLICE_REGION)
                            rules.append("splice_region:insertion_at_junction")

    def _junction_side(self, p: int, intron: Interval) -> str:
        """Which edge of the exon an insertion at a junction of ``intron`` lies on: the exon before the
        intron (transcript order) ends there ('exon_end'), the exon after it starts there ('exon_start')."""
        at_genomic_start = p == intron.start
        return "exon_end" if at_genomic_start == self.plus else "exon_start"

    def _insertion_splice_clause(self, p: int, intron: Interval, side: str) -> bool:
        """VEP's special cases for insertions: at a junction, or between the 2nd and 3rd intron base, of the
        donor ('5') or acceptor ('3') end."""
        donor_at_start = self.plus
        end_is_start = (side == "5") == donor_at_start
        if end_is_start:
            return p in (intron.start, intron.start + 2)
        return p in (intron.end, intron.end - 2)

    def _exon_splice_bases(self, side: str) -> list[Interval]:
        """The three exon bases at each exon's 3' end ('exon_end', next to a donor) or 5' start ('exon_start',
        next to an acceptor), in transcript terms."""
        out = []
        for intron in self.introns:
            left = Interval(max(0, intron.start - SPLICE_REGION_EXON), intron.start)  # exon bases genomically left
            right = Interval(intron.end, intron.end + SPLICE_REGION_EXON)
            if self.plus:
                out.append(left if side == "exon_end" else right)
            else:
                out.append(right if side == "exon_end" else left)
        return out

    def _in_vntr(self, p5: Variant, p3: Variant) -> bool:
        if self.vntr is None:
            return False
        lo, hi = min(p5.start, p3.start), max(p5.end, p3.end)
        if p5.start == p5.end and p3.start == p3.end:
            return self.vntr.start <= hi and lo <= self.vntr.end
        return lo < self.vntr.end and self.vntr.start < hi

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


def _hits_flank(flank: Interval, m: Variant) -> bool:
    if m.start == m.end:  # an insertion at the transcript's edge lies in the flank beyond it
        return flank.start <= m.start <= flank.end
    return m.start < flank.end and flank.start < m.end


def relevant(tx_span: Interval, v: Variant, flank: int = FLANK) -> bool:
    """Cheap pre-check: could ``v`` touch ``tx`` or its flanks?"""
    lo, hi = tx_span.start - flank, tx_span.end + flank
    span = footprint(v.start, v.end)
    return span.start < hi and lo < span.end
