"""Tab-separated tables.

``variants``: one row per record x ALT allele x transcript (an allele outside every transcript gets one row
with empty transcript columns), the columns of :mod:`il1rn_annot.fields` between the record's and the
per-zygosity sample counts.

``genotypes``: the long per-sample table, one row per record x ALT allele x sample.  By default
(``nonref``) only the calls that are not a called reference genotype: carriers, half-calls and missing
calls; a sample without a row at an allele was called reference there (``0/0``), and the variant table's
``n_ref`` counts those samples.  ``all`` adds the reference rows (a row per sample per ALT allele: 100 M rows
for a 100,000-sample cohort).
"""

from __future__ import annotations

import csv
import functools

import numpy as np

from il1rn_annot.columns import cell_text
from il1rn_annot.consequence.annotate import AlleleAnnotation
from il1rn_annot.fields import ALL_FIELDS, row_values
from il1rn_annot.variants.genotypes import ZYGOSITIES, Zygosity
from il1rn_annot.variants.record import SourceRecord

RECORD_COLUMNS = ["CHROM", "POS", "ID", "REF", "ALT", "FILTER", "Build"]
COUNT_COLUMNS = ["n_" + z.value for z in Zygosity]
GENOTYPE_COLUMNS = ["CHROM", "POS", "ID", "REF", "ALT", "ALLELE_NUM", "sample", "GT", "zygosity", "allele_copies",
                    "phased", "PS", "GQ", "DP", "FT"]
GENOTYPE_ROWS = ("nonref", "all")
_REF = ZYGOSITIES.index(Zygosity.REF)


def variant_columns() -> list[str]:
    return RECORD_COLUMNS + [f.name for f in ALL_FIELDS] + COUNT_COLUMNS


def _record_cells(a: AlleleAnnotation, build: str) -> list[object]:
    r = a.record
    return [r.contig, r.pos, r.id, r.ref, ",".join(r.alts), ";".join(r.filters) or ".", build]


def variant_rows(a: AlleleAnnotation, build: str, counts: dict[str, int]):
    """The variant-table rows of ``a`` with typed cells (ints stay ints); ``counts``: samples per zygosity."""
    tail = [counts[z.value] for z in Zygosity]
    for t in a.transcripts or (None,):
        yield _record_cells(a, build) + row_values(a, t) + tail


def _cell(v: object) -> object:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"  # FORMAT floats arrive as float32: print them as written
    return v


def genotype_rows(a: AlleleAnnotation, all_rows: bool = False):
    """The genotype-table rows of one allele (``all_rows``: the reference calls too)."""
    r, k = a.record, a.variant.allele_index
    m = r.calls
    head = [r.contig, r.pos, r.id, r.ref, ",".join(r.alts), k]
    codes = m.zygosity_codes(k)
    rows = range(len(m)) if all_rows else (codes != _REF).nonzero()[0].tolist()
    for i in rows:
        c = m.call(i)
        copies = c.copies_of(k)
        yield head + [c.sample, c.gt, ZYGOSITIES[codes[i]].value, "" if copies is None else copies,
                      "yes" if c.phased else "no", _cell(c.phase_set), _cell(c.gq), _cell(c.dp), _cell(c.ft)]


_QUOTED = ("\t", '"', "\n", "\r")  # a cell holding one of these is quoted by csv: such rows go through csv
@functools.cache
def _int_text() -> np.ndarray:
    """Whole numbers 0..65535 as text (made on first use)."""
    return np.array([str(i).encode() for i in range(1 << 16)], dtype="S5")


def _number_cells(values: np.ndarray | None, integer: bool, rows: np.ndarray) -> np.ndarray:
    """:func:`_cell` of one quality field for the samples at ``rows``, as a bytes array."""
    if values is None:
        return np.full(len(rows), b"", dtype="S1")
    picked = values[rows]
    missing = np.isnan(picked)
    if integer and (missing.all() or (np.nanmin(picked) >= 0 and np.nanmax(picked) < 1 << 16)):
        cells = _int_text()[np.where(missing, 0, picked).astype(np.int64)]
    else:  # each distinct value formatted once
        uniq, inverse = np.unique(np.where(missing, 0, picked), return_inverse=True)
        fmt = (lambda u: str(int(u))) if integer else (lambda u: f"{u:.6g}")
        cells = np.array([fmt(u).encode() for u in uniq.tolist()], dtype="S")[inverse.ravel()]
    cells[missing] = b""
    return cells


class _SampleNames:
    """The sample names as a bytes array (with their tab) and whether any needs csv's quoting: made once per run."""

    def __init__(self):
        self.samples: tuple[str, ...] | None = None

    def of(self, samples: tuple[str, ...]) -> tuple[np.ndarray, bool]:
        if samples is not self.samples:
            self.samples = samples
            self.names = np.array([(s + "\t").encode() for s in samples], dtype="S")
            self.quoted = any(q in s for s in samples for q in _QUOTED)
        return self.names, self.quoted


_NAMES = _SampleNames()


def _bytes_column(texts: list[str], index: np.ndarray) -> np.ndarray:
    return np.array([x.encode() for x in texts], dtype="S")[index] if texts else np.zeros(len(index), dtype="S1")


def genotype_table_text(a: AlleleAnnotation, all_rows: bool = False) -> bytes | None:
    """The rows :func:`genotype_rows` gives, as TSV bytes, built column by column over the samples (each
    distinct genotype described once); None when a cell would need csv's quoting (then :func:`genotype_rows`
    is used).  ``tests/test_tables.py`` holds the two equal."""
    r, k = a.record, a.variant.allele_index
    m = r.calls
    codes = m.zygosity_codes(k)
    rows = np.arange(len(m)) if all_rows else np.flatnonzero(codes != _REF)
    if not len(rows):
        return b""
    head_cells = [str(x) for x in (r.contig, r.pos, r.id, r.ref, ",".join(r.alts), k)]
    names, quoted = _NAMES.of(m.samples)
    ft_texts = sorted({m.ft[i] or "" for i in rows.tolist()}) if m.ft is not None else []
    if quoted or any(q in x for x in (*head_cells, *ft_texts) for q in _QUOTED):
        return None
    first, inverse = m.classes()
    tails = []  # per distinct genotype and zygosity: GT, zygosity, copies, phased
    for j in first.tolist():
        c = m.call(j)
        copies = c.copies_of(k)
        tails.append((c.gt, "" if copies is None else str(copies), "yes" if c.phased else "no"))
    group = inverse[rows] * len(ZYGOSITIES) + codes[rows]
    keys, which = np.unique(group, return_inverse=True)
    tail_texts = []
    for g in keys.tolist():
        gt, copies, phased = tails[g // len(ZYGOSITIES)]
        tail_texts.append(f"{gt}\t{ZYGOSITIES[g % len(ZYGOSITIES)].value}\t{copies}\t{phased}\t")
    tab = np.array([b"\t"])
    parts = [np.array([("\t".join(head_cells) + "\t").encode()]), names[rows], _bytes_column(tail_texts, which.ravel())]
    for key in ("PS", "GQ", "DP"):
        parts += [_number_cells(m.values.get(key), key in m.integer, rows), tab]
    if m.ft is not None:
        index = {x: i for i, x in enumerate(ft_texts)}
        parts.append(_bytes_column(ft_texts, np.array([index[m.ft[i] or ""] for i in rows.tolist()])))
    parts.append(np.array([b"\n"]))
    out = parts[0]
    for p in parts[1:]:
        out = np.char.add(out, p)
    return b"".join(out.tolist())


class TsvSink:
    """One TSV file: the header row, then rows (cells written as text, None as empty)."""

    def __init__(self, path: str, columns: list[str]):
        self.fh = open(path, "w", newline="", encoding="utf-8")
        self.w = csv.writer(self.fh, delimiter="\t", lineterminator="\n")
        self.w.writerow(columns)

    def rows(self, rows) -> None:
        self.w.writerows([cell_text(v) for v in row] for row in rows)

    def close(self) -> None:
        self.fh.close()


class VariantTableSink:
    """The variant table (``final``), written to ``path`` (its temporary file)."""

    def __init__(self, path: str, final: str, build: str):
        self.tsv = TsvSink(path, variant_columns())
        self.final, self.build = final, build

    def write(self, item: SourceRecord, alleles: list[AlleleAnnotation] | None) -> None:
        for a in alleles or ():
            self.tsv.rows(variant_rows(a, self.build, a.record.calls.allele_counts(a.variant.allele_index)))

    def finish(self, run=None) -> list[str]:
        self.tsv.close()
        return [self.final]


class GenotypeTableSink:
    """The genotype table (``final``), written to ``path`` (its temporary file)."""

    def __init__(self, path: str, final: str, rows: str = "nonref"):
        self.tsv = TsvSink(path, GENOTYPE_COLUMNS)
        self.final = final
        self.all_rows = rows == "all"

    def finish(self, run=None) -> list[str]:
        self.tsv.close()
        return [self.final]

    def write(self, item: SourceRecord, alleles: list[AlleleAnnotation] | None) -> None:
        for a in alleles or ():
            text = genotype_table_text(a, self.all_rows)
            if text is None:
                self.tsv.rows(genotype_rows(a, self.all_rows))
            else:
                self.tsv.fh.flush()
                self.tsv.fh.buffer.write(text)

CRITERIA_COLUMNS = ["variant", "allele_index", "ID", "class", "points_class", "class_2015", "classes_disagree",
                    "criterion", "applied", "status", "strength", "points", "reason"]


def write_criteria_tsv(path: str, dira_result) -> None:
    """One row per ACMG criterion per allele (``--criteria-tsv``): code, status, strength, points, reason, and the
    allele's two classes, from the "dira" analysis' cohort section."""
    out = TsvSink(path, CRITERIA_COLUMNS)
    try:
        for v in dira_result.cohort.get("variants", ()):
            out.rows([[v["variant"], v["allele_index"], v.get("id", ""), v["class"], v.get("points_class", ""),
                       v.get("class_2015", ""), v.get("classes_disagree", ""), c["code"], c["applied"], c["status"],
                       c["strength"], c["points"], c["reason"]] for c in v.get("criteria", ())])
    finally:
        out.close()


class CriteriaTableSink:
    """The criteria table (``--criteria-tsv``): one row per ACMG criterion per allele, made from the finished run."""

    def __init__(self, path: str, final: str):
        self.path, self.final = path, final

    def write(self, item, alleles) -> None:
        pass  # made from the "dira" analysis' result once the run is finished

    def finish(self, run) -> list[str]:
        write_criteria_tsv(self.path, next(r for r in run.analyses if r.name == "dira"))
        return [self.final]
