"""What a variant does to one transcript, as values: :class:`TranscriptEffect`, the Sequence Ontology terms
(Ensembl VEP vocabulary and severity order, from ``data/so_terms.tsv``) and IMPACT, and the helpers both
consequence engines share (positions, location terms, HGVS g. accession)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from il1rn_annot.coords import mapper_for
from il1rn_annot.model.resources import load_resource
from il1rn_annot.types import Location, Strand, Transcript, Variant, VariantKind
from il1rn_annot.types import RegionClass as R

COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def revcomp(seq: str) -> str:
    return seq.translate(COMPLEMENT)[::-1]


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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
    # when the protein change is not determined without a genome: every possible outcome
    # ("terms:p.(…):reference codons"), most severe first; IMPACT is then that of the most severe
    possible: tuple[str, ...] = ()
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
    """Terms the location alone decides (VEP conventions: intron_variant only for a change reaching intron
    bases +3..-3, so not for one confined to a donor/acceptor dinucleotide or an insertion at a junction;
    non-coding transcripts add non_coding_transcript_variant to intronic hits; NMD transcripts add
    NMD_transcript_variant)."""
    terms = [_REGION_TERMS[r] for r in loc.regions if r in _REGION_TERMS]
    if not loc.intron_interior:
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


def tx_change(loc: Location, v: Variant | None = None) -> tuple[int, int, str] | None:
    """The change on the spliced transcript: 0-based ``[lo, hi)`` and the alternate bases in transcript
    orientation, read from the member of the allele's class the location chose (``loc.canonical``); an
    insertion at an exon's edge counts as exonic when the location's segment is that exon.  None when a
    changed base (or an insertion's flank) is not exonic."""
    tx = loc.transcript
    v = v or loc.canonical
    if v is None:
        return None
    mapper = mapper_for(tx)
    plus = tx.strand is Strand.PLUS
    alt = v.alt if plus else revcomp(v.alt)
    if v.start == v.end:
        p = v.start
        for ex in tx.exons:
            if ex.start < p < ex.end:
                n1, n2 = mapper.genomic_to_tx(p - 1).n, mapper.genomic_to_tx(p).n
                return min(n1, n2), min(n1, n2), alt
            if loc.segment == "exon" and p in (ex.start, ex.end):
                n = mapper.genomic_to_tx(p if p == ex.start else p - 1).n
                before = n - 1 if (p == ex.start) == plus else n
                if before < 1 or before + 1 > mapper.length:
                    return None
                return before, before, alt
        return None
    ns = []
    for g in (v.start, v.end - 1):
        t = mapper.genomic_to_tx(g)
        if t.offset or t.n < 1 or t.n > mapper.length:
            return None
        ns.append(t.n)
    lo, hi = min(ns) - 1, max(ns)
    if hi - lo != v.end - v.start:  # spans an intron
        return None
    return lo, hi, alt


def positions(loc: Location, v: Variant | None = None) -> tuple[str, str, str]:
    """VEP-style cDNA_position, CDS_position, Protein_position for exonic ends ('' where not exonic)."""
    mapper = mapper_for(loc.transcript)
    v = v or loc.canonical
    if v is None:
        return "", "", ""
    ch = tx_change(loc, v)
    if ch is not None:
        lo, hi, _ = ch
        exonic_n = [lo, lo + 1] if lo == hi else [lo + 1, hi]
    else:
        a, b = tx_bounds(v, mapper.strand)
        pa, pb = mapper.genomic_to_tx(a), mapper.genomic_to_tx(b)
        exonic_n = [p.n for p in (pa, pb) if p.offset == 0 and 1 <= p.n <= mapper.length]
    exonic_n = [n for n in exonic_n if 1 <= n <= mapper.length]
    if not exonic_n:
        return "", "", ""
    cdna = _span(exonic_n[0], exonic_n[-1])
    cds = prot = ""
    if mapper.cds_first_n is not None and mapper.cds_last_n is not None:
        inside = [n - mapper.cds_first_n + 1 for n in exonic_n if mapper.cds_first_n <= n <= mapper.cds_last_n]
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


_CDS_EXONIC = re.compile(r"c\.\d+")


def hgvs_reference(loc: Location) -> tuple[str, str, str]:
    """(accession for c./n., accession for p., why none) of ``loc``'s transcript.

    MANE: NM_173842.3 / NP_776214.1 (``protein_accession`` supplied by the caller overrides p.).  A model with a
    public id of its own (Ensembl, a user GFF): that id.  A bundled model without one but whose CDS numbers like
    a RefSeq transcript (DERIVED from ClinVar, ``refseq_transcript_map_DERIVED.tsv``): that RefSeq accession, for
    changes at coding exon positions only (the RefSeq UTR and intron structure were never read); p. then on the
    same accession.  Otherwise no HGVS is written for the transcript, and the reason is returned."""
    tx = loc.transcript
    if tx.hgvs_accession:
        return tx.hgvs_accession, tx.hgvs_accession, ""
    if tx.refseq_cds_numbering:
        if _CDS_EXONIC.fullmatch(loc.hgvs_start) and _CDS_EXONIC.fullmatch(loc.hgvs_end):
            return tx.refseq_cds_numbering, tx.refseq_cds_numbering, ""
        return "", tx.refseq_cds_numbering, (f"no HGVS c.: {tx.display_name} numbers its CDS like "
                                             f"{tx.refseq_cds_numbering} (DERIVED) at coding exon positions only")
    return "", "", f"no HGVS: {tx.display_name} has no public accession (a GENCODE model without a transcript id)"


def substitution_c(loc: Location, v: Variant, tx: Transcript) -> str:
    """``ACC:c.171T>C`` for an SNV (bases in transcript orientation); '' for anything else."""
    acc = hgvs_reference(loc)[0]
    if v.kind is not VariantKind.SNV or not on_transcript(loc) or "N" in v.ref + v.alt or not acc:
        return ""
    ref, alt = (v.ref, v.alt) if tx.strand is Strand.PLUS else (revcomp(v.ref), revcomp(v.alt))
    return f"{acc}:{loc.hgvs_start}{ref}>{alt}"


# --- the engine -------------------------------------------------------------------------------

SEQUENCE_FIELDS_CODING = ("HGVSp", "Amino_acids", "Codons")


def _effect(terms: list[str], rule: str, **kw) -> TranscriptEffect:
    ordered = order_terms(terms)
    return TranscriptEffect(consequences=ordered, impact=impact_of(ordered), rule=rule, **kw)
