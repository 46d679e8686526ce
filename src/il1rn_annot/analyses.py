"""Sample-level analyses: what needs every IL1RN allele of the file before anything is written (DIRA verdicts,
VNTR diplotypes, variants sharing a codon).  Pure: each analysis is shown the window's alleles one record at a
time (:meth:`Analysis.observe`, with that record's genotypes), keeps what it needs in compact form, and
:meth:`Analysis.finish` returns an :class:`AnalysisResult` the writers read.

The run (:mod:`il1rn_annot.pipeline.run`) reads the window twice: first every analysis observes it (with a
record's genotypes when :meth:`Analysis.wants_genotypes` says so), then the writers write it with the results.  An analysis never holds a record's whole genotype matrix unless the
record is one of the few it must look at again (catalogue sites, the VNTR, its tag markers).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from il1rn_annot.consequence.annotate import AlleleAnnotation

# (ID, Number, Type, Description) of one VCF header line
HeaderDef = tuple[str, str, str, str]


@dataclass
class AnalysisResult:
    """What one analysis adds to a run.

    ``info``: record index -> {INFO ID: value}; ``alleles``: (record index, ALT index) -> what the output fields
    of this analysis read for that allele (put in ``AlleleAnnotation.extras[name]`` before writing);
    ``format``: FORMAT ID -> one value per sample, in the file's sample order; ``per_sample``: sample ->
    JSON-able section; ``cohort``: the summary, JSON-able through :func:`il1rn_annot.columns.jsonable` (its
    values may be read-only mappings and sequences made on access, e.g. the DIRA analysis's per-allele
    summaries, so that a 50,000-record window does not hold them all as objects)."""

    name: str
    info_defs: Sequence[HeaderDef] = ()
    format_defs: Sequence[HeaderDef] = ()
    info: dict[int, dict[str, object]] = field(default_factory=dict)
    alleles: dict[tuple[int, int], dict] = field(default_factory=dict)
    format: dict[str, Sequence[str]] = field(default_factory=dict)
    per_sample: Mapping[str, dict] = field(default_factory=dict)
    cohort: dict = field(default_factory=dict)

    def attach(self, annotation: AlleleAnnotation) -> None:
        """Put this analysis's per-allele values where the output fields read them."""
        values = self.alleles.get((annotation.record.index, annotation.variant.allele_index))
        if values is not None:
            annotation.extras[self.name] = values


class Analysis(Protocol):
    """One sample-level analysis of a run."""

    name: str
    info_defs: Sequence[HeaderDef]
    format_defs: Sequence[HeaderDef]

    def wants_genotypes(self, alleles: list[AlleleAnnotation]) -> bool:
        """Does this analysis need the genotypes of this record?  (The run reads a record's sample columns in
        the first pass only when an analysis says so: most records of a cohort window need none.)"""

    def observe(self, alleles: list[AlleleAnnotation]) -> None:
        """The alleles of one window record: their ``record.calls`` hold its genotypes when an analysis wanted
        them, else no rows at all (never "missing" calls)."""

    def finish(self) -> AnalysisResult:
        """Everything observed is in: the result."""


class LazyPerSample(Mapping):
    """``{sample: section}`` whose sections are made when asked for (and not kept): a cohort's per-sample
    sections would otherwise hold memory in proportion to samples x variants.

    ``flat`` (optional): ``flat(i)`` is sample ``i``'s section as the per-sample table shows it, made without
    the section, or None where it has no quicker way."""

    __slots__ = ("_samples", "_index", "_make", "_flat")

    def __init__(self, samples: tuple[str, ...], make: Callable[[int], dict],
                 flat: Callable[[int], dict | None] | None = None):
        self._samples = samples
        self._index = {s: i for i, s in enumerate(samples)}
        self._make = make
        self._flat = flat

    def flat(self, sample: str) -> dict | None:
        return None if self._flat is None else self._flat(self._index[sample])

    def __getitem__(self, sample: str) -> dict:
        return self._make(self._index[sample])

    def __contains__(self, sample) -> bool:
        return sample in self._index

    def __iter__(self):
        return iter(self._samples)

    def __len__(self) -> int:
        return len(self._samples)

    def __repr__(self) -> str:
        return f"LazyPerSample(<{len(self)} samples>)"
