"""``vntr_context``: the VNTR section of the Python API (sits beside :mod:`il1rn_annot.api`, which does the
file reading; the computation is the pure :func:`il1rn_annot.vntr.analysis.vntr_results`).

>>> ctx = vntr_context("cohort.vcf.gz")                          # doctest: +SKIP
>>> ctx.per_sample["NA12878"].diplotype, ctx.per_sample["NA12878"].method   # doctest: +SKIP
>>> print(ctx.text())                                           # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from ..annotate import AlleleAnnotation
from ..errors import InputError
from .definition import TagMarker, VntrDefinition, load_vntr_definition
from .summary import SampleVntr, cohort_summary, format_cohort


@dataclass(frozen=True)
class VntrContext:
    build: str
    definition: VntrDefinition
    per_sample: dict[str, SampleVntr]
    cohort: dict

    def text(self) -> str:
        return format_cohort(self.cohort)

    def to_json(self) -> dict:
        return {"build": self.build, "per_sample": {s: r.to_json() for s, r in self.per_sample.items()},
                "cohort": self.cohort}


def _build_of(annotations: list[AlleleAnnotation]) -> str:
    from ..model import load_gene_model

    for a in annotations:
        for b in ("GRCh38", "GRCh37"):
            w = load_gene_model(b).window()
            if w.start <= a.variant.start <= w.end:
                return b
    raise InputError("cannot tell the build of these annotations (none lies in an IL1RN window)",
                     fix="pass build='GRCh38' or build='GRCh37'")


def vntr_context(source: str | os.PathLike | Iterable[AlleleAnnotation], *, build: str | None = None,
                 samples: tuple[str, ...] | None = None,
                 tag_markers: tuple[TagMarker, ...] | None = None) -> VntrContext:
    """Per-sample IL1RN VNTR results and the cohort summary.

    ``source``: a VCF/BCF path (samples and build read from its header unless given), or annotations from
    :func:`il1rn_annot.annotate_variants` (samples taken from the records' genotype columns unless given).
    ``tag_markers``: a replacement tag table (defaults to the bundled ``vntr_tag_snps.tsv``).
    """
    from .analysis import vntr_results

    if isinstance(source, (str, os.PathLike)):
        from ..api import annotate_variants
        from ..io.vcf_in import open_vcf

        vin = open_vcf(str(source), build=build)
        try:
            build = vin.build.build.name
            samples = vin.samples if samples is None else samples
        finally:
            vin.close()
        annotations = list(annotate_variants(str(source), build=build))
    else:
        annotations = list(source)
        build = build or _build_of(annotations)
        if samples is None:
            samples = next((tuple(c.sample for c in a.record.calls) for a in annotations if a.record.calls), ())
    defn = load_vntr_definition(build)
    results, matches = vntr_results(annotations, samples, defn, tag_markers)
    return VntrContext(build, defn, results, cohort_summary(results, defn, matches))
