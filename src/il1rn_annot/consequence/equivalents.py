"""Every way a VCF can write one indel: the equivalence class of its placements on the genome.

A deletion of ``[start, end)`` or an insertion of ``alt`` before ``start`` describes the same allele at every
start from :attr:`Equivalents.left` to :attr:`Equivalents.right` (the bases leaving one end equal the bases
entering the other; :mod:`il1rn_annot.variants.shift`).  Trimming, padding, left-alignment, 3' shifting,
splitting a multi-allelic record: each gives one member of the class, so a consequence computed from the class
(not from the member a file happened to use) is the same for all of them.  Which member the consequence is
read from, per transcript, is decided in :mod:`il1rn_annot.consequence.placement`.

Pure given ``fetch(contig, start, end) -> str`` (0-based half-open).  Without a genome the fetch may be a
:class:`RecordBases` that knows only the bases the VCF record itself states (its REF with any padding):
the class is then as wide as those bases show, which is all a file without a FASTA can say.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from il1rn_annot.coords import vcf_pos_to_start
from il1rn_annot.types import Variant, VariantKind
from il1rn_annot.variants.shift import shift


@dataclass(frozen=True, slots=True)
class Equivalents:
    """The placements of one pure insertion or deletion that give the same sequence: every start from
    ``left`` to ``right`` (0-based genomic).  ``left_seq`` is the deleted or inserted sequence at ``left``;
    at a start ``left + k`` it is ``left_seq`` rotated by ``k``."""

    variant: Variant
    left: int
    right: int
    left_seq: str
    # the class may reach further on that side: the shift stopped at an unknown base (``N``), not at a mismatch
    left_open: bool = False
    right_open: bool = False

    @property
    def is_insertion(self) -> bool:
        return self.variant.kind is VariantKind.INSERTION

    @property
    def length(self) -> int:
        return len(self.left_seq)

    def at(self, start: int) -> Variant:
        """The member of the class starting at ``start`` (``left <= start <= right``)."""
        if not self.left <= start <= self.right:
            raise ValueError(f"start {start} outside the class {self.left}..{self.right}")
        k = (start - self.left) % self.length
        seq = self.left_seq[k:] + self.left_seq[:k]
        if self.is_insertion:
            return replace(self.variant, start=start, end=start, ref="", alt=seq)
        return replace(self.variant, start=start, end=start + self.length, ref=seq, alt="")

    def starts(self) -> range:
        return range(self.left, self.right + 1)


def equivalents(v: Variant, fetch) -> Equivalents | None:
    """The class of ``v`` if it is a pure insertion or deletion, else None (substitutions, MNVs and delins
    have one placement)."""
    if v.kind not in (VariantKind.INSERTION, VariantKind.DELETION) or not (v.ref or v.alt):
        return None
    ls, lr, la = shift(fetch, v.contig, v.start, v.ref, v.alt, -1)
    rs, _, _ = shift(fetch, v.contig, v.start, v.ref, v.alt, +1)
    before = fetch(v.contig, ls - 1, ls).upper() if ls > 0 else ""
    after_pos = rs + len(v.ref)
    after = fetch(v.contig, after_pos, after_pos + 1).upper()
    return Equivalents(v, ls, rs, lr or la, left_open=before in ("", "N"), right_open=after in ("", "N"))


class RecordBases:
    """A sequence provider that knows only the reference bases one VCF record states (``POS``/``REF``,
    padding included) and answers ``N`` elsewhere: shifting stops where the record's bases end."""

    def __init__(self, contig: str, vcf_pos: int, vcf_ref: str):
        self.contig, self.start, self.ref = contig, vcf_pos_to_start(vcf_pos), vcf_ref.upper()

    def fetch(self, contig: str, start: int, end: int) -> str:
        out = []
        for g in range(start, end):
            i = g - self.start
            out.append(self.ref[i] if contig == self.contig and 0 <= i < len(self.ref) else "N")
        return "".join(out)
