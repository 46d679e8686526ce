"""Tables as typed pandas DataFrames: every cell first becomes the text the TSV writers print, then the columns
are typed, so a TSV read back with :func:`read_table` equals the DataFrame and its Parquet copy.

Column types: the integer columns listed below are ``Int64`` (nullable), ``GQ`` is ``Float64``, every other
column is ``string`` (empty cells are ``""``, never NaN).  The per-sample table's columns are typed as its
schema declares them (:func:`il1rn_annot.sinks.samples_table.sample_column_types`), whatever the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

INT_COLUMNS = frozenset({"POS", "ALLELE_NUM", "Norm_pos", "Boundary_distance", "allele_copies", "PS", "DP",
                         "n_hom_alt", "n_het", "n_het_other_alt", "n_hemizygous", "n_ref", "n_half_call", "n_missing",
                         "n_carried_alleles", "n_uncertain_calls"})
FLOAT_COLUMNS = frozenset({"GQ"})


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def typed_frame(rows: Iterable[list[object]], columns: list[str],
                types: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A DataFrame from table rows: every cell first becomes its TSV text, then the columns are typed:
    ``types`` (``{column: "int" | "float" | "text"}``) when given, else the fixed lists above."""
    import pandas as pd

    text = [[_text(v) for v in row] for row in rows]
    df = pd.DataFrame(text, columns=columns, dtype="string") if text else pd.DataFrame(
        {c: pd.Series([], dtype="string") for c in columns})
    for c in columns:
        if types is not None:
            kind = types.get(c)
        else:
            kind = "int" if c in INT_COLUMNS else "float" if c in FLOAT_COLUMNS else None
        if kind == "int":
            df[c] = pd.array([int(v) if v != "" else None for v in df[c]], dtype="Int64")
        elif kind == "float":
            df[c] = pd.array([float(v) if v != "" else None for v in df[c]], dtype="Float64")
    return df


def read_table(path: str) -> pd.DataFrame:
    """Read a TSV written by il1rn-annot (variant, genotype or per-sample table) into the typed DataFrame the
    API returns (and the Parquet copy holds)."""
    import csv

    with open(path, newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        columns = next(reader)
        rows = list(reader)
    if columns[:1] == ["sample"]:  # the per-sample table: typed by its schema
        from il1rn_annot.sinks.samples_table import sample_column_types

        return typed_frame(rows, columns, types=sample_column_types())
    return typed_frame(rows, columns)
