"""pandas DataFrames (and a pyranges object) of a run or of annotations.  The frames are typed from the same
text the TSV writers print (:mod:`il1rn_annot.sinks.dataframes`), so a TSV read back with :func:`read_table`
equals the DataFrame and its Parquet copy.

Each function takes a :class:`~il1rn_annot.pipeline.summary.RunSummary` (from :func:`il1rn_annot.annotate_vcf`,
which keeps the window's alleles without their genotypes, and their zygosity counts) or annotations from
:func:`il1rn_annot.annotate_variants` (which carry their records' genotypes).
"""

from __future__ import annotations

from il1rn_annot.sinks.dataframes import _text, read_table, typed_frame
from il1rn_annot.sinks.tables import (
    GENOTYPE_COLUMNS,
    GENOTYPE_ROWS,
    genotype_rows,
    variant_columns,
    variant_rows,
)

__all__ = ["variants_frame", "genotypes_frame", "samples_frame", "to_pyranges", "read_table"]


def _alleles_and_counts(run_or_annotations):
    """(annotation, zygosity counts) of each allele of a run summary or of annotations."""
    digest = getattr(run_or_annotations, "digest", None)
    if digest is not None:
        return [(a, digest.counts(a)) for a in digest.annotations]
    if hasattr(run_or_annotations, "digest"):  # a summary of a run that kept no alleles
        raise ValueError("this run kept no alleles: run annotate_vcf(..., keep_alleles=True)")
    return [(a, a.record.calls.allele_counts(a.variant.allele_index)) for a in run_or_annotations]


def variants_frame(run_or_annotations, build: str | None = None):
    """The variant table (one row per allele x transcript) as a DataFrame."""
    b = build if build is not None else getattr(run_or_annotations, "build", "")
    return typed_frame((row for a, counts in _alleles_and_counts(run_or_annotations)
                        for row in variant_rows(a, b, counts)), variant_columns())


def genotypes_frame(annotations, rows: str = "nonref"):
    """The long per-sample genotype table (one row per allele x listed sample) of annotations that carry their
    genotypes (:func:`il1rn_annot.annotate_variants`).  ``rows``: "nonref" or "all" (as ``--genotype-rows``)."""
    if rows not in GENOTYPE_ROWS:
        raise ValueError(f"rows={rows!r}: use one of {', '.join(GENOTYPE_ROWS)}")
    if hasattr(annotations, "digest"):
        raise ValueError("a run summary keeps no genotypes: read the genotype table it wrote with read_table(), "
                         "or pass annotate_variants(...) here")
    return typed_frame((row for a in annotations for row in genotype_rows(a, rows == "all")), GENOTYPE_COLUMNS)


def samples_frame(summary, table: tuple[list[str], list[list[object]]] | None = None):
    """The per-sample table (one row per sample, the fixed columns of ``docs/tables.md``) as a DataFrame."""
    from il1rn_annot.sinks.samples_table import sample_column_types, samples_rows

    columns, rows = table or samples_rows(summary)
    return typed_frame(list(rows), columns, types=sample_column_types())


def to_pyranges(run_or_annotations):
    """A ``pyranges.PyRanges`` of the annotated alleles (one row per allele), 0-based half-open
    ``Start``/``End`` as pyranges expects; an insertion (no reference base changed) covers the base after
    its insertion point so that it has length 1.  MANE placement columns are added."""
    import pandas as pd
    import pyranges as pr

    from il1rn_annot.fields import ALL_FIELDS, row_values
    from il1rn_annot.sinks.sample_view import mane_placement

    names = [f.name for f in ALL_FIELDS]
    keep = ["Region", "Exon", "Intron", "HGVS_pos", "In_VNTR"]
    extra = [n for n in names if n not in ("Allele", "ALLELE_NUM", "Variant_type", "Norm_pos", "Norm_ref", "Norm_alt",
                                           "Gene", "Feature", "Feature_name", "Ensembl_name", "RefSeq_numbering",
                                           "Biotype", "MANE", "Strand", "Boundary_distance", "Location_rule", "Note")
             and n not in keep]
    records = []
    for a, counts in _alleles_and_counts(run_or_annotations):
        v, r = a.variant, a.record
        t = mane_placement(a)
        values = dict(zip(names, row_values(a, t))) if t else {}
        rec = {"Chromosome": r.contig, "Start": v.start, "End": max(v.end, v.start + 1), "ID": r.id,
               "POS": r.pos, "REF": r.ref, "ALT": v.vcf_alt, "ALLELE_NUM": v.allele_index,
               "Variant_type": v.kind.value, "n_transcripts": len(a.transcripts)}
        rec.update({f"MANE_{k}": _text(values.get(k, "")) for k in keep + extra})
        rec.update({f"n_{k}": n for k, n in counts.items()})
        records.append(rec)
    df = pd.DataFrame(records)
    if df.empty:
        df = pd.DataFrame({"Chromosome": [], "Start": [], "End": []})
    return pr.PyRanges(df)
