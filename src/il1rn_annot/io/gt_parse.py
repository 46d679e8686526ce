"""Vectorised parse of the sample columns of one VCF line into a :class:`~il1rn_annot.gtmatrix.GenotypeMatrix`.

The line is htslib's own rendering of the record (``str(pysam_record)``, where every sample carries every
FORMAT field: htslib pads with ``.``) or, for wide records, the line as the file has it (raw-text mode,
:func:`il1rn_annot.io.vcf_in.open_vcf`): a line whose samples do not all carry every field is refused here,
and htslib then parses it.  Tabs and colons are located with numpy once; GT strings of the
common shapes (``a/b``, ``a|b`` with single-digit alleles, haploid ``a``) are decoded as arrays, anything
else (multi-digit alleles, polyploid) sample by sample.  Integer fields are decoded digit-column by
digit-column; Float fields through numpy's bytes->float conversion, rounded to float32 as htslib stores
them.  Numeric fields (PS/GQ/DP/CN) are parsed when first read (:class:`~il1rn_annot.gtmatrix.LazyFields`);
a cell the vectorised parsers refuse is read cell by cell.  Returns None when the line is not in the
expected shape; the caller then reads the samples through pysam one by one (the slow, always-correct path).
"""

from __future__ import annotations

import numpy as np

from ..gtmatrix import ABSENT, MISSING, NUMERIC_KEYS, GenotypeMatrix, LazyFields, _Picked

TAB, COLON, COMMA, DOT, SLASH, PIPE = 9, 58, 44, 46, 47, 124
# FORMAT keys kept whole in SampleCall.extra (io.vcf_in.REPEAT_FORMAT_KEYS): such records take the per-sample path
SCALAR_ONLY_KEYS = ("REPCN", "AL")


def format_types(header) -> dict[str, str]:
    """FORMAT key -> declared Type, from a pysam header."""
    return {k: v.type for k, v in header.formats.items()}


def parse_line(line: bytes, samples: tuple[str, ...], types: dict[str, str],
               source: str | None = None) -> GenotypeMatrix | None:
    """``source``: the input file's name, for the error a numeric FORMAT value that is not a number raises
    (read as the file has it, a line was not checked by htslib: see io/vcf_in.open_vcf, raw-text mode)."""
    n = len(samples)
    if n == 0:
        return None
    arr = np.frombuffer(line, dtype=np.uint8)
    if len(arr) and arr[-1] == 10:
        arr = arr[:-1]
    p = t8 = -1
    for _ in range(9):  # the tabs of the first 9 columns, found in the text (they are short)
        t8, p = p, line.find(b"\t", p + 1)
        if p < 0:
            return None
    keys = line[t8 + 1:p].decode().split(":")
    if keys[0] != "GT" or any(k in SCALAR_ONLY_KEYS for k in keys):
        return None
    nk = len(keys)
    # the separators of the sample columns in one pass: each sample is nk-1 colons then a tab (none after
    # the last).  One nonzero over the line (not one for tabs, one for colons): it is most of the cost.
    s0 = p + 1
    region = arr[s0:]
    tab = region == TAB
    sep = tab | (region == COLON) if nk > 1 else tab
    seps = np.flatnonzero(sep)
    if len(seps) != n * nk - 1:
        return None
    cuts = np.append(seps, len(region)).reshape(n, nk)  # per sample: its nk-1 colons, then where it ends
    if np.count_nonzero(tab) != n - 1 or not tab[cuts[:-1, -1]].all():  # the tabs are where samples end
        return None
    cuts += s0
    ends = cuts[:, -1]
    starts = np.empty(n, dtype=ends.dtype)
    starts[0] = s0
    starts[1:] = ends[:-1] + 1
    grid = cuts[:, :-1] if nk > 1 else None

    def field(j: int) -> tuple[np.ndarray, np.ndarray]:
        a = starts if j == 0 else grid[:, j - 1] + 1
        b = ends if j == nk - 1 else grid[:, j]
        return a, b

    gt = _parse_gt(arr, *field(0))
    if gt is None:
        return None
    alleles, phased = gt
    todo = {}
    integer = set()
    ft = None
    for j, k in enumerate(keys):
        if k in NUMERIC_KEYS:
            t = types.get(k, "String")
            todo[k] = _Pending(arr, *field(j), t, k, samples, source)  # parsed when first read (LazyFields)
            if t == "Integer":
                integer.add(k)
        elif k == "FT":
            raw = bytes(arr)
            fa, fb = field(j)
            ft = tuple(raw[a:b].decode() for a, b in zip(fa.tolist(), fb.tolist()))  # "." stays "." as in pysam
    pending = arr.nbytes + (grid.nbytes if grid is not None else 0) + starts.nbytes + ends.nbytes if todo else 0
    return GenotypeMatrix(samples=samples, alleles=alleles, phased=phased,
                          values=LazyFields(todo=todo, pending_bytes=pending), integer=frozenset(integer), ft=ft)


class _Pending:
    """A numeric FORMAT field not parsed yet: the line and its cells' bounds.  Called: the field of every
    sample; :meth:`subset`: of some samples only (a cohort's carriers of an allele)."""

    __slots__ = ("arr", "s", "e", "typ", "key", "samples", "source")

    def __init__(self, arr, s, e, typ: str, key: str, samples, source):
        self.arr, self.s, self.e, self.typ = arr, s, e, typ
        self.key, self.samples, self.source = key, samples, source

    def __call__(self) -> np.ndarray:
        return _parse_field(self.arr, self.s, self.e, self.typ, where=(self.key, self.samples, self.source))

    def subset(self, index: np.ndarray) -> np.ndarray:
        return _parse_field(self.arr, self.s[index], self.e[index], self.typ,
                            where=(self.key, _Picked(self.samples, index), self.source))


def _parse_field(arr: np.ndarray, s: np.ndarray, e: np.ndarray, typ: str, where=None) -> np.ndarray:
    """A numeric FORMAT field as float64 (NaN = missing): vectorised, else cell by cell as the per-sample
    path reads it through pysam (the first of several values).  A value that is not a number is an
    InputError when the header declares the field Integer or Float (htslib refuses such a record), missing
    when it declares it String.  ``where``: (FORMAT key, sample names, input file) for that error."""
    v = _parse_number(arr, s, e, typ)
    if v is not None:
        return v
    raw = bytes(arr)
    out = np.full(len(s), np.nan)
    conv = int if typ == "Integer" else float
    for i, (a, b) in enumerate(zip(s.tolist(), e.tolist())):
        cell = raw[a:b].split(b",")[0]
        if cell in (b"", b"."):
            continue
        try:
            x = conv(cell)
        except ValueError:
            if typ in ("Integer", "Float") and where is not None:
                raise _not_a_number(raw, cell, typ, i, where) from None
            continue
        out[i] = float(np.float32(x)) if typ == "Float" else x
    return out


def _not_a_number(line: bytes, cell: bytes, typ: str, i: int, where) -> Exception:
    from ..errors import InputError

    key, samples, source = where
    record = ":".join(x.decode(errors="replace") for x in line.split(b"\t", 2)[:2])
    return InputError(f"FORMAT/{key} of sample {samples[i]} is {cell.decode(errors='replace')!r}, not "
                      f"{'an integer' if typ == 'Integer' else 'a number'} (the header declares Type={typ})",
                      file=source, record=record, fix=f"correct the value, or declare FORMAT/{key} with the type it has")


def _parse_gt(arr: np.ndarray, s: np.ndarray, e: np.ndarray):
    n = len(s)
    w = e - s
    c0 = arr[np.minimum(s, len(arr) - 1)]  # (an empty last cell starts where the line ends)
    c1 = arr[np.minimum(s + 1, len(arr) - 1)]
    c2 = arr[np.minimum(s + 2, len(arr) - 1)]
    isdig = lambda c: (c >= 48) & (c <= 57)  # noqa: E731
    dip = (w == 3) & (isdig(c0) | (c0 == DOT)) & ((c1 == SLASH) | (c1 == PIPE)) & (isdig(c2) | (c2 == DOT))
    hap = (w == 1) & (isdig(c0) | (c0 == DOT))
    a0 = np.where(c0 == DOT, MISSING, c0.astype(np.int16) - 48)
    if dip.all():  # every call one-digit diploid (most cohort records): no masks
        a2 = np.where(c2 == DOT, MISSING, c2.astype(np.int16) - 48)
        return np.stack((a0, a2), axis=1), c1 == PIPE
    ploidy = 2 if not np.all(hap) else 1
    other = ~(dip | hap)
    if np.any(other):
        ploidy = max(ploidy, 2)
    alleles = np.full((n, ploidy), ABSENT, dtype=np.int16)
    phased = np.ones(n, dtype=bool)
    if ploidy == 2:  # (every call haploid: no second column)
        a2 = np.where(c2 == DOT, MISSING, c2.astype(np.int16) - 48)
        alleles[dip, 0] = a0[dip]
        alleles[dip, 1] = a2[dip]
        phased[dip] = c1[dip] == PIPE
    alleles[hap, 0] = a0[hap]
    if np.any(other):
        raw = bytes(arr)
        idx = np.flatnonzero(other)
        parsed = []
        for i in idx.tolist():
            text = raw[s[i]:e[i]].decode()
            if text == "":
                return None
            parts, seps, cur = [], [], ""
            for ch in text:
                if ch in "/|":
                    parts.append(cur)
                    seps.append(ch)
                    cur = ""
                else:
                    cur += ch
            parts.append(cur)
            try:
                vals = [MISSING if p == "." else int(p) for p in parts]
            except ValueError:
                return None
            if any(v > 32000 or v < MISSING for v in vals):
                return None
            parsed.append((i, vals, all(c == "|" for c in seps)))
        width = max(len(v) for _, v, _ in parsed)
        if width > alleles.shape[1]:
            alleles = np.concatenate([alleles, np.full((n, width - alleles.shape[1]), ABSENT, np.int16)], axis=1)
        for i, vals, ph in parsed:
            alleles[i, :len(vals)] = vals
            phased[i] = ph
    return alleles, phased


def _parse_number(arr: np.ndarray, s: np.ndarray, e: np.ndarray, typ: str) -> np.ndarray | None:
    if typ == "Integer":
        v = _parse_uint(arr, s, e)
        if v is not None:
            return v
    return _parse_number_general(arr, s, e, typ)


def _parse_uint(arr: np.ndarray, s: np.ndarray, e: np.ndarray) -> np.ndarray | None:
    """Fast path: every cell is digits (at most 9) or '.': read digit column by digit column, each a gather
    of one byte per sample (``byte - 48`` as uint8 wraps every non-digit above 9).  None when any cell has
    anything else (sign, comma, ...)."""
    w = e - s
    width = int(w.max(initial=0))
    if width == 0 or width > 9:  # from here the line has a byte, so `last` below is an index
        return None
    last = len(arr) - 1
    first = arr[np.minimum(s, last)]
    missing = (w == 0) | ((w == 1) & (first == DOT))
    d = first - np.uint8(48)
    if np.any((d > 9) & ~missing):
        return None
    val = d.astype(np.int64)
    for k in range(1, width):
        d = arr[np.minimum(s + k, last)] - np.uint8(48)
        inside = w > k  # a missing cell is at most one byte wide: never inside from here on
        if np.any((d > 9) & inside):
            return None
        val = np.where(inside, val * 10 + d, val)
    out = val.astype(np.float64)
    out[missing] = np.nan
    return out


def _parse_number_general(arr: np.ndarray, s: np.ndarray, e: np.ndarray, typ: str) -> np.ndarray | None:
    n = len(s)
    w = e - s
    width = int(w.max(initial=0))
    if width == 0:
        return np.full(n, np.nan)
    if width > 24:
        return None
    cols = s[:, None] + np.arange(width)[None, :]
    inside = np.arange(width)[None, :] < w[:, None]
    mat = np.where(inside, arr[np.minimum(cols, len(arr) - 1)], 0).astype(np.uint8)
    comma = mat == COMMA  # Number>1: the first value (as io.vcf_in._first)
    if comma.any():
        after = np.cumsum(comma, axis=1) > 0
        mat[after] = 0
        inside &= ~after
    missing = (mat[:, 0] == DOT) & ((mat[:, 1] == 0) if width > 1 else True) | (mat[:, 0] == 0)
    digit = (mat >= 48) & (mat <= 57)
    if typ == "Integer" and np.all(digit | ~inside | missing[:, None]):
        val = np.zeros(n, dtype=np.float64)
        for c in range(width):
            d = digit[:, c]
            val = np.where(d, val * 10 + (mat[:, c] - 48), val)
        val[missing] = np.nan
        return val
    if typ == "Integer":
        neg = mat[:, 0] == 45
        if np.all(digit[:, 1:] | ~inside[:, 1:] | missing[:, None]) and np.all(digit[:, 0] | neg | missing):
            val = np.zeros(n, dtype=np.float64)
            for c in range(width):
                d = digit[:, c]
                val = np.where(d, val * 10 + (mat[:, c] - 48), val)
            val = np.where(neg, -val, val)
            val[missing] = np.nan
            return val
        return None
    if typ != "Float":
        return None
    text = np.ascontiguousarray(mat).view(f"S{width}").ravel().copy()
    text[missing] = b"nan"
    try:
        val = text.astype(np.float64)
    except ValueError:
        return None
    return val.astype(np.float32).astype(np.float64)
