"""Parquet copies of the TSV tables (pyarrow is the optional ``parquet`` extra): each table is read back
with :func:`~il1rn_annot.sinks.dataframes.read_table` (typed columns) and written by pyarrow."""

from __future__ import annotations

from il1rn_annot.errors import InputError
from il1rn_annot.sinks.dataframes import read_table


def require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401  (only checking that it is installed)
    except ModuleNotFoundError:
        raise InputError("--parquet needs pyarrow, which is not installed",
                         fix="pip install pyarrow (in a clone: pip install -e '.[parquet]'), or drop --parquet") \
            from None


def write_table_parquet(tsv: str, path: str) -> None:
    """The table at ``tsv`` as Parquet at ``path``."""
    require_pyarrow()
    read_table(tsv).to_parquet(path, engine="pyarrow", index=False)


class ParquetCopies:
    """A Parquet copy of each TSV table, made once the tables are written: ``copies`` = (temporary TSV path,
    temporary Parquet path, final Parquet path).  Comes after the table sinks in a run's list of sinks."""

    def __init__(self, copies: list[tuple[str, str, str]]):
        self.copies = copies

    def write(self, item, alleles) -> None:
        pass

    def finish(self, run=None) -> list[str]:
        for tsv, parquet, _ in self.copies:
            write_table_parquet(tsv, parquet)
        return [final for _, _, final in self.copies]
