"""The "codon_haplotypes" analysis: two variants changing the same codon in one sample, interpreted together
when they lie on one haplotype (the pure logic is :mod:`il1rn_annot.consequence.haplotypes`).

Keeps, for every allele with a protein position, the allele without its record's genotypes and the calls of
the samples carrying it (the only ones that can form a pair).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from il1rn_annot.analyses import AnalysisResult
from il1rn_annot.columns import encode_info_value
from il1rn_annot.consequence.annotate import AlleleAnnotation
from il1rn_annot.consequence.haplotypes import codon_pairs
from il1rn_annot.consequence.placement import Placer
from il1rn_annot.consequence.protein import inference_context
from il1rn_annot.model.gene_model import GeneModel

CODON_INFO = (("IL1RN_CODON_HAP", ".", "String",
               "Another variant changes the same codon in a sample: SAMPLE:TRANSCRIPT:cis|trans|unphased:RECORDS"
               "[:joint consequence and HGVSp when cis] (why). cis pairs are interpreted together; unphased ones "
               "are flagged, not guessed"),)


def _coding(a: AlleleAnnotation) -> bool:
    return any(t.effect is not None and t.effect.protein_position for t in a.transcripts)


class CodonHaplotypes:
    """Variants sharing a codon in one sample (cis, trans or unphased), with the joint effect of cis pairs."""

    name = "codon_haplotypes"
    info_defs = CODON_INFO
    format_defs = ()

    def __init__(self, model: GeneModel, samples: tuple[str, ...], reference=None):
        self.model, self.samples, self.reference = model, samples, reference
        self.kept: list[AlleleAnnotation] = []

    def wants_genotypes(self, alleles: list[AlleleAnnotation]) -> bool:
        return any(_coding(a) for a in alleles)

    def observe(self, alleles: list[AlleleAnnotation]) -> None:
        for a in alleles:
            if not _coding(a):
                continue
            calls = a.record.calls
            carriers = np.flatnonzero((calls.alleles == a.variant.allele_index).any(axis=1))
            record = replace(a.record, calls=calls.subset(carriers))
            self.kept.append(AlleleAnnotation(record, a.variant, a.transcripts, dict(a.extras)))

    def finish(self) -> AnalysisResult:
        res = AnalysisResult(self.name, info_defs=CODON_INFO)
        placers = {t.transcript_id: Placer(t, self.model.vntr) for t in self.model.transcripts}
        gacc = self.model.build.refseq_accession if self.model.contig == "chr2" else ""
        pairs = codon_pairs(self.kept, self.samples, placers, self.reference, gacc, self.model.protein_ids,
                            inference_context(self.model))
        per_sample: dict[str, dict] = {}
        for p in pairs:
            for idx in p.record_indices:
                res.info.setdefault(idx, {}).setdefault("IL1RN_CODON_HAP", []).append(encode_info_value(p.label()))
            per_sample.setdefault(p.sample, {}).setdefault("codon_pairs", []).append(p.label())
        res.per_sample = per_sample
        res.cohort["codon_pairs"] = len(pairs)
        return res
