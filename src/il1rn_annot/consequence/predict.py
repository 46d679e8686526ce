"""Per allele x transcript consequence: Sequence Ontology terms (Ensembl VEP vocabulary and severity order,
from ``data/so_terms.tsv``), IMPACT, positions, codons, amino acids and HGVS.

The output says how every answer was reached (``TranscriptEffect.rule``, shown as ``Consequence_rule``):

- **with a genome** (a reference FASTA or the imported locus) the codon engine in
  :mod:`il1rn_annot.consequence.codons` translates the reference and alternate transcripts
  (``reference:codons``); where the protein is also known without the genome, the inference below must give the
  same answer, and a disagreement is reported as a reference/build problem;
- **without a genome** the protein change of a change inside the CDS is inferred from what is known of the
  protein (the verified P18510 for IL1RN's coding transcripts) and the VCF's REF bases
  (:mod:`il1rn_annot.consequence.infer`, ``inferred_without_genome:…:determined``); when several outcomes remain
  the consequence is ``coding_sequence_variant`` with the IMPACT of the most severe possibility and every
  possibility in ``TranscriptEffect.possible``; HGVS c./g. of an indel are written when the known bases close its
  class on the 3' side.  Changes across the CDS edge or an exon edge keep the location rules (``frameshift_variant`` /
  ``inframe_*`` from the length, else ``coding_sequence_variant``) and name what needs a genome in
  ``needs_reference``.
"""

from __future__ import annotations

from il1rn_annot.consequence.codons import predict_with_reference
from il1rn_annot.consequence.effects import (
    SEQUENCE_FIELDS_CODING,
    TranscriptEffect,
    _effect,
    g_accession,
    hgvs_reference,
    location_terms,
    on_transcript,
    order_terms,
    positions,
    revcomp,
    substitution_c,
)
from il1rn_annot.consequence.hgvs import c_description, g_description
from il1rn_annot.consequence.infer import Inference, infer
from il1rn_annot.consequence.protein import unknown_knowledge
from il1rn_annot.coords import TranscriptMapper, mapper_for, start_to_vcf_pos
from il1rn_annot.types import Location, Strand, Transcript, Variant, VariantKind
from il1rn_annot.types import RegionClass as R
from il1rn_annot.variants.shift import shift


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
            genomic_accession: str = "", protein_accession: str = "", knowledge=None, known=None,
            published: dict | None = None) -> TranscriptEffect:
    """Consequence of ``variant`` on ``transcript`` placed at ``location``.

    ``reference``: a sequence provider (``fetch(contig, start, end) -> str``, 0-based half-open) or None.
    ``genomic_accession``: the g. reference (NC_000002.12 ...), '' to use the contig name.
    ``protein_accession``: the p. reference (NP_ ...), '' to use the transcript accession.
    ``knowledge``: the transcript's :class:`~il1rn_annot.consequence.protein.ProteinKnowledge` (None: unknown);
    ``known``: the reference bases known without a genome (:class:`~il1rn_annot.consequence.protein.KnownBases`
    with this record's REF); ``published``: MANE c. -> (published p., catalogue id) for frameshift Ter.
    """
    tx, loc, v = transcript, location, variant
    if v.kind is VariantKind.SPANNING_DELETION:
        return _effect([], "spanning_deletion_annotated_on_its_own_record", notes=(v.note,))
    if v.kind is VariantKind.NO_CHANGE:
        return _effect([], "no_change", notes=(v.note,) if v.note else ())
    if v.kind is VariantKind.SYMBOLIC:
        return _symbolic(loc, v, tx)
    c_acc, p_acc, why = hgvs_reference(loc)
    pacc = protein_accession or p_acc
    if reference is not None:
        effect = predict_with_reference(loc, v, tx, reference, genomic_accession=genomic_accession,
                                        protein_accession=protein_accession)
        if knowledge is not None and knowledge.known and known is not None and R.CDS in loc.regions:
            effect = _cross_check(effect, loc, knowledge, known, pacc, published)
        return effect
    mapper = mapper_for(tx)
    cv = loc.canonical or v
    terms = location_terms(loc, tx)
    cdna, cds, prot = positions(loc, cv)
    gacc = g_accession(genomic_accession, v.contig)
    hgvs_c, hgvs_g = _hgvs_without_genome(loc, v, cv, tx, mapper, known, gacc, c_acc)
    needs: list[str] = []
    notes = (why,) if why and on_transcript(loc) else ()
    if v.kind is not VariantKind.SNV:
        needs += [n for n, s in (("HGVSc", hgvs_c if on_transcript(loc) else "-"), ("HGVSg", hgvs_g)) if not s]
    if R.CDS in loc.regions:
        inference = _infer(loc, v, knowledge, known, pacc, published, hgvs_c)
        if inference is not None:
            effect = _inferred(inference, terms, hgvs_c, hgvs_g, cdna, cds, prot, needs)
            return _without_p(effect, notes) if not pacc else _with_notes(effect, notes)
        terms, rule, more = _coding_without_reference(loc, cv, tx, mapper, terms)
        needs += [n for n in more if n not in needs and not (n == "HGVSc" and hgvs_c) and not (n == "HGVSg" and hgvs_g)]
        return _effect(terms, rule + ";no_reference", hgvs_c=hgvs_c, hgvs_g=hgvs_g, cdna_position=cdna,
                       cds_position=cds, protein_position=prot, needs_reference=tuple(needs), notes=notes)
    return _effect(terms, "location_only;no_reference", hgvs_c=hgvs_c, hgvs_g=hgvs_g, cdna_position=cdna,
                   cds_position=cds, protein_position=prot, needs_reference=tuple(needs), notes=notes)


def _infer(loc: Location, v: Variant, knowledge, known, pacc: str, published, hgvs_c: str) -> Inference | None:
    """The inference from the known protein; where the REF contradicts it (a wrong build or record), the
    inference from the genetic code and the record's own REF bases alone, with the contradiction said."""
    if knowledge is None or known is None:
        return None
    inference = infer(loc, knowledge, known, pacc or "?", published, hgvs_c)
    if inference is None or inference.outcomes or knowledge.known == 0:
        return inference
    from dataclasses import replace as _replace

    from il1rn_annot.consequence.protein import KnownBases

    record_only = KnownBases(known.contig, {}).with_record(v.vcf_pos, v.vcf_ref)
    code_only = unknown_knowledge(loc.transcript)
    blind = infer(loc, code_only, record_only, pacc or "?", None, hgvs_c) if code_only else None
    if blind is None:
        return inference
    return _replace(blind, rule=inference.rule + ";then_genetic_code_only", notes=inference.notes + blind.notes)


def _with_notes(effect: TranscriptEffect, notes: tuple[str, ...]) -> TranscriptEffect:
    from dataclasses import replace

    return replace(effect, notes=effect.notes + notes) if notes else effect


def _without_p(effect: TranscriptEffect, notes: tuple[str, ...]) -> TranscriptEffect:
    """No accession to write p. on: drop it (the terms stand; the notes say why)."""
    from dataclasses import replace

    possible = tuple(p.replace("?:p.", "p.") for p in effect.possible)
    return replace(effect, hgvs_p="", possible=possible, notes=effect.notes + notes)


def _hgvs_without_genome(loc: Location, v: Variant, cv: Variant, tx: Transcript, mapper: TranscriptMapper,
                         known, gacc: str, c_acc: str) -> tuple[str, str]:
    """c. and g. from the bases known without a genome: substitutions always; an indel when its class is closed
    on the 3' side (the next base is known and differs) and, for an insertion, the bases before it are known
    (dup or ins)."""
    if v.kind is VariantKind.SNV:
        hgvs_g = f"{gacc}:g.{start_to_vcf_pos(v.start)}{v.ref}>{v.alt}" if gacc and "N" not in v.ref + v.alt else ""
        return substitution_c(loc, cv, tx), hgvs_g
    if known is None or v.kind not in (VariantKind.INSERTION, VariantKind.DELETION, VariantKind.MNV, VariantKind.DELINS):
        return "", ""
    fetch = known.fetch
    indel = v.kind in (VariantKind.INSERTION, VariantKind.DELETION)
    plus = tx.strand is Strand.PLUS
    hgvs_c = ""
    if on_transcript(loc) and not (indel and (loc.open_right if plus else loc.open_left)):
        n = len(cv.alt)
        before = (fetch(cv.contig, cv.start - n, cv.start) if plus else fetch(cv.contig, cv.start, cv.start + n))
        if cv.ref or "N" not in before:
            hgvs_c = c_description(tx, mapper, cv.contig, cv.start, cv.ref, cv.alt, fetch, c_acc)
    hgvs_g = ""
    if gacc and not (indel and loc.open_right):
        if v.ref:
            hgvs_g = g_description(gacc, v.contig, v.start, v.ref, v.alt, fetch)
        else:  # an insertion: dup or ins needs the bases 5' of its 3'-most point
            s, _, a = shift(fetch, v.contig, v.start, v.ref, v.alt, +1)
            if "N" not in fetch(v.contig, s - len(a), s):
                hgvs_g = g_description(gacc, v.contig, v.start, v.ref, v.alt, fetch)
    return hgvs_c, hgvs_g


def _inferred(inf: Inference, location_terms_: list[str], hgvs_c: str, hgvs_g: str, cdna: str, cds: str,
              prot: str, needs: list[str]) -> TranscriptEffect:
    """The effect from an inference: determined -> its terms and fields; otherwise coding_sequence_variant with
    the IMPACT of the most severe possibility and every possibility listed."""
    if not inf.outcomes:  # the REF contradicts the protein: nothing is inferred, and the output says why
        return _effect(location_terms_ + ["coding_sequence_variant"], inf.rule, hgvs_c=hgvs_c, hgvs_g=hgvs_g,
                       cdna_position=cdna, cds_position=cds, protein_position=prot, notes=inf.notes,
                       needs_reference=tuple(needs + ["HGVSp", "Amino_acids", "Codons"]))
    if inf.determined:
        (outcome, _), = inf.outcomes
        hgvs_p = outcome.hgvs_p.replace(" (as published)", "")
        notes = inf.notes
        if hgvs_p.endswith("p.?"):  # the terms are certain, the protein after the change needs bases not known
            hgvs_p, needs = "", needs + ["HGVSp"]
            notes += ("the protein change needs bases not known without a genome (after a lost stop: the 3' UTR)",)
        return _effect(location_terms_ + list(outcome.terms), inf.rule, hgvs_c=hgvs_c, hgvs_g=hgvs_g, hgvs_p=hgvs_p,
                       cdna_position=cdna, cds_position=cds, protein_position=prot or inf.protein_position,
                       amino_acids=outcome.amino_acids, codons=inf.codons, notes=notes,
                       needs_reference=tuple(needs))
    term_sets = {o.terms for o, _ in inf.outcomes}
    if len(term_sets) == 1:
        # the terms are certain (a stop codon lost whichever stop it was), only the new residue is not
        (terms,) = term_sets
        ordered = order_terms(location_terms_ + list(terms))
        rule = inf.rule.replace("_possible_outcomes", "_possible_protein_changes:terms_determined")
        what = "the consequence is determined, the protein change is not"
    else:
        shared = set.intersection(*(set(t) for t in term_sets))
        ordered = order_terms(location_terms_ + ["coding_sequence_variant"] + sorted(shared))
        rule = inf.rule
        what = "the protein change is not determined without a genome"
    impact_order = ("HIGH", "MODERATE", "LOW", "MODIFIER")
    impact = min(_impact(ordered), inf.impact, key=impact_order.index)
    return TranscriptEffect(consequences=ordered, impact=impact, rule=rule, hgvs_c=hgvs_c, hgvs_g=hgvs_g,
                            cdna_position=cdna, cds_position=cds, protein_position=prot or inf.protein_position,
                            codons=inf.codons, notes=inf.notes + (f"{what}: see Possible_consequences",),
                            possible=inf.possibilities(), needs_reference=tuple(needs + ["HGVSp", "Amino_acids"]))


def _impact(terms) -> str:
    from il1rn_annot.consequence.effects import impact_of

    return impact_of(tuple(terms))


def _cross_check(effect: TranscriptEffect, loc: Location, knowledge, known, pacc: str, published) -> TranscriptEffect:
    """With a genome: the inference from the verified protein and the REF bases must agree with translation."""
    from dataclasses import replace

    inf = infer(loc, knowledge, known, pacc, published, effect.hgvs_c)
    if inf is None:
        return effect
    if not inf.outcomes:
        note = f"REFERENCE/BUILD PROBLEM? the FASTA-checked REF fits no codon of the verified protein ({knowledge.source})"
        return replace(effect, notes=effect.notes + inf.notes + (note,),
                       rule=effect.rule + ";DISAGREES_with_inference_from_protein")
    if not inf.determined:
        return effect
    (outcome, _), = inf.outcomes
    translated = set(effect.consequences) & set(SO_PROTEIN_TERMS)
    inferred_p = outcome.hgvs_p.replace(" (as published)", "")
    same_p = (inferred_p == effect.hgvs_p or "fsTer?" in inferred_p and effect.hgvs_p.startswith(inferred_p.split("fsTer")[0])
              or inferred_p.endswith("p.?"))
    if translated == set(outcome.terms) & set(SO_PROTEIN_TERMS) and same_p:
        return replace(effect, rule=effect.rule + ";agrees_with_inference_from_protein")
    note = (f"REFERENCE/BUILD PROBLEM? translation of the reference gives {'&'.join(sorted(translated))} "
            f"{effect.hgvs_p}, but the verified protein ({knowledge.source}) and the REF bases give "
            f"{'&'.join(outcome.terms)} {inferred_p}: check that the FASTA is the VCF's build")
    return replace(effect, notes=effect.notes + (note,), rule=effect.rule + ";DISAGREES_with_inference_from_protein")


SO_PROTEIN_TERMS = ("start_lost", "frameshift_variant", "stop_lost", "stop_gained", "missense_variant",
                    "synonymous_variant", "inframe_insertion", "inframe_deletion", "protein_altering_variant",
                    "stop_retained_variant", "start_retained_variant")


def _symbolic(loc: Location, v: Variant, tx: Transcript) -> TranscriptEffect:
    """Structural alleles from their span (Ensembl VEP's rules for structural variants): ablation /
    amplification for a whole transcript; ``feature_elongation`` for an insertion or duplication inside it
    (exon or intron, as VEP); ``feature_truncation`` for a deletion touching an exon (VEP also marks deletions
    wholly inside an intron; the DIRA classification reads feature_truncation as a candidate, so that is left to
    it); a deletion inside one coding exon is ``frameshift_variant`` or ``inframe_deletion`` by its length; any
    other change of CDS bases ``coding_sequence_variant``."""
    terms = location_terms(loc, tx)
    ablation = R.TRANSCRIPT_ABLATION in loc.regions
    if v.svtype == "DUP" and ablation:
        terms = ["transcript_amplification"]  # a duplication covering the whole transcript adds a copy
    span = tx.span
    within = span.start <= v.start and v.end <= span.end if v.end > v.start else span.start < v.start < span.end
    overlaps = v.start < span.end and span.start < v.end if v.end > v.start else within
    if v.svtype in ("DEL", "CNV") and not ablation and overlaps and R.EXON in loc.regions:
        terms.append("feature_truncation")
        exon = next((ex for ex in tx.exons if ex.start <= v.start and v.end <= ex.end), None)
        if exon is not None and R.CDS in loc.regions and v.svtype == "DEL":
            terms.append("frameshift_variant" if (v.end - v.start) % 3 else "inframe_deletion")
        elif R.CDS in loc.regions:
            terms.append("coding_sequence_variant")
    elif v.svtype in ("DUP", "INS") and not ablation and within:
        terms.append("feature_elongation")
        if R.CDS in loc.regions:
            terms.append("coding_sequence_variant")
    return _effect(terms, f"symbolic_{v.svtype or 'allele'}_from_location_only",
                   notes=tuple(n for n in (v.note, "symbolic allele: no HGVS or protein prediction") if n))
