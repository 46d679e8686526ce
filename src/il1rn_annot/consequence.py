"""Per allele x transcript consequence: Sequence Ontology terms (Ensembl VEP vocabulary and severity order,
from ``data/so_terms.tsv``), IMPACT, positions, codons, amino acids and HGVS.

Two levels, and the output says which one ran (``TranscriptEffect.rule`` and ``needs_reference``):

- **without reference sequence** only what the location and the VCF alleles determine: splice, intron,
  UTR, non-coding and flank terms; ``frameshift_variant`` for CDS indels whose length is not a multiple
  of 3 and ``inframe_*`` otherwise; ``start_lost`` for any SNV in c.1-3; ``synonymous_variant`` for a T<->C
  change at the third base of a codon (NNT/NNC always code alike); ``coding_sequence_variant`` for
  other CDS SNVs/MNVs; c. for substitutions.  Everything needing sequence (p., codons, amino acids, the
  3' shift of indels and so their c./g. strings) is left empty and named in ``needs_reference``.
- **with a reference** (:mod:`il1rn_annot.reference` provider) the codon engine in
  :mod:`il1rn_annot.codons` decides the protein-level terms and :mod:`il1rn_annot.hgvs` writes c./n./p./g.
"""

from __future__ import annotations

from functools import lru_cache

from .coords import TranscriptMapper, mapper_for, start_to_vcf_pos
from .frozen import frozen
from .resources import load_resource
from .types import Location, RegionClass as R, Strand, Transcript, Variant, VariantKind

COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def revcomp(seq: str) -> str:
    return seq.translate(COMPLEMENT)[::-1]


@frozen
class SoTerm:
    """A Sequence Ontology consequence term with its severity rank, impact and bcftools csq name."""
    name: str
    rank: int
    impact: str
    bcftools: str


@lru_cache(maxsize=None)
def so_terms() -> dict[str, SoTerm]:
    """The SO terms we emit, keyed by name, with VEP rank/IMPACT (``data/so_terms.tsv``)."""
    res = load_resource("so_terms.tsv")
    return {r["so_term"]: SoTerm(r["so_term"], int(r["rank"]), r["impact"], r["bcftools"]) for r in res.rows}


def order_terms(terms) -> tuple[str, ...]:
    """Unique terms, most severe first (unknown names would be a bug: KeyError)."""
    table = so_terms()
    return tuple(sorted(set(terms), key=lambda t: table[t].rank))


def impact_of(terms: tuple[str, ...]) -> str:
    return so_terms()[terms[0]].impact if terms else "MODIFIER"


@frozen
class TranscriptEffect:
    """The consequence of one ALT allele on one transcript (see the module docstring for the two levels)."""

    consequences: tuple[str, ...]
    impact: str
    hgvs_c: str = ""
    hgvs_p: str = ""
    hgvs_g: str = ""
    cdna_position: str = ""
    cds_position: str = ""
    protein_position: str = ""
    amino_acids: str = ""
    codons: str = ""
    needs_reference: tuple[str, ...] = ()
    rule: str = ""
    notes: tuple[str, ...] = ()
    # bcftools-style amino-acid change ("77E>77*"), filled by the codon engine; used to compare with bcftools
    aa_change: str = ""


# --- location-only terms ------------------------------------------------------------------------

_REGION_TERMS = {
    R.SPLICE_DONOR: "splice_donor_variant",
    R.SPLICE_ACCEPTOR: "splice_acceptor_variant",
    R.SPLICE_DONOR_5TH_BASE: "splice_donor_5th_base_variant",
    R.SPLICE_DONOR_REGION: "splice_donor_region_variant",
    R.SPLICE_POLYPYRIMIDINE_TRACT: "splice_polypyrimidine_tract_variant",
    R.SPLICE_REGION: "splice_region_variant",
    R.FIVE_PRIME_UTR: "5_prime_UTR_variant",
    R.THREE_PRIME_UTR: "3_prime_UTR_variant",
    R.NON_CODING_EXON: "non_coding_transcript_exon_variant",
    R.INTRON: "intron_variant",
    R.UPSTREAM: "upstream_gene_variant",
    R.DOWNSTREAM: "downstream_gene_variant",
    R.TRANSCRIPT_ABLATION: "transcript_ablation",
}


def location_terms(loc: Location, tx: Transcript) -> list[str]:
    """Terms the location alone decides (VEP conventions: intron_variant is not added beside a canonical
    donor/acceptor hit; non-coding transcripts add non_coding_transcript_variant to intronic hits; NMD
    transcripts add NMD_transcript_variant)."""
    terms = [_REGION_TERMS[r] for r in loc.regions if r in _REGION_TERMS]
    if R.SPLICE_DONOR in loc.regions or R.SPLICE_ACCEPTOR in loc.regions:
        terms = [t for t in terms if t != "intron_variant"]
    if R.TRANSCRIPT_ABLATION in loc.regions:
        return ["transcript_ablation"]
    exonic_or_intronic = loc.regions & {R.EXON, R.INTRON}
    if exonic_or_intronic and tx.biotype == "nonsense_mediated_decay":
        terms.append("NMD_transcript_variant")
    if not tx.is_coding and R.INTRON in loc.regions and R.EXON not in loc.regions:
        terms.append("non_coding_transcript_variant")
    return terms


# --- positions (need no sequence) --------------------------------------------------------------

def tx_bounds(v: Variant, strand: Strand) -> tuple[int, int]:
    """Genomic first and last base of the change in transcript direction (insertions: the two flanking bases)."""
    if v.end == v.start:
        a, b = v.start - 1, v.start
    else:
        a, b = v.start, v.end - 1
    return (a, b) if strand is Strand.PLUS else (b, a)


def _span(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}-{b}"


def positions(mapper: TranscriptMapper, v: Variant) -> tuple[str, str, str]:
    """VEP-style cDNA_position, CDS_position, Protein_position for exonic ends ('' where not exonic)."""
    a, b = tx_bounds(v, mapper.strand)
    pa, pb = mapper.genomic_to_tx(a), mapper.genomic_to_tx(b)
    exonic = [p for p in (pa, pb) if p.offset == 0 and 1 <= p.n <= mapper.length]
    if not exonic:
        return "", "", ""
    cdna = _span(exonic[0].n, exonic[-1].n)
    cds = prot = ""
    if mapper.cds_first_n is not None and mapper.cds_last_n is not None:
        inside = [p.n - mapper.cds_first_n + 1 for p in exonic if mapper.cds_first_n <= p.n <= mapper.cds_last_n]
        if inside:
            cds = _span(inside[0], inside[-1])
            prot = _span((inside[0] - 1) // 3 + 1, (inside[-1] - 1) // 3 + 1)
    return cdna, cds, prot


def on_transcript(loc: Location) -> bool:
    """c./n. are written only for changes touching the transcript (as VEP: none for up/downstream ones)."""
    return bool(loc.hgvs_start) and not loc.regions <= {R.UPSTREAM, R.DOWNSTREAM}


def g_accession(accession: str, contig: str) -> str:
    """The g. reference: the accession given, else the contig name if it can stand as one (starts with a
    letter: 'chr2', 'NC_045512.2'); '' for bare numbers ('2'), which no HGVS parser accepts."""
    if accession:
        return accession
    return contig if contig[:1].isalpha() else ""


def substitution_c(loc: Location, v: Variant, tx: Transcript) -> str:
    """``ACC:c.171T>C`` for an SNV (bases in transcript orientation); '' for anything else."""
    if v.kind is not VariantKind.SNV or not on_transcript(loc):
        return ""
    ref, alt = (v.ref, v.alt) if tx.strand is Strand.PLUS else (revcomp(v.ref), revcomp(v.alt))
    return f"{tx.hgvs_accession}:{loc.hgvs_start}{ref}>{alt}"


# --- the engine -------------------------------------------------------------------------------

SEQUENCE_FIELDS_CODING = ("HGVSp", "Amino_acids", "Codons")


def _effect(terms: list[str], rule: str, **kw) -> TranscriptEffect:
    ordered = order_terms(terms)
    return TranscriptEffect(consequences=ordered, impact=impact_of(ordered), rule=rule, **kw)


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
        from .codons import predict_with_reference

        return predict_with_reference(loc, v, tx, reference, genomic_accession=genomic_accession,
                                      protein_accession=protein_accession)
    mapper = mapper_for(tx)
    terms = location_terms(loc, tx)
    cdna, cds, prot = positions(mapper, v)
    needs: tuple[str, ...] = ()
    rule = "location_only"
    if R.CDS in loc.regions:
        terms, rule, needs = _coding_without_reference(loc, v, tx, mapper, terms)
    elif v.kind is not VariantKind.SNV:
        needs = ("HGVSc", "HGVSg")  # the 3' shift of an indel needs the flanking sequence
    hgvs_c = substitution_c(loc, v, tx)
    hgvs_g = ""
    gacc = g_accession(genomic_accession, v.contig)
    if v.kind is VariantKind.SNV and gacc:
        hgvs_g = f"{gacc}:g.{start_to_vcf_pos(v.start)}{v.ref}>{v.alt}"
    return _effect(terms, rule + ";no_reference", hgvs_c=hgvs_c, hgvs_g=hgvs_g, cdna_position=cdna,
                   cds_position=cds, protein_position=prot, needs_reference=needs)
