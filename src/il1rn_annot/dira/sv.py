"""Structural variants against the IL1RN model (pure): what a deletion or duplication removes or copies.

Handles symbolic alleles (``<DEL>``, ``<DUP>``, ``<CNV>``, ``<CN0>``, ``<CN1>``, ``<INV>``, ``<INS>`` ... with
the span from END or SVLEN) and explicit deletions of at least ``long_deletion_bp`` bases.  For each it
reports the transcripts removed entirely or in part, the MANE exons (and coding exons) it covers and the
IL-1 cluster genes (``model.cluster_genes``) it removes or cuts.  Per-sample copy number (FORMAT CN) is read
in :mod:`il1rn_annot.dira.verdict`.
"""

from __future__ import annotations

from dataclasses import dataclass

from il1rn_annot.dira.catalogue import is_deletion_like, is_large_deletion
from il1rn_annot.model.gene_model import GeneModel
from il1rn_annot.types import Interval, Strand, Variant, VariantKind


@dataclass(frozen=True, slots=True)
class SvAssessment:
    """What a structural variant removes or cuts: transcripts, MANE exons, coding sequence and neighbouring cluster
    genes."""
    svtype: str  # DEL, DUP, CNV, INV, INS, BND ... ("DEL" for a long explicit deletion)
    interval: Interval
    span_known: bool
    deletion_like: bool
    transcripts_removed: tuple[str, ...]
    transcripts_partial: tuple[str, ...]
    mane_exons_removed: tuple[int, ...]  # MANE exons entirely inside
    mane_exons_cut: tuple[int, ...]  # MANE exons overlapped but not entirely inside
    mane_coding_exons_hit: tuple[int, ...]  # MANE exons with coding bases overlapped
    mane_cds_start_removed: bool
    mane_cds_end_removed: bool
    whole_mane_removed: bool
    cluster_genes_removed: tuple[str, ...]
    cluster_genes_partial: tuple[str, ...]
    coding_bases_removed: int  # MANE coding bases overlapped

    @property
    def length(self) -> int:
        return len(self.interval)

    def describe(self) -> str:
        if not self.span_known:
            return f"{self.svtype} without END/SVLEN: extent unknown"
        s, e = self.interval.start + 1, self.interval.end
        bits = [f"{self.svtype} {s}-{e} ({self.length:,} bp)"]
        if self.whole_mane_removed:
            bits.append("covers the whole MANE transcript")
        elif self.mane_exons_removed or self.mane_exons_cut:
            ex = sorted(set(self.mane_exons_removed) | set(self.mane_exons_cut))
            bits.append("MANE exon(s) " + ",".join(map(str, ex)))
        else:
            bits.append("no MANE exon")
        if self.cluster_genes_removed:
            bits.append("genes entirely inside: " + ",".join(self.cluster_genes_removed))
        if self.cluster_genes_partial:
            bits.append("genes cut: " + ",".join(self.cluster_genes_partial))
        return "; ".join(bits)


def is_structural(variant: Variant, long_deletion_bp: int) -> bool:
    return variant.kind is VariantKind.SYMBOLIC or is_large_deletion(variant, long_deletion_bp)


def _contains(outer: Interval, inner: Interval) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _covered(iv: Interval, span_known: bool, features) -> tuple[list, list]:
    """Names of the features ``iv`` removes whole, and of those whose ``parts`` it only cuts into.
    ``features``: (name, whole span, parts that count as hit)."""
    removed, partial = [], []
    if not span_known:
        return removed, partial
    for name, span, parts in features:
        if _contains(iv, span):
            removed.append(name)
        elif any(iv.overlaps(p) for p in parts):
            partial.append(name)
    return removed, partial


def assess(variant: Variant, model: GeneModel) -> SvAssessment:
    iv = variant.interval
    span_known = iv.end > iv.start
    svtype = variant.svtype or ("DEL" if variant.kind is VariantKind.DELETION else variant.kind.value.upper())
    removed, partial = _covered(iv, span_known, ((t.display_name, t.span, t.exons) for t in model.transcripts))
    mane = model.mane
    ex_removed: list[int] = []
    ex_cut: list[int] = []
    coding_hit: list[int] = []
    coding_bases = 0
    cds_start = cds_end = whole = False
    if mane is not None and span_known:
        for i, ex in enumerate(mane.exons):
            num = mane.exon_number(i)
            if _contains(iv, ex):
                ex_removed.append(num)
            elif iv.overlaps(ex):
                ex_cut.append(num)
            if mane.cds is not None:
                coding = Interval(max(ex.start, mane.cds.start), min(ex.end, mane.cds.end)) \
                    if ex.overlaps(mane.cds) else None
                if coding is not None and iv.overlaps(coding):
                    coding_hit.append(num)
                    coding_bases += min(iv.end, coding.end) - max(iv.start, coding.start)
        if mane.cds is not None:
            first = mane.cds.start if mane.strand is Strand.PLUS else mane.cds.end - 1
            last = mane.cds.end - 1 if mane.strand is Strand.PLUS else mane.cds.start
            cds_start, cds_end = iv.contains(first), iv.contains(last)
        whole = _contains(iv, mane.span)
    genes_removed, genes_partial = _covered(iv, span_known,
                                            ((g.gene, g.interval, (g.interval,)) for g in model.cluster_genes))
    return SvAssessment(svtype=svtype, interval=iv, span_known=span_known, deletion_like=is_deletion_like(variant),
                        transcripts_removed=tuple(removed), transcripts_partial=tuple(partial),
                        mane_exons_removed=tuple(sorted(ex_removed)), mane_exons_cut=tuple(sorted(ex_cut)),
                        mane_coding_exons_hit=tuple(sorted(coding_hit)), mane_cds_start_removed=cds_start,
                        mane_cds_end_removed=cds_end, whole_mane_removed=whole,
                        cluster_genes_removed=tuple(genes_removed), cluster_genes_partial=tuple(genes_partial),
                        coding_bases_removed=coding_bases)
