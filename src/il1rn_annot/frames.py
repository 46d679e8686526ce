"""pandas DataFrames (and a pyranges object) of a run.  The frames are typed from the same text the TSV
writers print, so a TSV read back with :func:`read_table` equals the DataFrame and its Parquet copy.

Column types: the integer columns listed below are ``Int64`` (nullable), ``GQ`` is ``Float64``, every other
column is ``string`` (empty cells are ``""``, never NaN).  Per-sample table columns whose every non-empty
cell is an integer (or a number) become ``Int64`` (or ``Float64``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .io.tables import GENOTYPE_COLUMNS, GENOTYPE_ROWS, genotype_rows, variant_columns, variant_rows

INT_COLUMNS = frozenset({"POS", "ALLELE_NUM", "Norm_pos", "Boundary_distance", "allele_copies", "PS", "DP",
                         "n_hom_alt", "n_het", "n_het_other_alt", "n_hemizygous", "n_ref", "n_half_call", "n_missing",
                         "n_carried_alleles", "n_uncertain_calls"})
FLOAT_COLUMNS = frozenset({"GQ"})
TEXT_COLUMNS = frozenset({"CHROM", "ID", "REF", "ALT", "sample", "GT"})
_INT = re.compile(r"-?\d+")
_FLOAT = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|nan|inf|-inf")


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _annotations_of(run_or_annotations):
    ann = getattr(run_or_annotations, "annotations", None)
    return list(ann if ann is not None else run_or_annotations)


def typed_frame(rows: Iterable[list[object]], columns: list[str], infer: bool = False):
    """A DataFrame from table rows: every cell first becomes its TSV text, then the columns are typed."""
    import pandas as pd

    text = [[_text(v) for v in row] for row in rows]
    df = pd.DataFrame(text, columns=columns, dtype="string") if text else pd.DataFrame(
        {c: pd.Series([], dtype="string") for c in columns})
    for c in columns:
        kind = "int" if c in INT_COLUMNS else "float" if c in FLOAT_COLUMNS else None
        if kind is None and infer and c not in TEXT_COLUMNS:
            values = [v for v in df[c] if v != ""]
            if values and all(_INT.fullmatch(v) for v in values):
                kind = "int"
            elif values and all(_FLOAT.fullmatch(v) for v in values):
                kind = "float"
        if kind == "int":
            df[c] = pd.array([int(v) if v != "" else None for v in df[c]], dtype="Int64")
        elif kind == "float":
            df[c] = pd.array([float(v) if v != "" else None for v in df[c]], dtype="Float64")
    return df


def variants_frame(run_or_annotations, build: str | None = None):
    """The variant table (one row per allele x transcript) as a DataFrame."""
    anns = _annotations_of(run_or_annotations)
    b = build if build is not None else getattr(run_or_annotations, "build", "")
    return typed_frame((row for a in anns for row in variant_rows(a, b)), variant_columns())


def genotypes_frame(run_or_annotations, rows: str | None = None):
    """The long per-sample genotype table (one row per allele x sample) as a DataFrame.  ``rows``: "all" or
    "nonref" (as ``--genotype-rows``); by default the run's own choice, else "all"."""
    anns = _annotations_of(run_or_annotations)
    rows = rows or getattr(run_or_annotations, "genotype_rows", "all")
    if rows not in GENOTYPE_ROWS:
        raise ValueError(f"rows={rows!r}: use one of {', '.join(GENOTYPE_ROWS)}")
    ref_rows = rows == "all"
    return typed_frame((row for a in anns for row in genotype_rows(a, ref_rows)), GENOTYPE_COLUMNS)


def samples_frame(summary, table: tuple[list[str], list[list[object]]] | None = None):
    """One row per sample: counts of carried/uncertain alleles and the analyses' scalar per-sample fields.
    ``table``: :func:`il1rn_annot.io.samples_table.samples_rows` output when the caller already has it."""
    from .io.samples_table import samples_rows

    columns, rows = table or samples_rows(summary)
    return typed_frame(list(rows), columns, infer=True)


def read_table(path: str):
    """Read a TSV written by il1rn-annot (variant, genotype or per-sample table) into the typed DataFrame the
    API returns (and the Parquet copy holds)."""
    import csv

    with open(path, newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        columns = next(reader)
        rows = list(reader)
    return typed_frame(rows, columns, infer=columns[:1] == ["sample"])


def to_pyranges(run_or_annotations):
    """A ``pyranges.PyRanges`` of the annotated alleles (one row per allele), 0-based half-open
    ``Start``/``End`` as pyranges expects; an insertion (no reference base changed) covers the base after
    its insertion point so that it has length 1.  MANE placement columns are added."""
    import pandas as pd
    import pyranges as pr

    from .fields import all_fields, row_values
    from .genotype import allele_counts
    from .sample_view import mane_placement

    names = [f.name for f in all_fields()]
    keep = ["Region", "Exon", "Intron", "HGVS_pos", "In_VNTR"]
    extra = [n for n in names if n not in ("Allele", "ALLELE_NUM", "Variant_type", "Norm_pos", "Norm_ref", "Norm_alt",
                                           "Gene", "Feature", "Feature_name", "Ensembl_name", "RefSeq_numbering",
                                           "Biotype", "MANE", "Strand", "Boundary_distance", "Location_rule", "Note")
             and n not in keep]
    records = []
    for a in _annotations_of(run_or_annotations):
        v, r = a.variant, a.record
        t = mane_placement(a)
        values = dict(zip(names, row_values(all_fields(), a, t))) if t else {}
        counts = allele_counts(r.calls, v.allele_index)
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
