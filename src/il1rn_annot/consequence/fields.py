"""The placement and consequence columns: one :class:`~il1rn_annot.columns.Field` per output column, read from
one (allele x transcript) row.  The VCF CSQ sub-fields and the table columns both come from these lists."""

from __future__ import annotations

import re
from collections.abc import Callable

from il1rn_annot.columns import Field
from il1rn_annot.consequence.annotate import AlleleAnnotation, TranscriptAnnotation
from il1rn_annot.coords import start_to_vcf_pos
from il1rn_annot.types import RegionClass

REGION_ORDER = [r for r in RegionClass]


def _region_text(regions: frozenset) -> str:
    return "&".join(r.value for r in REGION_ORDER if r in regions)


def _regions(a: AlleleAnnotation, t: TranscriptAnnotation | None) -> str:
    return _region_text(t.location.regions) if t is not None else ""


def _tx(attr: str) -> Callable:
    return lambda a, t: getattr(t.location.transcript, attr) if t else ""


def _loc(attr: str) -> Callable:
    return lambda a, t: getattr(t.location, attr) if t else ""


PLACEMENT_FIELDS: list[Field] = [
    Field("Allele", "ALT allele as in the VCF", lambda a, t: a.variant.vcf_alt),
    Field("ALLELE_NUM", "1-based index of the ALT allele in the record (as in GT)", lambda a, t: a.variant.allele_index),
    Field("Variant_type", "snv, mnv, insertion, deletion, delins, symbolic, spanning_deletion, no_change",
          lambda a, t: a.variant.kind.value),
    Field("Norm_pos", "1-based first changed reference base after trimming shared bases (insertions: the base after the insertion point)",
          lambda a, t: start_to_vcf_pos(a.variant.start)),
    Field("Norm_ref", "changed reference bases after trimming ('-' for none)", lambda a, t: a.variant.ref or "-"),
    Field("Norm_alt", "inserted bases after trimming ('-' for none)", lambda a, t: a.variant.alt or "-"),
    Field("Gene", "gene symbol", lambda a, t: t.location.transcript.gene if t else ""),
    Field("Feature", "transcript id in the bundled model (synthetic source-row ids, see Feature_name)", _tx("transcript_id")),
    Field("Feature_name", "transcript display name: RefSeq for MANE, else the Ensembl 110 name", _tx("display_name")),
    Field("Ensembl_name", "Ensembl 110 transcript name (IL1RN-2xx) where matched", _tx("ensembl_name")),
    Field("RefSeq_numbering", "RefSeq transcript whose c. numbering equals this model's (DERIVED except MANE)", _tx("refseq_cds_numbering")),
    Field("Biotype", "transcript biotype", _tx("biotype")),
    Field("MANE", "MANE Select flag", lambda a, t: "MANE_Select" if t and t.location.transcript.mane_select else ""),
    Field("Strand", "transcript strand", lambda a, t: t.location.transcript.strand.symbol if t else ""),
    Field("Region", "every location class touched (&-joined): exon, intron, CDS, 5_prime_UTR, 3_prime_UTR, splice_*, upstream/downstream_gene_variant, VNTR",
          _regions),
    Field("Exon", "exon number(s)/total in transcript order", lambda a, t: t.location.exon_label if t else ""),
    Field("Intron", "intron number(s)/total in transcript order", lambda a, t: t.location.intron_label if t else ""),
    Field("HGVS_pos", "HGVS c./n. position (range for multi-base variants), e.g. c.318+2, c.-27, c.*75", _loc("hgvs_position")),
    Field("Boundary_distance", "bases to the nearest exon edge (exonic: 0 = edge base; intronic: |offset|; flanks: to the transcript end)",
          _loc("distance_to_boundary")),
    Field("In_VNTR", "overlaps the intron-2 86-bp VNTR interval (rs2234663)", lambda a, t: "yes" if t and t.location.in_vntr else ""),
    Field("Location_rule", "the placement rules that fired", _loc("rule")),
    Field("Note", "why an allele was passed through without full annotation", lambda a, t: a.variant.note),
]



def _eff(attr: str, join: str = ""):
    def get(a, t):
        e = t.effect if t is not None else None
        if e is None:
            return ""
        v = getattr(e, attr)
        return join.join(v) if join else v
    return get


def _refseq_c(a, t):
    """The c. when it is written on the RefSeq transcript whose numbering equals this (non-MANE) model's:
    DERIVED, so labelled (coding exon positions only; ``hgvs_reference``)."""
    if t is None or t.effect is None or not t.effect.hgvs_c:
        return ""
    tx = t.location.transcript
    if not tx.refseq_cds_numbering or tx.mane_select or not t.effect.hgvs_c.startswith(tx.refseq_cds_numbering + ":"):
        return ""
    change = t.effect.hgvs_c.split(":", 1)[1]
    # the derivation holds for coding exon bases only (UTR and intron structure of the RefSeq were not read)
    if not _CDS_EXONIC.match(change):
        return ""
    return t.effect.hgvs_c


_CDS_EXONIC = re.compile(r"c\.\d+(_\d+)?[A-Za-z]")


CONSEQUENCE_FIELDS = [
    Field("Consequence", "Sequence Ontology terms (Ensembl VEP vocabulary), most severe first, &-joined", _eff("consequences", "&")),
    Field("IMPACT", "VEP-style impact of the most severe term: HIGH, MODERATE, LOW, MODIFIER", _eff("impact")),
    Field("HGVSc", "HGVS c./n. on MANE NM_173842.3, a model's own public id, or the RefSeq transcript a model numbers like (DERIVED, coding exon positions only); '' when it needs a genome or no accession exists (Consequence_notes says which)", _eff("hgvs_c")),
    Field("HGVSc_RefSeq_DERIVED", "the HGVSc when it is written on a RefSeq transcript whose numbering this model shares (DERIVED from ClinVar; non-MANE only)", _refseq_c),
    Field("HGVSp", "HGVS p. in three-letter code, as a prediction in parentheses (from a genome, or inferred from the verified protein and the REF bases: Consequence_rule says which); '' when not determined (Possible_consequences)", _eff("hgvs_p")),
    Field("HGVSg", "HGVS g. on the build's RefSeq chromosome accession", _eff("hgvs_g")),
    Field("cDNA_position", "position(s) in the transcript (n.)", _eff("cdna_position")),
    Field("CDS_position", "position(s) in the CDS (c.)", _eff("cds_position")),
    Field("Protein_position", "amino-acid position(s)", _eff("protein_position")),
    Field("Amino_acids", "reference/alternate amino acids (one-letter; X = a frameshift's partial codon, as VEP)", _eff("amino_acids")),
    Field("Codons", "reference/alternate codons, changed bases in upper case; bases not known without a genome in IUPAC code (R = A/G, Y = C/T, N = any)", _eff("codons")),
    Field("Possible_consequences", "when the protein change is not determined without a genome: every possible outcome as terms:p.:reference codons, most severe first (IMPACT is that of the most severe)", _eff("possible", ",")),
    Field("Needs_reference", "fields left empty because no reference sequence was given (&-joined)", _eff("needs_reference", "&")),
    Field("Consequence_rule", "how the consequence was derived: reference:codons (translated from a genome), inferred_without_genome:<protein source>+REF_bases:determined|N_possible_outcomes, or the location rule", _eff("rule")),
    Field("Consequence_notes", "why a field is empty or uncertain (no accession, a published Ter, an inference/translation disagreement)", _eff("notes", "; ")),
    Field("Left_aligned", "the left-aligned (VCF normal) form of an indel when it differs from the record (needs a reference)",
          lambda a, t: a.extras.get("left_aligned", "")),
]
