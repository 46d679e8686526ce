"""The VNTR measured from aligned reads, and the *2 flank SNVs genotyped from them (pure: it takes aligned-read
facts; :mod:`il1rn_annot.sources.reads` reads BAM/CRAM with pysam and hands each read over as an
:class:`AlignedRead`).

Geometry, 0-based in the run's build (the labelled bases of ``vntr_sequence.tsv``)::

      left flank (100 bp)        repeat (4 x 86 bp in the reference)        right flank (100 bp)
    ==========================L|::::::::::::::::::::::::::::::::::::::::|R==========================
                              ^ last left-flank base                    ^ first right-flank base

**Long reads** (HiFi, ONT).  A read *spans* when it has at least ``min_anchor_bp`` aligned bases in each flank
next to the repeat.  Its allele length is the number of read bases strictly between the read base aligned to
``L`` and the one aligned to ``R``: where the aligner put an insertion or deletion inside the repeat does not
matter.  (When ``L`` or ``R`` itself is deleted in the read, the read's nearest aligned base on the flank side
within ``anchor_search_bp`` stands in: the deleted flank bases are absent from the read.)  Spanning lengths are sorted and split where two
neighbours differ by more than ``cluster_gap_bp``; the best-supported cluster is an allele, the second one too
when it holds at least ``SECOND_ALLELE_FRACTION`` of the first's reads, anything else is counted as outlier
reads.  An allele's length is its cluster's median; copies = length / 86; a median within ``tolerance_bp`` of a
whole number of units is that number (named ``*N`` or ``unnamed(N_copies)``), anything else is reported as
``non_unit_change(+-N bp)`` against the 344-bp reference allele with its length, never rounded.  The labelled
motif is counted in each read's allele sequence (86-bp windows with at most ``MOTIF_MAX_MISMATCHES``
mismatches, greedy, non-overlapping) as a check on the length.

Confidence from support and spread (stated once, used everywhere):

* ``high``: every allele has >= 5 spanning reads (a homozygous call >= 10: the chance that every read of a
  heterozygote comes from one haplotype is 2 x 0.5^n, < 0.2 % at n = 10), >= 80 % of each allele's reads lie
  within ``tolerance_bp`` of its median, and no third cluster holds a real share of the reads;
* ``medium``: every allele >= 3 reads (homozygous >= 6, < 3.2 %), >= 60 % within the tolerance;
* ``low``: anything less.  Reads that do not span, or fail a filter, are counted and reported, never used.

**Short reads** (Illumina and the like) cannot span a 344-bp allele, so no length is measured from them: a
150-bp read would only ever see the short alleles.  From every read (long or short) the bases at the *2 flank
SNVs are counted (base quality >= ``min_base_quality``, mapping quality >= ``min_mapq``; reads soft-clipped
into the repeat count like any other) and genotyped by likelihood (each base's error from its quality; flat
prior; GQ = the phred-scaled chance the call is wrong, at most 99); a site with fewer than ``min_tag_depth``
such bases is not called.  These genotypes are tag evidence for :mod:`il1rn_annot.vntr.tags`, never a
measurement.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from statistics import median, median_low

import numpy as np

from il1rn_annot.coords import vcf_pos_to_start
from il1rn_annot.types import Interval
from il1rn_annot.variants.genotypes import GenotypeMatrix, SampleCall
from il1rn_annot.variants.record import Record
from il1rn_annot.vntr.definition import TagMarker, VntrDefinition
from il1rn_annot.vntr.direct import (
    Evidence,
    HaplotypeStatus,
    VntrHaplotype,
    diplotype_label,
    haplotype_for_change,
)
from il1rn_annot.vntr.tags import MIN_TAG_DEPTH, MarkerMatch, TagInference, infer_sample

# SAM flags and CIGAR operations (SAM specification, sections 1.4 and 1.4.6)
FLAG_UNMAPPED, FLAG_SECONDARY, FLAG_QCFAIL, FLAG_DUPLICATE, FLAG_SUPPLEMENTARY = 0x4, 0x100, 0x200, 0x400, 0x800
CIGAR_M, CIGAR_I, CIGAR_D, CIGAR_N, CIGAR_S, CIGAR_H, CIGAR_P, CIGAR_EQ, CIGAR_X = range(9)
_ALIGNED = (CIGAR_M, CIGAR_EQ, CIGAR_X)
_QUERY = (CIGAR_M, CIGAR_I, CIGAR_S, CIGAR_EQ, CIGAR_X)
_REFERENCE = (CIGAR_M, CIGAR_D, CIGAR_N, CIGAR_EQ, CIGAR_X)

SECOND_ALLELE_FRACTION = 0.2  # a second length cluster is an allele when it holds >= this share of the first's reads
MOTIF_MAX_MISMATCHES = 8      # an 86-bp window counts as a motif copy with at most this many mismatches (~10 %)
LONG_READ_PLATFORMS = ("PACBIO", "ONT", "NANOPORE", "OXFORDNANOPORE")
SHORT_READ_PLATFORMS = ("ILLUMINA", "BGI", "MGI", "DNBSEQ", "ELEMENT", "ULTIMA", "SOLID", "IONTORRENT", "LS454",
                        "HELICOS", "COMPLETE", "CAPILLARY", "SINGULAR")
LONG_READ_MIN_BP = 1000       # no @RG PL: a file whose longest read at the locus is at least this long is long-read
READ_TYPES = ("auto", "long", "short")


@dataclass(frozen=True, slots=True)
class ReadsOptions:
    """Thresholds of the read-based calls (defaults in the module docstring)."""
    min_mapq: int = 20
    min_base_quality: int = 20
    min_anchor_bp: int = 20
    anchor_search_bp: int = 20
    tolerance_bp: int = 4
    cluster_gap_bp: int = 20
    min_tag_depth: int = MIN_TAG_DEPTH
    read_type: str = "auto"  # "auto" (from @RG PL, else read length), "long" or "short"

    def __post_init__(self) -> None:
        if self.read_type not in READ_TYPES:
            raise ValueError(f"read_type={self.read_type!r}: use one of {', '.join(READ_TYPES)}")
        for name in ("min_mapq", "min_base_quality", "min_anchor_bp", "anchor_search_bp", "tolerance_bp",
                     "cluster_gap_bp", "min_tag_depth"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name}={getattr(self, name)}: give a number >= 0")


@dataclass(frozen=True, slots=True)
class AlignedRead:
    """One aligned read as the reads source hands it over (0-based reference start, CIGAR as (op, length)
    pairs, the query sequence in reference orientation including soft clips, phred qualities)."""
    name: str
    sample: str
    reference_start: int
    cigar: tuple[tuple[int, int], ...]
    sequence: str
    qualities: bytes  # b"" when the file stores none
    mapq: int
    flag: int = 0

    @property
    def length(self) -> int:
        """The read's length including soft and hard clips."""
        return sum(n for op, n in self.cigar if op in _QUERY or op == CIGAR_H)


@dataclass(frozen=True, slots=True)
class FlankSnv:
    """A tag SNV inside the labelled locus (0-based position in the run's build)."""
    name: str
    pos0: int
    ref: str
    alt: str
    marker: TagMarker


@dataclass(frozen=True)
class ReadLocus:
    """What the read logic needs of the VNTR definition."""
    contig: str
    repeat: Interval        # the VNTR interval (0-based half-open)
    fetch: Interval         # the labelled locus: left flank start .. right flank end
    unit_bp: int
    reference_length: int
    motif: str
    snvs: tuple[FlankSnv, ...]
    defn: VntrDefinition

    @classmethod
    def of(cls, defn: VntrDefinition, markers: tuple[TagMarker, ...] | None = None) -> ReadLocus:
        seq = defn.sequence
        if seq is None:
            raise ValueError("the VNTR definition carries no labelled sequence (vntr_sequence.tsv)")
        fetch = Interval(seq.left_start, seq.right_start + len(seq.right_flank))
        snvs = []
        for m in (defn.tags if markers is None else markers):
            pos = m.position(defn.build)
            start = vcf_pos_to_start(pos) if pos is not None else None
            if start is not None and fetch.contains(start) and m.role == "tag" and len(m.ref) == len(m.alt) == 1:
                snvs.append(FlankSnv(m.rsid, start, m.ref.upper(), m.alt.upper(), m))
        return cls(defn.contig, defn.interval, fetch, defn.unit_bp, len(defn.interval), seq.motif, tuple(snvs), defn)


# --- one read -----------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ReadObservation:
    """What one read says: spanning (with its allele length), not spanning, or filtered (with why), and the
    bases it shows at the flank SNVs (``None`` where it does not cover one, ``"-"`` where it deletes it)."""
    status: str  # "spanning" / "not_spanning" / "filtered"
    reason: str = ""
    allele_length: int | None = None
    motif_copies: int | None = None
    snv_bases: tuple[tuple[str, int] | None, ...] = ()
    read_length: int = 0


def _blocks(read: AlignedRead) -> list[tuple[int, int, int]]:
    """(reference start, query start, length) of each aligned (M/=/X) block."""
    out = []
    r, q = read.reference_start, 0
    for op, n in read.cigar:
        if op in _ALIGNED:
            out.append((r, q, n))
        if op in _REFERENCE:
            r += n
        if op in _QUERY:
            q += n
    return out


def _query_at(blocks: list[tuple[int, int, int]], pos: int) -> int | None:
    for r, q, n in blocks:
        if r <= pos < r + n:
            return q + pos - r
    return None


def _left_anchor(blocks, pos: int, search: int) -> int | None:
    """Query index of the read's last aligned base at or before reference ``pos`` (the last left-flank base),
    at most ``search`` bases before it: when ``pos`` itself is deleted in the read, the repeat starts right
    after that base."""
    best = None
    for r, q, n in blocks:
        if r <= pos < r + n:
            return q + pos - r
        last = r + n - 1
        if last < pos and pos - last <= search and (best is None or last > best[0]):
            best = (last, q + n - 1)
    return None if best is None else best[1]


def _right_anchor(blocks, pos: int, search: int) -> int | None:
    """Query index of the read's first aligned base at or after reference ``pos`` (the first right-flank base)."""
    best = None
    for r, q, n in blocks:
        if r <= pos < r + n:
            return q + pos - r
        if r > pos and r - pos <= search and (best is None or r < best[0]):
            best = (r, q)
    return None if best is None else best[1]


def count_motif_copies(sequence: str, motif: str, max_mismatches: int = MOTIF_MAX_MISMATCHES) -> int:
    """Non-overlapping windows of ``sequence`` within ``max_mismatches`` of ``motif``, taken greedily from
    the left (a check on the length, not a measurement: an indel inside a copy breaks its window)."""
    k = len(motif)
    if len(sequence) < k:
        return 0
    seq = np.frombuffer(sequence.upper().encode("ascii"), dtype=np.uint8)
    mot = np.frombuffer(motif.upper().encode("ascii"), dtype=np.uint8)
    mismatches = (np.lib.stride_tricks.sliding_window_view(seq, k) != mot).sum(axis=1)
    hits = np.flatnonzero(mismatches <= max_mismatches)
    copies, free_from = 0, 0
    for i in hits.tolist():
        if i >= free_from:
            copies += 1
            free_from = i + k
    return copies


def observe_read(read: AlignedRead, locus: ReadLocus, options: ReadsOptions = ReadsOptions()) -> ReadObservation:
    """Classify one read and measure what it shows (allele length when it spans; flank SNV bases)."""
    if read.flag & FLAG_UNMAPPED:
        return ReadObservation("filtered", "unmapped")
    for bit, why in ((FLAG_SECONDARY, "secondary alignment"), (FLAG_SUPPLEMENTARY, "supplementary alignment"),
                     (FLAG_DUPLICATE, "duplicate"), (FLAG_QCFAIL, "QC fail")):
        if read.flag & bit:
            return ReadObservation("filtered", why)
    if read.mapq < options.min_mapq:
        return ReadObservation("filtered", f"mapping quality < {options.min_mapq}")
    if not read.sequence:
        return ReadObservation("filtered", "no sequence stored")
    blocks = _blocks(read)
    snv_bases: list[tuple[str, int] | None] = []
    for snv in locus.snvs:
        q = _query_at(blocks, snv.pos0)
        if q is None:
            covered = any(r <= snv.pos0 < r + n for r, n in _deleted(read))
            snv_bases.append(("-", 0) if covered else None)
        else:
            snv_bases.append((read.sequence[q].upper(), read.qualities[q] if read.qualities else 0))
    last_left, first_right = locus.repeat.start - 1, locus.repeat.end
    aligned_from = blocks[0][0] if blocks else read.reference_start
    aligned_to = blocks[-1][0] + blocks[-1][2] if blocks else read.reference_start
    left_ok = aligned_from <= last_left - options.min_anchor_bp + 1
    right_ok = aligned_to >= first_right + options.min_anchor_bp
    seen, length = tuple(snv_bases), read.length
    if not (left_ok and right_ok):
        reason = ("reaches neither flank" if not (left_ok or right_ok) else
                  "does not reach the left flank" if not left_ok else "does not reach the right flank")
        return ReadObservation("not_spanning", f"{reason} (< {options.min_anchor_bp} aligned bases)",
                               snv_bases=seen, read_length=length)
    q_left = _left_anchor(blocks, last_left, options.anchor_search_bp)
    q_right = _right_anchor(blocks, first_right, options.anchor_search_bp)
    if q_left is None or q_right is None or q_right <= q_left:
        return ReadObservation("not_spanning", "a flank next to the repeat is not aligned", snv_bases=seen,
                               read_length=length)
    allele = read.sequence[q_left + 1:q_right]
    return ReadObservation("spanning", "", len(allele), count_motif_copies(allele, locus.motif), seen, length)


def _deleted(read: AlignedRead) -> list[tuple[int, int]]:
    out, r = [], read.reference_start
    for op, n in read.cigar:
        if op in (CIGAR_D, CIGAR_N):
            out.append((r, n))
        if op in _REFERENCE:
            r += n
    return out


def read_type_of(platform: str | None, longest_read: int, forced: str = "auto") -> tuple[str, str]:
    """("long"/"short", how it was decided) for one file."""
    if forced != "auto":
        return forced, f"--read-type {forced}"
    pl = (platform or "").upper().replace(" ", "")
    if pl in LONG_READ_PLATFORMS:
        return "long", f"@RG PL:{platform}"
    if pl in SHORT_READ_PLATFORMS:
        return "short", f"@RG PL:{platform}"
    kind = "long" if longest_read >= LONG_READ_MIN_BP else "short"
    return kind, (f"no known @RG PL ({platform or 'none'}): longest read at the locus {longest_read} bp "
                  f"({'>=' if kind == 'long' else '<'} {LONG_READ_MIN_BP})")


# --- one sample ---------------------------------------------------------------------------------------

@dataclass
class SampleReads:
    """What the reads of one sample showed, accumulated file by file (compact: no read is kept)."""
    sample: str
    files: list[str] = field(default_factory=list)
    read_types: dict[str, str] = field(default_factory=dict)  # file -> "long (@RG PL:PACBIO)"
    reads: int = 0
    filtered: Counter = field(default_factory=Counter)
    not_spanning: Counter = field(default_factory=Counter)
    spanning_short_reads: int = 0  # spanning reads of short-read files: not used for a length
    spanning: list[tuple[int, int | None, tuple]] = field(default_factory=list)  # (length, motif copies, snv bases)
    snv_counts: dict[str, Counter] = field(default_factory=dict)   # name -> Counter(ref/alt/other/deleted)
    snv_loglik: dict[str, list[float]] = field(default_factory=dict)  # name -> log10 L(0/0), L(0/1), L(1/1)

    def add(self, obs: ReadObservation, locus: ReadLocus, long_reads: bool, options: ReadsOptions) -> None:
        self.reads += 1
        if obs.status == "filtered":
            self.filtered[obs.reason] += 1
            return
        if obs.status == "spanning" and obs.allele_length is not None:
            if long_reads:
                self.spanning.append((obs.allele_length, obs.motif_copies, obs.snv_bases))
            else:
                self.spanning_short_reads += 1
        else:
            self.not_spanning[obs.reason] += 1
        for snv, seen in zip(locus.snvs, obs.snv_bases):
            if seen is None:
                continue
            counts = self.snv_counts.setdefault(snv.name, Counter())
            base, qual = seen
            if base == "-":
                counts["deleted"] += 1
                continue
            if qual < options.min_base_quality:
                counts["low_quality"] += 1
                continue
            kind = "ref" if base == snv.ref else "alt" if base == snv.alt else "other"
            counts[kind] += 1
            err = 10 ** (-qual / 10)
            p_ref = 1 - err if kind == "ref" else err / 3
            p_alt = 1 - err if kind == "alt" else err / 3
            ll = self.snv_loglik.setdefault(snv.name, [0.0, 0.0, 0.0])
            ll[0] += math.log10(p_ref)
            ll[1] += math.log10((p_ref + p_alt) / 2)
            ll[2] += math.log10(p_alt)


@dataclass(frozen=True, slots=True)
class SnvGenotype:
    """One flank SNV genotyped from reads: counts of bases passing the quality thresholds, the genotype
    (``0/0``, ``0/1``, ``1/1`` or ``./.``) and its GQ."""
    name: str
    pos: int  # 1-based
    ref: str
    alt: str
    ref_reads: int
    alt_reads: int
    other_reads: int
    genotype: str
    gq: int | None
    reason: str = ""

    @property
    def depth(self) -> int:
        return self.ref_reads + self.alt_reads

    def to_json(self) -> dict:
        return {"name": self.name, "pos": self.pos, "ref": self.ref, "alt": self.alt, "ref_reads": self.ref_reads,
                "alt_reads": self.alt_reads, "other_reads": self.other_reads, "depth": self.depth,
                "genotype": self.genotype, "gq": self.gq, "reason": self.reason}

    def call(self, sample: str) -> SampleCall:
        alleles: tuple[int | None, ...] = {"0/0": (0, 0), "0/1": (0, 1), "1/1": (1, 1)}.get(self.genotype, (None, None))
        return SampleCall(sample, alleles, False, gq=self.gq, dp=self.depth)


def genotype_snvs(tally: SampleReads, locus: ReadLocus, options: ReadsOptions) -> tuple[SnvGenotype, ...]:
    out = []
    for snv in locus.snvs:
        counts = tally.snv_counts.get(snv.name, Counter())
        ref, alt, other = counts.get("ref", 0), counts.get("alt", 0), counts.get("other", 0)
        if ref + alt < options.min_tag_depth:
            out.append(SnvGenotype(snv.name, snv.pos0 + 1, snv.ref, snv.alt, ref, alt, other, "./.", None,
                                   f"{ref + alt} reads with base quality >= {options.min_base_quality} "
                                   f"< {options.min_tag_depth}: not called"))
            continue
        ll = tally.snv_loglik[snv.name]
        best = max(range(3), key=lambda g: ll[g])
        top = ll[best]
        total = sum(10 ** (x - top) for x in ll)
        wrong = 1 - 1 / total
        gq = 99 if wrong <= 0 else min(99, round(-10 * math.log10(wrong)))
        out.append(SnvGenotype(snv.name, snv.pos0 + 1, snv.ref, snv.alt, ref, alt, other,
                               ("0/0", "0/1", "1/1")[best], gq))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class ReadAllele:
    """One allele measured from spanning long reads."""
    haplotype: VntrHaplotype
    length_bp: int        # median allele length
    copies_exact: float   # length / unit
    support: int          # spanning reads
    length_min: int
    length_max: int
    within_tolerance: int  # reads within the tolerance of the median
    motif_copies: int | None
    snv_alt: tuple[tuple[str, int, int], ...]  # (SNV name, reads showing its ALT, reads covering it)

    @property
    def label(self) -> str:
        return self.haplotype.label

    def to_json(self) -> dict:
        return {"allele": self.label, "copies": self.haplotype.copies, "copies_exact": round(self.copies_exact, 2),
                "length_bp": self.length_bp, "change_bp": self.haplotype.change_bp, "support": self.support,
                "length_range_bp": [self.length_min, self.length_max], "within_tolerance": self.within_tolerance,
                "motif_copies_counted": self.motif_copies,
                "flank_snvs": {name: f"ALT in {alt}/{cov} reads" for name, alt, cov in self.snv_alt}}


@dataclass(frozen=True, slots=True)
class ReadsCall:
    """One sample's read-based VNTR result: the measured alleles (long reads), the flank SNV genotypes, and
    every count that says what was used and what was not."""
    sample: str
    files: tuple[str, ...]
    read_types: tuple[str, ...]
    alleles: tuple[ReadAllele, ...]
    confidence: str  # high / medium / low; "" when nothing was measured
    confidence_basis: str
    reads: int
    spanning: int
    not_spanning: tuple[tuple[str, int], ...]
    filtered: tuple[tuple[str, int], ...]
    outlier_reads: int
    snvs: tuple[SnvGenotype, ...]
    length_counts: tuple[tuple[int, int], ...]  # (allele length, spanning reads) for the histogram
    notes: tuple[str, ...] = ()

    @property
    def measured(self) -> bool:
        return bool(self.alleles)

    @property
    def diplotype(self) -> tuple[VntrHaplotype, VntrHaplotype] | None:
        if not self.alleles:
            return None
        a = self.alleles[0].haplotype
        b = self.alleles[1].haplotype if len(self.alleles) > 1 else a
        return (a, b)

    @property
    def label(self) -> str:
        return diplotype_label(self.diplotype) if self.diplotype else ""

    def to_json(self) -> dict:
        return {"files": list(self.files), "read_types": list(self.read_types), "diplotype": self.label,
                "confidence": self.confidence, "confidence_basis": self.confidence_basis, "reads": self.reads,
                "spanning_reads": self.spanning, "not_spanning_reads": dict(self.not_spanning),
                "filtered_reads": dict(self.filtered), "outlier_reads": self.outlier_reads,
                "alleles": [a.to_json() for a in self.alleles], "flank_snvs": [s.to_json() for s in self.snvs],
                "notes": list(self.notes)}


@dataclass(frozen=True)
class ReadsEvidence:
    """What the read files said (made by :func:`il1rn_annot.sources.reads.read_vntr_reads`): the build, one
    :class:`ReadsCall` per sample, the files read and how their build was recognised."""
    build: str
    calls: dict[str, ReadsCall]
    files: tuple[str, ...]
    notes: tuple[str, ...] = ()
    build_evidence: tuple[str, ...] = field(default=())

    @property
    def samples(self) -> tuple[str, ...]:
        return tuple(self.calls)


def _clusters(lengths: list[int], gap: int) -> list[list[int]]:
    out: list[list[int]] = []
    for x in sorted(lengths):
        if out and x - out[-1][-1] <= gap:
            out[-1].append(x)
        else:
            out.append([x])
    return out


def _confidence(alleles: list[ReadAllele], homozygous: bool, third: int) -> tuple[str, str]:
    supports = [a.support for a in alleles]
    within = min(a.within_tolerance / a.support for a in alleles)
    need_high, need_medium = (10, 6) if homozygous else (5, 3)
    basis = (f"{'homozygous, ' if homozygous else ''}{' and '.join(str(s) for s in supports)} spanning read(s); "
             f"{within:.0%} of each allele's reads within the tolerance of its median")
    if homozygous:
        n = supports[0]
        basis += f"; a second allele is missed with probability 2 x 0.5^{n} = {2 * 0.5 ** n:.2g} if the sample is heterozygous"
    if third:
        basis += f"; a third length cluster holds {third} read(s)"
    if min(supports) >= need_high and within >= 0.8 and not third:
        return "high", basis
    if min(supports) >= need_medium and within >= 0.6 and not third:
        return "medium", basis
    return "low", basis


def call_reads(tally: SampleReads, locus: ReadLocus, options: ReadsOptions = ReadsOptions()) -> ReadsCall:
    """The sample's alleles from its spanning long reads (at most two), with support and confidence, and its
    flank SNV genotypes."""
    defn, unit = locus.defn, locus.unit_bp
    notes: list[str] = []
    snvs = genotype_snvs(tally, locus, options)
    lengths = [x[0] for x in tally.spanning]
    length_counts = tuple(sorted(Counter(lengths).items()))
    if tally.spanning_short_reads:
        notes.append(f"{tally.spanning_short_reads} short read(s) span a (short) allele: not used for a length, since "
                     "a short read cannot span the longer alleles")
    if not any(t.startswith("long") for t in tally.read_types.values()):
        notes.append("no long-read file: the allele length is not measured; the flank SNVs are tag evidence only")
    alleles: list[ReadAllele] = []
    outliers = third = 0
    confidence = basis = ""
    if lengths:
        clusters = sorted(_clusters(lengths, options.cluster_gap_bp), key=lambda c: (-len(c), median_low(c)))
        chosen = [clusters[0]]
        if len(clusters) > 1 and len(clusters[1]) >= max(1.0, SECOND_ALLELE_FRACTION * len(clusters[0])):
            chosen.append(clusters[1])
        rest = [c for c in clusters if not any(c is x for x in chosen)]
        outliers = sum(len(c) for c in rest)
        third = sum(len(c) for c in rest if len(c) >= 2 and len(c) >= SECOND_ALLELE_FRACTION * len(clusters[0]))
        by_length: dict[int, list[tuple[int | None, tuple]]] = {}
        for length, motif_n, bases in tally.spanning:
            by_length.setdefault(length, []).append((motif_n, bases))
        for c in sorted(chosen, key=median_low):
            mid = median_low(c)
            hap = haplotype_for_change(mid - locus.reference_length, defn, "spanning long reads",
                                       tolerance=options.tolerance_bp, evidence=Evidence.SPANNING_READS)
            members = [m for x in sorted(set(c)) for m in by_length[x]]
            motif_counts = [m for m, _ in members if m is not None]
            snv_alt = []
            for i, snv in enumerate(locus.snvs):
                seen = [b[i] for _, b in members if b[i] is not None and b[i][0] != "-"]
                snv_alt.append((snv.name, sum(1 for base, _ in seen if base == snv.alt), len(seen)))
            alleles.append(ReadAllele(hap, mid, mid / unit, len(c), min(c), max(c),
                                      sum(1 for x in c if abs(x - mid) <= options.tolerance_bp),
                                      int(median(motif_counts)) if motif_counts else None, tuple(snv_alt)))
        confidence, basis = _confidence(alleles, len(alleles) == 1, third)
        if outliers:
            notes.append(f"{outliers} spanning read(s) outside the allele clusters (lengths "
                         f"{', '.join(str(x) for c in rest for x in sorted(set(c))[:5])}): counted, not used")
        for a in alleles:
            if a.haplotype.copies is not None and a.motif_copies is not None and a.motif_copies != a.haplotype.copies:
                notes.append(f"{a.label}: motif check inconclusive: {a.motif_copies} copies of the labelled motif "
                             f"counted in its reads (86-bp windows in phase, <= {MOTIF_MAX_MISMATCHES} mismatches: an "
                             f"indel error or a diverged copy breaks a window) against {a.haplotype.copies} from the "
                             "length; the length is used")
            if a.haplotype.status is HaplotypeStatus.NON_UNIT_CHANGE:
                notes.append(f"{a.label}: {a.length_bp} bp = {a.copies_exact:.2f} units, not a whole number of "
                             f"{unit}-bp units (tolerance {options.tolerance_bp} bp): reported as measured, not rounded")
            notes.extend(_tag_concordance(a, locus))
    return ReadsCall(tally.sample, tuple(tally.files), tuple(f"{f}: {t}" for f, t in tally.read_types.items()),
                     tuple(alleles), confidence, basis, tally.reads, len(lengths),
                     tuple(sorted(tally.not_spanning.items())), tuple(sorted(tally.filtered.items())), outliers,
                     snvs, length_counts, tuple(notes))


def _tag_concordance(a: ReadAllele, locus: ReadLocus) -> list[str]:
    """Does the measured allele carry the flank SNVs of the allele they tag?  (A check on the DERIVED tag.)"""
    out = []
    for (name, alt, covered), snv in zip(a.snv_alt, locus.snvs):
        if covered < 2:
            continue
        tagged = snv.marker.tagged_allele
        carries = alt * 2 > covered
        if (a.haplotype.allele == tagged) != carries:
            out.append(f"{a.label}: {name} ALT in {alt}/{covered} of its reads, but the tag pairs the ALT with "
                       f"{tagged} (a haplotype the tag table does not describe)")
    return out


def reads_tag_calls(call: ReadsCall) -> dict[str, SampleCall]:
    """The flank SNV genotypes as tag-marker calls (for :func:`il1rn_annot.vntr.tags.infer_sample`)."""
    return {s.name: s.call(call.sample) for s in call.snvs}


def infer_from_reads(call: ReadsCall, locus: ReadLocus) -> TagInference:
    """The tag inference of :mod:`il1rn_annot.vntr.tags` on the flank SNVs genotyped from the reads."""
    matches = {}
    for snv in locus.snvs:
        record = Record(f"reads:{locus.contig}", snv.pos0 + 1, ".", snv.ref, (snv.alt,), None, (), {},
                        GenotypeMatrix.empty(), -1)
        matches[snv.name] = MarkerMatch(snv.marker, "reads", record, 1)
    return infer_sample(call.sample, reads_tag_calls(call), matches, locus.defn,
                        tuple(s.marker for s in locus.snvs))
