"""Output columns of the consequence engine (VCF CSQ sub-fields and table columns, through one registry)."""

from __future__ import annotations

import re

from .fields import Field, register_fields


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
]

register_fields("consequence", CONSEQUENCE_FIELDS)
