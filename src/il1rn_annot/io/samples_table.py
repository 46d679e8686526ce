"""The per-sample table: one row per sample with the counts of alleles it carries or could not be called
for, then every scalar field of every analysis' per-sample section, flattened as ``analysis.key`` (nested
dicts as ``analysis.key.subkey``; lists of scalars joined with ``;``; lists of objects are left to the JSON
report).  Columns appear in the order analyses ran and keys first appeared."""

from __future__ import annotations

import csv

from ..sample_view import CARRIED, UNCERTAIN, jsonable
from ..genotype import zygosity

BASE_COLUMNS = ["sample", "n_carried_alleles", "n_uncertain_calls"]


def flatten(prefix: str, value: object, out: dict[str, object], *, clean: bool = False) -> None:
    """Flatten ``value`` into ``out`` under ``prefix`` (``clean``: already passed through ``jsonable``)."""
    if not clean:
        value = jsonable(value)
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(f"{prefix}.{k}", v, out, clean=True)
    elif isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            out[prefix] = ";".join("" if v is None else str(v) for v in value)
    elif isinstance(value, bool):
        out[prefix] = "yes" if value else "no"
    else:
        out[prefix] = value


def samples_rows(summary) -> tuple[list[str], list[list[object]]]:
    samples = list(summary.sample_names)
    carried = [0] * len(samples)
    uncertain = [0] * len(samples)
    for a in summary.annotations:
        for i, c in enumerate(a.record.calls[: len(samples)]):
            z = zygosity(c, a.variant.allele_index)
            if z in CARRIED:
                carried[i] += 1
            elif z in UNCERTAIN:
                uncertain[i] += 1
    columns = list(BASE_COLUMNS)
    flat: list[dict[str, object]] = [{} for _ in samples]
    for result in summary.analyses:
        for i, s in enumerate(samples):
            if s in result.per_sample:
                flatten(result.name, result.per_sample[s], flat[i])
                for k in flat[i]:
                    if k not in columns:
                        columns.append(k)
    rows = [[s, carried[i], uncertain[i]] + [flat[i].get(c, "") for c in columns[len(BASE_COLUMNS):]]
            for i, s in enumerate(samples)]
    return columns, rows


def write_samples_tsv(path: str, summary, table: tuple[list[str], list[list[object]]] | None = None) -> None:
    """``table``: the result of :func:`samples_rows` when the caller already has it."""
    columns, rows = table or samples_rows(summary)
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(columns)
        w.writerows(["" if v is None else v for v in row] for row in rows)
