"""HGVS strings (current recommendations): g./c./n. nucleotide descriptions and p. predictions.

- substitution ``c.229G>T``; MNV and length-changing replacements ``delins``; deletions ``del`` and
  insertions ``ins``, both after the 3' rule (shifted as far 3' in the reference's direction as they go:
  the + strand for g.; for c./n. the transcript direction, within the exon or intron the placement chose,
  see :mod:`il1rn_annot.consequence.placement`); an insertion equal to the bases 5' of it is a ``dup``.
- nothing is written from an unknown reference base (``N``).
- p. is always a prediction, written in parentheses, three-letter code, ``Ter`` for stop.
"""

from __future__ import annotations

from il1rn_annot.consequence.effects import revcomp
from il1rn_annot.coords import TranscriptMapper
from il1rn_annot.types import Strand, Transcript
from il1rn_annot.variants.shift import shift

AA3 = {"A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu", "G": "Gly",
       "H": "His", "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe", "P": "Pro", "S": "Ser",
       "T": "Thr", "W": "Trp", "Y": "Tyr", "V": "Val", "*": "Ter", "X": "Xaa", "U": "Sec"}

def three(seq: str) -> str:
    return "".join(AA3[a] for a in seq)


def _nuc(prefix_pos_a: str, prefix_pos_b: str | None, ref: str, alt: str, before: str) -> str:
    """One nucleotide description from positions (already with their ``c.``/``g.`` prefix on ``a``)."""
    rng = prefix_pos_a if prefix_pos_b is None else f"{prefix_pos_a}_{prefix_pos_b}"
    if ref and alt:
        if len(ref) == 1 and len(alt) == 1:
            return f"{prefix_pos_a}{ref}>{alt}"
        return f"{rng}delins{alt}"
    if ref:
        return f"{rng}del"
    if before == alt:
        return f"{rng}dup"
    return f"{rng}ins{alt}"


def g_description(accession: str, contig: str, start: int, ref: str, alt: str, fetch) -> str:
    """``ACC:g.…`` with the 3' rule on the + strand; '' from an unknown (``N``) base."""
    if "N" in ref.upper() or "N" in alt.upper():
        return ""
    s, r, a = shift(fetch, contig, start, ref, alt, +1)
    if not r:  # insertion between s-1 and s
        before = fetch(contig, s - len(a), s).upper() if s >= len(a) else ""
        if before == a:
            pa, pb = s - len(a) + 1, s
            return f"{accession}:g.{pa}dup" if pa == pb else f"{accession}:g.{pa}_{pb}dup"
        return f"{accession}:g.{s}_{s + 1}ins{a}"
    e = s + len(r)
    first = f"g.{s + 1}"
    last = None if e - s == 1 else str(e)
    return f"{accession}:{_nuc(first, last, r, a, '')}"


def c_description(tx: Transcript, mapper: TranscriptMapper, contig: str, start: int, ref: str, alt: str,
                  fetch, accession: str | None = None) -> str:
    """``ACC:c.…`` (``n.`` for non-coding) of one placement, written as it stands: the caller passes the member
    of the allele's class that the 3' rule picks (``Location.canonical``: 3'-most in transcript direction,
    not across an exon/intron border).  ``start``/``ref``/``alt`` are genomic (+ strand), 0-based; the string
    is in transcript orientation.  '' when a reference base involved is unknown (``N``): no HGVS is written
    from an unknown base; '' without an accession (``accession``: the caller's choice, see
    :func:`il1rn_annot.consequence.effects.hgvs_reference`)."""
    acc = tx.hgvs_accession if accession is None else accession
    plus = tx.strand is Strand.PLUS
    if "N" in ref.upper() or "N" in alt.upper() or not acc:
        return ""
    if not ref:  # insertion between genomic start-1 and start
        ins = alt if plus else revcomp(alt)
        n = len(ins)
        # the n bases 5' of the insertion in transcript direction
        before = fetch(contig, start - n, start).upper() if plus else revcomp(fetch(contig, start, start + n).upper())
        if before == ins:
            if plus:
                a, b = start - n, start - 1
            else:
                a, b = start + n - 1, start
            pa, pb = mapper.hgvs_pos(a), mapper.hgvs_pos(b)
            return f"{acc}:{pa}dup" if a == b else f"{acc}:{pa}_{pb.split('.', 1)[1]}dup"
        a, b = (start - 1, start) if plus else (start, start - 1)
        return f"{acc}:{mapper.hgvs_pos(a)}_{mapper.hgvs_pos(b).split('.', 1)[1]}ins{ins}"
    end = start + len(ref)
    a, b = (start, end - 1) if plus else (end - 1, start)
    r, al = (ref, alt) if plus else (revcomp(ref), revcomp(alt))
    pa = mapper.hgvs_pos(a)
    pb = None if a == b else mapper.hgvs_pos(b).split(".", 1)[1]
    return f"{acc}:{_nuc(pa, pb, r, al, '')}"
