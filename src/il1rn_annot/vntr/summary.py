"""Per-sample VNTR results (direct > inferred > unknown) and the cohort summary beside published frequencies.

*2 carriage is a range ``min..max`` over every diplotype still possible: a direct call of one diplotype
gives an exact count; a haplotype of unknown length (or missing) could be *2 and widens the range by one;
a non-unit change, an unnamed copy number or a deletion beyond the VNTR is measured and is not *2; an
unknown sample is 0-2.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from il1rn_annot.vntr.definition import VntrDefinition
from il1rn_annot.vntr.direct import DirectCall, HaplotypeStatus, diplotype_label
from il1rn_annot.vntr.tags import MarkerMatch, MarkerState, MarkerStatus, TagInference, marker_confidence

STAR2 = "*2"


@dataclass(frozen=True, slots=True)
class SampleVntr:
    """A sample's VNTR diplotype from direct calls or tag SNPs, with confidence and the *2 copy range."""
    sample: str
    method: str                     # direct / inferred / unknown
    candidates: tuple[str, ...]     # diplotype labels, every one still possible
    haplotypes: tuple[tuple[str, str], ...]  # the same, as allele labels per candidate
    confidence: str
    star2_min: int
    star2_max: int
    evidence: tuple[str, ...]       # records used by a direct call
    markers: tuple[MarkerStatus, ...]
    notes: tuple[str, ...] = ()
    statement: str = ""             # what the tags say in words ("no evidence of the *2 tag haplotype")

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
                "call": self.call, "confidence": self.confidence,
                "star2_copies": self.star2_copies, "star2_dosage": self.star2_dosage,
                "star2_min": self.star2_min, "star2_max": self.star2_max, "evidence": list(self.evidence),
                "markers_used": [m.rsid for m in self.markers if m.state is MarkerState.USED],
                "markers_typed_not_usable": [m.to_json() for m in self.markers if m.state is MarkerState.TYPED_NOT_USABLE],
                "missing_markers": list(self.missing_markers), "markers": [m.to_json() for m in self.markers],
                "notes": list(self.notes)}


def _star2_range_direct(call: DirectCall) -> tuple[int, int]:
    lows, highs = [], []
    for pair in call.diplotypes:
        lo = sum(1 for h in pair if h.status is HaplotypeStatus.NAMED and h.allele == STAR2)
        open_ = sum(1 for h in pair if h.status in (HaplotypeStatus.MISSING, HaplotypeStatus.UNKNOWN_LENGTH))
        lows.append(lo)
        highs.append(lo + open_)
    return min(lows), max(highs)


def combine(sample: str, direct: DirectCall | None, inferred: TagInference) -> SampleVntr:
    markers = inferred.markers
    if direct is not None and direct.diplotypes:
        labels = tuple(diplotype_label(p) for p in direct.diplotypes)
        lo, hi = _star2_range_direct(direct)
        notes = list(direct.notes)
        if inferred.method == "inferred":
            tag_labels = {f"IL1RN{a}/{b}" for a, b in inferred.diplotypes}
            if not tag_labels & set(labels):
                notes.append("tag-SNP inference disagrees with the direct call; the direct call is reported")
        return SampleVntr(sample, "direct", labels, tuple((p[0].label, p[1].label) for p in direct.diplotypes),
                          direct.confidence, lo, hi, direct.evidence, markers, tuple(notes))
    notes = list(direct.notes) if direct is not None else []
    if inferred.method == "inferred":
        counts = [p.count(STAR2) for p in inferred.diplotypes]
        return SampleVntr(sample, "inferred", tuple(f"IL1RN{a}/{b}" for a, b in inferred.diplotypes),
                          inferred.diplotypes, inferred.confidence, min(counts), max(counts), (), markers,
                          tuple(notes) + inferred.notes, inferred.statement)
    if not any(m.state is MarkerState.TYPED_NOT_USABLE for m in markers):
        notes.append("no VNTR record and no tag marker typed")
    else:
        notes.append("tag markers typed but none may name an allele (see markers_typed_not_usable)")
    return SampleVntr(sample, "unknown", (), (), "", 0, 2, (), markers, tuple(notes) + inferred.notes)


def _published(defn: VntrDefinition) -> list[dict]:
    return [{"population": f.population, "n_individuals": f.n_individuals, "allele": f.allele,
             "frequency": f.frequency, "source": f.source, "citation": f.citation} for f in defn.frequencies]


def cohort_summary(results: dict[str, SampleVntr], defn: VntrDefinition,
                   matches: dict[str, MarkerMatch], markers_used: tuple | None = None) -> dict:
    """JSON-able cohort section: counts per method, allele counts (direct), *2 count range (direct +
    inferred), published frequencies with sources, and every tag marker with its r2 and whether it was used."""
    # (result, number of samples): a cohort's grouped results (vntr.analysis.GroupedResults) are counted per
    # group, a plain dict per sample
    weighted = results.groups() if hasattr(results, "groups") else [(r, 1) for r in results.values()]
    by_method: Counter[str] = Counter()
    direct_counts: Counter[str] = Counter()
    direct_haps = 0
    for r, w in weighted:
        by_method[r.method] += w
        if r.method == "direct" and len(r.haplotypes) == 1:
            for h in r.haplotypes[0]:
                direct_counts[h] += w
            direct_haps += 2 * w
    named = [(r, w) for r, w in weighted if r.method in ("direct", "inferred")]
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
            "summary": (f"{m.rsid}: typed (matched by {match.matched_by}; called in "
                        f"{states.get('used', 0) + states.get('typed_not_usable', 0)} samples), "
                        + (f"{m.evidence} ({m.population}; {marker_confidence(m)}) -> used"
                           + (f"; caveat: {m.caveat}" if m.caveat else "") if not reason
                           else f"{reason} -> no inference")
                        if match else f"{m.rsid}: not in the VCF")})
    return {
        "samples": len(results), "by_method": dict(sorted(by_method.items())),
        "direct": {"haplotypes": direct_haps, "allele_counts": dict(sorted(direct_counts.items())),
                   "allele_frequencies": {k: round(v / direct_haps, 4) for k, v in sorted(direct_counts.items())} if direct_haps else {}},
        "star2": {"haplotypes_named": n_haps, "count_min": s2_min, "count_max": s2_max,
                  "frequency_min": round(s2_min / n_haps, 4) if n_haps else None,
                  "frequency_max": round(s2_max / n_haps, 4) if n_haps else None,
                  "rests_on": sorted({m.rsid for r, _ in named for m in r.markers if m.state is MarkerState.USED})
                  + (["direct VNTR records"] if by_method.get("direct") else [])},
        "published_frequencies": _published(defn),
        "markers": markers,
        "definition": {"interval": defn.interval_text, "interval_confidence": defn.interval_confidence,
                       "unit_bp": defn.unit_bp, "reference_copies": defn.reference_copies,
                       "reference_copies_confidence": defn.reference_copies_confidence,
                       "resources": list(defn.provenance)},
    }


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
    lines.append("tag markers:")
    for m in cohort["markers"]:
        lines.append(f"  {m['summary']} [source: {m['source'][:90]}]")
    lines.append("published allele frequencies (not measured here):")
    for f in cohort["published_frequencies"]:
        n = f"n={f['n_individuals']}" if f["n_individuals"] else "n not stated"
        lines.append(f"  {f['allele']} {f['frequency']:g}  {f['population']} ({n}) - {f['source'].split(':')[0]}: {f['citation'][:100]}")
    return "\n".join(lines)
