"""The reference-driven consequence engine: spliced transcript sequence, codons, amino acids, protein terms.

The reference and alternate transcripts are built by applying the allele to the spliced exon sequence;
both are translated from the CDS start (the alternate one on into the 3' UTR, for extensions) and the
proteins compared:

- a change touching c.1-3: ``start_lost`` if the first codon was Met and is no longer, else
  ``start_retained_variant`` (p.(Met1?) for start loss: the effect on initiation cannot be predicted);
- length change not a multiple of 3 inside the CDS: ``frameshift_variant`` (p.(Xaa#YaafsTer#));
- the reference stop changed to a sense codon: ``stop_lost`` (p.(Ter#YaaextTer#)); kept: ``stop_retained_variant``;
- a new stop before the reference one: ``stop_gained``;
- otherwise in frame: ``synonymous_variant`` (p.(Xaa#=)), ``missense_variant``, ``inframe_insertion`` /
  ``inframe_deletion`` (by nucleotide length change), ``protein_altering_variant`` (same length, several residues).
A change that also touches an intron gets the location terms only (its effect on splicing decides the protein).
"""

from __future__ import annotations

from il1rn_annot.consequence.effects import (
    TranscriptEffect,
    _effect,
    g_accession,
    hgvs_reference,
    location_terms,
    on_transcript,
    positions,
    revcomp,
    tx_change,
)
from il1rn_annot.consequence.hgvs import c_description, g_description, three
from il1rn_annot.consequence.protein import CODON_TABLE
from il1rn_annot.coords import mapper_for, vcf_pos_to_start
from il1rn_annot.types import Location, Strand, Transcript, Variant
from il1rn_annot.types import RegionClass as R


def translate(seq: str, to_stop: bool = False) -> str:
    out = []
    for i in range(0, len(seq) - len(seq) % 3, 3):
        aa = CODON_TABLE.get(seq[i:i + 3].upper(), "X")
        out.append(aa)
        if to_stop and aa == "*":
            break
    return "".join(out)


_TX_CACHE: dict = {}


def spliced(tx: Transcript, reference) -> str:
    """The transcript's spliced sequence in transcript orientation (cached per provider and transcript)."""
    key = (id(reference), tx.transcript_id, tx.exons)
    if key not in _TX_CACHE:
        seq = "".join(reference.fetch(tx.contig, ex.start, ex.end).upper() for ex in tx.exons)
        _TX_CACHE[key] = seq if tx.strand is Strand.PLUS else revcomp(seq)
        if len(_TX_CACHE) > 256:
            _TX_CACHE.pop(next(iter(_TX_CACHE)))
    return _TX_CACHE[key]


def _mark(seq: str, a: int, b: int) -> str:
    return seq[:a].lower() + seq[a:b].upper() + seq[b:].lower()


def vep_peptide(codons: str) -> str:
    """Amino acids of a codon string as VEP writes them: a trailing partial codon (a frameshift) is ``X``."""
    return translate(codons) + ("X" if len(codons) % 3 else "")


def protein_effect(T: str, cs: int, ce: int, lo: int, hi: int, alt: str, pacc: str, pad: int = 0,
                   window: tuple[int, int] | None = None) -> dict:
    """Protein-level result for a change [lo, hi) -> alt on spliced sequence T with CDS [cs, ce) (incl. stop).
    ``window``: the [lo, hi) the VCF record itself wrote (another member of the allele's class), which only the
    bcftools-style ``aa_change`` reads (bcftools reports the residues around the record as written)."""
    A = T[:lo] + alt + T[hi:]
    delta = len(alt) - (hi - lo)
    P = translate(T[cs:ce])
    if "*" in P[:-1]:
        P = P[:P.index("*") + 1]
    acs = cs if lo >= cs else max(0, cs + delta)  # where the reference CDS start lands in the alternate
    Q = translate(A[acs:], to_stop=True)
    c0 = (max(lo, cs) - cs) // 3
    c1 = (max(min(hi, ce) - 1, max(lo, cs)) - cs) // 3
    if hi == lo:  # insertion: codons on both sides of the point
        c1 = max(c0, (lo - cs) // 3)
        c0 = max(0, (lo - 1 - cs) // 3) if (lo - cs) % 3 == 0 else (lo - cs) // 3
    # bcftools' amino-acid window: the record as written, and its VCF padding base (pad: -1 = 5' of the change, +1 = 3')
    wlo, whi = window if window is not None else (lo, hi)
    b0 = (max(wlo, cs) - cs) // 3
    b1 = (max(min(whi, ce) - 1, max(wlo, cs)) - cs) // 3
    if whi == wlo:
        b1 = max(b0, (wlo - cs) // 3)
        b0 = max(0, (wlo - 1 - cs) // 3) if (wlo - cs) % 3 == 0 else (wlo - cs) // 3
    w0 = (max(wlo - 1, cs) - cs) // 3 if pad < 0 and whi > wlo else b0
    w1 = (min(whi, ce - 1) - cs) // 3 if pad > 0 and whi > wlo else b1
    ref_cod = T[cs + 3 * c0: cs + 3 * c1 + 3]
    alt_cod = A[cs + 3 * c0: cs + 3 * c1 + 3 + delta]
    codons = f"{_mark(ref_cod, lo - cs - 3 * c0, hi - cs - 3 * c0) or '-'}/" \
             f"{_mark(alt_cod, lo - cs - 3 * c0, lo - cs - 3 * c0 + len(alt)) or '-'}"
    ra, aa = translate(ref_cod), vep_peptide(alt_cod)
    terms: list[str] = []
    hgvs_p = ""
    inside = (cs < lo < ce) if hi == lo else (lo >= cs and hi <= ce)
    frameshift = delta % 3 != 0 and inside
    touches_start = lo < cs + 3 and hi > cs - (1 if hi == lo else 0)
    touches_stop = hi > ce - 3 and lo < ce
    i = next((k for k in range(min(len(P), len(Q))) if P[k] != Q[k]), min(len(P), len(Q)))
    L = len(P) - 1  # index of the reference stop (if P ends with one)
    has_stop = P.endswith("*")
    if frameshift:
        terms.append("frameshift_variant")
        # bcftools completes the alternate residues with the 3' UTR bases after the CDS when less than one
        # codon is left (a frameshift in the last codon: 172*>172D)
        end = ce + delta
        if end - acs - 3 * w0 < 3:
            end += (-(end - acs - 3 * w0)) % 3
        ref_aa, alt_aa = P[w0:], translate(A[acs + 3 * w0: end], to_stop=True)
    else:
        ref_aa = translate(T[cs + 3 * w0: cs + 3 * w1 + 3])
        alt_aa = translate(A[cs + 3 * w0: cs + 3 * w1 + 3 + delta])
        if delta > 0 and inside:
            terms.append("inframe_insertion")
        elif delta < 0 and inside:
            terms.append("inframe_deletion")
    if touches_start and P[:1] == "M" and lo < cs + 3 and delta and lo >= cs and cs + delta >= 0 and \
            A[cs + delta: ce + delta] == T[cs:ce]:
        # an indel at the start codon that re-forms it from the bases 5' of it (e.g. ...AaTG -> ...ATG):
        # the same allele as a 5' UTR indel; protein unchanged
        return {"terms": ["start_retained_variant"], "hgvs_p": f"{pacc}:p.(=)", "codons": codons,
                "amino_acids": "M", "aa_change": "1M", "rule": "start_codon_re-formed_upstream"}
    if touches_start and P[:1] == "M" and lo < cs + 3:
        if A[acs:acs + 3] == T[cs:cs + 3]:
            terms.append("start_retained_variant")
        else:
            terms.append("start_lost")
            hgvs_p = f"{pacc}:p.(Met1?)"
    if not hgvs_p:
        if i >= len(P) and len(Q) >= len(P):  # identical protein
            if touches_stop and has_stop:
                terms.append("stop_retained_variant")
            elif not terms:
                terms.append("synonymous_variant")
            pos = c0 + 1
            # p.(Xaa#=) names the codon a substitution left unchanged; an indel leaving the protein as it was is p.(=)
            hgvs_p = f"{pacc}:p.({three(P[c0])}{pos}=)" if c0 < len(P) and not delta and c0 > 0 else f"{pacc}:p.(=)"
        elif has_stop and i == L and not frameshift and (not touches_stop or (
                len(Q) == L + delta // 3 + 1 and Q.endswith("*"))):
            # in frame and a stop still ends the protein where the shifted reference stop is
            hgvs_p, more = _inframe_p(P, Q, i, pacc, delta)
            terms.extend(t for t in more if t not in terms)
            if touches_stop:
                terms.append("stop_retained_variant")
        elif has_stop and i == L:  # the reference stop is changed
            ext = Q[L:]
            if "*" in ext[1:] or (ext and ext[0] != "*"):
                terms.append("stop_lost")
                n = ext.find("*", 1)
                hgvs_p = f"{pacc}:p.(Ter{L + 1}{three(ext[0])}extTer{n if n > 0 else '?'})"
        elif has_stop and not frameshift and touches_stop and i < L and not (
                len(Q) == L + delta // 3 + 1 and Q.endswith("*")) and "*" not in Q[i:L + delta // 3]:
            # in frame, residues before the stop changed and the stop itself removed: stop_lost
            terms.append("stop_lost")
            k = Q.find("*", i)
            hgvs_p = (f"{pacc}:p.({three(P[i])}{i + 1}_Ter{L + 1}delins{three(Q[i:k + 1])})" if k >= 0
                      else f"{pacc}:p.?")  # no new stop within the transcript: the protein end is unknown
        elif frameshift:
            if Q[i] == "*":
                hgvs_p = f"{pacc}:p.({three(P[i])}{i + 1}Ter)"
            else:
                n = Q.find("*", i)
                hgvs_p = f"{pacc}:p.({three(P[i])}{i + 1}{three(Q[i])}fsTer{n - i + 1 if n >= 0 else '?'})"
        else:
            hgvs_p, more = _inframe_p(P, Q, i, pacc, delta)
            if "stop_gained" in more and not has_stop:
                more = [m if m != "stop_gained" else "stop_retained_variant" for m in more]
            terms.extend(t for t in more if t not in terms)
    if frameshift and touches_stop and has_stop and i == L and "stop_lost" not in terms:
        terms.append("stop_lost")
    if not frameshift and "*" in aa[:-1] + (aa[-1:] if len(aa) > len(ra) else "") and "*" not in ra \
            and "stop_gained" not in terms:
        terms.append("stop_gained")  # VEP's codon rule: the alternate codons carry a stop the reference ones lack
    if ref_aa == alt_aa:
        aa_change = f"{w0 + 1}{ref_aa}"
    else:
        aa_change = f"{w0 + 1}{ref_aa}>{w0 + 1}{alt_aa}"
    amino = ra if ra == aa else f"{ra or '-'}/{aa or '-'}"
    return {"terms": terms, "hgvs_p": hgvs_p, "codons": codons, "amino_acids": amino, "aa_change": aa_change}


def _inframe_p(P: str, Q: str, i: int, pacc: str, delta: int) -> tuple[str, list[str]]:
    """In-frame change with first differing residue index i (0-based)."""
    ref_end = len(P) - 1 if P.endswith("*") else len(P)  # index of the reference stop (or one past an incomplete CDS)
    if "*" in Q and Q.index("*") < ref_end + delta // 3:  # a stop before the (shifted) reference one
        k = Q.index("*")
        if k == i:
            return f"{pacc}:p.({three(P[i])}{i + 1}Ter)", ["stop_gained"]
        return f"{pacc}:p.({three(P[i])}{i + 1}_{three(P[k])}{k + 1}delins{three(Q[i:k + 1])})", ["stop_gained"]
    # common suffix
    j = 0
    while j < min(len(P), len(Q)) - i and P[len(P) - 1 - j] == Q[len(Q) - 1 - j]:
        j += 1
    dele, ins = P[i:len(P) - j], Q[i:len(Q) - j]
    if len(dele) == 1 and len(ins) == 1:
        return f"{pacc}:p.({three(dele)}{i + 1}{three(ins)})", ["missense_variant"]
    if not dele:  # insertion after residue i (1-based i)
        n = len(ins)
        if i - n >= 0 and P[i - n:i] == ins:
            a, b = i - n + 1, i
            rng = f"{three(P[a - 1])}{a}" if a == b else f"{three(P[a - 1])}{a}_{three(P[b - 1])}{b}"
            return f"{pacc}:p.({rng}dup)", []
        return f"{pacc}:p.({three(P[i - 1])}{i}_{three(P[i])}{i + 1}ins{three(ins)})", []
    a, b = i + 1, i + len(dele)
    rng = f"{three(P[a - 1])}{a}" if a == b else f"{three(P[a - 1])}{a}_{three(P[b - 1])}{b}"
    if not ins:
        return f"{pacc}:p.({rng}del)", []
    terms = [] if delta else (["missense_variant"] if len(dele) == len(ins) else ["protein_altering_variant"])
    return f"{pacc}:p.({rng}delins{three(ins)})", terms


def predict_with_reference(loc: Location, v: Variant, tx: Transcript, reference, *, genomic_accession: str = "",
                           protein_accession: str = "") -> TranscriptEffect:
    """Consequence on ``tx`` read from the member of the allele's class the location chose
    (``loc.canonical``), translating the reference and alternate spliced transcripts."""
    mapper = mapper_for(tx)
    cv = loc.canonical or v
    terms = location_terms(loc, tx)
    cdna, cds, prot = positions(loc, cv)
    fetch = reference.fetch
    gacc = g_accession(genomic_accession, v.contig)
    hgvs_g = g_description(gacc, v.contig, v.start, v.ref, v.alt, fetch) if gacc else ""
    c_acc, p_acc, why = hgvs_reference(loc)
    hgvs_c = c_description(tx, mapper, cv.contig, cv.start, cv.ref, cv.alt, fetch, c_acc) if on_transcript(loc) else ""
    rule = "reference:location"
    extra: dict = {}
    if R.CDS in loc.regions:
        ch = tx_change(loc, cv)
        cs, ce = mapper.cds_first_n - 1, mapper.cds_last_n
        if ch is not None and not ((cs < ch[0] < ce) if ch[0] == ch[1] else (ch[0] < ce and ch[1] > cs)):
            rule = "reference:change_beside_the_cds:location_terms_only"  # e.g. an insertion just after the stop
        elif ch is None:
            rule = "reference:cds_change_crosses_exon_edge:location_terms_only"
            if cv.end > cv.start:
                terms.append("coding_sequence_variant")
        else:
            lo, hi, alt = ch
            T = spliced(tx, reference)
            padded = vcf_pos_to_start(v.vcf_pos) < cv.start  # the VCF carries a padding base 5' (genomic) of the change
            pad = 0 if not padded else (-1 if tx.strand is Strand.PLUS else 1)
            record = tx_change(loc, v) if v is not cv else None
            pe = protein_effect(T, cs, ce, lo, hi, alt, protein_accession or p_acc or "?", pad,
                                window=record[:2] if record else None)
            if not (protein_accession or p_acc):
                pe["hgvs_p"] = ""  # no accession to write it on (why: Consequence_notes)
            terms.extend(pe.pop("terms"))
            rule = "reference:codons" + (f":{pe.pop('rule')}" if "rule" in pe else "")
            if not any(t in terms for t in PROTEIN_TERMS):
                terms.append("coding_sequence_variant")
            extra = pe
    return _effect(terms, rule, hgvs_c=hgvs_c, hgvs_g=hgvs_g, cdna_position=cdna, cds_position=cds,
                   protein_position=prot, notes=(why,) if why and on_transcript(loc) else (), **extra)


PROTEIN_TERMS = ("start_lost", "frameshift_variant", "stop_lost", "stop_gained", "missense_variant",
                 "synonymous_variant", "inframe_insertion", "inframe_deletion", "protein_altering_variant",
                 "stop_retained_variant", "start_retained_variant")
