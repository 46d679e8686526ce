"""Per-sample VNTR results and the cohort summary beside published frequencies.

Which evidence answers (stated once): a *measurement* first - the alleles measured from spanning long reads
(:mod:`.reads`) or written by a caller in the VCF (:mod:`.direct`), the one with the higher confidence
(high > medium > low; a tie goes to the reads); else a *tag inference* - from the VCF's genotypes, else from
the flank SNVs genotyped in the reads; else unknown.  Every other piece of evidence that disagrees with the
answer is named in the notes.

*2 carriage is a range ``min..max`` over every diplotype still possible: a measured diplotype gives an exact
count; a haplotype of unknown length (or missing) could be *2 and widens the range by one; a non-unit change,
an unnamed copy number or a deletion beyond the VNTR is measured and is not *2; an unknown sample is 0-2.
``star2_dosage`` is that count when it is one number (else NA), ready for a regression.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from il1rn_annot.vntr.definition import VntrDefinition
from il1rn_annot.vntr.direct import DirectCall, HaplotypeStatus, VntrHaplotype, diplotype_label
from il1rn_annot.vntr.reads import ReadsCall
from il1rn_annot.vntr.tags import (
    MarkerMatch,
    MarkerState,
    MarkerStatus,
    TagInference,
    marker_confidence,
)

STAR2 = "*2"
CONFIDENCE_RANK = {"high": 0, "medium": 1, "moderate": 2, "low": 3, "": 4}
DERIVED_FROM = {"direct": "measured: a repeat caller's count or a length change written in the VCF",
                "long_reads": "measured here from spanning long reads",
                "inferred": "tag SNVs (inferred, not measured)", "unknown": "no evidence"}


@dataclass(frozen=True, slots=True)
class SampleVntr:
    """A sample's VNTR diplotype measured (long reads, VCF records) or inferred (tag SNPs), with confidence and
    the *2 copy range."""
    sample: str
    method: str                     # direct / long_reads / inferred / unknown
    candidates: tuple[str, ...]     # diplotype labels, every one still possible
    haplotypes: tuple[tuple[str, str], ...]  # the same, as allele labels per candidate
    confidence: str
    star2_min: int
    star2_max: int
    evidence: tuple[str, ...]       # records used by a direct call
    markers: tuple[MarkerStatus, ...]
    notes: tuple[str, ...] = ()
    statement: str = ""             # what the tags say in words ("no evidence of the *2 tag haplotype")
    tag_source: str = ""            # inferred: "vcf" or "reads"
    reads: ReadsCall | None = None  # what the sample's reads showed (measured or not)

    @property
    def derived_from(self) -> str:
        base = DERIVED_FROM[self.method]
        if self.method == "inferred":
            base += " genotyped from the reads" if self.tag_source == "reads" else " called in the VCF"
        if self.method == "long_reads" and self.reads is not None:
            base += f" ({self.reads.spanning} read(s))"
        return base

    @property
    def call(self) -> str:
        """The answer in words: the diplotype, what the tags say, or why there is none."""
        if self.statement or self.diplotype:
            return self.statement or self.diplotype
        return "unknown" if self.method == "unknown" else f"one of {len(self.candidates)} diplotypes"

    @property
    def star2_dosage(self) -> str:
        """*2 copies for a regression: "0", "1", "2", or "NA" when not one number."""
        return str(self.star2_min) if self.star2_min == self.star2_max and self.method != "unknown" else "NA"

    @property
    def diplotype(self) -> str:
        """The diplotype when exactly one is possible, else ''."""
        return self.candidates[0] if len(self.candidates) == 1 else ""

    @property
    def star2_copies(self) -> str:
        return str(self.star2_min) if self.star2_min == self.star2_max else f"{self.star2_min}-{self.star2_max}"

    @property
    def missing_markers(self) -> tuple[str, ...]:
        return tuple(m.rsid for m in self.markers if m.state in (MarkerState.NOT_IN_VCF, MarkerState.NOT_CALLED))

    def to_json(self) -> dict:
        return {"method": self.method, "diplotype": self.diplotype, "candidates": list(self.candidates),
                "call": self.call, "derived_from": self.derived_from, "confidence": self.confidence,
                "star2_copies": self.star2_copies, "star2_dosage": self.star2_dosage,
                "star2_min": self.star2_min, "star2_max": self.star2_max, "evidence": list(self.evidence),
                "markers_used": [m.rsid for m in self.markers if m.state is MarkerState.USED],
                "markers_typed_not_usable": [m.to_json() for m in self.markers if m.state is MarkerState.TYPED_NOT_USABLE],
                "missing_markers": list(self.missing_markers), "markers": [m.to_json() for m in self.markers],
                "notes": list(self.notes), **({"reads": self.reads.to_json()} if self.reads is not None else {})}


def _star2_range(pairs) -> tuple[int, int]:
    lows, highs = [], []
    for pair in pairs:
        lo = sum(1 for h in pair if h.status is HaplotypeStatus.NAMED and h.allele == STAR2)
        open_ = sum(1 for h in pair if h.status in (HaplotypeStatus.MISSING, HaplotypeStatus.UNKNOWN_LENGTH))
        lows.append(lo)
        highs.append(lo + open_)
    return min(lows), max(highs)


def _merge_markers(vcf: tuple[MarkerStatus, ...], reads: tuple[MarkerStatus, ...]) -> tuple[MarkerStatus, ...]:
    """The VCF's marker states, each one the VCF did not call replaced by the reads' genotype of it."""
    from_reads = {m.rsid: m for m in reads}
    out = [from_reads[m.rsid] if m.rsid in from_reads and m.state in (MarkerState.NOT_IN_VCF, MarkerState.NOT_CALLED)
           else m for m in vcf]
    listed = {m.rsid for m in vcf}
    return tuple(out) + tuple(m for m in reads if m.rsid not in listed)  # one entry per marker


def _tag_star2(inferred: TagInference) -> set[int]:
    return {p.count(STAR2) for p in inferred.diplotypes}


def _measured(sample: str, method: str, reads: ReadsCall | None, direct: DirectCall | None,
              tags: list[tuple[str, TagInference]], markers: tuple[MarkerStatus, ...]) -> SampleVntr:
    """The answer from a measurement: the long reads' (``method`` "long_reads") or the VCF's ("direct"), the
    other measurement and any disagreeing tag named in the notes."""
    notes: list[str] = []
    if method == "long_reads":
        assert reads is not None and reads.diplotype is not None
        pairs: tuple[tuple[VntrHaplotype, VntrHaplotype], ...] = (reads.diplotype,)
        confidence = reads.confidence
        evidence = tuple(f"{f} ({reads.spanning} spanning read(s) in all)" for f in reads.files)
        notes += list(reads.notes) + [f"confidence {reads.confidence}: {reads.confidence_basis}"]
        if direct is not None:
            other = diplotype_label(direct.diplotypes[0]) if len(direct.diplotypes) == 1 else "several diplotypes"
            notes.append(f"the VCF's VNTR record(s) give {other} ({direct.confidence})"
                         + ("" if other == diplotype_label(reads.diplotype) else
                            ": they disagree; the long-read measurement is reported"))
    else:
        assert direct is not None
        pairs, confidence, evidence = direct.diplotypes, direct.confidence, direct.evidence
        notes += list(direct.notes)
        if reads is not None:
            if reads.measured:
                notes.append(f"the long reads give {reads.label} ({reads.confidence}): the VCF's "
                             f"{direct.confidence}-confidence call is reported")
            notes.extend(n for n in reads.notes if n not in notes)
    lo, hi = _star2_range(pairs)
    for src, t in tags:
        if lo == hi and lo not in _tag_star2(t):
            notes.append(f"the tag SNVs ({'reads' if src == 'reads' else 'VCF'}) say {t.statement or 'otherwise'}, "
                         f"the measurement {lo} *2 cop{'y' if lo == 1 else 'ies'}: the measurement is reported")
    return SampleVntr(sample, method, tuple(diplotype_label(p) for p in pairs),
                      tuple((p[0].label, p[1].label) for p in pairs), confidence, lo, hi, evidence, markers,
                      tuple(notes), reads=reads)


def combine(sample: str, direct: DirectCall | None, inferred: TagInference, reads: ReadsCall | None = None,
            reads_inferred: TagInference | None = None) -> SampleVntr:
    """One sample's answer from every piece of evidence (the order is in the module docstring)."""
    markers = _merge_markers(inferred.markers, reads_inferred.markers if reads_inferred is not None else ())
    tags = [(src, t) for src, t in (("vcf", inferred), ("reads", reads_inferred))
            if t is not None and t.method == "inferred"]
    vcf_call = direct if direct is not None and direct.diplotypes else None
    reads_call = reads if reads is not None and reads.measured else None
    if reads_call is not None and (vcf_call is None or
                                   CONFIDENCE_RANK[reads_call.confidence] <= CONFIDENCE_RANK[vcf_call.confidence]):
        return _measured(sample, "long_reads", reads_call, vcf_call, tags, markers)
    if vcf_call is not None:
        return _measured(sample, "direct", reads, vcf_call, tags, markers)
    notes = list(direct.notes) if direct is not None else []
    if reads is not None:
        notes.extend(reads.notes)
    if tags:
        src, t = tags[0]
        if len(tags) > 1 and _tag_star2(tags[0][1]) != _tag_star2(tags[1][1]):
            notes.append(f"the flank SNVs genotyped from the reads say {tags[1][1].statement or 'otherwise'}: "
                         "the VCF's genotypes are used")
        counts = [p.count(STAR2) for p in t.diplotypes]
        return SampleVntr(sample, "inferred", tuple(f"IL1RN{a}/{b}" for a, b in t.diplotypes),
                          t.diplotypes, t.confidence, min(counts), max(counts), (), markers,
                          tuple(notes) + t.notes, t.statement, src, reads)
    if reads_inferred is not None:
        notes.extend(reads_inferred.notes)
    absent = [m.rsid for m in markers if m.state is MarkerState.NOT_IN_VCF and m.confidence]
    if absent:
        notes.append(f"the usable tag(s) {', '.join(absent)} have no record in the input: a variant-only VCF does not "
                     "list reference sites, so their absence is not evidence of *1 (give the reads, or an all-sites "
                     "VCF or gVCF)")
    if not any(m.state is MarkerState.TYPED_NOT_USABLE for m in markers):
        notes.append("no VNTR record and no tag marker typed" if reads is None else
                     "no allele measured and no tag SNV called (see reads)")
    else:
        notes.append("tag markers typed but none may name an allele (see markers_typed_not_usable)")
    return SampleVntr(sample, "unknown", (), (), "", 0, 2, (), markers, tuple(notes) + inferred.notes, reads=reads)


def _published(defn: VntrDefinition) -> list[dict]:
    return [{"population": f.population, "n_individuals": f.n_individuals, "allele": f.allele,
             "frequency": f.frequency, "source": f.source, "citation": f.citation} for f in defn.frequencies]


def _marker_summary(m, match: MarkerMatch | None, states: Counter, reason: str) -> str:
    called = states.get("used", 0) + states.get("typed_not_usable", 0)
    use = (f"{m.evidence} ({m.population}; {marker_confidence(m)}) -> used" + (f"; caveat: {m.caveat}" if m.caveat else "")
           if not reason else f"{reason} -> no inference")
    if match is not None:
        return f"{m.rsid}: typed (matched by {match.matched_by}; called in {called} samples), {use}"
    if called:
        return f"{m.rsid}: no VCF record; genotyped from the reads of {called} sample(s), {use}"
    return f"{m.rsid}: not in the VCF"


def cohort_summary(results: Mapping[str, SampleVntr], defn: VntrDefinition,
                   matches: dict[str, MarkerMatch], markers_used: tuple | None = None) -> dict:
    """JSON-able cohort section: counts per method, allele counts (direct), *2 count range (direct +
    inferred), published frequencies with sources, and every tag marker with its r2 and whether it was used."""
    # (result, number of samples): a cohort's grouped results (vntr.analysis.GroupedResults) are counted per
    # group, a plain dict per sample
    weighted = results.groups() if hasattr(results, "groups") else [(r, 1) for r in results.values()]
    by_method: Counter[str] = Counter()
    counts: dict[str, Counter[str]] = {"direct": Counter(), "long_reads": Counter()}
    haps = {"direct": 0, "long_reads": 0}
    for r, w in weighted:
        by_method[r.method] += w
        if r.method in counts and len(r.haplotypes) == 1:
            for h in r.haplotypes[0]:
                counts[r.method][h] += w
            haps[r.method] += 2 * w
    direct_counts, direct_haps = counts["direct"], haps["direct"]
    named = [(r, w) for r, w in weighted if r.method in ("direct", "long_reads", "inferred")]
    s2_min = sum(r.star2_min * w for r, w in named)
    s2_max = sum(r.star2_max * w for r, w in named)
    n_haps = 2 * sum(w for _, w in named)
    markers = []
    for m in (defn.tags if markers_used is None else markers_used):
        states: Counter[str] = Counter()
        for r, w in weighted:
            for r_m in r.markers:
                if r_m.rsid == m.rsid:
                    states[r_m.state.value] += w
        match = matches.get(m.rsid)
        reason = m.unusable_reason()
        markers.append({
            "rsid": m.rsid, "typed": match is not None, "matched_by": match.matched_by if match else "",
            "record": match.record.key if match else "", "samples_called": states.get("used", 0) + states.get("typed_not_usable", 0),
            "samples_used": states.get("used", 0), "r2": m.r2, "tagged_allele": m.tagged_allele,
            "population": m.population, "source": m.source, "role": m.role, "evidence": m.evidence,
            "confidence": marker_confidence(m) if not reason else "", "caveat": m.caveat,
            "usable": not reason, "reason": reason or "",
            "summary": _marker_summary(m, match, states, reason)})
    return {
        "samples": len(results), "by_method": dict(sorted(by_method.items())),
        "direct": {"haplotypes": direct_haps, "allele_counts": dict(sorted(direct_counts.items())),
                   "allele_frequencies": {k: round(v / direct_haps, 4) for k, v in sorted(direct_counts.items())} if direct_haps else {}},
        **({"long_reads": {"haplotypes": haps["long_reads"], "allele_counts": dict(sorted(counts["long_reads"].items())),
                           "allele_frequencies": {k: round(v / haps["long_reads"], 4)
                                                  for k, v in sorted(counts["long_reads"].items())}}}
           if haps["long_reads"] else {}),
        "star2": {"haplotypes_named": n_haps, "count_min": s2_min, "count_max": s2_max,
                  "frequency_min": round(s2_min / n_haps, 4) if n_haps else None,
                  "frequency_max": round(s2_max / n_haps, 4) if n_haps else None,
                  "rests_on": sorted({m.rsid for r, _ in named for m in r.markers if m.state is MarkerState.USED})
                  + (["direct VNTR records"] if by_method.get("direct") else [])
                  + (["spanning long reads"] if by_method.get("long_reads") else [])},
        "published_frequencies": _published(defn),
        "markers": markers,
        "definition": {"interval": defn.interval_text, "interval_confidence": defn.interval_confidence,
                       "unit_bp": defn.unit_bp, "reference_copies": defn.reference_copies,
                       "reference_copies_confidence": defn.reference_copies_confidence,
                       "resources": list(defn.provenance)},
    }


_URL = re.compile(r"https?://\S+")


def clip(text: str, limit: int) -> str:
    """``text`` shortened to about ``limit`` characters at a space, never inside a word or a URL (a word longer
    than the limit is kept whole); the URLs of the part left out follow the ' ...', so no source loses its
    address."""
    if len(text) <= limit:
        return text
    words = text.split(" ")
    kept = [words[0]]
    for w in words[1:]:
        if len(" ".join(kept)) + 1 + len(w) > limit:
            break
        kept.append(w)
    left_out = " ".join(words[len(kept):])
    if not left_out:
        return text
    urls = [u.rstrip(").,;'\"]") for u in _URL.findall(left_out)]
    return " ".join([*kept, "...", *urls])


def format_cohort(cohort: dict) -> str:
    """A plain-text rendering of :func:`cohort_summary` for reports and the terminal."""
    d = cohort["definition"]
    lines = [f"IL1RN intron-2 VNTR (rs2234663) {d['interval']} [{d['interval_confidence']}], unit {d['unit_bp']} bp, "
             f"reference {d['reference_copies']} copies [{d['reference_copies_confidence']}]",
             f"samples: {cohort['samples']}; by method: " + ", ".join(f"{k} {v}" for k, v in cohort["by_method"].items())]
    s2 = cohort["star2"]
    if s2["haplotypes_named"]:
        rng = (f"{s2['frequency_min']}" if s2["count_min"] == s2["count_max"]
               else f"{s2['frequency_min']}-{s2['frequency_max']}")
        count = (f"{s2['count_min']}" if s2["count_min"] == s2["count_max"] else f"{s2['count_min']}-{s2['count_max']}")
        lines.append(f"*2 in this cohort: {count} of {s2['haplotypes_named']} haplotypes "
                     f"(frequency {rng}), resting on: {', '.join(s2['rests_on'])}")
    else:
        lines.append("*2 in this cohort: not estimated (no sample has a direct or inferred VNTR call)")
    if cohort["direct"]["haplotypes"]:
        lines.append("direct allele counts: " + ", ".join(f"{k} {v}" for k, v in cohort["direct"]["allele_counts"].items()))
    if cohort.get("long_reads"):
        lines.append("allele counts measured from long reads: "
                     + ", ".join(f"{k} {v}" for k, v in cohort["long_reads"]["allele_counts"].items()))
    if cohort.get("reads"):
        rd = cohort["reads"]
        lines.append(f"reads: {len(rd['files'])} file(s), {rd['samples']} sample(s): {rd['measured']} measured from "
                     f"spanning long reads, {rd['tag_only']} with flank SNVs only")
        for note in rd.get("notes", []):
            lines.append(f"  {note}")
    called = [row for row in cohort.get("frequencies", [])
              if row["allele"] == "*2" and row["basis"] == "measured + tag SNVs" and row["n_called"] != "0"]
    if called:
        lines.append(f"*2 frequencies in this cohort ({cohort.get('ci_method', '')}; HWE: {cohort.get('hwe_method', '')}):")
        for row in called:
            lines.append(f"  {row['population']}: allele {row['allele_frequency']} [{row['af_ci95_low']}-"
                         f"{row['af_ci95_high']}], carriers {row['carrier_frequency']} [{row['cf_ci95_low']}-"
                         f"{row['cf_ci95_high']}], genotypes 0/1/2 {row['genotypes_0_1_2']}, HWE p "
                         f"{row['hwe_exact_p'] or 'NA'} ({row['n_called']} of {row['n_samples']} samples; "
                         f"{row['methods']})")
    lines.append("tag markers:")
    for m in cohort["markers"]:
        lines.append(f"  {m['summary']} [source: {clip(m['source'], 90)}]")
    lines.append("published allele frequencies (not measured here):")
    for f in cohort["published_frequencies"]:
        n = f"n={f['n_individuals']}" if f["n_individuals"] else "n not stated"
        lines.append(f"  {f['allele']} {f['frequency']:g}  {f['population']} ({n}) - {f['source'].split(':')[0]}: "
                     f"{clip(f['citation'], 100)}")
    return "\n".join(lines)
