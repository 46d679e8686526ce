"""Every output column of an (allele x transcript) row, in order: placement, consequence, DIRA, VNTR.

One list feeds the VCF header's ``IL1RN_CSQ`` format, the CSQ entries, the variant table, the JSON reports
and the DataFrames, so the writers cannot drift apart and the columns are the same in every process, whatever
was imported or run before.
"""

from __future__ import annotations

from il1rn_annot.columns import Field
from il1rn_annot.consequence.fields import CONSEQUENCE_FIELDS, PLACEMENT_FIELDS
from il1rn_annot.dira.fields import DIRA_FIELDS
from il1rn_annot.vntr.fields import VNTR_FIELDS

ALL_FIELDS: tuple[Field, ...] = (*PLACEMENT_FIELDS, *CONSEQUENCE_FIELDS, *DIRA_FIELDS, *VNTR_FIELDS)


def all_fields() -> list[Field]:
    return list(ALL_FIELDS)


def csq_format(fields=ALL_FIELDS) -> str:
    return "|".join(f.name for f in fields)


def row_values(a, t, fields=ALL_FIELDS) -> list[object]:
    """The values of one (allele, transcript) row (``t`` None: an allele outside every transcript)."""
    return [f.get(a, t) for f in fields]
