"""One record's genotypes from htslib, as a :class:`~il1rn_annot.variants.genotypes.GenotypeMatrix`.

cyvcf2 hands htslib's arrays to numpy without a Python object per sample (``genotype.array()``, ``format()``);
this module only maps them onto the matrix: missing values become NaN, and a quality field declared with
the wrong type (``GQ`` as ``Type=String``, or not declared, which htslib reads as a string) is read as a
number where its text is one.  What was read that way is reported once per run through ``notes``.
"""

from __future__ import annotations

import numpy as np

from il1rn_annot.variants.genotypes import ABSENT, MISSING, QUALITY_KEYS, GenotypeMatrix

INT32_MISSING = -2147483648  # bcf_int32_missing
INT32_VECTOR_END = -2147483647  # bcf_int32_vector_end
REPEAT_KEYS = ("REPCN", "AL", "MC")  # repeat genotypers (ExpansionHunter; TRGT lengths, motif counts): for the VNTR
PHASE_KEYS = ("PSL",)  # VCF 4.4/4.5 phase-set list (one phase set per allele of GT): kept for DIRA phasing


def _numeric(raw: np.ndarray) -> tuple[np.ndarray, bool]:
    """(first value of each sample as float64 with NaN for missing, whether every given value is whole)."""
    if raw.dtype.kind in "iu":
        first = raw[:, 0].astype(np.float64) if raw.ndim == 2 else raw.astype(np.float64)
        first[(first == INT32_MISSING) | (first == INT32_VECTOR_END)] = np.nan
        return first, True
    if raw.dtype.kind == "f":
        first = raw[:, 0] if raw.ndim == 2 else raw
        return first.astype(np.float64), False
    # text (a field declared Type=String, or not declared at all): numbers where the text is one
    texts = raw[:, 0] if raw.ndim == 2 else raw
    out = np.full(len(texts), np.nan)
    whole = True
    for i, t in enumerate(texts.tolist()):
        t = t.decode("utf-8", "replace") if isinstance(t, bytes) else str(t)
        t = t.split(",", 1)[0]
        try:
            v = float(t)
        except ValueError:
            continue
        if v == v:
            out[i] = v
            whole = whole and v.is_integer()
    return out, whole


def _text_or_none(value) -> str | None:
    s = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return None if s in ("", ".") else s


def genotype_matrix(variant, samples: tuple[str, ...], format_types: dict[str, str], notes: set[str]) -> GenotypeMatrix:
    """The matrix of one cyvcf2 ``Variant`` (``samples``: the file's sample names, in column order).

    ``format_types``: FORMAT key -> declared Type (as the header says; absent when not declared).
    ``notes`` collects one line per quality field that had to be read from text."""
    n = len(samples)
    if not n:
        return GenotypeMatrix.empty()
    fmt = set(variant.FORMAT or ())
    if "GT" in fmt:
        arr = variant.genotype.array()
        alleles = arr[:, :-1].astype(np.int16)
        phased = arr[:, -1].astype(bool)
        # cyvcf2 writes vector ends as -2 and missing as -1, which are our ABSENT / MISSING codes
        assert ABSENT == -2 and MISSING == -1
    else:
        alleles = np.full((n, 1), MISSING, dtype=np.int16)
        phased = np.zeros(n, dtype=bool)
    values: dict[str, np.ndarray] = {}
    integer: set[str] = set()
    for key in QUALITY_KEYS:
        if key not in fmt:
            continue
        raw = variant.format(key)
        if raw is None:
            continue
        vals, whole = _numeric(raw)
        values[key] = vals
        declared = format_types.get(key)
        if raw.dtype.kind in "iu" or (declared is None and whole and key in ("GQ", "DP", "PS")):
            integer.add(key)
        if raw.dtype.kind not in "iuf":
            notes.add(f"FORMAT/{key} is {'not declared' if declared is None else f'declared Type={declared}'} in "
                      "the header: its values were read as numbers where the text is a number")
    ft = None
    if "FT" in fmt:
        raw = variant.format("FT")
        if raw is not None:
            ft = tuple(_text_or_none(x) for x in (raw.ravel() if raw.ndim else [raw]).tolist())[:n]
    extra: dict[str, tuple] = {}
    for key in REPEAT_KEYS + PHASE_KEYS:
        if key in fmt:
            raw = variant.format(key)
            if raw is not None:
                extra[key] = tuple(_repeat_value(row) for row in raw)
    return GenotypeMatrix(samples=samples, alleles=alleles, phased=phased, values=values,
                          integer=frozenset(integer), ft=ft, extra=extra)


def _repeat_value(row) -> object:
    """A repeat genotyper's per-sample value as pysam gives it: text as str, numbers as a tuple (None missing)."""
    items = np.atleast_1d(row).tolist()
    if items and isinstance(items[0], (bytes, str)):
        text = _text_or_none(items[0])
        return tuple(text.split(",")) if text is not None and "," in text else text
    out = []
    for v in items:
        if v in (INT32_MISSING,) or (isinstance(v, float) and v != v):
            out.append(None)
        elif v == INT32_VECTOR_END:
            continue
        else:
            out.append(v)
    return tuple(out)
