"""A sample -> population map for the VNTR frequency table (``--populations FILE``).

Tab-separated.  With a header line naming a ``sample`` column (or ``sample_id``/``Sample``/``IID``) the
population is the column named by ``column`` (default ``population``, else ``pop``/``super_pop`` as in the 1000
Genomes panel file); without a header, the first two columns are sample and population.  A sample listed twice
with two populations is an error; blank lines and ``#`` lines are skipped."""

from __future__ import annotations

import csv

from il1rn_annot.errors import InputError

SAMPLE_HEADERS = ("sample", "sample_id", "Sample", "SAMPLE", "IID", "sample_name")
POPULATION_HEADERS = ("population", "pop", "super_pop", "Population", "POP")


def read_populations(path: str, column: str | None = None) -> dict[str, str]:
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = [r for r in csv.reader(fh, delimiter="\t") if r and r[0].strip() and not r[0].startswith("#")]
    except OSError as exc:
        raise InputError(f"cannot read the population map: {exc.strerror or exc}", file=path,
                         fix="give a tab-separated file: sample, population") from None
    except UnicodeDecodeError:
        raise InputError("the population map is not UTF-8 text", file=path,
                         fix="give a tab-separated text file: sample, population") from None
    if not rows:
        raise InputError("the population map is empty", file=path, fix="one line per sample: sample<TAB>population")
    head = [c.strip() for c in rows[0]]
    sample_col = next((head.index(h) for h in SAMPLE_HEADERS if h in head), None)
    if sample_col is not None:
        wanted = [column] if column else list(POPULATION_HEADERS)
        pop_col = next((head.index(h) for h in wanted if h in head), None)
        if pop_col is None:
            raise InputError(f"no population column ({', '.join(wanted)}) in the header: {' '.join(head)}", file=path,
                             fix="name the column with --population-column")
        body = rows[1:]
    else:
        if column:
            raise InputError(f"--population-column {column}: the file has no header line naming a sample column",
                             file=path, fix="add a header (sample<TAB>population) or drop --population-column")
        sample_col, pop_col, body = 0, 1, rows
    out: dict[str, str] = {}
    for n, r in enumerate(body, 2 if sample_col is not None and body is not rows else 1):
        if len(r) <= max(sample_col, pop_col) or not r[pop_col].strip():
            raise InputError(f"line {n} has no population", file=path, fix="one line per sample: sample<TAB>population")
        s, p = r[sample_col].strip(), r[pop_col].strip()
        if out.get(s, p) != p:
            raise InputError(f"sample {s} is listed with two populations ({out[s]}, {p})", file=path,
                             fix="list each sample once")
        out[s] = p
    return out
