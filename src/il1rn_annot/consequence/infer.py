"""Protein effects without a genome: the verified protein and the VCF's REF bases.

Every codon's amino acid is known (:mod:`il1rn_annot.consequence.protein`), and the record pins the bases its
REF states.  For a change inside the CDS the reference codons it touches are the codons of their residues that
agree with every known base (Glu is GAA/GAG; with REF ``G`` at its first base both remain; Ala is GCN; with
``T`` at its third base only GCT remains).  Applying the allele to each such combination of reference codons
gives the alternate codons, and translating them gives one outcome per combination:

- all combinations give one outcome: it is **determined** (``c.229G>T`` in Glu77: GAA->TAA and GAG->TAG,
  both ``stop_gained`` ``p.(Glu77Ter)``);
- they give several: every outcome is listed (:attr:`Inference.outcomes`, with the reference codons that give
  it); the caller reports the consequence as undetermined with an IMPACT no lower than the most severe
  possibility, so a HIGH/MODERATE filter keeps a possible stop, missense change or start loss.

Frameshifts: the length change makes ``frameshift_variant`` certain; the first changed residue and the new one
follow where the codons read after the change are fixed by the same logic (``c.156_157del``: Asn52 is AAY,
residue 53 Asn, so the new codon is AAA = Lys); the distance to the new stop needs the sequence downstream,
so it is ``fsTer?`` unless the DIRA catalogue states the published one for this allele (the caller says "as
published").  In-frame deletions and insertions are named from the protein (3' rule at the protein level).
A codon whose residue is not known (an isoform's own exons) may be any sense codon agreeing with the known bases.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from il1rn_annot.consequence.codons import _inframe_p, translate, vep_peptide
from il1rn_annot.consequence.effects import COMPLEMENT, order_terms, so_terms, tx_change
from il1rn_annot.consequence.hgvs import three
from il1rn_annot.consequence.protein import (
    CODON_TABLE,
    CODONS_OF,
    SENSE,
    KnownBases,
    ProteinKnowledge,
)
from il1rn_annot.coords import mapper_for
from il1rn_annot.types import Location, Strand, Variant

LIMIT = 20_000  # reference-codon combinations enumerated at most (a change over ~5 codons of six-codon residues)
FS_EXTENSION = 6  # codons read past a frameshift to find its first changed residue
IUPAC = {frozenset("A"): "A", frozenset("C"): "C", frozenset("G"): "G", frozenset("T"): "T",
         frozenset("AG"): "R", frozenset("CT"): "Y", frozenset("CG"): "S", frozenset("AT"): "W",
         frozenset("GT"): "K", frozenset("AC"): "M", frozenset("CGT"): "B", frozenset("AGT"): "D",
         frozenset("ACT"): "H", frozenset("ACG"): "V", frozenset("ACGT"): "N"}
ALL_CODONS = tuple(sorted(CODON_TABLE))  # a last codon whose residue is not known may be a stop or not


@dataclass(frozen=True, slots=True)
class Outcome:
    """One possible protein-level result: its terms (most severe first), HGVS p. and amino acids."""
    terms: tuple[str, ...]
    hgvs_p: str
    amino_acids: str

    @property
    def impact(self) -> str:
        return so_terms()[self.terms[0]].impact if self.terms else "MODIFIER"


@dataclass(frozen=True)
class Inference:
    """Every outcome the reference codons consistent with the protein and the known bases allow, each with the
    reference codons that give it; the codons with unknown bases in IUPAC code; the rule and notes."""
    outcomes: tuple[tuple[Outcome, tuple[str, ...]], ...]
    codons: str
    rule: str
    notes: tuple[str, ...] = ()
    protein_position: str = ""

    @property
    def determined(self) -> bool:
        return len(self.outcomes) == 1

    @property
    def impact(self) -> str:
        """The most severe IMPACT any possible outcome has."""
        order = ("HIGH", "MODERATE", "LOW", "MODIFIER")
        return min((o.impact for o, _ in self.outcomes), key=order.index, default="MODIFIER")

    def possibilities(self) -> tuple[str, ...]:
        """``term&term:p.(…):ref codons`` per outcome, most severe first."""
        rank = {t: so_terms()[t].rank for t in so_terms()}
        rows = sorted(self.outcomes, key=lambda oc: min((rank[t] for t in oc[0].terms), default=99))
        return tuple(f"{'&'.join(o.terms)}:{o.hgvs_p.split(':', 1)[-1] or 'p.?'}:{'/'.join(c)}" for o, c in rows)


def _iupac(letters: set[str]) -> str:
    return IUPAC.get(frozenset(letters), "N")


def _display(strings: list[str], changed: tuple[int, int]) -> str:
    """Position-wise union of equal-length strings in IUPAC, upper case inside ``changed``."""
    if not strings or not strings[0]:
        return "-"
    out = []
    for i in range(len(strings[0])):
        ch = _iupac({s[i] for s in strings})
        out.append(ch if changed[0] <= i < changed[1] else ch.lower())
    return "".join(out)


def infer(loc: Location, knowledge: ProteinKnowledge, known: KnownBases, protein_accession: str,
          published: dict[str, tuple[str, str]] | None = None, hgvs_c: str = "") -> Inference | None:
    """The protein effect of the change at ``loc`` (its canonical member) on the transcript ``knowledge`` is for,
    or None when the change does not lie wholly inside the CDS (UTR/CDS borders, exon/intron borders).
    ``published``: MANE c. (``c.156_157del``) -> (published p., catalogue id), for frameshifts' Ter."""
    tx = loc.transcript
    ch = tx_change(loc)
    if ch is None:
        return None
    mapper = mapper_for(tx)
    if mapper.cds_first_n is None or mapper.cds_last_n is None:
        return None
    cs, ce = mapper.cds_first_n - 1, mapper.cds_last_n
    lo, hi, alt = ch
    inside = (cs < lo < ce) if lo == hi else (cs <= lo and hi <= ce)
    n_cod = len(knowledge.residues)
    if not inside or (ce - cs) != 3 * n_cod:
        return None
    r_lo, r_hi = lo - cs, hi - cs
    delta = len(alt) - (hi - lo)
    frameshift = delta % 3 != 0
    if lo == hi:
        k0, k1 = (r_lo - 1) // 3, min(r_lo // 3, n_cod - 1)
    else:
        k0, k1 = r_lo // 3, (r_hi - 1) // 3
    if (delta or lo == hi) and any(knowledge.residues[k] is None
                                   for k in range(max(0, k0 - 2), min(n_cod, k1 + 3 + (FS_EXTENSION if frameshift else 0)))):
        return None  # an indel among residues not known: named by its length only (the caller's rule)
    minus = tx.strand is Strand.MINUS
    pacc = protein_accession
    snv_at = (r_lo // 3, r_lo % 3, alt) if (hi - lo == 1 and len(alt) == 1) else None
    notes: list[str] = []

    def candidates(k: int) -> tuple[str, ...] | None:
        aa = knowledge.residues[k]
        pool = CODONS_OF[aa] if aa is not None else (SENSE if k < n_cod - 1 else ALL_CODONS)
        fixed = []
        for j in range(3):
            b = known.base(knowledge.genomic[3 * k + j])
            fixed.append(b.translate(COMPLEMENT) if (minus and b != "N") else b)
        keep = tuple(c for c in pool if all(f == "N" or f == c[j] for j, f in enumerate(fixed)))
        if snv_at is not None and k == snv_at[0]:  # a VCF's REF differs from its ALT
            keep = tuple(c for c in keep if c[snv_at[1]] != snv_at[2])
        return keep or None

    def residue(k: int, codon: str | None = None) -> str:
        aa = knowledge.residues[k]
        if aa is not None:
            return aa
        return translate(codon) if codon else "X"

    ext = 0
    while True:
        last = min(n_cod - 1, k1 + ext)
        pools = []
        for k in range(k0, last + 1):
            c = candidates(k)
            if c is None:
                codon_text = "".join(known.base(g) for g in knowledge.genomic[3 * k: 3 * k + 3])
                why = (f"the VCF's REF bases ({codon_text} on the genome at codon {k + 1}) fit no codon of "
                       f"{knowledge.residues[k]}{k + 1} of {knowledge.source}: the VCF and the gene model "
                       "are of different builds, or the record is wrong")
                return Inference((), "", "inferred:REF_contradicts_protein", (why,))
            pools.append(c)
        size = 1
        for p in pools:
            size *= len(p)
        if size > LIMIT:
            if ext:
                last = min(n_cod - 1, k1 + ext - 1)
                break
            return None
        results: dict[Outcome, set[str]] = {}
        window_codons: set[str] = set()
        unresolved = False
        for combo in product(*pools):
            window_codons.add(" ".join(combo[: k1 - k0 + 1]))
            o = _outcome(combo, k0, k1, last, r_lo, r_hi, alt, delta, frameshift, n_cod, residue, pacc,
                         published, hgvs_c)
            if o is None:
                unresolved = True
                continue
            results.setdefault(o, set()).add(" ".join(combo[: k1 - k0 + 1]))
        if not unresolved or not frameshift or last >= n_cod - 1 or ext >= FS_EXTENSION:
            break
        ext += 1
    if unresolved:
        # the first changed residue of a frameshift lies further than the codons the known bases fix; at the
        # stop codon the new frame reads the 3' UTR, which may or may not give a stop right there
        notes.append("the first residue a frameshift changes lies beyond the codons known without a genome")
        if last == n_cod - 1 and knowledge.residues[-1] == "*":
            for extra in ("stop_lost", "stop_retained_variant"):
                o = Outcome(order_terms(["frameshift_variant", extra]), f"{pacc}:p.?", "")
                results.setdefault(o, set()).update(window_codons)
        else:
            o = Outcome(order_terms(["frameshift_variant"]), f"{pacc}:p.?", "")
            results.setdefault(o, set()).update(window_codons)
    if lo == cs and delta < 0:
        # a deletion from c.1: the bases 5' of the start codon (5' UTR, not known) may re-form ATG
        notes.append("a deletion from c.1: the 5' UTR bases, not known without a genome, may re-form the ATG")
        o = Outcome(order_terms(["start_retained_variant"]), f"{pacc}:p.(=)", "M")
        results.setdefault(o, set()).update(window_codons)
    # codons: the codons the change touches, known bases as such, the others in IUPAC
    ref_strings = sorted(c.replace(" ", "") for c in window_codons)
    a_lo, a_hi = r_lo - 3 * k0, r_hi - 3 * k0
    alt_strings = [r[:a_lo] + alt + r[a_hi:] for r in ref_strings]
    codons = f"{_display(ref_strings, (a_lo, a_hi))}/{_display(alt_strings, (a_lo, a_lo + len(alt)))}" if ref_strings else ""
    determined = len(results) == 1
    rule = f"inferred_without_genome:{knowledge.source}:{knowledge.via}+REF_bases:" + (
        "determined" if determined else f"{len(results)}_possible_outcomes")
    if any(o.hgvs_p.endswith("(as published)") for o in results):
        notes.append("frameshift Ter as published (DIRA catalogue), not computed")
    prot = str(k0 + 1) if k0 == k1 else f"{k0 + 1}-{k1 + 1}"
    return Inference(tuple((o, tuple(sorted(c))) for o, c in results.items()), codons, rule, tuple(notes), prot)


def _outcome(combo, k0, k1, last, r_lo, r_hi, alt, delta, frameshift, n_cod, residue, pacc, published, hgvs_c):
    ref_local = "".join(combo)
    a_lo, a_hi = r_lo - 3 * k0, r_hi - 3 * k0
    alt_local = ref_local[:a_lo] + alt + ref_local[a_hi:]
    window = k1 - k0 + 1
    ref_res = "".join(residue(k0 + i, combo[i]) for i in range(len(combo)))
    ref_cod = ref_local[: 3 * window]
    alt_cod = alt_local[: 3 * window + delta]
    touches_start = k0 == 0 and r_lo < 3
    # the window holds the stop codon (a last codon of unknown residue that is a sense codon here is not one)
    touches_stop = k1 == n_cod - 1 and ref_res[window - 1] == "*"
    ra = ref_res[:window]
    if frameshift:
        amino = f"{ra}/{vep_peptide(alt_cod)}"
        terms = ["frameshift_variant"]
        if touches_start:
            return Outcome(order_terms(terms + ["start_lost"]), f"{pacc}:p.(Met1?)", amino)
        full = translate(alt_local[: len(alt_local) - len(alt_local) % 3])
        j = next((i for i in range(min(len(full), len(ref_res))) if full[i] != ref_res[i]), None)
        if j is None:
            return None  # not resolved within the codons read
        pos = k0 + j + 1
        old, new = ref_res[j], full[j]
        if old == "*":
            return Outcome(order_terms(terms + ["stop_lost"]), f"{pacc}:p.(Ter{pos}{three(new)}extTer?)", amino)
        if new == "*":
            return Outcome(order_terms(terms), f"{pacc}:p.({three(old)}{pos}Ter)", amino)
        p = f"{three(old)}{pos}{three(new)}fs"
        hit = (published or {}).get(hgvs_c.split(":", 1)[-1]) if hgvs_c else None
        if hit and hit[0].split("(", 1)[-1].startswith(p):
            return Outcome(order_terms(terms), f"{pacc}:{hit[0]} (as published)", amino)
        return Outcome(order_terms(terms), f"{pacc}:p.({p}Ter?)", amino)
    # in frame: the alternate residues replace the window's; a stop that the window held and the alternate
    # lacks means the protein runs on into the 3' UTR, which is not known
    alt_res = translate(alt_local)
    amino = ra if ra == alt_res[: len(ra) + delta // 3] and not delta else f"{ra or '-'}/{alt_res or '-'}"
    if touches_start and ref_cod[:3] == "ATG" and alt_local[:3] != "ATG":
        extra = ["inframe_deletion"] if delta < 0 else ["inframe_insertion"] if delta > 0 else []
        return Outcome(order_terms(["start_lost"] + extra), f"{pacc}:p.(Met1?)", f"{ra}/{alt_res or '-'}")
    P = "".join(residue(k) if k < k0 or k > last else ref_res[k - k0] for k in range(n_cod))
    Q = P[:k0] + alt_res + P[k0 + window:]
    if "*" in alt_res[:-1] or ("*" in alt_res and not touches_stop):
        Q = P[:k0] + alt_res[: alt_res.index("*") + 1]
    elif touches_stop and "*" not in alt_res:
        i = next((x for x in range(len(ref_res)) if x >= len(alt_res) or ref_res[x] != alt_res[x]), len(ref_res))
        at = k0 + i
        if delta == 0 and ref_res[i] == "*":  # only the stop changed: an extension of unknown length
            return Outcome(order_terms(["stop_lost"]), f"{pacc}:p.(Ter{at + 1}{three(alt_res[i])}extTer?)", amino)
        terms = ["stop_lost"] + (["inframe_deletion"] if delta < 0 else ["inframe_insertion"] if delta > 0 else [])
        return Outcome(order_terms(terms), f"{pacc}:p.?", amino)
    if P == Q:
        terms = ["stop_retained_variant"] if touches_stop and ref_cod != alt_cod[: len(ref_cod)] and delta == 0 \
            and ref_res.endswith("*") else ["synonymous_variant"]
        if delta:
            terms = ["stop_retained_variant"] if touches_stop else []
            return Outcome(order_terms(terms or ["coding_sequence_variant"]), f"{pacc}:p.(=)", amino)
        return Outcome(order_terms(terms), f"{pacc}:p.({three(P[k0])}{k0 + 1}=)", amino)
    i = next(x for x in range(min(len(P), len(Q))) if P[x] != Q[x]) if any(
        P[x] != Q[x] for x in range(min(len(P), len(Q)))) else min(len(P), len(Q))
    hgvs_p, more = _inframe_p(P, Q, i, pacc, delta)
    terms = list(more)
    if delta > 0:
        terms.append("inframe_insertion")
    elif delta < 0:
        terms.append("inframe_deletion")
    if touches_stop and delta and alt_res.endswith("*") and ref_res.endswith("*") and "stop_gained" not in terms:
        terms.append("stop_retained_variant")  # an in-frame indel next to the stop codon that keeps it
    return Outcome(order_terms(terms or ["protein_altering_variant"]), hgvs_p, amino)


def known_bases_for(v: Variant, base: KnownBases) -> KnownBases:
    """``base`` plus the bases ``v``'s record states."""
    return base.with_record(v.vcf_pos, v.vcf_ref)
