"""Value types shared by every layer.  All are frozen; coordinates are 0-based half-open.

The VCF view of a variant (1-based ``vcf_pos``, padded ``vcf_ref``/``vcf_alt``, ``allele_index``) is kept
beside the normalised view (``start``/``end``/``ref``/``alt``) so every annotation can be traced back to the
record it came from.  Conversions between the two live in :mod:`il1rn_annot.coords`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """0-based half-open genomic interval ``[start, end)``; ``start == end`` is an insertion point."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"interval end {self.end} < start {self.start}")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Interval") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, pos: int) -> bool:
        return self.start <= pos < self.end


class Strand(int, Enum):
    PLUS = 1
    MINUS = -1

    @property
    def symbol(self) -> str:
        return "+" if self is Strand.PLUS else "-"


@dataclass(frozen=True, slots=True)
class Transcript:
    """One transcript model.  ``exons`` are sorted by genomic start whatever the strand; ``cds`` spans
    from the first base of the start codon to the last base of the stop codon (genomic, half-open)."""

    transcript_id: str
    display_name: str
    gene: str
    contig: str
    strand: Strand
    exons: tuple[Interval, ...]
    cds: Interval | None
    biotype: str
    mane_select: bool = False
    ensembl_name: str = ""
    ensembl_id: str = ""
    refseq_cds_numbering: str = ""
    protein_length: int | None = None
    source: str = ""
    name_status: str = ""
    # the CDS as annotated when it is longer than the translated ``cds`` (partial codons of a 5'/3'-incomplete
    # CDS in a user GFF): those bases are coding for placement, not UTR
    cds_annotated: Interval | None = None

    @property
    def span(self) -> Interval:
        return Interval(self.exons[0].start, self.exons[-1].end)

    @property
    def is_coding(self) -> bool:
        return self.cds is not None

    def exon_number(self, genomic_index: int) -> int:
        """1-based exon number in transcript order of the exon at ``genomic_index`` (sorted order)."""
        return genomic_index + 1 if self.strand is Strand.PLUS else len(self.exons) - genomic_index

    @property
    def hgvs_accession(self) -> str:
        """The accession HGVS strings are written against: RefSeq for MANE, else the transcript's own public id
        (Ensembl or a user GFF's), else '' (a model without one: no internal row id goes into HGVS; see
        :func:`il1rn_annot.consequence.effects.hgvs_reference` for the DERIVED RefSeq numbering)."""
        if self.mane_select and self.refseq_cds_numbering:
            return self.refseq_cds_numbering
        return self.ensembl_id


class VariantKind(str, Enum):
    SNV = "snv"
    MNV = "mnv"
    INSERTION = "insertion"
    DELETION = "deletion"
    DELINS = "delins"
    SYMBOLIC = "symbolic"
    SPANNING_DELETION = "spanning_deletion"
    NO_CHANGE = "no_change"


@dataclass(frozen=True, slots=True)
class Variant:
    """One ALT allele of one VCF record, trimmed of shared bases.

    ``start``/``end``: 0-based half-open reference span changed (``start == end`` for a pure insertion,
    placed before base ``start``).  For symbolic alleles the span comes from END/SVLEN.
    """

    contig: str
    start: int
    end: int
    ref: str
    alt: str
    kind: VariantKind
    vcf_pos: int
    vcf_ref: str
    vcf_alt: str
    allele_index: int
    record_id: str = "."
    svtype: str = ""
    note: str = ""

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)

    @property
    def vcf_key(self) -> str:
        return f"{self.contig}:{self.vcf_pos} {self.vcf_ref}>{self.vcf_alt}"


class RegionClass(str, Enum):
    """Where a variant lies on one transcript (Sequence Ontology names where one exists)."""

    UPSTREAM = "upstream_gene_variant"
    DOWNSTREAM = "downstream_gene_variant"
    EXON = "exon"
    INTRON = "intron"
    FIVE_PRIME_UTR = "5_prime_UTR"
    THREE_PRIME_UTR = "3_prime_UTR"
    CDS = "CDS"
    NON_CODING_EXON = "non_coding_transcript_exon"
    SPLICE_DONOR = "splice_donor"
    SPLICE_ACCEPTOR = "splice_acceptor"
    SPLICE_DONOR_5TH_BASE = "splice_donor_5th_base"
    SPLICE_DONOR_REGION = "splice_donor_region"
    SPLICE_POLYPYRIMIDINE_TRACT = "splice_polypyrimidine_tract"
    SPLICE_REGION = "splice_region"
    VNTR = "VNTR"
    TRANSCRIPT_ABLATION = "whole_transcript"


@dataclass(frozen=True, slots=True)
class Location:
    """A variant placed on one transcript.  ``regions`` is every class any changed base touches."""

    transcript: Transcript
    regions: frozenset[RegionClass]
    exons: tuple[int, ...]
    introns: tuple[int, ...]
    n_exons: int
    distance_to_boundary: int | None
    hgvs_start: str
    hgvs_end: str
    rule: str
    in_vntr: bool = False
    # the member of an indel's equivalence class the consequence and HGVS are read from (consequence.placement),
    # the kind of segment it lies in (exon, intron, spanning, junction) and whether it reaches intron bases +3..-3
    canonical: "Variant | None" = None
    segment: str = ""
    intron_interior: bool = False
    # without a genome an indel's class is only as wide as the known bases show: it may reach further left/right
    open_left: bool = False
    open_right: bool = False

    @property
    def exon_label(self) -> str:
        return "-".join(str(e) for e in self._range(self.exons)) + f"/{self.n_exons}" if self.exons else ""

    @property
    def intron_label(self) -> str:
        return "-".join(str(i) for i in self._range(self.introns)) + f"/{self.n_exons - 1}" if self.introns else ""

    @staticmethod
    def _range(numbers: tuple[int, ...]) -> tuple[int, ...]:
        return (numbers[0],) if len(numbers) == 1 else (numbers[0], numbers[-1])

    @property
    def hgvs_position(self) -> str:
        if not self.hgvs_start:
            return ""
        return self.hgvs_start if self.hgvs_start == self.hgvs_end else f"{self.hgvs_start}_{self.hgvs_end.split('.', 1)[1]}"
