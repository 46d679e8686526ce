"""Population allele frequencies from the user's own sites VCF (gnomAD or any), matched to the run's alleles (pure).

:mod:`il1rn_annot.sources.population` reads the IL1RN window of the file into a :class:`PopulationFrequencies`;
here an allele of the run is looked up after normalisation: both sides are split per ALT and trimmed of
shared bases, and a deletion also matches the same deletion slid along a repeat when every base the slide
needs is stated by one of the two records (the repeat-shift proof of :mod:`il1rn_annot.dira.catalogue`).

Founder-aware reading (ClinGen SVI BA1/BS1 guidance): a frequency from a founder or bottlenecked group
(``founder_groups``, default gnomAD's groups left out of grpmax: asj, fin, ami, mid, remaining/oth) is not used
for BA1/BS1; the highest frequency among the other groups the record states is used instead when there is
one, else BA1/BS1 are not evaluable.  A value resting on fewer than ``min_an`` called alleles is not used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from il1rn_annot.dira.catalogue import KnownBases, equivalent_deletions
from il1rn_annot.dira.options import DEFAULT_FOUNDER_GROUPS
from il1rn_annot.types import Interval, Variant, VariantKind


@dataclass(frozen=True, slots=True)
class PopulationSite:
    """One ALT allele of the population file, trimmed, with the values read for it."""
    start: int  # 0-based, trimmed
    end: int
    ref: str
    alt: str
    record: str  # as written in the file: chr:pos REF>ALT
    af: float | None  # the chosen field (None: not given on this record)
    group: str  # the genetic-ancestry group the chosen value comes from ('' = not stated / whole file)
    an: int | None  # called alleles behind the chosen value
    nhomalt: int | None
    groups: tuple[tuple[str, float, int | None], ...] = ()  # (group, AF, AN) of every AF_<group> on the record


@dataclass(frozen=True, slots=True)
class PopulationHit:
    """What the population file says about one allele of the run (``site`` None = not in the file)."""
    site: PopulationSite | None
    how: str  # exact / shift_equivalent / absent


@dataclass(frozen=True)
class PopulationFrequencies:
    """The population file's alleles in the IL1RN window, and how its values are to be read."""
    label: str  # file name, field and sha256 prefix of the file, for the outputs
    path: str
    field: str
    window: Interval
    sites: dict[tuple[int, int, str, str], PopulationSite]
    bases: dict[int, str] = field(default_factory=dict)  # 0-based -> base, from the file's REF columns
    founder_groups: tuple[str, ...] = DEFAULT_FOUNDER_GROUPS
    min_an: int = 2000

    def lookup(self, variant: Variant, record_bases: dict[int, str] | None = None) -> PopulationHit:
        key = (variant.start, variant.end, variant.ref, variant.alt)
        site = self.sites.get(key)
        if site is not None:
            return PopulationHit(site, "exact")
        if variant.kind is VariantKind.DELETION:
            known = KnownBases({**self.bases, **(record_bases or {})})
            for iv in sorted(equivalent_deletions(variant.interval, known)):
                for (s, e, ref, alt), cand in self.sites.items():
                    if (s, e) == (iv.start, iv.end) and not alt and len(ref) == len(variant.ref):
                        return PopulationHit(cand, "shift_equivalent")
        return PopulationHit(None, "absent")

    def is_founder(self, group: str) -> bool:
        return group.lower() in self.founder_groups
