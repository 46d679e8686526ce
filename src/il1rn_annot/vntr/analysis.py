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
from dataclasses import replace

import numpy as np

from il1rn_annot.analyses import AnalysisResult, LazyPerSample
from il1rn_annot.columns import encode_info_value
from il1rn_annot.consequence.annotate import AlleleAnnotation
from il1rn_annot.model.gene_model import GeneModel
from il1rn_annot.types import Variant
from il1rn_annot.variants.record import Record
from il1rn_annot.vntr.cohort import cohort_tables_section
from il1rn_annot.vntr.definition import TagMarker, VntrDefinition, load_vntr_definition
from il1rn_annot.vntr.direct import (
    alt_haplotype,
    direct_calls,
    length_records,
    overlaps_vntr,
)
from il1rn_annot.vntr.reads import ReadLocus, ReadsCall, ReadsEvidence, infer_from_reads
from il1rn_annot.vntr.summary import SampleVntr, cohort_summary, combine
from il1rn_annot.vntr.tags import (
    MIN_TAG_DEPTH,
    MarkerMatch,
    TagInference,
    infer_all,
    marker_confidence,
    match_markers,
)

INFO_DEFS = (
    ("IL1RN_VNTR_ALLELE", "A", "String",
     "IL1RN intron-2 86-bp VNTR (rs2234663): each ALT as a VNTR allele (*1..*5 = 4,2,5,3,6 copies; "
     "unnamed(N_copies); non_unit_change(+-Nbp); beyond_vntr; unknown_length; sequence_variant) by il1rn_annot"),
    ("IL1RN_VNTR_TAG", "1", "String",
     "IL1RN VNTR tag marker typed at this record: rsID or name|matched_by(position/rsid)|r2 (NA = none published)|"
     "usable:confidence; concordance; caveat, or why not usable (percent-encoded)"),
)
FORMAT_DEFS = (
    ("IL1RN_VNTR", "1", "String", "IL1RN VNTR diplotype (e.g. IL1RN*1/*2); several candidates joined by '|'; '.' = unknown"),
    ("IL1RN_VNTR_METHOD", "1", "String", "how the IL1RN VNTR diplotype was obtained: direct (VCF repeat/length "
     "records), long_reads (measured from spanning long reads), inferred (tag SNPs) or unknown"),
    ("IL1RN_VNTR_CONF", "1", "String",
     "confidence: high (absolute repeat count; long reads: >=5 reads per allele), medium (length change vs the "
     "reference; long reads: >=3 reads per allele), low, moderate/low (tags: stated level or r2>=0.8 / >=0.5)"),
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
        self.index = {s: i for i, s in enumerate(samples)}

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


def _sample_groups(records: list[Record]) -> tuple[list[int], np.ndarray]:
    """(first sample of each group, group of every sample) over the genotypes (alleles, phasing, PS, DP
    below the tag minimum or not stated, repeat genotypers' REPCN/AL/MC) of
    ``records``; samples with equal genotypes at every record the VNTR calls read get one result."""
    cols = []
    for r in records:
        cols.append(r.calls.classes()[1])
        ps = r.calls.values.get("PS")
        if ps is not None:
            cols.append(np.where(np.isnan(ps), -1, ps).astype(np.int64))
        dp = r.calls.values.get("DP")
        if dp is not None:  # a tag call below the depth minimum is not used; without DP it is, with a note
            cols.append(np.where(np.isnan(dp), -1, dp < MIN_TAG_DEPTH).astype(np.int64))
        for values in r.calls.extra.values():  # repeat genotypers' per-sample counts (REPCN, AL, MC)
            codes: dict[str, int] = {}
            cols.append(np.array([codes.setdefault(repr(v), len(codes)) for v in values], dtype=np.int64))
    _, first, inverse = np.unique(np.column_stack(cols), axis=0, return_index=True, return_inverse=True)
    return first.tolist(), inverse.ravel()


def vntr_results(annotations: list[AlleleAnnotation], samples: tuple[str, ...], defn: VntrDefinition,
                 markers: tuple[TagMarker, ...] | None = None, reads: Mapping[str, ReadsCall] | None = None,
                 reads_only_samples: bool = False) -> tuple[GroupedResults, dict[str, MarkerMatch]]:
    """Every sample's result.  ``reads``: the read-based calls by sample (those samples are answered one by
    one, with their VCF evidence too); ``reads_only_samples``: also answer the samples of ``reads`` that are
    not in ``samples`` (the ``vntr``/``cohort`` commands; an annotated VCF keeps its own samples)."""
    records = vntr_records(annotations)
    matched = match_markers([r for r, _ in records], defn, markers)
    involved = {id(r): r for r, _ in length_records(records, defn)}
    involved.update({id(m.record): m.record for m in matched[0].values()})
    if involved and samples:
        first, inverse = _sample_groups(list(involved.values()))
    else:  # no record to read: every sample alike
        first, inverse = ([0] if samples else []), np.zeros(len(samples), dtype=np.int64)
    direct = direct_calls(records, samples, defn, only=first)
    inferred, matches = infer_all([r for r, _ in records], samples, defn, markers, only=first, matched=matched)
    reps = [combine(samples[i], direct.get(samples[i]), inferred[samples[i]]) for i in first]
    if not reads:
        return GroupedResults(samples, reps, inverse), matches
    locus = ReadLocus.of(defn, markers)
    inverse = np.array(inverse, dtype=np.int64).copy()
    index = {s: i for i, s in enumerate(samples)}
    extra = []
    for sample, call in reads.items():
        i = index.get(sample)
        if i is None and not reads_only_samples:
            continue
        if i is not None:
            own_direct = direct_calls(records, samples, defn, only=[i]).get(sample)
            own_inferred = infer_all([r for r, _ in records], samples, defn, markers, only=[i], matched=matched)[0][sample]
        else:
            own_direct, own_inferred = None, TagInference(sample, "unknown", (), "", ())
        reps.append(combine(sample, own_direct, own_inferred, call, infer_from_reads(call, locus)))
        if i is None:
            extra.append(sample)
            inverse = np.append(inverse, len(reps) - 1)
        else:
            inverse[i] = len(reps) - 1
    return GroupedResults(tuple(samples) + tuple(extra), reps, inverse), matches


def allele_label(rec: Record, v: Variant, defn: VntrDefinition) -> str:
    if not overlaps_vntr(v, defn):
        return ""
    h = alt_haplotype(rec, v, defn)
    return h.label if h is not None else "sequence_variant"


def _tag_info(match: MarkerMatch) -> str:
    m = match.marker
    reason = m.unusable_reason()
    r2 = f"{m.r2:g}" if m.r2 is not None else "NA"
    if reason:
        return f"{m.rsid}|{match.matched_by}|{r2}|" + encode_info_value(reason)
    basis = "; ".join(x for x in (marker_confidence(m), m.evidence if m.r2 is None else "", m.caveat) if x)
    return f"{m.rsid}|{match.matched_by}|{r2}|usable:" + encode_info_value(basis)


def _relevant(a: AlleleAnnotation, defn: VntrDefinition, markers: tuple[TagMarker, ...]) -> bool:
    """Does the VNTR analysis read this allele's record: an allele in the VNTR, or a tag marker's site?"""
    rec = a.record
    if overlaps_vntr(a.variant, defn):
        return True
    ids = rec.id.split(";")
    return any(m.position(defn.build) == rec.pos or m.rsid in ids for m in markers)


class VntrAnalysis:
    """Per-sample IL1RN VNTR diplotype: measured (spanning long reads, VCF length/count records), inferred
    (tag markers in the VCF or the flank SNVs in the reads), or unknown."""

    name = "vntr"
    info_defs = INFO_DEFS
    format_defs = FORMAT_DEFS

    def __init__(self, model: GeneModel, samples: tuple[str, ...], markers: tuple[TagMarker, ...] | None = None,
                 tag_table: str = "", reads: ReadsEvidence | None = None,
                 populations: Mapping[str, str] | None = None):
        self.model, self.samples = model, samples
        self.defn = load_vntr_definition(model.build.name)
        self.markers = markers
        self.tag_table = tag_table
        self.reads = reads
        self.populations = populations
        self.kept: list[AlleleAnnotation] = []  # the alleles of the records the VNTR calls read, with genotypes

    def wants_genotypes(self, alleles: list[AlleleAnnotation]) -> bool:
        markers = self.defn.tags if self.markers is None else self.markers
        return any(_relevant(a, self.defn, markers) for a in alleles)

    def observe(self, alleles: list[AlleleAnnotation]) -> None:
        if self.wants_genotypes(alleles):
            self.kept.extend(alleles)

    def finish(self) -> AnalysisResult:
        defn, samples = self.defn, self.samples
        reads = self.reads
        results, matches = vntr_results(self.kept, samples, defn, self.markers, reads.calls if reads else None)
        tag_table = (self.tag_table or "user-supplied markers") if self.markers is not None \
            else next(x for x in defn.provenance if x.startswith("vntr_tag_snps"))
        res = AnalysisResult("vntr", info_defs=INFO_DEFS, format_defs=FORMAT_DEFS)
        for rec, variants in vntr_records(self.kept):
            labels = [allele_label(rec, v, defn) for v in variants]
            if any(labels):
                res.info.setdefault(rec.index, {})["IL1RN_VNTR_ALLELE"] = tuple(x or "." for x in labels)
        for match in matches.values():
            res.info.setdefault(match.record.index, {})["IL1RN_VNTR_TAG"] = _tag_info(match)
        columns = {"IL1RN_VNTR": [("|".join(r.candidates) if r.candidates else ".") for r in results.results],
                   "IL1RN_VNTR_METHOD": [r.method for r in results.results],
                   "IL1RN_VNTR_CONF": [r.confidence or "." for r in results.results],
                   "IL1RN_VNTR_STAR2": [r.star2_copies for r in results.results]}
        res.format = {k: [v[g] for g in results.inverse.tolist()] for k, v in columns.items()}
        sections: dict[int, dict] = {}  # one JSON section per group (it does not name the sample)

        def section(i: int) -> dict:
            k = int(results.inverse[i])
            if k not in sections:
                sections[k] = {"vntr": results.results[k].to_json()}
            return sections[k]

        res.per_sample = LazyPerSample(samples, section)
        res.cohort = cohort_summary(results, defn, matches, self.markers)
        res.cohort["tag_table"] = tag_table
        notes = list(reads.notes) if reads else []
        if reads:
            outside = sorted(set(reads.calls) - set(samples))
            if outside:
                notes.append(f"{len(outside)} sample(s) of the read files are not in the VCF and get no per-sample "
                             f"output here: {', '.join(outside[:10])}{' ...' if len(outside) > 10 else ''} "
                             "(il1rn-annot vntr/cohort --reads answers them)")
        res.cohort.update(cohort_tables_section(results, defn, self.populations, reads.files if reads else (),
                                                tuple(notes)))
        return res
