"""A per-sample view of a run, shared by the JSON reports, the per-sample table and the HTML report (pure).

For each sample: the alleles it carries (or whose call is missing — "not observed" is never silently
"reference"), each with its genotype and its placement on every transcript, and the analyses' per-sample
sections (DIRA verdicts, VNTR diplotypes ... whatever analyses ran).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .annotate import AlleleAnnotation, TranscriptAnnotation
from .fields import all_fields
from .frozen import frozen
from .genotype import Zygosity, zygosity
from .types import SampleCall, matrix_of
from .coords import start_to_vcf_pos

# fields that describe the allele, not its placement on one transcript (kept once per variant)
ALLELE_LEVEL_FIELDS = frozenset({"Allele", "ALLELE_NUM", "Variant_type", "Norm_pos", "Norm_ref", "Norm_alt", "Note"})
CARRIED = frozenset({Zygosity.HOM_ALT, Zygosity.HET, Zygosity.HET_OTHER_ALT, Zygosity.HEMIZYGOUS})
UNCERTAIN = frozenset({Zygosity.HALF_CALL, Zygosity.MISSING})
LISTED = CARRIED | UNCERTAIN  # the alleles a sample's report lists


class SampleTallies:
    """Per sample, summed over alleles: alleles carried and calls that could not be made (missing or half),
    the first columns of the per-sample table.  Filled while each record's columnar genotypes are parsed
    (the api calls :meth:`add`), so that the table needs no second pass over a cohort's genotypes.  Alleles
    whose calls are not columnar are not added here; the table counts those itself (``counted``)."""

    def __init__(self, n: int):
        import numpy as np

        from .gtmatrix import _ZYG

        self.carried = np.zeros(n, dtype=np.int64)
        self.uncertain = np.zeros(n, dtype=np.int64)
        self._masks = [np.array([z in group for z in _ZYG]) for group in (CARRIED, UNCERTAIN)]
        self.counted: set[int] = set()  # id() of the AlleleAnnotations added (the run keeps them alive)

    def add(self, a: AlleleAnnotation) -> bool:
        m = matrix_of(a.record.calls)
        if m is None or len(m) != len(self.carried) or id(a) in self.counted:
            return False
        codes = m.zygosity_codes(a.variant.allele_index)
        self.carried += self._masks[0][codes]
        self.uncertain += self._masks[1][codes]
        self.counted.add(id(a))
        return True


def jsonable(value: object) -> object:
    """Plain JSON values: enums by value, tuples/sets as lists, dataclasses/other objects as strings."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if hasattr(value, "value") and isinstance(getattr(value, "value"), (str, int)):
        return value.value  # Enum
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    return str(value)


_NESTED = (dict, list, tuple, set, frozenset)  # what jsonable turns into a dict or a list


def flatten(prefix: str, value: object, out: dict[str, object]) -> None:
    """Flatten ``jsonable(value)`` into ``out`` under ``prefix``, as the per-sample table shows a section
    (nested dicts as ``prefix.key``, lists of scalars joined with ``;``, bools as yes/no).  A list holding
    dicts or lists is left out before it is converted (the JSON report has it; a cohort's per-sample hit
    lists are long)."""
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(f"{prefix}.{k}", v, out)
    elif isinstance(value, (list, tuple, set, frozenset)):
        if not any(isinstance(v, _NESTED) for v in value):
            out[prefix] = ";".join("" if v is None else str(v) for v in jsonable(value))
    else:
        value = jsonable(value)
        out[prefix] = ("yes" if value else "no") if isinstance(value, bool) else value


def placement(a: AlleleAnnotation, t: TranscriptAnnotation) -> dict:
    """Every registered field for one allele x transcript row, except the allele-level ones."""
    return {f.name: jsonable(f.get(a, t)) for f in all_fields() if f.name not in ALLELE_LEVEL_FIELDS}


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


@frozen
class SampleAllele:
    """One allele as one sample carries it: the annotation, the call and its zygosity."""
    annotation: AlleleAnnotation
    call: SampleCall
    zygosity: Zygosity


def sample_alleles(annotations: Iterable[AlleleAnnotation], sample_index: int) -> list[SampleAllele]:
    """The alleles a sample carries or whose call is missing/half-called, in file order."""
    out = []
    for a in annotations:
        calls = a.record.calls
        if sample_index >= len(calls):
            continue
        c = calls[sample_index]
        z = zygosity(c, a.variant.allele_index)
        if z in LISTED:
            out.append(SampleAllele(a, c, z))
    return out


def alleles_by_sample(annotations: list[AlleleAnnotation], n_samples: int, chunk: int = 256) -> Iterator[list[SampleAllele]]:
    """``sample_alleles(annotations, i)`` for i = 0 .. n_samples - 1, in one pass: each allele's carriers and
    missing/half calls are found once (vectorised over columnar genotypes), not once per sample; the
    SampleCall objects are made allele by allele for ``chunk`` samples at a time (each record's genotypes
    are loaded once per chunk, and memory holds one chunk's calls)."""
    import numpy as np

    from .gtmatrix import _ZYG

    wanted = np.array([z in LISTED for z in _ZYG])
    found: list[tuple[np.ndarray, np.ndarray]] = []  # per allele: sample indices (sorted), their Zygosity codes
    for a in annotations:
        m = matrix_of(a.record.calls)
        if m is not None and len(m) == n_samples:
            codes = m.zygosity_codes(a.variant.allele_index)
            idx = np.flatnonzero(wanted[codes])
            found.append((idx, codes[idx]))
            continue
        calls, ai = a.record.calls, a.variant.allele_index
        zs = [(i, _ZYG.index(zygosity(calls[i], ai))) for i in range(min(n_samples, len(calls)))]
        zs = [(i, z) for i, z in zs if wanted[z]]
        found.append((np.array([i for i, _ in zs], dtype=np.int64), np.array([z for _, z in zs], dtype=np.int8)))
    order = list(zip(annotations, found))
    for c, lo in enumerate(range(0, n_samples, chunk)):
        hi = min(n_samples, lo + chunk)
        per_sample: list[list[SampleAllele]] = [[] for _ in range(lo, hi)]
        # every other chunk walks the records backwards: the genotypes the last chunk loaded last are still
        # in the spool's cache (a cyclic walk would find each evicted just before it is asked for again)
        for a, (idx, codes) in order if c % 2 == 0 else reversed(order):
            first, last = np.searchsorted(idx, (lo, hi))
            if first == last:
                continue
            m = matrix_of(a.record.calls)
            call = m.call if m is not None and len(m) == n_samples else a.record.calls.__getitem__
            for i, z in zip(idx[first:last].tolist(), codes[first:last].tolist()):
                per_sample[i - lo].append(SampleAllele(a, call(i), _ZYG[z]))
        for alleles in per_sample:
            yield alleles if c % 2 == 0 else alleles[::-1]  # each sample's list in file order


def mane_placement(a: AlleleAnnotation) -> TranscriptAnnotation | None:
    return next((t for t in a.transcripts if t.location.transcript.mane_select), None)


def analysis_sections(results, sample: str) -> dict[str, dict]:
    """``{analysis name: its per-sample dict}`` for every analysis that reported on ``sample``."""
    return {r.name: jsonable(r.per_sample[sample]) for r in results if sample in r.per_sample}
