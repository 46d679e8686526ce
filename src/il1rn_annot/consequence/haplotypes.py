"""Variants that change the same codon in one sample: interpreted together when they are on one haplotype.

For every sample and transcript, two CDS alleles (of different records) whose protein positions overlap are
classified:

- ``cis`` — both phased (``|``) in the same phase set (PS; phased calls without PS form one set per contig,
  as the VCF specification says) with a haplotype carrying both, or one of them homozygous ALT (then every
  haplotype carrying the other carries it too): the two changes are merged into one allele (the bases between
  them from the reference) and its consequence is computed like any other (``codons``/``hgvs``);
- ``trans`` — phased in one set, on different haplotypes: each acts alone, nothing to add;
- ``unphased`` — otherwise (unphased, different phase sets, missing alleles): flagged, never guessed.

Pure: takes annotations, samples and a sequence provider (or None: the joint change is then inferred from the
protein and the known bases, as everywhere else, when the bases between the two changes are known).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from il1rn_annot.consequence.annotate import AlleleAnnotation
from il1rn_annot.consequence.effects import TranscriptEffect
from il1rn_annot.consequence.placement import Placer
from il1rn_annot.consequence.predict import predict
from il1rn_annot.consequence.protein import InferenceContext
from il1rn_annot.types import VariantKind
from il1rn_annot.variants.genotypes import SampleCall


class CodonRelation(str, Enum):
    CIS = "cis"
    TRANS = "trans"
    UNPHASED = "unphased"


@dataclass(frozen=True, slots=True)
class CodonPair:
    """Two variants of one sample in the same codon of a transcript: in cis, in trans or unknown, and the joint
    effect."""
    sample: str
    transcript_id: str
    record_indices: tuple[int, int]
    keys: tuple[str, str]
    relation: CodonRelation
    effect: TranscriptEffect | None  # the joint consequence (cis only)
    why: str

    def label(self) -> str:
        joint = ""
        if self.effect is not None:
            joint = "&".join(self.effect.consequences) + (f" {self.effect.hgvs_p}" if self.effect.hgvs_p else "")
        return f"{self.sample}:{self.transcript_id}:{self.relation.value}:{'+'.join(self.keys)}" + (
            f":{joint}" if joint else "") + f" ({self.why})"


def _codons(effect) -> set[int]:
    if effect is None or not effect.protein_position:
        return set()
    a, _, b = effect.protein_position.partition("-")
    return set(range(int(a), int(b or a) + 1))


def _haplotypes(call: SampleCall, allele_index: int) -> set[int]:
    return {i for i, a in enumerate(call.alleles) if a == allele_index}


def relation(c1: SampleCall, i1: int, c2: SampleCall, i2: int) -> tuple[CodonRelation | None, str]:
    """How the ALT ``i1`` of call ``c1`` and the ALT ``i2`` of call ``c2`` (one sample) lie; None if absent."""
    h1, h2 = _haplotypes(c1, i1), _haplotypes(c2, i2)
    if not h1 or not h2:
        return None, "not carried"
    n1, n2 = len(c1.alleles), len(c2.alleles)
    if (len(h1) == n1 and n1 > 0) or (len(h2) == n2 and n2 > 0):
        return CodonRelation.CIS, "one allele homozygous: every haplotype with the other carries it"
    if c1.phased and c2.phased and c1.phase_set == c2.phase_set and None not in c1.alleles + c2.alleles:
        if h1 & h2:
            return CodonRelation.CIS, f"phased, same haplotype{'' if c1.phase_set is None else f' in PS {c1.phase_set}'}"
        return CodonRelation.TRANS, "phased, different haplotypes"
    return CodonRelation.UNPHASED, "phase unknown (unphased or different phase sets)"


def joint_effect(a1: AlleleAnnotation, a2: AlleleAnnotation, placer: Placer, reference, genomic_accession: str,
                 protein_accession: str, context: InferenceContext | None = None) -> TranscriptEffect | None:
    """The consequence of both changes on one haplotype (merged into one allele).  Without a genome the bases
    between them must be known (the records' REF, the protein, pinned bases), and the joint protein change is
    inferred from the protein (``context``)."""
    v1, v2 = sorted((a1.variant, a2.variant), key=lambda v: (v.start, v.end))
    if v2.start < v1.end:
        return None  # overlapping changes cannot sit on one haplotype
    known = None
    if context is not None:
        known = context.known_bases.with_record(v1.vcf_pos, v1.vcf_ref).with_record(v2.vcf_pos, v2.vcf_ref)
    source = reference or known
    middle = source.fetch(v1.contig, v1.end, v2.start).upper() if (v2.start > v1.end and source) else ""
    if len(middle) != v2.start - v1.end or "N" in middle:
        return None  # the bases between them are unknown
    ref, alt = v1.ref + middle + v2.ref, v1.alt + middle + v2.alt
    kind = VariantKind.MNV if len(ref) == len(alt) else VariantKind.DELINS
    merged = replace(v1, end=v2.end, ref=ref, alt=alt, kind=kind, vcf_pos=v1.start + 1, vcf_ref=ref, vcf_alt=alt,
                     note=f"{v1.vcf_key} + {v2.vcf_key} on one haplotype")
    loc = placer.place(merged)
    tid = placer.tx.transcript_id
    return predict(loc, merged, placer.tx, reference, genomic_accession=genomic_accession,
                   protein_accession=protein_accession,
                   knowledge=context.knowledge.get(tid) if context else None, known=known,
                   published=context.published if context and placer.tx.mane_select else None)


def _relations(a1: AlleleAnnotation, a2: AlleleAnnotation, samples: tuple[str, ...]):
    """(sample, relation, why) for the samples carrying both ALTs, in sample order.  The records' genotype
    matrices may hold only some samples (``GenotypeMatrix.rows``: the carriers an analysis kept); samples
    carrying one ALT only give no pair.  :func:`relation` is asked once per group of samples with the same
    genotypes and phase sets at the two records (all it reads), not once per sample."""
    import numpy as np

    i1, i2 = a1.variant.allele_index, a2.variant.allele_index
    m1, m2 = a1.record.calls, a2.record.calls
    rows1 = m1.rows if m1.rows is not None else np.arange(len(m1))
    rows2 = m2.rows if m2.rows is not None else np.arange(len(m2))
    carry1 = (m1.alleles == i1).any(axis=1)
    carry2 = (m2.alleles == i2).any(axis=1)
    both, j1, j2 = np.intersect1d(rows1[carry1], rows2[carry2], return_indices=True)
    if not len(both):
        return
    j1 = np.flatnonzero(carry1)[j1]
    j2 = np.flatnonzero(carry2)[j2]
    g1, g2 = m1.classes()[1], m2.classes()[1]
    ps1, ps2 = m1.values.get("PS"), m2.values.get("PS")
    seen: dict[tuple, tuple] = {}
    for i, x, y in zip(both.tolist(), j1.tolist(), j2.tolist()):
        key = (int(g1[x]), int(g2[y]), _ps_key(ps1, x), _ps_key(ps2, y))
        hit = seen.get(key)
        if hit is None:
            hit = seen[key] = relation(m1.call(x), i1, m2.call(y), i2)
        yield samples[i], *hit


def _ps_key(ps, i: int):
    """The phase set of sample ``i`` as a dict key (None when the record has no PS or the value is missing)."""
    if ps is None:
        return None
    v = float(ps[i])
    return None if v != v else v


def codon_pairs(annotations: list[AlleleAnnotation], samples: tuple[str, ...], placers: dict[str, Placer],
                reference=None, genomic_accession: str = "", protein_ids: dict[str, str] | None = None,
                context: InferenceContext | None = None) -> list[CodonPair]:
    protein_ids = protein_ids or {}
    by_tx: dict[str, list[tuple[AlleleAnnotation, set[int]]]] = {}
    for a in annotations:
        for t in a.transcripts:
            cod = _codons(t.effect)
            if cod:
                by_tx.setdefault(t.location.transcript.transcript_id, []).append((a, cod))
    out = []
    for tid, items in by_tx.items():
        for x in range(len(items)):
            for y in range(x + 1, len(items)):
                (a1, k1), (a2, k2) = items[x], items[y]
                if a1.record.index == a2.record.index or not (k1 & k2):
                    continue
                joint: list = []  # the cis consequence of this pair, the same for every sample: made once
                for s, rel, why in _relations(a1, a2, samples):
                    if rel is None:
                        continue
                    eff = None
                    if rel is CodonRelation.CIS and tid in placers:
                        if not joint:
                            joint.append(joint_effect(a1, a2, placers[tid], reference, genomic_accession,
                                                      protein_ids.get(tid, ""), context))
                        eff = joint[0]
                    out.append(CodonPair(s, tid, (a1.record.index, a2.record.index),
                                         (a1.variant.vcf_key, a2.variant.vcf_key), rel, eff, why))
    return out
