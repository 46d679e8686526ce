"""From one VCF record to one :class:`Variant` per ALT allele: split, trim, classify.

Trimming removes the bases REF and ALT share, first at the 5' end then at the 3' end, so a padded
deletion ``ACA>A`` at POS p becomes the deletion of ``CA`` at p+1..p+2 (the position the VCF states).
Left-alignment and the HGVS 3' rule need reference sequence and live in :mod:`il1rn_annot.variants.shift`.
Symbolic alleles take their span from END / SVLEN; ``*`` (a deletion spanning this site, described on
another record) and gVCF ``<*>`` / ``<NON_REF>`` are kept with a stated reason instead of being dropped.
"""

from __future__ import annotations

from il1rn_annot.coords import vcf_pos_to_start
from il1rn_annot.types import Variant, VariantKind

REFERENCE_BLOCK_ALLELES = ("<*>", "<NON_REF>", "<X>")


def trim(pos0: int, ref: str, alt: str) -> tuple[int, str, str]:
    """Drop shared leading then trailing bases; returns (0-based start, ref, alt)."""
    i = 0
    while i < len(ref) and i < len(alt) and ref[i] == alt[i]:
        i += 1
    ref, alt, pos0 = ref[i:], alt[i:], pos0 + i
    j = 0
    while j < len(ref) and j < len(alt) and ref[-1 - j] == alt[-1 - j]:
        j += 1
    if j:
        ref, alt = ref[: len(ref) - j], alt[: len(alt) - j]
    return pos0, ref, alt


def classify(ref: str, alt: str) -> VariantKind:
    if not ref and not alt:
        return VariantKind.NO_CHANGE
    if not ref:
        return VariantKind.INSERTION
    if not alt:
        return VariantKind.DELETION
    if len(ref) == len(alt):
        return VariantKind.SNV if len(ref) == 1 else VariantKind.MNV
    return VariantKind.DELINS


def symbolic_span(vcf_pos: int, ref: str, alt: str, end: int | None, svlen: int | None) -> tuple[int, int, str]:
    """(start, end, svtype) of a symbolic allele, 0-based half-open, excluding the padding base."""
    svtype = alt.strip("<>").split(":")[0].upper()
    start = vcf_pos_to_start(vcf_pos) + len(ref)  # the base after the padding base(s)
    if svtype == "INS":
        return start, start, svtype
    if end is not None and end >= vcf_pos:
        return start, end, svtype  # END is 1-based inclusive == 0-based exclusive
    if svlen is not None:
        return start, start + abs(svlen), svtype
    return start, start, svtype


def split_alleles(contig: str, vcf_pos: int, ref: str, alts: tuple[str, ...], *, record_id: str = ".",
                  end: int | None = None, svlen: tuple[int | None, ...] | None = None) -> list[Variant]:
    """One Variant per ALT (``allele_index`` 1-based, as in GT).  Never drops an allele silently."""
    out: list[Variant] = []
    pos0 = vcf_pos_to_start(vcf_pos)
    for idx, alt in enumerate(alts, start=1):
        common = dict(contig=contig, vcf_pos=vcf_pos, vcf_ref=ref, vcf_alt=alt, allele_index=idx, record_id=record_id)
        if alt == "*":
            out.append(Variant(start=pos0, end=pos0 + len(ref), ref=ref, alt="*", kind=VariantKind.SPANNING_DELETION,
                               note="'*' allele: deletion spanning this site, annotated on its own record", **common))
        elif alt in REFERENCE_BLOCK_ALLELES:
            out.append(Variant(start=pos0, end=pos0 + len(ref), ref=ref, alt=alt, kind=VariantKind.NO_CHANGE,
                               note=f"{alt}: gVCF reference-block allele, not a variant", **common))
        elif alt.startswith("<") or "[" in alt or "]" in alt or alt == ".":
            if "[" in alt or "]" in alt:
                out.append(Variant(start=pos0, end=pos0 + 1, ref=ref, alt=alt, kind=VariantKind.SYMBOLIC,
                                   svtype="BND", note="breakend: only its anchor position is placed", **common))
                continue
            sl = svlen[idx - 1] if svlen and len(svlen) >= idx else (svlen[0] if svlen else None)
            s, e, svtype = symbolic_span(vcf_pos, ref, alt, end, sl)
            note = "" if (e > s or svtype == "INS") else "symbolic allele without END/SVLEN: span unknown"
            out.append(Variant(start=s, end=e, ref=ref, alt=alt, kind=VariantKind.SYMBOLIC, svtype=svtype,
                               note=note, **common))
        else:
            s, r, a = trim(pos0, ref.upper(), alt.upper())
            out.append(Variant(start=s, end=s + len(r), ref=r, alt=a, kind=classify(r, a), **common))
    return out
