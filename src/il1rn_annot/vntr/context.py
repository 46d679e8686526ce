"""The VNTR result of a run as one value (:class:`VntrContext`), built purely from annotations.
:func:`il1rn_annot.api.vntr_context` reads a VCF and calls :func:`context_from_annotations`.

>>> ctx = vntr_context("cohort.vcf.gz")                          # doctest: +SKIP
>>> ctx.per_sample["NA12878"].diplotype, ctx.per_sample["NA12878"].method   # doctest: +SKIP
>>> print(ctx.text())                                           # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from il1rn_annot.consequence.annotate import AlleleAnnotation
from il1rn_annot.errors import InputError
from il1rn_annot.vntr.cohort import cohort_tables_section
from il1rn_annot.vntr.definition import TagMarker, VntrDefinition, load_vntr_definition
from il1rn_annot.vntr.reads import ReadsEvidence
from il1rn_annot.vntr.summary import SampleVntr, cohort_summary, format_cohort


@dataclass(frozen=True)
class VntrContext:
    """The VNTR results of a run that other analyses and reports read."""
    build: str
    definition: VntrDefinition
    per_sample: Mapping[str, SampleVntr]
    cohort: dict
    populations: Mapping[str, str] | None = None

    def text(self) -> str:
        return format_cohort(self.cohort)

    def to_json(self) -> dict:
        return {"build": self.build, "per_sample": {s: r.to_json() for s, r in self.per_sample.items()},
                "cohort": self.cohort}

    def sample_text(self, sample: str) -> str:
        """One sample's answer in lines: call, how derived, confidence, the reads' alleles and notes."""
        r = self.per_sample[sample]
        lines = [f"{sample}: {r.call} [{r.method}, {r.confidence or 'no confidence'}; *2 copies {r.star2_copies}]",
                 f"  derived from: {r.derived_from}"]
        if r.reads is not None:
            rc = r.reads
            for a in rc.alleles:
                lines.append(f"  allele {a.label}: {a.length_bp} bp = {a.copies_exact:.2f} x 86, {a.support} spanning "
                             f"read(s) (lengths {a.length_min}-{a.length_max})")
            if rc.not_spanning or rc.filtered:
                lines.append(f"  reads not used: {sum(n for _, n in rc.not_spanning)} not spanning, "
                             f"{sum(n for _, n in rc.filtered)} filtered")
            for s in rc.snvs:
                lines.append(f"  {s.name} ({s.pos} {s.ref}>{s.alt}) from reads: {s.genotype} "
                             f"(REF {s.ref_reads}, ALT {s.alt_reads}){' - ' + s.reason if s.reason else ''}")
        for n in r.notes:
            lines.append(f"  note: {n}")
        return "\n".join(lines)


def _build_of(annotations: list[AlleleAnnotation]) -> str:
    from il1rn_annot.model.gene_model import load_gene_model

    for a in annotations:
        for b in ("GRCh38", "GRCh37"):
            w = load_gene_model(b).window()
            if w.start <= a.variant.start <= w.end:
                return b
    raise InputError("cannot tell the build of these annotations (none lies in an IL1RN window)",
                     fix="pass build='GRCh38' or build='GRCh37'")


def context_from_annotations(annotations: Iterable[AlleleAnnotation], *, build: str | None = None,
                             samples: tuple[str, ...] | None = None,
                             tag_markers: tuple[TagMarker, ...] | None = None, reads: ReadsEvidence | None = None,
                             populations: Mapping[str, str] | None = None) -> VntrContext:
    """Per-sample IL1RN VNTR results and the cohort summary from annotations (pure).

    ``samples`` default to the genotype columns of the first record; ``build`` to the IL1RN window the
    annotations lie in; ``tag_markers`` to the bundled ``vntr_tag_snps.tsv``.  Files are read by
    :func:`il1rn_annot.api.vntr_context`.
    """
    from il1rn_annot.vntr.analysis import vntr_results

    annotations = list(annotations)
    build = build or (reads.build if reads is not None and not annotations else _build_of(annotations))
    if samples is None:
        samples = next((a.record.calls.samples for a in annotations if len(a.record.calls)), ())
    defn = load_vntr_definition(build)
    if reads is not None and reads.build != build:
        raise InputError(f"the read files are {reads.build}, the VCF {build}", file=reads.files[0],
                         fix="give reads and VCF of one build")
    results, matches = vntr_results(annotations, samples, defn, tag_markers, reads.calls if reads else None,
                                    reads_only_samples=True)
    cohort = cohort_summary(results, defn, matches, tag_markers)
    cohort.update(cohort_tables_section(results, defn, populations, reads.files if reads else (),
                                        reads.notes if reads else ()))
    return VntrContext(build, defn, results, cohort, populations)
