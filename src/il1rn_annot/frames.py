"""pandas DataFrames (and a pyranges object) of a run or of annotations.  The frames are typed from the same
text the TSV writers print (:mod:`il1rn_annot.sinks.dataframes`), so a TSV read back with :func:`read_table`
equals the DataFrame and its Parquet copy.

Each function takes a :class:`~il1rn_annot.pipeline.summary.RunSummary` (from :func:`il1rn_annot.annotate_vcf`,
which keeps the window's alleles without their genotypes, and their zygosity counts) or annotations from
:func:`il1rn_annot.annotate_variants` (which carry their records' genotypes).

Every table's columns, their types and what they hold are listed by :func:`table_schemas`, from the same lists
the writers use (:data:`il1rn_annot.fields.ALL_FIELDS`, :mod:`il1rn_annot.sinks.tables`,
:mod:`il1rn_annot.sinks.samples_table`); ``docs/tables.md`` is :func:`tables_markdown` (``python
docs/make_tables.py`` writes it), and a test holds the two equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from il1rn_annot.sinks.dataframes import (
    FLOAT_COLUMNS,
    INT_COLUMNS,
    _text,
    read_table,
    typed_frame,
)
from il1rn_annot.sinks.tables import (
    COUNT_COLUMNS,
    CRITERIA_COLUMNS,
    GENOTYPE_COLUMNS,
    GENOTYPE_ROWS,
    RECORD_COLUMNS,
    genotype_rows,
    variant_columns,
    variant_rows,
)

if TYPE_CHECKING:
    import pandas as pd
    import pyranges as pr

    from il1rn_annot.analyses import AnalysisResult
    from il1rn_annot.consequence.annotate import AlleleAnnotation


class RunSummary(Protocol):
    """What the frames read of a finished run (:class:`il1rn_annot.pipeline.summary.RunSummary`; the pipeline
    is a layer above this module)."""

    build: str
    sample_names: tuple[str, ...]
    analyses: list[AnalysisResult]
    digest: object
    tallies: object


if TYPE_CHECKING:
    from typing import TypeAlias

    RunOrAnnotations: TypeAlias = "RunSummary | Iterable[AlleleAnnotation]"

__all__ = ["variants_frame", "genotypes_frame", "samples_frame", "to_pyranges", "read_table", "TableColumn",
           "TableSchema", "table_schemas", "tables_markdown"]


def _alleles_and_counts(run_or_annotations):
    """(annotation, zygosity counts) of each allele of a run summary or of annotations."""
    digest = getattr(run_or_annotations, "digest", None)
    if digest is not None:
        return [(a, digest.counts(a)) for a in digest.annotations]
    if hasattr(run_or_annotations, "digest"):  # a summary of a run that kept no alleles
        raise ValueError("this run kept no alleles: run annotate_vcf(..., keep_alleles=True)")
    return [(a, a.record.calls.allele_counts(a.variant.allele_index)) for a in run_or_annotations]


def variants_frame(run_or_annotations: RunOrAnnotations, build: str | None = None) -> pd.DataFrame:
    """The variant table (one row per allele x transcript) as a DataFrame."""
    b = build if build is not None else getattr(run_or_annotations, "build", "")
    return typed_frame((row for a, counts in _alleles_and_counts(run_or_annotations)
                        for row in variant_rows(a, b, counts)), variant_columns())


def genotypes_frame(annotations: Iterable[AlleleAnnotation], rows: str = "nonref") -> pd.DataFrame:
    """The long per-sample genotype table (one row per allele x listed sample) of annotations that carry their
    genotypes (:func:`il1rn_annot.annotate_variants`).  ``rows``: "nonref" or "all" (as ``--genotype-rows``)."""
    if rows not in GENOTYPE_ROWS:
        raise ValueError(f"rows={rows!r}: use one of {', '.join(GENOTYPE_ROWS)}")
    if hasattr(annotations, "digest"):
        raise ValueError("a run summary keeps no genotypes: read the genotype table it wrote with read_table(), "
                         "or pass annotate_variants(...) here")
    return typed_frame((row for a in annotations for row in genotype_rows(a, rows == "all")), GENOTYPE_COLUMNS)


def samples_frame(summary: RunSummary, table: tuple[list[str], list[list[object]]] | None = None) -> pd.DataFrame:
    """The per-sample table (one row per sample, the fixed columns of ``docs/tables.md``) as a DataFrame."""
    from il1rn_annot.sinks.samples_table import sample_column_types, samples_rows

    columns, rows = table or samples_rows(summary)
    return typed_frame(list(rows), columns, types=sample_column_types())


def to_pyranges(run_or_annotations: RunOrAnnotations) -> pr.PyRanges:
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


# --- the tables' schema ---------------------------------------------------------------------------------------

_DTYPES = {"int": "Int64", "float": "Float64", "text": "string"}
RECORD_DESCRIPTIONS = {
    "CHROM": "the record's contig, as written in the VCF",
    "POS": "the record's 1-based position, as written in the VCF",
    "ID": "the record's ID (e.g. an rsID; `.` for none)",
    "REF": "the record's REF, as written in the VCF",
    "ALT": "every ALT of the record, `,`-joined, as written in the VCF",
    "FILTER": "the record's FILTER values, `;`-joined (`.` for none)",
    "Build": "the genome build the run used (GRCh38 or GRCh37)",
}
ZYGOSITY_DESCRIPTIONS = {
    "hom_alt": "two copies of this ALT", "het": "one copy, the other allele REF",
    "het_other_alt": "one copy, the other allele another ALT of the record",
    "hemizygous": "a haploid call of this ALT", "ref": "no copy, fully called",
    "half_call": "one allele called, the other missing (`./1`, `./0`)", "missing": "`./.` or no GT",
}
GENOTYPE_DESCRIPTIONS = {
    **RECORD_DESCRIPTIONS,
    "ALLELE_NUM": "1-based index of the ALT allele in the record (as in GT)",
    "sample": "the sample's name in the VCF header",
    "GT": "the genotype as written (`|` phased)",
    "zygosity": "of this ALT: " + ", ".join(ZYGOSITY_DESCRIPTIONS),
    "allele_copies": "copies of this ALT in the genotype (empty when a copy is not called)",
    "phased": "yes when the genotype is phased",
    "PS": "the phase set (FORMAT PS), when written",
    "GQ": "genotype quality (FORMAT GQ), when written",
    "DP": "read depth (FORMAT DP), when written",
    "FT": "the sample's filter (FORMAT FT), when written",
}
CRITERIA_DESCRIPTIONS = {
    "variant": "the VCF record and ALT (`chr2:POS REF>ALT`)",
    "allele_index": "1-based index of the ALT allele in the record",
    "ID": "the record's ID",
    "class": "the DIRA class used (`DIRA_class`)",
    "points_class": "the class by the ClinGen points system (Tavtigian 2020)",
    "class_2015": "the class by the Richards 2015 combining rules",
    "classes_disagree": "what differs when the two systems disagree (empty when they agree)",
    "criterion": "the ACMG criterion's code (PVS1, PM2 ...)",
    "applied": "the code as applied, with its strength when changed (PVS1_Strong ...)",
    "status": "met, not_met or not_evaluable",
    "strength": "the strength it was applied at (empty when not met)",
    "points": "its points in the ClinGen points system",
    "reason": "the evidence it rests on, in words",
}


@dataclass(frozen=True, slots=True)
class TableColumn:
    """One column of an output table: its name, pandas dtype (``Int64``, ``Float64`` or ``string``), what it
    holds, and for a column of ``;``-separated entries the ``|``-separated fields of each entry
    (``(name, description)`` pairs)."""

    name: str
    dtype: str
    description: str
    entry_fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class TableSchema:
    """One output table: its name, how it is written (CLI option, API argument and DataFrame function), what
    a row is, and its columns in order."""

    name: str
    written: str
    rows: str
    columns: tuple[TableColumn, ...]
    notes: tuple[str, ...] = ()


def _typed(name: str, description: str) -> TableColumn:
    dtype = "Int64" if name in INT_COLUMNS else "Float64" if name in FLOAT_COLUMNS else "string"
    return TableColumn(name, dtype, description)


def _described(names: Iterable[str], descriptions: dict[str, str], table: str) -> tuple[TableColumn, ...]:
    missing = [n for n in names if n not in descriptions]
    if missing:
        raise KeyError(f"the {table} table's column(s) {', '.join(missing)} have no description in frames.py")
    return tuple(_typed(n, descriptions[n]) for n in names)


def table_schemas() -> tuple[TableSchema, ...]:
    """The columns of every table a run writes, in the order written: the variant table, the genotype table,
    the per-sample table and the criteria table."""
    from il1rn_annot.fields import ALL_FIELDS
    from il1rn_annot.sinks.samples_table import (
        CATALOGUE_SITE_DESCRIPTION,
        sample_columns,
    )

    variant_cols = (*_described(RECORD_COLUMNS, RECORD_DESCRIPTIONS, "variant"),
                    *(_typed(f.name, f.description) for f in ALL_FIELDS),
                    *(_typed(c, f"samples whose genotype holds {ZYGOSITY_DESCRIPTIONS[c[2:]]}") for c in COUNT_COLUMNS))
    sample_cols = tuple(TableColumn(c.name, _DTYPES[c.kind], c.description,
                                    tuple((f.name, f.description) for f in c.entry_fields))
                        for c in sample_columns())
    return (
        TableSchema("variants", "`--table FILE` (default `OUT.tsv`), `annotate_vcf(table=)`; "
                    "`variants_frame(run)`, `to_dataframe(annotate_variants(vcf))`",
                    "one per record x ALT allele x transcript (an allele outside every transcript: one row with "
                    "empty transcript columns)", variant_cols),
        TableSchema("genotypes", "`--genotypes FILE` (default `OUT.genotypes.tsv`), `annotate_vcf(genotypes=)`; "
                    "`genotypes_frame(annotate_variants(vcf))`",
                    "one per record x ALT allele x sample that carries it or whose call is missing or half "
                    "(`--genotype-rows all` / `genotype_rows=\"all\"`: every sample)",
                    _described(GENOTYPE_COLUMNS, GENOTYPE_DESCRIPTIONS, "genotype")),
        TableSchema("samples", "`--samples-tsv FILE` (default `OUT.samples.tsv`), `annotate_vcf(samples_tsv=)`; "
                    "`samples_frame(run)`", "one per sample, in the VCF's order", sample_cols,
                    (CATALOGUE_SITE_DESCRIPTION + ".",
                     "Not in this table (the JSON report has them): every ACMG criterion of each allele, the other "
                     "candidate alleles (named in `dira.reasons`), the phase evidence in detail, each tag marker's "
                     "details, the reads' allele lengths.")),
        TableSchema("criteria", "`--criteria-tsv FILE`, `annotate_vcf(criteria_tsv=)`",
                    "one per ACMG criterion per ALT allele the DIRA analysis classified",
                    _described(CRITERIA_COLUMNS, CRITERIA_DESCRIPTIONS, "criteria")),
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def tables_markdown() -> str:
    """``docs/tables.md``: every table's columns, types and descriptions, made from the code."""
    out = ["# Output tables: columns and types", "",
           "<!-- Generated from the code by python docs/make_tables.py (tests/test_tables_doc.py checks that "
           "this file equals il1rn_annot.frames.tables_markdown()). Do not edit by hand. -->", "",
           "Every table has the same columns in the same order in every run, whatever the input holds; a value "
           "the input does not give is an empty cell. TSV files are UTF-8, tab-separated, one header line. "
           "The DataFrames of the API (`variants_frame`, `genotypes_frame`, `samples_frame`, `read_table`) and "
           "the Parquet copies (`--parquet`) hold the same columns with the types below: `Int64` and `Float64` "
           "are pandas' nullable types (an empty cell is `<NA>`), `string` cells are `\"\"` when empty, never NaN.",
           ""]
    for t in table_schemas():
        out += [f"## {t.name}", "", f"Written by {t.written}. Rows: {t.rows}. {len(t.columns)} columns.", "",
                "| # | column | type | what it holds |", "|---|---|---|---|"]
        entries = []
        for i, c in enumerate(t.columns, 1):
            out.append(f"| {i} | `{_cell(c.name)}` | {c.dtype} | {_cell(c.description)} |")
            if c.entry_fields:
                entries.append(c)
        out.append("")
        for note in t.notes:
            out += [note.replace("\n", " "), ""]
        for c in entries:
            out += [f"Fields of each `{c.name}` entry, in order (`|`-separated; `%`, `;` and `|` inside a field "
                    "are written `%25`, `%3B`, `%7C`):", ""]
            out += [f"{k}. `{name}`: {_cell(text)}" for k, (name, text) in enumerate(c.entry_fields, 1)]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
