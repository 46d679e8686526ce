"""One interface for every output of a run: the annotated VCF, the tables, the reports and the next one.

A run (:mod:`il1rn_annot.pipeline.run`) gives each sink the window's records in file order (:meth:`Sink.write`:
a record outside the window, passed through with ``--keep-all``, comes with ``alleles`` None), then the
finished run (:meth:`Sink.finish`: the analyses' results, the digest of the window) and gets back the paths
it wrote.  Sinks write to the temporary paths :class:`~il1rn_annot.sinks.atomic.AtomicOutputs` gives them;
the run renames everything into place only when every sink finished.
"""

from __future__ import annotations

from typing import Protocol

from il1rn_annot.consequence.annotate import AlleleAnnotation
from il1rn_annot.variants.record import SourceRecord


class Sink(Protocol):
    def write(self, item: SourceRecord, alleles: list[AlleleAnnotation] | None) -> None:
        """One record of the window (``alleles``: its annotated alleles, with the analyses' per-allele results
        attached), or a record passed through (``alleles`` None)."""

    def finish(self, run) -> list[str]:
        """Everything is written: finish the output (``run``: the RunSummary) and return the paths written."""
