"""Tab-separated tables.  ``variants``: one row per record x ALT allele x transcript (alleles outside every
transcript get one row with empty transcript columns).  ``genotypes``: the long per-sample table, one row
per record x ALT allele x sample (``GENOTYPE_ROWS``: every row, or not those whose zygosity is ``ref``)."""

from __future__ import annotations

import csv

from ..annotate import AlleleAnnotation
from ..fields import RowCache, all_fields, cell_text
from ..genotype import Zygosity, allele_counts, zygosity
from ..types import is_columnar

RECORD_COLUMNS = ["CHROM", "POS", "ID", "REF", "ALT", "FILTER", "Build"]
COUNT_COLUMNS = ["n_" + z.value for z in Zygosity]
GENOTYPE_COLUMNS = ["CHROM", "POS", "ID", "REF", "ALT", "ALLELE_NUM", "sample", "GT", "zygosity", "allele_copies",
                    "phased", "PS", "GQ", "DP", "FT"]
# --genotype-rows: "all" (every sample at every ALT allele) or "nonref": not the rows whose zygosity is "ref"
# (a fully called genotype without a copy of that ALT); carriers, half-calls and missing calls stay
GENOTYPE_ROWS = ("all", "nonref")


def variant_columns() -> list[str]:
    return RECORD_COLUMNS + [f.name for f in all_fields()] + COUNT_COLUMNS


def _record_cells(a: AlleleAnnotation, build: str) -> list[object]:
    r = a.record
    return [r.contig, r.pos, r.id, r.ref, ",".join(r.alts), ";".join(r.filters) or ".", build]


def _count_cells(a: AlleleAnnotation) -> list[int]:
    counts = allele_counts(a.record.calls, a.variant.allele_index)
    return [counts[z.value] for z in Zygosity]


def variant_rows(a: AlleleAnnotation, build: str):
    """The variant-table rows of ``a`` with typed cells (ints stay ints): for DataFrames."""
    values = RowCache().values
    tail = _count_cells(a)
    for t in a.transcripts or (None,):
        yield _record_cells(a, build) + values(a, t) + tail


def variant_text_rows(a: AlleleAnnotation, build: str, rows: RowCache):
    """:func:`variant_rows` with every cell as text (:func:`~il1rn_annot.fields.cell_text`), the field
    values from ``rows`` (made once for the VCF's CSQ entries): for :meth:`TsvWriter.write_text_rows`."""
    head = [cell_text(v) for v in _record_cells(a, build)]
    tail = [str(n) for n in _count_cells(a)]
    texts = rows.texts
    for t in a.transcripts or (None,):
        yield head + texts(a, t) + tail


def genotype_rows(a: AlleleAnnotation, ref_rows: bool = True):
    r, k = a.record, a.variant.allele_index
    head = [r.contig, r.pos, r.id, r.ref, ",".join(r.alts), k]
    for c in r.calls:
        z = zygosity(c, k)
        if z is Zygosity.REF and not ref_rows:
            continue
        yield head + [c.sample, c.gt, z.value, c.copies_of(k) if c.copies_of(k) is not None else "",
                      "yes" if c.phased else "no", _cell(c.phase_set), _cell(c.gq), _cell(c.dp), _cell(c.ft)]


def genotype_text(a: AlleleAnnotation, ref_rows: bool = True) -> bytes | None:
    """The genotype rows of ``a`` as TSV text when its record's genotypes are columnar (vectorised over
    samples), else None (use :func:`genotype_rows`)."""
    if not is_columnar(a.record.calls):  # a tuple of SampleCall: no numpy import on this path
        return None
    m = a.record.calls.matrix
    if not _plain(m):
        return None
    from ..gtmatrix import genotype_table_text

    r = a.record
    head = "\t".join(str(x) for x in (r.contig, r.pos, r.id, r.ref, ",".join(r.alts), a.variant.allele_index))
    if any(ch in head for ch in _QUOTED):
        return None
    return genotype_table_text(m, head, a.variant.allele_index, ref_rows)


_PLAIN_SAMPLES: dict[int, tuple[tuple, bool]] = {}


# characters that make csv quote a cell besides the tab delimiter; a cell with CR is left to csv as well (it
# writes whatever its version writes, so the text stays csv's)
_QUOTED = ('"', "\n", "\r")


def _plain(m) -> bool:
    """Cells that csv would write unquoted (sample names checked once per sample list)."""
    bad = ("\t", *_QUOTED)
    hit = _PLAIN_SAMPLES.get(id(m.samples))
    if hit is None or hit[0] is not m.samples:
        hit = (m.samples, not any(b in t for t in m.samples for b in bad))
        _PLAIN_SAMPLES.clear()
        _PLAIN_SAMPLES[id(m.samples)] = hit
    return hit[1] and not any(b in f for f in (m.ft or ()) if f for b in bad)


def _cell(v: object) -> object:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"  # FORMAT floats arrive as float32: print them as written
    return v


class TsvRows:
    """``csv.writer(fh, delimiter="\t", lineterminator="\n")``, writing a row none of whose cells csv would
    quote (no tab, quote, CR or LF in them) as one joined string: csv examines every character of every cell,
    which was most of the time of a 100,000-sample table with long reason texts.  Same text either way
    (tests/test_outputs_json_tables.py compares them)."""

    __slots__ = ("fh", "w")

    def __init__(self, fh):
        self.fh = fh
        self.w = csv.writer(fh, delimiter="\t", lineterminator="\n")

    def writerow(self, row) -> None:
        self.write_texts([v if isinstance(v, str) else "" if v is None else str(v) for v in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)

    def write_texts(self, cells: list[str]) -> None:
        """:meth:`writerow` of a row whose cells are all text already (the one place rows are written)."""
        text = "\t".join(cells)
        if len(cells) > 1 and text.count("\t") == len(cells) - 1 and not any(c in text for c in _QUOTED):
            self.fh.write(text + "\n")
        else:
            self.w.writerow(cells)


class TsvWriter:
    def __init__(self, path: str, columns: list[str]):
        self.fh = open(path, "w", newline="")
        self.w = TsvRows(self.fh)
        self.w.writerow(columns)

    def write_text(self, text: bytes) -> None:
        """Rows already rendered as TSV text (the vectorised genotype path)."""
        self.fh.flush()
        self.fh.buffer.write(text)

    def write_rows(self, rows) -> None:
        self.w.writerows(rows)

    def write_text_rows(self, rows) -> None:
        """Rows whose cells are all text (:func:`variant_text_rows`): written without converting each cell."""
        write = self.w.write_texts
        for row in rows:
            write(row)

    def close(self) -> None:
        self.fh.close()
