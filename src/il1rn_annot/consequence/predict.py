"""Per allele x transcript consequence: Sequence Ontology terms (Ensembl VEP vocabulary and severity order,
from ``data/so_terms.tsv``), IMPACT, positions, codons, amino acids and HGVS.

Two levels, and the output says which one ran (``TranscriptEffect.rule`` and ``needs_reference``):

- **without reference sequence** only what the location and the VCF alleles determine: splice, intron,
  UTR, non-coding and flank terms; ``frameshift_variant`` for CDS indels whose length is not a multiple
  of 3 and ``inframe_*`` otherwise; ``start_lost`` for any SNV in c.1-3; ``synonymous_variant`` for a T<->C
  change at the third base of a codon (NNT/NNC always code alike); ``coding_sequence_variant`` for
  other CDS SNVs/MNVs; c. for substitutions.  Everything needing sequence (p., codons, amino acids, the
  3' shift of indels and so their c./g. strings) is left empty and named in ``needs_reference``.
- **with a reference** (:mod:`il1rn_annot.model.reference` provider) the codon engine in
  :mod:`il1rn_annot.consequence.codons` decides the protein-level terms and :mod:`il1rn_annot.consequence.hgvs` writes c./n./p./g.
"""

from __future__ import annotations

from il1rn_annot.consequence.codons import predict_with_reference
from il1rn_annot.consequence.effects import (
    TranscriptEffect,
    SEQUENCE_FIELDS_CODING,
    _effect,
    g_accession,
    location_terms,
    positions,
    revcomp,
    substitution_c,
)
from il1rn_annot.coords import TranscriptMapper, mapper_for, start_to_vcf_pos
from il1rn_annot.types import Location, Strand, Transcript, Variant, VariantKind
from il1rn_annot.types import RegionClass as R


def _coding_without_reference(loc: Location, v: Variant, tx: Transcript, mapper: TranscriptMapper,
                              terms: list[str]) -> tuple[list[str], str, tuple[str, ...]]:
    """Protein-level guess-free rules for a variant touching the CDS; returns (terms, rule, needs)."""
    needs = list(SEQUENCE_FIELDS_CODING)
    only_cds = loc.regions <= {R.EXON, R.CDS, R.SPLICE_REGION}
    if v.kind is VariantKind.SNV:
        c = mapper.genomic_to_c(v.start)
        if c.kind == "" and c.offset == 0 and 1 <= c.base <= 3:
            return terms + ["start_lost"], "snv_in_start_codon_c.1-3", tuple(needs)
        ref, alt = (v.ref, v.alt) if tx.strand is Strand.PLUS else (revcomp(v.ref), revcomp(v.alt))
        if c.kind == "" and c.offset == 0 and c.base % 3 == 0 and {ref, alt} == {"C", "T"}:
            # NNT and NNC encode the same amino acid for every codon of the standard code, and no stop
            # codon ends in a pyrimidine: a T<->C change at codon position 3 is synonymous whatever the
            # first two bases are.  Which amino acid still needs the reference.
            return terms + ["synonymous_variant"], "cds_snv_codon_position3_T<->C_always_synonymous", tuple(needs)
        return terms + ["coding_sequence_variant"], "cds_snv_protein_needs_reference", tuple(needs)
    needs.append("HGVSc")
    needs.append("HGVSg")
    if v.kind in (VariantKind.INSERTION, VariantKind.DELETION, VariantKind.DELINS) and only_cds:
        delta = len(v.alt) - len(v.ref)
        if delta % 3:
            return terms + ["frameshift_variant"], "cds_indel_length_not_multiple_of_3", tuple(needs)
        if v.kind is VariantKind.INSERTION:
            return terms + ["inframe_insertion"], "cds_insertion_length_multiple_of_3", tuple(needs)
        if v.kind is VariantKind.DELETION:
            return terms + ["inframe_deletion"], "cds_deletion_length_multiple_of_3", tuple(needs)
    return terms + ["coding_sequence_variant"], "cds_change_protein_needs_reference", tuple(needs)


def predict(location: Location, variant: Variant, transcript: Transcript, reference=None, *,
            genomic_accession: str = "", protein_accession: str = "") -> TranscriptEffect:
    """Consequence of ``variant`` on ``transcript`` placed at ``location``.

    ``reference``: a sequence provider (``fetch(contig, start, end) -> str``, 0-based half-open) or None.
    ``genomic_accession``: the g. reference (NC_000002.12 ...), '' to use the contig name.
    ``protein_accession``: the p. reference (NP_ ...), '' to use the transcript accession.
    """
    tx, loc, v = transcript, location, variant
    if v.kind is VariantKind.SPANNING_DELETION:
        return _effect([], "spanning_deletion_annotated_on_its_own_record", notes=(v.note,))
    if v.kind is VariantKind.NO_CHANGE:
        return _effect([], "no_change", notes=(v.note,) if v.note else ())
    if v.kind is VariantKind.SYMBOLIC:
        terms = location_terms(loc, tx)
        if v.svtype == "DUP" and R.TRANSCRIPT_ABLATION in loc.regions:
            # a duplication covering the whole transcript adds a copy: amplification, not ablation
            terms = ["transcript_amplification"]
        if v.svtype in ("DEL", "CNV") and R.TRANSCRIPT_ABLATION not in loc.regions and loc.regions & {R.EXON}:
            terms.append("feature_truncation")
        elif v.svtype in ("DUP", "INS") and loc.regions & {R.EXON} and R.TRANSCRIPT_ABLATION not in loc.regions:
            terms.append("feature_elongation")
        return _effect(terms, f"symbolic_{v.svtype or 'allele'}_from_location_only",
                       notes=tuple(n for n in (v.note, "symbolic allele: no HGVS or protein prediction") if n))
    if reference is not None:
        return predict_with_reference(loc, v, tx, reference, genomic_accession=genomic_accession,
                                      protein_accession=protein_accession)
    mapper = mapper_for(tx)
    cv = loc.canonical or v
    terms = location_terms(loc, tx)
    cdna, cds, prot = positions(loc, cv)
    needs: tuple[str, ...] = ()
    rule = "location_only"
    if R.CDS in loc.regions:
        terms, rule, needs = _coding_without_reference(loc, cv, tx, mapper, terms)
    elif v.kind is not VariantKind.SNV:
        needs = ("HGVSc", "HGVSg")  # the 3' shift of an indel needs the flanking sequence
    hgvs_c = substitution_c(loc, cv, tx)
    hgvs_g = ""
    gacc = g_accession(genomic_accession, v.contig)
    if v.kind is VariantKind.SNV and gacc and "N" not in v.ref + v.alt:
        hgvs_g = f"{gacc}:g.{start_to_vcf_pos(v.start)}{v.ref}>{v.alt}"
    return _effect(terms, rule + ";no_reference", hgvs_c=hgvs_c, hgvs_g=hgvs_g, cdna_position=cdna,
                   cds_position=cds, protein_position=prot, needs_reference=needs)
