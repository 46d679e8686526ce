"""Genotypes: one matrix per record for any number of samples, and a per-sample view of it (pure).

A :class:`GenotypeMatrix` holds one record's calls as arrays: ``alleles`` (int16, samples x ploidy slots;
:data:`MISSING` = ``.``, :data:`ABSENT` = no allele in that slot, e.g. the second slot of a haploid call),
``phased`` (bool per sample) and the quality fields (``PS``/``GQ``/``DP``/``CN`` as float64, NaN = not
given; ``FT`` as text or None).  The same type serves a single-sample exome and a 100,000-sample cohort;
:meth:`GenotypeMatrix.call` gives one sample's :class:`SampleCall`.

Zygosity is defined once, for one call, by :func:`zygosity_of`; :meth:`GenotypeMatrix.zygosity_codes` is the
same rule over arrays (``tests/test_genotypes.py`` holds the two equal on every genotype shape).
Missing data stays explicit: ``./.`` is :attr:`Zygosity.MISSING`, ``./1`` :attr:`Zygosity.HALF_CALL`; neither is
ever counted as reference.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

MISSING = -1  # an allele written "."
ABSENT = -2  # no allele in this ploidy slot (htslib's vector end)
QUALITY_KEYS = ("PS", "GQ", "DP", "CN")


class Zygosity(str, Enum):
    HOM_ALT = "hom_alt"  # two copies of this ALT
    HET = "het"  # one copy, other allele REF
    HET_OTHER_ALT = "het_other_alt"  # one copy, other allele another ALT of the record
    HEMIZYGOUS = "hemizygous"  # haploid call of this ALT
    REF = "ref"  # no copy, fully called
    HALF_CALL = "half_call"  # one allele missing (./1, ./0)
    MISSING = "missing"  # ./. or no GT


ZYGOSITIES = tuple(Zygosity)
CARRIED = frozenset({Zygosity.HOM_ALT, Zygosity.HET, Zygosity.HET_OTHER_ALT, Zygosity.HEMIZYGOUS})
UNCERTAIN = frozenset({Zygosity.HALF_CALL, Zygosity.MISSING})
LISTED = CARRIED | UNCERTAIN  # what a sample's report lists: carried, or not known not to be carried


@dataclass(frozen=True, slots=True)
class SampleCall:
    """One sample's genotype at one record: allele indices (None = missing), phase, quality fields."""

    sample: str
    alleles: tuple[int | None, ...]
    phased: bool
    phase_set: int | None = None
    gq: float | None = None
    dp: int | None = None
    ft: str | None = None
    cn: float | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def gt(self) -> str:
        sep = "|" if self.phased else "/"
        return sep.join("." if a is None else str(a) for a in self.alleles) if self.alleles else "."

    def copies_of(self, allele_index: int) -> int | None:
        """Copies of ``allele_index`` in this genotype; None when any allele is missing."""
        if not self.alleles or any(a is None for a in self.alleles):
            return None
        return sum(1 for a in self.alleles if a == allele_index)


def zygosity_of(alleles: tuple[int | None, ...], allele_index: int) -> Zygosity:
    """Zygosity of one ALT allele from a call's alleles (None = missing ``.``)."""
    if not alleles or all(a is None for a in alleles):
        return Zygosity.MISSING
    if any(a is None for a in alleles):
        return Zygosity.HALF_CALL
    n = sum(1 for a in alleles if a == allele_index)
    if len(alleles) == 1:
        return Zygosity.HEMIZYGOUS if n else Zygosity.REF
    if n >= 2:
        return Zygosity.HOM_ALT
    if n == 1:
        return Zygosity.HET if all(a in (0, allele_index) for a in alleles) else Zygosity.HET_OTHER_ALT
    return Zygosity.REF


def zygosity(call: SampleCall, allele_index: int) -> Zygosity:
    return zygosity_of(call.alleles, allele_index)


def _codes(name: Zygosity) -> int:
    return ZYGOSITIES.index(name)


@dataclass(frozen=True, slots=True, eq=False)
class GenotypeMatrix:
    """The genotypes of one record for every sample of the file, as arrays."""

    samples: tuple[str, ...]
    alleles: np.ndarray  # int16 (n, ploidy); MISSING / ABSENT
    phased: np.ndarray  # bool (n,)
    values: Mapping[str, np.ndarray] = field(default_factory=dict)  # PS/GQ/DP/CN: float64, NaN = not given
    integer: frozenset[str] = frozenset()  # keys whose values are whole numbers (written as int)
    ft: tuple[str | None, ...] | None = None
    extra: Mapping[str, tuple] = field(default_factory=dict)  # repeat-genotyper fields (REPCN, AL) per sample
    rows: np.ndarray | None = None  # for a subset: the index of each row in the full sample list
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # derived arrays, computed once

    @classmethod
    def empty(cls, samples: tuple[str, ...] = ()) -> "GenotypeMatrix":
        """No genotypes (a sites-only file), or every call missing when ``samples`` are given."""
        return cls(samples, np.full((len(samples), 1), MISSING, dtype=np.int16), np.zeros(len(samples), dtype=bool))

    @classmethod
    def from_calls(cls, calls) -> "GenotypeMatrix":
        """A matrix from per-sample :class:`SampleCall` values (tests, and callers that build calls by hand)."""
        calls = tuple(calls)
        if not calls:
            return cls.empty()
        width = max(1, max(len(c.alleles) for c in calls))
        alleles = np.full((len(calls), width), ABSENT, dtype=np.int16)
        for i, c in enumerate(calls):
            if not c.alleles:
                alleles[i, 0] = MISSING
            for j, a in enumerate(c.alleles):
                alleles[i, j] = MISSING if a is None else a
        values = {}
        integer = set()
        for key, attr in (("PS", "phase_set"), ("GQ", "gq"), ("DP", "dp"), ("CN", "cn")):
            got = [getattr(c, attr) for c in calls]
            if any(v is not None for v in got):
                values[key] = np.array([np.nan if v is None else float(v) for v in got])
                if all(v is None or isinstance(v, int) for v in got):
                    integer.add(key)
        ft = tuple(c.ft for c in calls) if any(c.ft is not None for c in calls) else None
        keys = sorted({k for c in calls for k in c.extra})
        extra = {k: tuple(c.extra.get(k) for c in calls) for k in keys}
        return cls(tuple(c.sample for c in calls), alleles, np.array([c.phased for c in calls], dtype=bool), values,
                   frozenset(integer), ft, extra)

    def __len__(self) -> int:
        return len(self.samples)

    def __iter__(self) -> Iterator[SampleCall]:
        for i in range(len(self)):
            yield self.call(i)

    def __getitem__(self, i: int) -> SampleCall:
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return self.call(i % len(self))

    def _value(self, key: str, i: int):
        a = self.values.get(key)
        if a is None:
            return None
        v = a.item(i)
        if v != v:  # NaN
            return None
        return int(v) if key in self.integer else v

    def call(self, i: int) -> SampleCall:
        """Sample ``i``'s call (``i`` indexes this matrix's rows)."""
        row = self.alleles[i].tolist()
        return SampleCall(sample=self.samples[i], alleles=tuple(None if a == MISSING else a for a in row if a != ABSENT),
                          phased=bool(self.phased[i]), phase_set=self._value("PS", i), gq=self._value("GQ", i),
                          dp=self._value("DP", i), ft=self.ft[i] if self.ft is not None else None,
                          cn=self._value("CN", i), extra={k: v[i] for k, v in self.extra.items()})

    def get(self, sample: str) -> SampleCall | None:
        """The call of the sample named ``sample`` (None when it is not in this matrix)."""
        try:
            return self.call(self.samples.index(sample))
        except ValueError:
            return None

    def zygosity_codes(self, allele_index: int) -> np.ndarray:
        """Index into :data:`ZYGOSITIES` for every sample: :func:`zygosity_of` over arrays (read-only)."""
        key = ("zygosity", allele_index)
        if key not in self.memo:
            codes = self._zygosity_codes(allele_index)
            codes.flags.writeable = False
            self.memo[key] = codes
        return self.memo[key]

    def _zygosity_codes(self, allele_index: int) -> np.ndarray:
        # per-slot counts added column by column (ploidy is small): no bool -> int sum over a 2-D array
        a = self.alleles
        n_present = np.zeros(len(a), dtype=np.int8)
        n_missing = np.zeros(len(a), dtype=np.int8)
        n_this = np.zeros(len(a), dtype=np.int8)
        n_other = np.zeros(len(a), dtype=np.int8)
        for j in range(a.shape[1]):
            col = a[:, j]
            n_present += col != ABSENT
            n_missing += col == MISSING
            n_this += col == allele_index
            n_other += (col > 0) & (col != allele_index)
        out = np.full(len(a), _codes(Zygosity.REF), dtype=np.int8)
        out[n_this == 1] = _codes(Zygosity.HET)
        out[(n_this == 1) & (n_other > 0)] = _codes(Zygosity.HET_OTHER_ALT)
        out[n_this >= 2] = _codes(Zygosity.HOM_ALT)
        haploid = n_present == 1
        out[haploid & (n_this == 1)] = _codes(Zygosity.HEMIZYGOUS)
        out[haploid & (n_this == 0)] = _codes(Zygosity.REF)
        out[(n_missing > 0) & (n_missing < n_present)] = _codes(Zygosity.HALF_CALL)
        out[(n_present == 0) | (n_missing == n_present)] = _codes(Zygosity.MISSING)
        return out

    def allele_counts(self, allele_index: int) -> dict[str, int]:
        """Samples per zygosity of one ALT allele (every Zygosity value as a key)."""
        counts = np.bincount(self.zygosity_codes(allele_index), minlength=len(ZYGOSITIES))
        return {z.value: int(c) for z, c in zip(ZYGOSITIES, counts)}

    def copies(self, allele_index: int) -> np.ndarray:
        """Copies of the allele per sample; -1 where any allele of the call is missing (float-free)."""
        a = self.alleles
        n = (a == allele_index).sum(axis=1).astype(np.int16)
        n[(a == MISSING).any(axis=1) | (a == ABSENT).all(axis=1)] = -1
        return n

    def subset(self, index: np.ndarray) -> "GenotypeMatrix":
        """The calls of the rows at ``index`` only (a compact copy; ``rows`` says where each came from)."""
        index = np.asarray(index, dtype=np.int64)
        base = self.rows[index] if self.rows is not None else index
        return GenotypeMatrix(samples=tuple(self.samples[i] for i in index.tolist()), alleles=self.alleles[index],
                              phased=self.phased[index], values={k: v[index] for k, v in self.values.items()},
                              integer=self.integer,
                              ft=tuple(self.ft[i] for i in index.tolist()) if self.ft is not None else None,
                              extra={k: tuple(v[i] for i in index.tolist()) for k, v in self.extra.items()},
                              rows=base)

    def classes(self) -> tuple[np.ndarray, np.ndarray]:
        """(first row of each distinct genotype (alleles + phasing), class of every row); remembered."""
        if "classes" not in self.memo:
            self.memo["classes"] = self._classes()
        return self.memo["classes"]

    def _classes(self) -> tuple[np.ndarray, np.ndarray]:
        if not len(self):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        a = self.alleles.astype(np.int64) - ABSENT  # >= 0
        base = int(a.max()) + 1
        if base ** (a.shape[1] + 1) < 2 ** 62:  # one integer per genotype: a 1-D sort, not a row sort
            key = self.phased.astype(np.int64)
            for j in range(a.shape[1]):
                key = key * base + a[:, j]
            _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        else:
            rows = np.column_stack([a, self.phased.astype(np.int64)])
            _, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
        return first, inverse.ravel()


def allele_counts(calls: GenotypeMatrix, allele_index: int) -> dict[str, int]:
    return calls.allele_counts(allele_index)


class CallsBySample(Mapping):
    """``{sample: SampleCall}`` over every sample of one record while holding only some of its rows.

    ``kept``: a subset matrix (its ``rows`` are the samples' indices) with the calls that can matter;
    ``full``: optionally every sample's genotype (alleles and phasing only).  The call of a sample in neither
    is a trusted reference call whose text was not kept: it is given as ``0/0`` (:data:`REFERENCE_STAND_IN`),
    so nothing that prints a genotype may ask for it (such callers keep the rows they print)."""

    __slots__ = ("_index", "kept", "full", "_rows")

    def __init__(self, index: Mapping[str, int], kept: GenotypeMatrix, full: GenotypeMatrix | None = None):
        self._index = index
        self.kept = kept
        self.full = full
        self._rows = kept.rows if kept.rows is not None else np.arange(len(kept))

    def __getitem__(self, sample: str) -> SampleCall:
        i = self._index[sample]
        j = int(np.searchsorted(self._rows, i))
        if j < len(self._rows) and self._rows[j] == i:
            return self.kept.call(j)
        if self.full is not None:
            return self.full.call(i)
        return SampleCall(sample, REFERENCE_STAND_IN, False)

    def __contains__(self, sample) -> bool:
        return sample in self._index

    def __iter__(self):
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


REFERENCE_STAND_IN = (0, 0)
