"""Interval joins in bulk with pyranges: which variants touch which transcript features.

The per-variant :class:`~il1rn_annot.consequence.placement.Placer` answers in detail for one variant; this module answers
"which transcript features does each of many variants overlap" in one vectorised join, for pipelines that
hold thousands of variants in a DataFrame.  Both use the same 0-based half-open coordinates, and a test
checks they agree.  pyranges and pandas are imported lazily.
"""

from __future__ import annotations

from il1rn_annot.coords import footprint
from il1rn_annot.model.gene_model import FLANK, GeneModel
from il1rn_annot.types import Strand, Variant


def feature_frame(model: GeneModel, flank: int = FLANK):
    """One row per transcript feature (exon N, intron N, upstream, downstream), 0-based half-open."""
    import pandas as pd

    rows = []
    for t in model.transcripts:
        n = len(t.exons)
        for i, ex in enumerate(t.exons):
            rows.append((t.transcript_id, "exon", t.exon_number(i), ex.start, ex.end))
        for i, (a, b) in enumerate(zip(t.exons, t.exons[1:])):
            number = i + 1 if t.strand is Strand.PLUS else n - 1 - i
            rows.append((t.transcript_id, "intron", number, a.end, b.start))
        s = t.span
        up, down = (max(0, s.start - flank), s.start), (s.end, s.end + flank)
        if t.strand is Strand.MINUS:
            up, down = down, up
        rows.append((t.transcript_id, "upstream", 0, *up))
        rows.append((t.transcript_id, "downstream", 0, *down))
    df = pd.DataFrame(rows, columns=["transcript_id", "feature", "number", "Start", "End"])
    df.insert(0, "Chromosome", model.contig)
    return df


def variant_frame(variants: list[Variant], contig: str = "chr2"):
    import pandas as pd

    rows = []
    for i, v in enumerate(variants):
        span = footprint(v.start, v.end)
        rows.append((contig, span.start, span.end, i, v.vcf_pos, v.vcf_ref, v.vcf_alt, v.allele_index))
    return pd.DataFrame(rows, columns=["Chromosome", "Start", "End", "variant", "POS", "REF", "ALT", "ALLELE_NUM"])


def overlap_table(variants: list[Variant], model: GeneModel, flank: int = FLANK):
    """DataFrame of (variant index, transcript_id, feature, number) for every overlap, via a pyranges join."""
    import pyranges as pr

    if not variants:
        import pandas as pd

        return pd.DataFrame(columns=["variant", "transcript_id", "feature", "number"])
    joined = pr.PyRanges(variant_frame(variants, model.contig)).join(pr.PyRanges(feature_frame(model, flank)))
    df = joined.df[["variant", "POS", "REF", "ALT", "ALLELE_NUM", "transcript_id", "feature", "number"]]
    return df.sort_values(["variant", "transcript_id", "feature", "number"]).reset_index(drop=True)
