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

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache

import numpy as np

from .frozen import field, frozen
from .genotype import Zygosity, zygosity_of
from .types import SampleCall

MISSING = -1
ABSENT = -2
NUMERIC_KEYS = ("PS", "GQ", "DP", "CN")
_ZYG = list(Zygosity)


@lru_cache(maxsize=4096)
def _zygosity_code(row: tuple[int, ...], allele_index: int) -> int:
    """Index into ``list(Zygosity)`` of one ``alleles`` row: the distinct genotypes of a cohort are few, so
    each is classified once (memoised for the process), not once per record."""
    return _ZYG.index(zygosity_of(_alleles(row), allele_index))


def _alleles(row: list[int]) -> tuple[int | None, ...]:
    """One row of ``GenotypeMatrix.alleles`` as ``SampleCall.alleles`` (missing -> None, absent slots dropped)."""
    return tuple(None if a == MISSING else a for a in row if a != ABSENT)


class LazyFields(Mapping):
    """``{FORMAT key: float64 array}`` whose arrays are parsed on first use (``todo``: key -> callable).
    Most analyses never read GQ/DP of most records; the genotype table and DIRA's qualifying sites do."""

    __slots__ = ("_done", "_todo", "_keys", "pending_bytes")

    def __init__(self, todo: dict, pending_bytes: int = 0):
        self._done: dict[str, np.ndarray] = {}
        self._todo = dict(todo)
        self._keys = list(todo)
        self.pending_bytes = pending_bytes  # the line text the pending parsers hold

    def __getitem__(self, key: str) -> np.ndarray:
        v = self._done.get(key)
        if v is None:
            make = self._todo.pop(key)  # KeyError for an absent key, as a dict
            v = self._done[key] = make()
            if not self._todo:
                self.pending_bytes = 0
        return v

    def __contains__(self, key) -> bool:
        return key in self._done or key in self._todo

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    @property
    def nbytes(self) -> int:
        return sum(v.nbytes for v in self._done.values()) + self.pending_bytes

    def subset(self, index: np.ndarray) -> dict[str, np.ndarray]:
        """Every field of the samples at ``index``: a field not parsed yet is parsed for those samples only
        when its parser can (``make.subset``), so a record's few carriers do not cost a parse of all."""
        out = {}
        for key in self._keys:
            v = self._done.get(key)
            if v is None:
                part = getattr(self._todo[key], "subset", None)
                out[key] = part(index) if part is not None else self[key][index]
            else:
                out[key] = v[index]
        return out


@frozen(eq=False)
class GenotypeMatrix:
    """The genotypes of one record for many samples as arrays (alleles, phase, FORMAT values)."""
    samples: tuple[str, ...]
    alleles: np.ndarray  # int16 (n, ploidy); MISSING / ABSENT
    phased: np.ndarray  # bool (n,)
    values: dict[str, np.ndarray] = field(default_factory=dict)  # PS/GQ/DP/CN: float64, NaN = missing
    integer: frozenset[str] = frozenset()  # keys declared Type=Integer (returned as int)
    ft: tuple[str | None, ...] | None = None
    memo: dict = field(default_factory=dict, repr=False)  # derived arrays computed once (classes)

    @property
    def nbytes(self) -> int:
        """Bytes held, including derived arrays remembered in ``memo``."""
        memo = 0
        for v in self.memo.values():
            for a in (v if isinstance(v, tuple) else (v,)):
                memo += getattr(a, "nbytes", 0)
        values = (self.values.nbytes if isinstance(self.values, LazyFields)
                  else sum(v.nbytes for v in self.values.values()))
        return self.alleles.nbytes + self.phased.nbytes + values + memo

    def __len__(self) -> int:
        return len(self.samples)

    def _value(self, key: str, i: int):
        a = self.values.get(key)
        if a is None:
            return None
        v = a.item(i)
        if v != v:  # NaN
            return None
        return int(v) if key in self.integer else v

    def call(self, i: int) -> SampleCall:
        return SampleCall(sample=self.samples[int(i)], alleles=_alleles(self.alleles[i].tolist()),
                          phased=bool(self.phased.item(i)),
                          phase_set=self._value("PS", i), gq=self._value("GQ", i), dp=self._value("DP", i),
                          ft=self.ft[i] if self.ft is not None else None, cn=self._value("CN", i))

    def gt_call(self, i: int) -> SampleCall:
        """Sample ``i``'s call with its genotype only (alleles, phasing): for what depends on GT alone, so
        that the numeric fields are not parsed for it."""
        return SampleCall(sample=self.samples[int(i)], alleles=_alleles(self.alleles[i].tolist()),
                          phased=bool(self.phased.item(i)))

    def calls(self) -> list[SampleCall]:
        """Every call as SampleCall, built in bulk (arrays converted to Python values once)."""
        rows = self.alleles.tolist()
        phased = self.phased.tolist()
        cols = {}
        for key in NUMERIC_KEYS:
            a = self.values.get(key)
            if a is None:
                cols[key] = [None] * len(self)
            else:
                conv = int if key in self.integer else float
                cols[key] = [None if v != v else conv(v) for v in a.tolist()]
        ft = self.ft if self.ft is not None else [None] * len(self)
        out = []
        for i, (name, row) in enumerate(zip(self.samples, rows)):
            out.append(SampleCall(sample=name, alleles=_alleles(row),
                                  phased=phased[i], phase_set=cols["PS"][i], gq=cols["GQ"][i], dp=cols["DP"][i],
                                  ft=ft[i], cn=cols["CN"][i]))
        return out

    def subset(self, index: np.ndarray) -> "GenotypeMatrix":
        """The calls of the samples at ``index`` only (a compact copy)."""
        # an empty subset (no sample whose call can matter) does not parse the numeric fields
        if not len(index):
            values = {k: np.empty(0) for k in self.values}
        elif isinstance(self.values, LazyFields):
            values = self.values.subset(index)
        else:
            values = {k: v[index] for k, v in self.values.items()}
        return GenotypeMatrix(samples=_Picked(self.samples, index), alleles=self.alleles[index],
                              phased=self.phased[index], values=values,
                              integer=self.integer, ft=tuple(self.ft[i] for i in index.tolist()) if self.ft else self.ft)

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
        if base ** a.shape[1] * 2 < 1 << 20:  # small key space: O(n) table lookups, no sort
            for j in range(a.shape[1]):
                key = key * base + a[:, j]
            size = 2 * base ** a.shape[1]
            n = len(key)
            first_of = np.full(size, n, dtype=np.int64)
            _first_index(first_of, key)
            present = np.flatnonzero(first_of < n)
            rank = np.zeros(size, dtype=np.int64)
            rank[present] = np.arange(len(present))
            return first_of[present], rank[key]
        if base ** a.shape[1] * 2 < 2 ** 62:
            for j in range(a.shape[1]):
                key = key * base + a[:, j]
            _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        else:  # huge allele numbers or ploidy: compare rows
            rows = np.column_stack([a, key])
            _, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
        return first, inverse.ravel()

    def zygosity_codes(self, allele_index: int) -> np.ndarray:
        """Index into ``list(Zygosity)`` for every sample (remembered: read-only)."""
        key = ("zygosity", allele_index)
        if key not in self.memo:
            first, inverse = self.classes()
            codes = np.array([_zygosity_code(tuple(row), allele_index) for row in self.alleles[first].tolist()],
                             dtype=np.int8)
            self.memo[key] = codes[inverse]
        return self.memo[key]

    def allele_counts(self, allele_index: int) -> dict[str, int]:
        counts = np.bincount(self.zygosity_codes(allele_index), minlength=len(_ZYG))
        return {z.value: int(c) for z, c in zip(_ZYG, counts)}


class _Picked(Sequence):
    """``samples[index]`` without a tuple of names (a subset's names, looked up when a call is made)."""

    __slots__ = ("_all", "_index")

    def __init__(self, names: Sequence[str], index: np.ndarray):
        self._all, self._index = names, index

    def __getitem__(self, j):
        if isinstance(j, slice):
            return tuple(self._all[i] for i in self._index[j].tolist())
        return self._all[int(self._index[j])]

    def __len__(self) -> int:
        return len(self._index)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    __hash__ = None


def _first_index(first_of: np.ndarray, key: np.ndarray) -> None:
    """first_of[k] = smallest i with key[i] == k (for keys present)."""
    idx = np.arange(len(key) - 1, -1, -1)
    first_of[key[::-1]] = idx  # later writes win: reversed order leaves the smallest index


BUILT_CALLS_BUDGET = 100_000  # SampleCall objects kept across records (~25 MB)
_BUILT: "OrderedDict[int, tuple[LazyCalls, list[SampleCall]]]" = OrderedDict()


class LazyCalls(Sequence):
    """``Record.calls`` for a record whose genotypes are columnar: SampleCall objects made on access."""

    __slots__ = ("_load", "_n", "_counts")

    def __init__(self, load: Callable[[], GenotypeMatrix], n: int):
        self._load = load
        self._n = n
        self._counts: dict[int, dict[str, int]] = {}

    def allele_counts(self, allele_index: int) -> dict[str, int]:
        """Zygosity counts of one ALT allele (vectorised; remembered, so the matrix is not needed again)."""
        c = self._counts.get(allele_index)
        if c is None:
            c = self._counts[allele_index] = self._load().allele_counts(allele_index)
        return dict(c)

    @property
    def matrix(self) -> GenotypeMatrix:
        return self._load()

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):
        hit = _BUILT.get(id(self))
        if hit is not None and hit[0] is self:
            return tuple(hit[1][i]) if isinstance(i, slice) else hit[1][i]
        m = self._load()
        if isinstance(i, slice):
            return tuple(m.call(j) for j in range(*i.indices(self._n)))
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return m.call(i)

    def _built(self) -> list[SampleCall]:
        """Every call as SampleCall; the lists of the last records iterated are kept (a budget of
        :data:`BUILT_CALLS_BUDGET` calls in all) so that code iterating one record's calls again and again
        does not rebuild them each time."""
        hit = _BUILT.get(id(self))
        if hit is not None and hit[0] is self:
            _BUILT.move_to_end(id(self))
            return hit[1]
        built = self._load().calls()
        _BUILT[id(self)] = (self, built)
        total = sum(len(v[1]) for v in _BUILT.values())
        while total > BUILT_CALLS_BUDGET and len(_BUILT) > 1:
            _, (_, old) = _BUILT.popitem(last=False)
            total -= len(old)
        return built

    def __iter__(self) -> Iterator[SampleCall]:
        return iter(self._built())

    def __eq__(self, other) -> bool:
        if isinstance(other, (LazyCalls, tuple, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("LazyCalls", self._n))

    def __repr__(self) -> str:
        return f"LazyCalls(<{self._n} samples, columnar>)"


class CallsBySample(Mapping):
    """``{sample: SampleCall}`` for one record without building every call: the calls of ``keep`` (indices)
    are held compactly and made on access; any other sample's call is read from the record on demand."""

    __slots__ = ("_calls", "_names", "_keep", "_sub", "_full")

    def __init__(self, calls: "LazyCalls", names: dict[str, int], keep: np.ndarray):
        self._calls = calls
        self._names = names  # shared by every record: sample -> index
        self._keep = keep  # sorted sample indices (np.flatnonzero)
        self._sub = calls.matrix.subset(keep)
        self._full = None

    def __getitem__(self, sample: str) -> SampleCall:
        i = self._names[sample]
        j = int(np.searchsorted(self._keep, i))
        if j < len(self._keep) and self._keep[j] == i:
            return self._sub.call(j)
        if self._full is None:  # asked about other samples (catalogue sites, parents): keep the matrix
            self._full = self._calls.matrix
        return self._full.call(i)

    @property
    def compact(self) -> GenotypeMatrix:
        """The calls of ``keep`` only: row ``j`` is sample ``keep[j]``."""
        return self._sub

    def __contains__(self, sample) -> bool:
        return sample in self._names

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


_NAME_CACHE: dict[int, tuple[tuple, tuple]] = {}


def _padded(strings: list[bytes]) -> np.ndarray:
    """(len, width) uint8, zero-padded: rows of a fixed-width byte matrix (0 never occurs in the text)."""
    width = max(1, max((len(x) for x in strings), default=1))
    return np.array(strings, dtype=f"S{width}").view(np.uint8).reshape(len(strings), width)


def _as_words(table: np.ndarray) -> tuple[np.ndarray, int]:
    """A (rows, width) uint8 matrix as (rows, ceil(width / 8)) uint64 words (zero-padded) and its width."""
    rows, width = table.shape
    padded = np.zeros((rows, -(-width // 8) * 8), dtype=np.uint8)
    padded[:, :width] = table
    return padded.view(np.uint64), width


def _take_words(words: np.ndarray, width: int, idx: np.ndarray) -> np.ndarray:
    """``table[idx]`` of the table :func:`_as_words` made ``words`` of, gathered as 8-byte words: numpy copies
    the rows of a 2-D uint8 gather one by one (~0.28 ms for 20,000 rows of 3 bytes vs ~0.02 ms as words)."""
    idx = np.asarray(idx).ravel()
    out = words[:, 0][idx] if words.shape[1] == 1 else np.take(words, idx, axis=0)
    return out.view(np.uint8).reshape(len(idx), words.shape[1] * 8)[:, :width]


def _take_rows(table: np.ndarray, idx: np.ndarray) -> np.ndarray:
    return _take_words(*_as_words(table), idx)


def _names(samples: tuple[str, ...]) -> tuple[np.ndarray, tuple[np.ndarray, int]]:
    """The sample names + tab as a padded byte matrix, and as words (:func:`_as_words`); the last cohort's kept."""
    hit = _NAME_CACHE.get(id(samples))
    if hit is None or hit[0] is not samples:
        names = _padded([x.encode() + b"\t" for x in samples])
        hit = (samples, (names, _as_words(names)))
        _NAME_CACHE.clear()
        _NAME_CACHE[id(samples)] = hit
    return hit[1]


def _cells(m: GenotypeMatrix, key: str) -> np.ndarray:
    """Table cells of one numeric field + tab for every sample (io.tables._cell formatting), (n, w) uint8."""
    a = m.values.get(key)
    n = len(m)
    if a is None:
        return np.full((n, 1), 9, dtype=np.uint8)
    fmt = (lambda v: str(int(v)).encode()) if key in m.integer else (lambda v: f"{v:.6g}".encode())
    nan = np.isnan(a)
    ok = a[~nan]
    if key in m.integer and (not len(ok) or (ok.min() >= 0 and ok.max() < 1 << 16)):
        top = int(ok.max()) + 1 if len(ok) else 0
        table = _padded([fmt(v) + b"\t" for v in range(top)] + [b"\t"])
        return _take_rows(table, np.where(nan, top, a).astype(np.int64))
    uniq, inv = np.unique(a, return_inverse=True)
    table = _padded([(b"" if v != v else fmt(v)) + b"\t" for v in uniq.tolist()])
    return _take_rows(table, inv)


def _cell_columns(m: GenotypeMatrix) -> np.ndarray:
    """The PS, GQ, DP and FT cells of every sample of ``m`` with their tabs and the row's newline."""
    if m.ft is not None:
        ft = _padded([(b"" if f is None else f.encode()) + b"\n" for f in m.ft])
    else:
        ft = np.full((len(m), 1), 10, dtype=np.uint8)
    return np.concatenate([_cells(m, "PS"), _cells(m, "GQ"), _cells(m, "DP"), ft], axis=1)


TEXT_ROWS = 16_384  # samples per slice of genotype_table_text (~1.5 MB matrices at 100,000 samples, not 10 MB)


def genotype_table_text(m: GenotypeMatrix, head: str, allele_index: int, ref_rows: bool = True) -> bytes:
    """The genotype-table rows of one ALT allele for every sample (see io.tables.GENOTYPE_COLUMNS), as text;
    ``ref_rows=False``: not the rows whose zygosity is ``ref`` (``--genotype-rows nonref``).

    ``head`` is the tab-joined CHROM..ALLELE_NUM cells.  Equal to csv-writing
    ``io.tables.genotype_rows`` for plain values (sample names and FT without tab, quote or newline).
    Built as one fixed-width byte matrix (row x padded columns) with the padding squeezed out at the end."""
    n = len(m)
    first, inverse = m.classes()
    codes = m.zygosity_codes(allele_index)  # the counts asked for them already: remembered
    tails = []
    keep_class = []
    for i in first.tolist():
        c = m.gt_call(i)
        z = _ZYG[codes[i]]
        k = c.copies_of(allele_index)
        tails.append(f"{c.gt}\t{z.value}\t{'' if k is None else k}\t{'yes' if c.phased else 'no'}\t".encode())
        keep_class.append(ref_rows or z is not Zygosity.REF)
    rows = None if all(keep_class) else np.flatnonzero(np.array(keep_class)[inverse])  # the samples written
    if rows is not None and not len(rows):
        return b""
    if rows is None:
        if "cells" not in m.memo:  # PS GQ DP FT: the same for every ALT allele of the record
            m.memo["cells"] = _cell_columns(m)
        cells = m.memo["cells"]
    else:  # those of the rows written only: the numeric fields are parsed for these samples alone
        cells = _cell_columns(m.subset(rows))
    head_b = np.frombuffer(head.encode() + b"\t", dtype=np.uint8)
    (names, names_words), tails_words = _names(m.samples), _as_words(_padded(tails))
    out = []
    total = n if rows is None else len(rows)
    for a in range(0, total, TEXT_ROWS):  # in slices of samples: the padded matrix and its mask stay small
        b = min(total, a + TEXT_ROWS)
        pick = slice(a, b) if rows is None else rows[a:b]
        mat = np.concatenate([np.broadcast_to(head_b, (b - a, len(head_b))),
                              names[pick] if rows is None else _take_words(*names_words, pick),
                              _take_words(*tails_words, inverse[pick]), cells[a:b]], axis=1)
        flat = mat.ravel()
        out.append(flat[flat != 0].tobytes())
    return out[0] if len(out) == 1 else b"".join(out)
