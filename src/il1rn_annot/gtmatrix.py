"""Columnar genotypes for many samples: numpy arrays over samples instead of one object per sample (pure).

A :class:`GenotypeMatrix` holds one record's calls: ``alleles`` (int16, samples x max ploidy; -1 = missing
allele ``.``, -2 = no allele at that ploidy slot), ``phased`` (bool per sample) and the quality fields the
tables use (``PS``/``GQ``/``DP``/``CN`` as float64 with NaN = missing, ``FT`` as a tuple of str/None).
Zygosity, allele copies and the genotype-table text are computed with array operations; the per-sample
:class:`~il1rn_annot.types.SampleCall` objects remain available through :class:`LazyCalls` (built on
demand) so code written against ``Record.calls`` keeps working unchanged.

Semantics are those of :mod:`il1rn_annot.genotype` and :mod:`il1rn_annot.io.tables`: the distinct genotypes
of a record are few, so each distinct one is classified by the scalar functions and the result broadcast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from .genotype import Zygosity, zygosity
from .types import SampleCall

MISSING = -1
ABSENT = -2
NUMERIC_KEYS = ("PS", "GQ", "DP", "CN")
_ZYG = list(Zygosity)


@dataclass(frozen=True, slots=True, eq=False)
class GenotypeMatrix:
    samples: tuple[str, ...]
    alleles: np.ndarray  # int16 (n, ploidy); MISSING / ABSENT
    phased: np.ndarray  # bool (n,)
    values: dict[str, np.ndarray] = field(default_factory=dict)  # PS/GQ/DP/CN: float64, NaN = missing
    integer: frozenset[str] = frozenset()  # keys declared Type=Integer (returned as int)
    ft: tuple[str | None, ...] | None = None
    memo: dict = field(default_factory=dict, repr=False)  # derived arrays computed once (classes)

    @property
    def nbytes(self) -> int:
        return self.alleles.nbytes + self.phased.nbytes + sum(v.nbytes for v in self.values.values())

    def __len__(self) -> int:
        return len(self.samples)

    def _value(self, key: str, i: int):
        a = self.values.get(key)
        if a is None:
            return None
        v = a[i]
        if v != v:  # NaN
            return None
        return int(v) if key in self.integer else float(v)

    def call(self, i: int) -> SampleCall:
        row = self.alleles[i]
        alleles = tuple(None if a == MISSING else int(a) for a in row if a != ABSENT)
        return SampleCall(sample=self.samples[i], alleles=alleles, phased=bool(self.phased[i]),
                          phase_set=self._value("PS", i), gq=self._value("GQ", i), dp=self._value("DP", i),
                          ft=self.ft[i] if self.ft is not None else None, cn=self._value("CN", i))

    # ---- distinct genotypes ------------------------------------------------------------------------
    def classes(self) -> tuple[np.ndarray, np.ndarray]:
        """(index of the first sample of each distinct genotype, class of every sample)."""
        if "classes" not in self.memo:
            self.memo["classes"] = self._classes()
        return self.memo["classes"]

    def _classes(self) -> tuple[np.ndarray, np.ndarray]:
        a = self.alleles.astype(np.int64) + 3  # >= 1
        key = self.phased.astype(np.int64)
        base = max(int(a.max(initial=0)) + 1, 2)
        if base ** a.shape[1] * 2 < 2 ** 62:
            for j in range(a.shape[1]):
                key = key * base + a[:, j]
            _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        else:  # huge allele numbers or ploidy: compare rows
            rows = np.column_stack([a, key])
            _, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
        return first, inverse.ravel()

    def zygosity_codes(self, allele_index: int) -> np.ndarray:
        """Index into ``list(Zygosity)`` for every sample."""
        first, inverse = self.classes()
        codes = np.array([_ZYG.index(zygosity(self.call(int(i)), allele_index)) for i in first], dtype=np.int8)
        return codes[inverse]

    def allele_counts(self, allele_index: int) -> dict[str, int]:
        counts = np.bincount(self.zygosity_codes(allele_index), minlength=len(_ZYG))
        return {z.value: int(c) for z, c in zip(_ZYG, counts)}


class LazyCalls(Sequence):
    """``Record.calls`` for a record whose genotypes are columnar: SampleCall objects made on access."""

    __slots__ = ("_load", "_n")

    def __init__(self, load: Callable[[], GenotypeMatrix], n: int):
        self._load = load
        self._n = n

    @property
    def matrix(self) -> GenotypeMatrix:
        return self._load()

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):
        m = self._load()
        if isinstance(i, slice):
            return tuple(m.call(j) for j in range(*i.indices(self._n)))
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return m.call(i)

    def __iter__(self) -> Iterator[SampleCall]:
        m = self._load()
        return (m.call(i) for i in range(self._n))

    def __eq__(self, other) -> bool:
        if isinstance(other, (LazyCalls, tuple, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("LazyCalls", self._n))

    def __repr__(self) -> str:
        return f"LazyCalls(<{self._n} samples, columnar>)"


def matrix_of(calls) -> GenotypeMatrix | None:
    """The columnar genotypes behind ``Record.calls``, or None for a plain tuple of SampleCall."""
    return calls.matrix if isinstance(calls, LazyCalls) else None


def _cell_strings(m: GenotypeMatrix, key: str) -> np.ndarray:
    """Table cells (bytes) of one numeric field for every sample, formatted as io.tables._cell does."""
    a = m.values.get(key)
    n = len(m)
    if a is None:
        return np.full(n, b"", dtype="S1")
    uniq, inv = np.unique(a, return_inverse=True)  # NaN sorts last; np.unique keeps one NaN per NaN run
    out = []
    for v in uniq.tolist():
        if v != v:
            out.append(b"")
        elif key in m.integer:
            out.append(str(int(v)).encode())
        else:
            out.append(f"{v:.6g}".encode())
    return np.array(out, dtype=np.bytes_)[inv.ravel()]


def genotype_table_text(m: GenotypeMatrix, head: str, allele_index: int) -> bytes:
    """The genotype-table rows of one ALT allele for every sample (see io.tables.GENOTYPE_COLUMNS), as text.

    ``head`` is the tab-joined CHROM..ALLELE_NUM cells.  Equal to csv-writing
    ``io.tables.genotype_rows`` for plain values (sample names and FT without tab, quote or newline)."""
    first, inverse = m.classes()
    tails = []
    for i in first.tolist():
        c = m.call(i)
        z = zygosity(c, allele_index)
        k = c.copies_of(allele_index)
        tails.append(f"\t{c.gt}\t{z.value}\t{'' if k is None else k}\t{'yes' if c.phased else 'no'}\t".encode())
    parts = [np.array(tails, dtype=np.bytes_)[inverse]]
    for key in ("PS", "GQ", "DP"):
        parts.append(_cell_strings(m, key))
    if m.ft is not None:
        ft = np.array([b"" if f is None else f.encode() for f in m.ft], dtype=np.bytes_)
    else:
        ft = np.full(len(m), b"", dtype="S1")
    names = np.array([s.encode() for s in m.samples], dtype=np.bytes_)
    row = np.strings.add(np.bytes_(head.encode() + b"\t"), names)
    row = np.strings.add(row, parts[0])
    for p in parts[1:]:
        row = np.strings.add(np.strings.add(row, p), np.bytes_(b"\t"))
    row = np.strings.add(np.strings.add(row, ft), np.bytes_(b"\n"))
    buf = row.view(np.uint8)
    return buf[buf != 0].tobytes()
