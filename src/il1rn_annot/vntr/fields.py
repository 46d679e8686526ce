"""The VNTR column of the variant table and the VCF CSQ entries: each ALT as an IL1RN intron-2 VNTR allele."""

from __future__ import annotations

from il1rn_annot.columns import Field
from il1rn_annot.vntr.analysis import allele_label
from il1rn_annot.vntr.definition import load_vntr_definition
from il1rn_annot.vntr.direct import overlaps_vntr


def _field_allele(a, t) -> str:
    if t is None or not t.location.in_vntr:
        return ""
    for build in ("GRCh38", "GRCh37"):  # the two builds' intervals are 757 kb apart: at most one overlaps
        defn = load_vntr_definition(build)
        if overlaps_vntr(a.variant, defn):
            return allele_label(a.record, a.variant, defn)
    return ""


VNTR_FIELDS = [
    Field("VNTR_allele", "this ALT as an IL1RN intron-2 VNTR allele (*1..*5, unnamed(N_copies), "
          "non_unit_change(+-Nbp), beyond_vntr, unknown_length, sequence_variant); empty outside the VNTR",
          _field_allele),
]
