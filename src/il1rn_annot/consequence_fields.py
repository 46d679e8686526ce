"""Output columns of the consequence engine (VCF CSQ sub-fields and table columns, through one registry)."""

from __future__ import annotations

import re

from .fields import Field, encode_info_value, register_fields


def _eff(attr: str, join: str = ""):
    def get(a, t):
        e = t.effect if t is not None else None
        if e is None:
            return ""
        v = getattr(e, attr)
        return join.join(v) if join else v
    return get


def _refseq_c(a, t):
    """c. on the RefSeq transcript whose numbering equals this (non-MANE) model's: DERIVED, so labelled."""
    if t is None or t.effect is None or not t.effect.hgvs_c:
        return ""
    tx = t.location.transcript
    if not tx.refseq_cds_numbering or tx.mane_select or ":" not in t.effect.hgvs_c:
        return ""
    change = t.effect.hgvs_c.split(":", 1)[1]
    # the derivation holds for coding exon bases only (UTR and intron structure of the RefSeq were not read)
    if not _CDS_EXONIC.match(change):
        return ""
    return f"{tx.refseq_cds_numbering}:{change}"


_CDS_EXONIC = re.compile(r"c\.\d+(_\d+)?[A-Za-z]")


CONSEQUENCE_FIELDS = [
    Field("Consequence", "Sequence Ontology terms (Ensembl VEP vocabulary), most severe first, &-joined", _eff("consequences", "&")),
    Field("IMPACT", "VEP-style impact of the most severe term: HIGH, MODERATE, LOW, MODIFIER", _eff("impact")),
    Field("HGVSc", "HGVS c./n. (MANE: RefSeq accession; others: model id); '' when it needs a reference", _eff("hgvs_c")),
    Field("HGVSc_RefSeq_DERIVED", "the same c. on the RefSeq transcript that numbers like this model (DERIVED from ClinVar; non-MANE only)", _refseq_c),
    Field("HGVSp", "HGVS p. in three-letter code, as a prediction in parentheses; '' when it needs a reference", _eff("hgvs_p")),
    Field("HGVSg", "HGVS g. on the build's RefSeq chromosome accession", _eff("hgvs_g")),
    Field("cDNA_position", "position(s) in the transcript (n.)", _eff("cdna_position")),
    Field("CDS_position", "position(s) in the CDS (c.)", _eff("cds_position")),
    Field("Protein_position", "amino-acid position(s)", _eff("protein_position")),
    Field("Amino_acids", "reference/alternate amino acids (one-letter)", _eff("amino_acids")),
    Field("Codons", "reference/alternate codons, changed bases in upper case", _eff("codons")),
    Field("Needs_reference", "fields left empty because no reference sequence was given (&-joined)", _eff("needs_reference", "&")),
    Field("Consequence_rule", "which consequence rule fired", _eff("rule")),
    Field("Left_aligned", "the left-aligned (VCF normal) form of an indel when it differs from the record (needs a reference)",
          lambda a, t: a.extras.get("left_aligned", "")),
]

_NO_EFFECT = ("",) * 13  # Consequence .. Consequence_rule of a row without an effect


def _consequence_row(a, t) -> list:
    """``[f.get(a, t) for f in CONSEQUENCE_FIELDS]`` in one call (see fields.register_fields)."""
    e = t.effect if t is not None else None
    if e is None:
        return [*_NO_EFFECT, a.extras.get("left_aligned", "")]
    return ["&".join(e.consequences), e.impact, e.hgvs_c, _refseq_c(a, t), e.hgvs_p, e.hgvs_g, e.cdna_position,
            e.cds_position, e.protein_position, e.amino_acids, e.codons, "&".join(e.needs_reference), e.rule,
            a.extras.get("left_aligned", "")]


register_fields("consequence", CONSEQUENCE_FIELDS, _consequence_row)


# --- variants sharing a codon in one sample (haplotype-aware codons) --------------------------------------

def _codon_haplotypes(annotations, samples, model, options):
    from .analyses import AnalysisResult
    from .haplotypes import codon_pairs

    res = AnalysisResult("codon_haplotypes", info_defs=list(CODON_INFO))
    placers = _LazyPlacers(model)
    gacc = model.build.refseq_accession if model.contig == "chr2" else ""
    pairs = codon_pairs(annotations, samples, placers, options.get("reference"), gacc, model.protein_ids)
    for p in pairs:
        for idx in p.record_indices:
            res.info.setdefault(idx, {}).setdefault("IL1RN_CODON_HAP", []).append(encode_info_value(p.label()))
        res.per_sample.setdefault(p.sample, {}).setdefault("codon_pairs", []).append(p.label())
    res.cohort["codon_pairs"] = len(pairs)
    return res


class _LazyPlacers(dict):
    """transcript id -> :class:`~il1rn_annot.overlap.Placer`, built when a cis pair first asks for one (most
    runs have none; building all 14 was ~1.5 ms of every run)."""

    def __init__(self, model):
        super().__init__()
        self._model = model
        self._tx = {t.transcript_id: t for t in model.transcripts}

    def __contains__(self, tid) -> bool:
        return tid in self._tx

    def __missing__(self, tid):
        from .overlap import Placer

        placer = self[tid] = Placer(self._tx[tid], self._model.vntr)
        return placer


CODON_INFO = (("IL1RN_CODON_HAP", ".", "String",
               "Another variant changes the same codon in a sample: SAMPLE:TRANSCRIPT:cis|trans|unphased:RECORDS"
               "[:joint consequence and HGVSp when cis] (why). cis pairs are interpreted together; unphased ones "
               "are flagged, not guessed"),)


def _register_analysis() -> None:
    from .analyses import Analysis, register

    register(Analysis("codon_haplotypes", _codon_haplotypes, info_defs=CODON_INFO))


_register_analysis()
