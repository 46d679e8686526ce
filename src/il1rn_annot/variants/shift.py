"""Left-alignment and the HGVS 3' rule for indels, against a reference sequence provider.

Every function here is pure given ``fetch(contig, start, end) -> str`` (0-based half-open).  A deletion of
``[start, end)`` or an insertion of ``alt`` before ``start`` slides while the base leaving one end equals the
base entering the other; substitutions and delins never move.  ``lo``/``hi`` bound the slide (e.g. to one
exon or intron for c. descriptions, as biocommons ``hgvs`` does by default).
"""

from __future__ import annotations

from dataclasses import replace

from il1rn_annot.types import Variant, VariantKind

CHUNK = 64


class _Bases:
    """Cached base access on one contig (fetches CHUNK-sized blocks)."""

    def __init__(self, fetch, contig: str):
        self.fetch, self.contig, self.cache = fetch, contig, {}

    def __getitem__(self, pos: int) -> str:
        block = pos // CHUNK
        if block not in self.cache:
            self.cache[block] = self.fetch(self.contig, block * CHUNK, block * CHUNK + CHUNK).upper()
        seq = self.cache[block]
        i = pos - block * CHUNK
        return seq[i] if 0 <= i < len(seq) else "N"


def shift(fetch, contig: str, start: int, ref: str, alt: str, direction: int,
          lo: int | None = None, hi: int | None = None) -> tuple[int, str, str]:
    """Slide a pure insertion (``ref == ''``) or deletion (``alt == ''``) as far as it goes in
    ``direction`` (+1 = to higher positions, -1 = lower), staying within ``[lo, hi)``.
    Returns (start, ref, alt) of the shifted form; anything else is returned unchanged."""
    if bool(ref) == bool(alt):
        return start, ref, alt
    seq = ref or alt
    bases = _Bases(fetch, contig)
    end = start + len(ref)
    lo = 0 if lo is None else lo
    while True:
        if direction > 0:
            nxt = end  # base entering on the right
            if (hi is not None and nxt >= hi) or bases[nxt] != seq[0] or bases[nxt] == "N":
                break
            seq = seq[1:] + bases[nxt]
            start, end = start + 1, end + 1
        else:
            prv = start - 1
            if prv < lo or bases[prv] != seq[-1] or bases[prv] == "N":
                break
            seq = bases[prv] + seq[:-1]
            start, end = start - 1, end - 1
    return (start, seq, "") if ref else (start, "", seq)


def left_align(v: Variant, fetch) -> Variant:
    """The left-most equivalent of an indel (the VCF normal form); other kinds unchanged."""
    if v.kind not in (VariantKind.INSERTION, VariantKind.DELETION):
        return v
    s, r, a = shift(fetch, v.contig, v.start, v.ref, v.alt, -1)
    if s == v.start:
        return v
    note = f"left-aligned from {v.contig}:{v.start + 1} against the reference"
    return replace(v, start=s, end=s + len(r), ref=r, alt=a, note="; ".join(x for x in (v.note, note) if x))


def right_align(v: Variant, fetch, lo: int | None = None, hi: int | None = None) -> tuple[int, str, str]:
    """(start, ref, alt) of the right-most equivalent (HGVS 3' rule on the + strand)."""
    return shift(fetch, v.contig, v.start, v.ref, v.alt, +1, lo, hi)
