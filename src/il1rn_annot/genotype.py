"""Per-sample zygosity of one ALT allele, with missing data kept explicit (pure)."""

from __future__ import annotations

from enum import Enum

from .types import SampleCall


class Zygosity(str, Enum):
    HOM_ALT = "hom_alt"          # two copies of this ALT
    HET = "het"                  # one copy, other allele REF
    HET_OTHER_ALT = "het_other_alt"  # one copy, other allele another ALT of the record
    HEMIZYGOUS = "hemizygous"    # haploid call of this ALT
    REF = "ref"                  # no copy, fully called
    HALF_CALL = "half_call"      # one allele missing (./1, ./0)
    MISSING = "missing"          # ./. or no GT


def zygosity(call: SampleCall, allele_index: int) -> Zygosity:
    return zygosity_of(call.alleles, allele_index)


def zygosity_of(al: tuple[int | None, ...], allele_index: int) -> Zygosity:
    """Zygosity from a call's alleles alone (``SampleCall.alleles``: None = missing ``.``)."""
    if not al or all(a is None for a in al):
        return Zygosity.MISSING
    if any(a is None for a in al):
        return Zygosity.HALF_CALL
    n = sum(1 for a in al if a == allele_index)
    if len(al) == 1:
        return Zygosity.HEMIZYGOUS if n else Zygosity.REF
    if n >= 2:
        return Zygosity.HOM_ALT
    if n == 1:
        return Zygosity.HET if all(a in (0, allele_index) for a in al) else Zygosity.HET_OTHER_ALT
    return Zygosity.REF


def allele_counts(calls: tuple[SampleCall, ...], allele_index: int) -> dict[str, int]:
    if hasattr(calls, "allele_counts"):  # columnar genotypes (gtmatrix.LazyCalls): vectorised, remembered
        return calls.allele_counts(allele_index)
    counts = {z.value: 0 for z in Zygosity}
    for c in calls:
        counts[zygosity(c, allele_index).value] += 1
    return counts
