"""The per-sample table: one row per sample with the counts of alleles it carries or could not be called
for, then every scalar field of every analysis' per-sample section, flattened as ``analysis.key`` (nested
dicts as ``analysis.key.subkey``; lists of scalars joined with ``;``; lists of objects are left to the JSON
report).  Columns appear in the order analyses ran and keys first appeared."""

from __future__ import annotations

import csv
from collections.abc import Sequence

from il1rn_annot.columns import cell_text, flatten

BASE_COLUMNS = ["sample", "n_carried_alleles", "n_uncertain_calls"]


def _counts(summary, n: int) -> tuple[list[int], list[int]]:
    """Per sample: alleles carried and calls that could not be made (missing/half), counted while the window
    was written (:class:`~il1rn_annot.sinks.sample_view.SampleTallies`)."""
    tallies = summary.tallies
    if tallies is None or len(tallies.carried) != n:
        return [0] * n, [0] * n
    return tallies.carried.tolist(), tallies.uncertain.tolist()


def _writer(fh):
    return csv.writer(fh, delimiter="\t", lineterminator="\n")


def _texts(row) -> list[str]:
    return [cell_text(v) for v in row]


class _Flat:
    """Flattened per-sample sections, remembering the last sections seen by identity: a cohort's samples
    without findings share one section object (analyses.LazyPerSample), flattened once."""

    def __init__(self, summary, size: int = 1024):
        from collections import OrderedDict

        self.summary, self.size = summary, size
        self.cache: "OrderedDict[int, tuple[object, dict]]" = OrderedDict()

    def of(self, sample: str) -> dict[str, object]:
        flat: dict[str, object] = {}
        for result in self.summary.analyses:
            if sample not in result.per_sample:
                continue
            quick = getattr(result.per_sample, "flat", None)
            part = quick(sample) if quick is not None else None
            if part is not None:
                flat.update(part)
                continue
            section = result.per_sample[sample]
            hit = self.cache.get(id(section))
            if hit is None or hit[0] is not section:
                part: dict[str, object] = {}
                flatten(result.name, section, part)
                hit = self.cache[id(section)] = (section, part)  # holds the section: its id stays unique
                if len(self.cache) > self.size:
                    self.cache.popitem(last=False)
            else:
                self.cache.move_to_end(id(section))
            flat.update(hit[1])
        return flat


class SampleRows(Sequence):
    """The rows of the per-sample table, made when read (a 100,000-sample table is not held in memory);
    ``list(rows)`` materialises them."""

    def __init__(self, samples: list[str], columns: list[str], counts, flat: _Flat):
        self.samples, self.columns, self.counts, self.flat = samples, columns, counts, flat

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return _row(self.samples[i], i, self.counts, self.flat.of(self.samples[i]), self.columns)

    def __iter__(self):
        return (self[i] for i in range(len(self)))


def _row(sample: str, i: int, counts, flat: dict[str, object], columns: list[str]) -> list[object]:
    return [sample, counts[0][i], counts[1][i]] + [flat.get(c, "") for c in columns[len(BASE_COLUMNS):]]


def _growing_rows(samples: list[str], counts, flat: _Flat, columns: list[str]):
    """Each sample's row over the columns known so far; ``columns`` grows with every key first seen (a row
    lacks the keys first seen after it)."""
    seen = set(columns)
    for i, s in enumerate(samples):
        f = flat.of(s)
        for k in f:
            if k not in seen:
                seen.add(k)
                columns.append(k)
        yield _row(s, i, counts, f, columns)


def samples_rows(summary) -> tuple[list[str], SampleRows]:
    samples = list(summary.sample_names)
    counts = _counts(summary, len(samples))
    flat = _Flat(summary)
    columns = list(BASE_COLUMNS)
    for _ in _growing_rows(samples, counts, flat, columns):  # the columns, in the order first seen
        pass
    return columns, SampleRows(samples, columns, counts, flat)


def write_samples_tsv(path: str, summary, table: tuple[list[str], list[list[object]]] | None = None) -> None:
    """``table``: the result of :func:`samples_rows` when the caller already has it.  Without it, each
    sample's section is built once: rows go to a scratch file with the columns known so far (a column first
    seen later is empty for earlier samples, which lack it), then the header, the rows written before the
    last new column padded, and the rest as written to ``path``."""
    if table is not None:
        columns, rows = table
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = _writer(fh)
            w.writerow(columns)
            w.writerows(_texts(r) for r in rows)
        return
    import shutil
    import tempfile

    samples = list(summary.sample_names)
    columns = list(BASE_COLUMNS)
    with tempfile.TemporaryFile("w+", newline="", encoding="utf-8") as scratch:
        w = _writer(scratch)
        short = 0  # rows written before the last new column: only these lack columns
        known = len(columns)
        for k, row in enumerate(_growing_rows(samples, _counts(summary, len(samples)), _Flat(summary), columns)):
            if len(columns) != known:
                short, known = k, len(columns)
            w.writerow(_texts(row))
        scratch.seek(0)
        with open(path, "w", newline="", encoding="utf-8") as fh:
            out = _writer(fh)
            out.writerow(columns)
            n = len(columns)
            rows = csv.reader(iter(scratch.readline, ""), delimiter="\t")  # readline: no read-ahead
            for _ in range(short):
                row = next(rows)
                out.writerow(row + [""] * (n - len(row)))
            shutil.copyfileobj(scratch, fh)  # the rest are complete: as written


class SamplesTableSink:
    """The per-sample table, written once the run is finished (``path``: its temporary file)."""

    def __init__(self, path: str, final: str):
        self.path, self.final = path, final

    def write(self, item, alleles) -> None:
        pass  # per-sample: everything comes with the finished run

    def finish(self, run) -> list[str]:
        write_samples_tsv(self.path, run)
        return [self.final]
