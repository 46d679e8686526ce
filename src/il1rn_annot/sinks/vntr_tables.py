"""The VNTR cohort tables for association studies (``il1rn-annot cohort``, ``annotate --vntr-tables``):

* ``PREFIX.vntr_dosage.tsv``: one row per sample - *2 dosage (0/1/2/NA), method, how it was derived,
  confidence, the call in words, the diplotype candidates, a note (the tag caveat, or why NA);
* ``PREFIX.vntr_frequencies.tsv``: *2 allele and carrier frequencies per population with Wilson 95 % intervals
  and the Hardy-Weinberg exact p, measured allele frequencies, and the published frequencies with sources.

Plain tab-separated tables with one header line and no comment lines, so that R's ``read.delim`` and pandas
read them as they are; ``NA`` marks a dosage that is not one number.  The rows are made as they are written
(a 100,000-sample dosage table is not held in memory)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping

from il1rn_annot.vntr.cohort import DOSAGE_COLUMNS, FREQUENCY_COLUMNS


def table_paths(prefix: str) -> tuple[str, str]:
    return prefix + ".vntr_dosage.tsv", prefix + ".vntr_frequencies.tsv"


def write_dosage_tsv(path: str, rows: Iterable[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(DOSAGE_COLUMNS)
        w.writerows(rows)


def write_frequencies_tsv(path: str, rows: Iterable[Mapping[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(FREQUENCY_COLUMNS)
        w.writerows([row.get(c, "") for c in FREQUENCY_COLUMNS] for row in rows)


class VntrTablesSink:
    """The two VNTR cohort tables of a run (``--vntr-tables PREFIX``), made from the finished run."""

    def __init__(self, outputs, prefix: str, populations: Mapping[str, str] | None = None):
        self.outputs, self.prefix, self.populations = outputs, prefix, populations

    def write(self, item, alleles) -> None:
        pass

    def finish(self, run) -> list[str]:
        from il1rn_annot.vntr.cohort import dosage_rows_from_sections

        vntr = next(r for r in run.analyses if r.name == "vntr")
        dosage, freqs = table_paths(self.prefix)
        write_dosage_tsv(self.outputs.path(dosage), dosage_rows_from_sections(run.sample_names, vntr.per_sample,
                                                                               self.populations))
        write_frequencies_tsv(self.outputs.path(freqs), vntr.cohort["frequencies"])
        return [dosage, freqs]
