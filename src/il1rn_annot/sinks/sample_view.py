"""A per-sample view of a run, shared by the JSON reports, the per-sample table and the HTML report (pure).

For each sample: the alleles it carries (or whose call is missing: "not observed" is never silently
"reference"), each with its genotype and its placement on every transcript, and the analyses' per-sample
sections (DIRA verdicts, VNTR diplotypes ...).

The run's genotypes are not kept: while the window is written, :class:`WindowDigest` keeps each allele
without its record's genotypes, its zygosity counts, and the calls of the samples a report lists; and
:class:`SampleTallies` counts per sample the alleles carried and the calls that could not be made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from il1rn_annot.columns import jsonable
from il1rn_annot.consequence.annotate import AlleleAnnotation, TranscriptAnnotation
from il1rn_annot.coords import start_to_vcf_pos
from il1rn_annot.fields import ALL_FIELDS
from il1rn_annot.variants.genotypes import (
    CARRIED,
    LISTED,
    UNCERTAIN,
    ZYGOSITIES,
    GenotypeMatrix,
    SampleCall,
    Zygosity,
    zygosity,
)

# fields that describe the allele, not its placement on one transcript (kept once per variant)
ALLELE_LEVEL_FIELDS = frozenset({"Allele", "ALLELE_NUM", "Variant_type", "Norm_pos", "Norm_ref", "Norm_alt", "Note"})
_MASKS = {name: np.array([z in group for z in ZYGOSITIES]) for name, group in
          (("carried", CARRIED), ("uncertain", UNCERTAIN), ("listed", LISTED))}


class SampleTallies:
    """Per sample, summed over the window's alleles: alleles carried and calls that could not be made (missing
    or half), the first columns of the per-sample table."""

    def __init__(self, n: int):
        self.carried = np.zeros(n, dtype=np.int64)
        self.uncertain = np.zeros(n, dtype=np.int64)

    def add(self, a: AlleleAnnotation) -> None:
        if not len(a.record.calls):
            return
        codes = a.record.calls.zygosity_codes(a.variant.allele_index)
        self.carried += _MASKS["carried"][codes]
        self.uncertain += _MASKS["uncertain"][codes]


@dataclass(frozen=True, slots=True)
class SampleAllele:
    """One allele as one sample carries it: the annotation, the call and its zygosity."""
    annotation: AlleleAnnotation
    call: SampleCall
    zygosity: Zygosity


class WindowDigest:
    """The window's alleles as the reports need them once the genotypes are gone: each allele without its
    record's genotypes, its zygosity counts, and the calls (a compact matrix) of the samples it is listed for."""

    def __init__(self, samples: tuple[str, ...]):
        self.samples = samples
        self.annotations: list[AlleleAnnotation] = []
        self._counts: list[dict[str, int]] = []
        self._listed: list[GenotypeMatrix] = []
        self._codes: list[np.ndarray] = []
        self._ordinal: dict[tuple[int, int], int] = {}

    def add(self, a: AlleleAnnotation) -> None:
        calls, k = a.record.calls, a.variant.allele_index
        codes = calls.zygosity_codes(k)
        listed = np.flatnonzero(_MASKS["listed"][codes])
        self._ordinal[(a.record.index, k)] = len(self.annotations)
        self.annotations.append(AlleleAnnotation(a.record.without_genotypes(), a.variant, a.transcripts,
                                                 dict(a.extras)))
        self._counts.append({z.value: int(c) for z, c in zip(ZYGOSITIES, np.bincount(codes, minlength=len(ZYGOSITIES)))})
        self._listed.append(calls.subset(listed))
        self._codes.append(codes[listed])

    def counts(self, a: AlleleAnnotation) -> dict[str, int]:
        """Samples per zygosity of one allele of the window."""
        return dict(self._counts[self._ordinal[(a.record.index, a.variant.allele_index)]])

    def sample_alleles(self, sample_index: int) -> list[SampleAllele]:
        """The alleles a sample carries or whose call is missing/half-called, in file order."""
        out = []
        for a, m, codes in zip(self.annotations, self._listed, self._codes):
            j = int(np.searchsorted(m.rows, sample_index))
            if j < len(m.rows) and m.rows[j] == sample_index:
                out.append(SampleAllele(a, m.call(j), ZYGOSITIES[codes[j]]))
        return out

    def carriers(self, which: Callable[[AlleleAnnotation], bool]) -> np.ndarray:
        """Per sample (in sample order): does it carry (a carried zygosity) at least one allele of the window
        for which ``which`` holds?  Array work over the listed calls: no per-sample objects."""
        out = np.zeros(len(self.samples), dtype=bool)
        for a, m, codes in zip(self.annotations, self._listed, self._codes):
            if which(a):
                out[np.asarray(m.rows)[_MASKS["carried"][codes]]] = True
        return out

    def alleles_by_sample(self, chunk: int = 1024) -> Iterator[list[SampleAllele]]:
        """:meth:`sample_alleles` of every sample, in sample order, made ``chunk`` samples at a time (memory
        holds one chunk's calls)."""
        for lo in range(0, len(self.samples), chunk):
            hi = min(len(self.samples), lo + chunk)
            per: list[list[SampleAllele]] = [[] for _ in range(lo, hi)]
            for a, m, codes in zip(self.annotations, self._listed, self._codes):
                first, last = np.searchsorted(m.rows, (lo, hi))
                for j in range(int(first), int(last)):
                    per[int(m.rows[j]) - lo].append(SampleAllele(a, m.call(j), ZYGOSITIES[codes[j]]))
            yield from per


class WindowCollector:
    """The sink that keeps what the per-sample outputs need once the genotypes are gone: the run summary's
    :class:`SampleTallies` and, for the JSON and HTML reports (or the API), its :class:`WindowDigest`."""

    def __init__(self, run, samples: tuple[str, ...], *, tallies: bool, digest: bool):
        run.tallies = SampleTallies(len(samples)) if tallies else None
        run.digest = WindowDigest(samples) if digest else None
        self.run = run

    def write(self, item, alleles: list[AlleleAnnotation] | None) -> None:
        for a in alleles or ():
            if self.run.tallies is not None:
                self.run.tallies.add(a)
            if self.run.digest is not None:
                self.run.digest.add(a)

    def finish(self, run=None) -> list[str]:
        return []


def placement(a: AlleleAnnotation, t: TranscriptAnnotation) -> dict:
    """Every registered field for one allele x transcript row, except the allele-level ones."""
    return {f.name: jsonable(f.get(a, t)) for f in ALL_FIELDS if f.name not in ALLELE_LEVEL_FIELDS}


def variant_entry(a: AlleleAnnotation) -> dict:
    r, v = a.record, a.variant
    return {
        "chrom": r.contig, "pos": r.pos, "id": r.id, "ref": r.ref, "alt": v.vcf_alt, "allele_num": v.allele_index,
        "filter": ";".join(r.filters) or ".", "variant_type": v.kind.value,
        "norm_pos": start_to_vcf_pos(v.start), "norm_ref": v.ref or "-", "norm_alt": v.alt or "-", "note": v.note,
        "transcripts": [placement(a, t) for t in a.transcripts],
    }


def genotype_entry(call: SampleCall, allele_index: int) -> dict:
    z = zygosity(call, allele_index)
    return {"gt": call.gt, "zygosity": z.value, "allele_copies": call.copies_of(allele_index),
            "phased": call.phased, "ps": call.phase_set, "gq": jsonable(call.gq), "dp": call.dp, "ft": call.ft}


def mane_placement(a: AlleleAnnotation) -> TranscriptAnnotation | None:
    return next((t for t in a.transcripts if t.location.transcript.mane_select), None)


def analysis_sections(results, sample: str) -> dict[str, dict]:
    """``{analysis name: its per-sample dict}`` for every analysis that reported on ``sample``."""
    return {r.name: jsonable(r.per_sample[sample]) for r in results if sample in r.per_sample}
