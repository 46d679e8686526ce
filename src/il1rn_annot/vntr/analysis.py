"""The "vntr" sample-level analysis: registered with :mod:`il1rn_annot.analyses`, plus one per-allele
column (``VNTR_allele``) in the field registry.  Pure: takes the window's annotations, returns values.

VCF output:
* INFO ``IL1RN_VNTR_ALLELE`` (Number=A) on records with an allele in the VNTR: what each ALT is as a VNTR
  allele (``*2``, ``non_unit_change(-43bp)``, ``sequence_variant`` ...).
* INFO ``IL1RN_VNTR_TAG`` on records matched to a tag marker: ``rsID|matched_by|r2|usable-or-reason``.
* FORMAT ``IL1RN_VNTR`` (diplotype, or every candidate joined by ``|``), ``IL1RN_VNTR_METHOD``
  (direct/inferred/unknown), ``IL1RN_VNTR_CONF``, ``IL1RN_VNTR_STAR2`` (*2 copies or a range).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from ..analyses import Analysis, AnalysisResult, LazyPerSample, grouped_values, register, sample_index
from ..annotate import AlleleAnnotation, TranscriptAnnotation
from ..fields import Field, encode_info_value, register_fields
from ..frozen import replace
from ..model import GeneModel
from ..types import Record, Variant
from .definition import TagMarker, VntrDefinition, load_vntr_definition
from .direct import alt_haplotype, direct_calls, length_records, overlaps_vntr
from .summary import SampleVntr, cohort_summary, combine
from .tags import MarkerMatch, infer_all, match_markers

INFO_DEFS = (
    ("IL1RN_VNTR_ALLELE", "A", "String",
     "IL1RN intron-2 86-bp VNTR (rs2234663): each ALT as a VNTR allele (*1..*5 = 4,2,5,3,6 copies; "
     "unnamed(N_copies); non_unit_change(+-Nbp); beyond_vntr; unknown_length; sequence_variant) by il1rn_annot"),
    ("IL1RN_VNTR_TAG", "1", "String",
     "IL1RN VNTR tag marker typed at this record: rsID|matched_by(position/rsid)|r2 (NA = none published)|usable or why not (percent-encoded)"),
)
FORMAT_DEFS = (
    ("IL1RN_VNTR", "1", "String", "IL1RN VNTR diplotype (e.g. IL1RN*1/*2); several candidates joined by '|'; '.' = unknown"),
    ("IL1RN_VNTR_METHOD", "1", "String", "how the IL1RN VNTR diplotype was obtained: direct, inferred (tag SNPs) or unknown"),
    ("IL1RN_VNTR_CONF", "1", "String",
     "confidence: high (absolute repeat count), medium (length change vs the inferred reference), "
     "moderate/low (tag r2>=0.8 / >=0.5)"),
    ("IL1RN_VNTR_STAR2", "1", "String", "copies of IL1RN*2 (0, 1, 2) or a range such as 0-2 when uncertain"),
)


def vntr_records(annotations: list[AlleleAnnotation]) -> list[tuple[Record, list[Variant]]]:
    """Unique records of the window, in input order, each with its split alleles."""
    by_index: dict[int, tuple[Record, list[Variant]]] = {}
    for a in annotations:
        by_index.setdefault(a.record.index, (a.record, []))[1].append(a.variant)
    return [by_index[i] for i in sorted(by_index)]


class GroupedResults(Mapping):
    """``{sample: SampleVntr}`` for a cohort: samples with the same genotypes (alleles, phasing, PS) at every
    record the VNTR calls read have the same result, computed once per group; each sample's own
    :class:`SampleVntr` (with its name) is made when asked for."""

    __slots__ = ("samples", "index", "results", "inverse")

    def __init__(self, samples: tuple[str, ...], results: list[SampleVntr], inverse):
        self.samples, self.results, self.inverse = samples, results, inverse
        self.index = sample_index(samples)

    def group_of(self, i: int) -> SampleVntr:
        """The result of sample ``i`` (named after the first sample of its group)."""
        return self.results[self.inverse[i]]

    def groups(self) -> list[tuple[SampleVntr, int]]:
        """(result, number of samples) per group."""
        counts = Counter(self.inverse.tolist() if hasattr(self.inverse, "tolist") else self.inverse)
        return [(r, counts.get(k, 0)) for k, r in enumerate(self.results)]

    def __getitem__(self, sample: str) -> SampleVntr:
        return replace(self.group_of(self.index[sample]), sample=sample)

    def __iter__(self):
        return iter(self.samples)

    def __len__(self) -> int:
        return len(self.samples)


def _sample_groups(records: list[Record]):
    """(first sample of each group, group of every sample) over the genotypes of ``records``, or None when a
    record's genotypes are not columnar."""
    from ..types import matrix_of

    mats = [matrix_of(r.calls) for r in records]
    if not mats or any(m is None for m in mats):
        return None
    import numpy as np

    cols = []
    for m in mats:
        cols.append(m.classes()[1])
        ps = m.values.get("PS")
        if ps is not None:
            cols.append(np.where(np.isnan(ps), -1, ps).astype(np.int64))
    _, first, inverse = np.unique(np.column_stack(cols), axis=0, return_index=True, return_inverse=True)
    return first.tolist(), inverse.ravel()


def vntr_results(annotations: list[AlleleAnnotation], samples: tuple[str, ...], defn: VntrDefinition,
                 markers: tuple[TagMarker, ...] | None = None) -> tuple[Mapping[str, SampleVntr], dict[str, MarkerMatch]]:
    records = vntr_records(annotations)
    matched = match_markers([r for r, _ in records], defn, markers)
    involved = {id(r): r for r, _ in length_records(records, defn)}
    involved.update({id(m.record): m.record for m in matched[0].values()})
    groups = _sample_groups(list(involved.values())) if len(samples) >= 8 else None
    if groups is None and involved:
        direct = direct_calls(records, samples, defn)
        inferred, matches = infer_all([r for r, _ in records], samples, defn, markers, matched=matched)
        return {s: combine(s, direct.get(s), inferred[s]) for s in samples}, matches
    # no record to read: one group (a list, so that a single-sample run does not import numpy)
    first, inverse = groups if groups is not None else ([0] if samples else [], [0] * len(samples))
    direct = direct_calls(records, samples, defn, only=first)
    inferred, matches = infer_all([r for r, _ in records], samples, defn, markers, only=first, matched=matched)
    reps = [combine(samples[i], direct.get(samples[i]), inferred[samples[i]]) for i in first]
    return GroupedResults(samples, reps, inverse), matches


def allele_label(rec: Record, v: Variant, defn: VntrDefinition) -> str:
    if not overlaps_vntr(v, defn):
        return ""
    h = alt_haplotype(rec, v, defn)
    return h.label if h is not None else "sequence_variant"


def _tag_info(match: MarkerMatch) -> str:
    m = match.marker
    reason = m.unusable_reason()
    r2 = f"{m.r2:g}" if m.r2 is not None else "NA"
    return f"{m.rsid}|{match.matched_by}|{r2}|" + ("usable" if not reason else encode_info_value(reason))


def run(annotations: list[AlleleAnnotation], samples: tuple[str, ...], model: GeneModel, options: dict) -> AnalysisResult:
    defn = load_vntr_definition(model.build.name)
    results, matches = vntr_results(annotations, samples, defn, options.get("vntr_tag_markers"))
    tag_table = (options.get("vntr_tag_table") or "user-supplied markers") if options.get("vntr_tag_markers") \
        else next(x for x in defn.provenance if x.startswith("vntr_tag_snps"))
    res = AnalysisResult("vntr", info_defs=list(INFO_DEFS), format_defs=list(FORMAT_DEFS))
    for rec, variants in vntr_records(annotations):
        labels = [allele_label(rec, v, defn) for v in variants]
        if any(labels):
            res.info.setdefault(rec.index, {})["IL1RN_VNTR_ALLELE"] = tuple(x or "." for x in labels)
    for match in matches.values():
        res.info.setdefault(match.record.index, {})["IL1RN_VNTR_TAG"] = _tag_info(match)
    grouped = isinstance(results, GroupedResults)
    reps = results.results if grouped else [results[s] for s in samples]
    columns = {"IL1RN_VNTR": [("|".join(r.candidates) if r.candidates else ".") for r in reps],
               "IL1RN_VNTR_METHOD": [r.method for r in reps],
               "IL1RN_VNTR_CONF": [r.confidence or "." for r in reps],
               "IL1RN_VNTR_STAR2": [r.star2_copies for r in reps]}
    if grouped:  # one value per group of samples
        res.format = {k: grouped_values(samples, results.inverse, v) for k, v in columns.items()}
        sections: dict[int, dict] = {}  # one JSON section per group (it does not name the sample)

        def section(i: int) -> dict:
            k = int(results.inverse[i])
            if k not in sections:
                sections[k] = {"vntr": results.results[k].to_json()}
            return sections[k]

        res.per_sample = LazyPerSample(samples, section)
    else:
        res.format = {k: dict(zip(samples, v)) for k, v in columns.items()}
        res.per_sample = {s: {"vntr": r.to_json()} for s, r in zip(samples, reps)}
    res.cohort = cohort_summary(results, defn, matches, options.get("vntr_tag_markers"))
    res.cohort["tag_table"] = tag_table
    return res


register(Analysis("vntr", run, INFO_DEFS, FORMAT_DEFS))


def _field_allele(a: AlleleAnnotation, t: TranscriptAnnotation | None) -> str:
    if t is None or not t.location.in_vntr:
        return ""
    for build in ("GRCh38", "GRCh37"):  # the two builds' intervals are 757 kb apart: at most one overlaps
        defn = load_vntr_definition(build)
        if overlaps_vntr(a.variant, defn):
            return allele_label(a.record, a.variant, defn)
    return ""


register_fields("vntr", [
    Field("VNTR_allele", "this ALT as an IL1RN intron-2 VNTR allele (*1..*5, unnamed(N_copies), "
          "non_unit_change(+-Nbp), beyond_vntr, unknown_length, sequence_variant); empty outside the VNTR",
          _field_allele),
])
