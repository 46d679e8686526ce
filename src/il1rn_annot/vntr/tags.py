"""VNTR alleles inferred from tag SNPs, holding only what the tag resource states.

Matching: a marker with a position in the run's build is matched by position *and* its REF/ALT; a marker
without a position (rs579543, rs4251961, rs2232354 in resource v1) only by its rsID in the VCF ID column.
Every result says which (``matched_by``).

A typed marker names a VNTR allele only when the resource gives all three of: an r2 with the VNTR (or a
haplotype concordance with its evidence level, as for the *2 flank SNVs), the VNTR allele it tags, and which
SNP allele (REF or ALT) goes with it; a ``context`` row (rs419598) never does.  Otherwise it is reported as
typed but not usable, with the reason.  Confidence rule (stated once, used everywhere):

* a stated evidence level (the resource's ``confidence`` column: "moderate" or "low") is taken as stated;
* else r2 >= 0.8 -> "moderate" (the usual tagging threshold; an inferred allele is never "high")
* 0.5 <= r2 < 0.8 -> "low"
* r2 < 0.5 -> not used to name an allele ("insufficient")

A call with a stated depth (FORMAT/DP) below ``MIN_TAG_DEPTH`` is not used (a shallow 0/0 is no evidence of
absence); a call without DP is used and the answer says the depth was not stated.

With several usable markers the confidence is that of the weakest one used.  A marker predicts the count
(0/1/2) of its tagged allele; with unphased data every diplotype of the allele table with that count is
listed (never one picked); several markers keep the diplotypes consistent with all of them.  With phased
markers (one phase set) the constraint is applied per haplotype.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import Enum

from il1rn_annot.variants.genotypes import SampleCall
from il1rn_annot.variants.record import Record
from il1rn_annot.vntr.definition import TagMarker, VntrDefinition

R2_MODERATE = 0.8
R2_LOW = 0.5
CONFIDENCE_ORDER = ("moderate", "low")
MIN_TAG_DEPTH = 10  # reads at a tag site below which its genotype is not used


class MarkerState(str, Enum):
    NOT_IN_VCF = "not_in_vcf"            # no record matches the marker
    NOT_CALLED = "not_called"            # a record matches but this sample's genotype is missing
    TYPED_NOT_USABLE = "typed_not_usable"  # typed, but the resource does not allow naming an allele
    USED = "used"


def confidence_for_r2(r2: float) -> str:
    if r2 >= R2_MODERATE:
        return "moderate"
    if r2 >= R2_LOW:
        return "low"
    return "insufficient"


def marker_confidence(m: TagMarker) -> str:
    """The stated evidence level of a marker, else the r2 rule."""
    return m.confidence or confidence_for_r2(m.r2 or 0.0)


def dosage_statement(allele: str, copies: int) -> str:
    """What a tag count says, in words that do not claim a measurement."""
    if copies == 0:
        return f"no evidence of the {allele} tag haplotype"
    return f"{'one' if copies == 1 else 'two'} {allele} cop{'y' if copies == 1 else 'ies'} likely (tag SNVs)"


@dataclass(frozen=True, slots=True)
class MarkerMatch:
    """A tag marker found in the input: the record and ALT allele it matched, and how."""
    marker: TagMarker
    matched_by: str  # "position" / "rsid"
    record: Record
    alt_index: int   # 1-based index of the marker's ALT in the record
    note: str = ""


@dataclass(frozen=True, slots=True)
class MarkerStatus:
    """What one tag marker says for one sample (state, genotype, r2 and source)."""
    rsid: str
    state: MarkerState
    matched_by: str = ""
    record: str = ""
    genotype: str = ""
    r2: float | None = None
    tagged_allele: str = ""
    population: str = ""
    source: str = ""
    reason: str = ""
    evidence: str = ""    # "r2=0.91" or the stated concordance
    confidence: str = ""  # the marker's evidence level (stated, or from r2)
    caveat: str = ""
    depth: int | None = None

    def to_json(self) -> dict:
        return {"rsid": self.rsid, "state": self.state.value, "matched_by": self.matched_by, "record": self.record,
                "genotype": self.genotype, "depth": self.depth, "r2": self.r2, "evidence": self.evidence,
                "confidence": self.confidence, "tagged_allele": self.tagged_allele, "population": self.population,
                "source": self.source, "caveat": self.caveat, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class TagInference:
    """The VNTR diplotypes a sample's tag-marker genotypes allow, with confidence."""
    sample: str
    method: str  # "inferred" / "unknown"
    diplotypes: tuple[tuple[str, str], ...]
    confidence: str
    markers: tuple[MarkerStatus, ...]
    notes: tuple[str, ...] = ()
    statement: str = ""  # e.g. "no evidence of the *2 tag haplotype" (when every used marker tags one allele)

    @property
    def missing_markers(self) -> tuple[str, ...]:
        return tuple(m.rsid for m in self.markers if m.state in (MarkerState.NOT_IN_VCF, MarkerState.NOT_CALLED))


def match_markers(records: list[Record], defn: VntrDefinition,
                  markers: tuple[TagMarker, ...] | None = None) -> tuple[dict[str, MarkerMatch], dict[str, str]]:
    """({rsid: match}, {rsid: why a record near it was not taken})."""
    markers = defn.tags if markers is None else markers
    matches: dict[str, MarkerMatch] = {}
    rejected: dict[str, str] = {}
    for m in markers:
        pos = m.position(defn.build)
        if pos is not None:
            for rec in records:
                if rec.pos != pos:
                    continue
                if m.ref and rec.ref.upper() != m.ref.upper():
                    rejected[m.rsid] = f"record {rec.key} has REF {rec.ref}, the marker {m.ref}>{m.alt}"
                    continue
                alts = [a.upper() for a in rec.alts]
                if m.alt and m.alt.upper() in alts:
                    matches[m.rsid] = MarkerMatch(m, "position", rec, alts.index(m.alt.upper()) + 1)
                    break
                rejected[m.rsid] = f"record {rec.key} lacks the marker's ALT {m.alt}"
            continue
        for rec in records:
            if m.rsid in rec.id.split(";"):
                note = "" if len(rec.alts) == 1 else f"multi-allelic record: ALT 1 ({rec.alts[0]}) taken as the marker allele"
                matches[m.rsid] = MarkerMatch(m, "rsid", rec, 1, note)
                break
    return matches, rejected


def _alt_count(call: SampleCall, alt_index: int) -> int | None:
    if len(call.alleles) != 2 or any(a is None for a in call.alleles):
        return None
    return sum(1 for a in call.alleles if a == alt_index)


def _pairs(names: list[str]) -> list[tuple[str, str]]:
    return [tuple(p) for p in itertools.combinations_with_replacement(names, 2)]  # type: ignore[misc]


def infer_sample(sample: str, calls: dict[str, SampleCall], matches: dict[str, MarkerMatch],
                 defn: VntrDefinition, markers: tuple[TagMarker, ...] | None = None,
                 rejected: dict[str, str] | None = None) -> TagInference:
    """``calls``: this sample's call on each matched marker's record, by rsid."""
    markers = defn.tags if markers is None else markers
    names = [a.name for a in defn.alleles]
    statuses: list[MarkerStatus] = []
    used: list[tuple[TagMarker, SampleCall, MarkerMatch]] = []
    for m in markers:
        base = dict(rsid=m.rsid, r2=m.r2, tagged_allele=m.tagged_allele, population=m.population, source=m.source,
                    evidence=m.evidence, confidence=marker_confidence(m) if not m.unusable_reason() else "",
                    caveat=m.caveat)
        match = matches.get(m.rsid)
        if match is None:
            why = (rejected or {}).get(m.rsid, "")
            how = "position " + str(m.position(defn.build)) if m.position(defn.build) else "rsID (no position in the resource)"
            statuses.append(MarkerStatus(state=MarkerState.NOT_IN_VCF, reason=f"looked up by {how}" + (f"; {why}" if why else ""), **base))
            continue
        call = calls.get(m.rsid)
        gt = call.gt if call else "."
        where = dict(matched_by=match.matched_by, record=match.record.key, genotype=gt,
                     depth=call.dp if call is not None else None)
        if call is None or _alt_count(call, match.alt_index) is None:
            statuses.append(MarkerStatus(state=MarkerState.NOT_CALLED, reason="genotype missing or not diploid", **where, **base))
            continue
        if call.dp is not None and call.dp < MIN_TAG_DEPTH:
            statuses.append(MarkerStatus(state=MarkerState.NOT_CALLED, reason=f"depth {call.dp} < {MIN_TAG_DEPTH}: "
                                         "too shallow to use the genotype", **where, **base))
            continue
        reason = m.unusable_reason()
        if not reason and marker_confidence(m) == "insufficient":
            reason = f"r2={m.r2:g} < {R2_LOW}: too weak to name an allele"
        if reason:
            statuses.append(MarkerStatus(state=MarkerState.TYPED_NOT_USABLE, reason=reason + " -> no inference", **where, **base))
            continue
        statuses.append(MarkerStatus(state=MarkerState.USED, reason=(match.note or ""), **where, **base))
        used.append((m, call, match))
    if not used:
        return TagInference(sample, "unknown", (), "", tuple(statuses))
    confidence = max((marker_confidence(m) for m, _, _ in used), key=CONFIDENCE_ORDER.index)
    notes: list[str] = []
    no_depth = [m.rsid for m, c, _ in used if c.dp is None]
    if no_depth:
        notes.append(f"depth not stated for {', '.join(no_depth)} (no FORMAT/DP): the genotype is used as called")
    for caveat in dict.fromkeys(m.caveat for m, _, _ in used if m.caveat):
        notes.append(caveat)
    phase_sets = {c.phase_set for _, c, _ in used}
    if len(used) > 1 and all(c.phased for _, c, _ in used) and len(phase_sets) == 1:
        allowed = [set(names), set(names)]
        for m, c, match in used:
            for h, a in enumerate(c.alleles):
                carries = (a == match.alt_index) == (m.tag_allele == "ALT")
                allowed[h] &= {m.tagged_allele} if carries else set(names) - {m.tagged_allele}
        pairs = sorted({tuple(sorted((x, y), key=names.index)) for x in allowed[0] for y in allowed[1]},
                       key=lambda p: (names.index(p[0]), names.index(p[1])))
        notes.append("phased markers: constraint applied per haplotype")
    else:
        candidates = set(_pairs(names))
        for m, c, match in used:
            alt_n = _alt_count(c, match.alt_index) or 0
            k = alt_n if m.tag_allele == "ALT" else 2 - alt_n
            candidates &= {p for p in _pairs(names) if p.count(m.tagged_allele) == k}
        pairs = sorted(candidates, key=lambda p: (names.index(p[0]), names.index(p[1])))
        if len(pairs) > 1:
            notes.append("unphased: every diplotype consistent with the markers is listed")
    if not pairs:
        return TagInference(sample, "unknown", (), "", tuple(statuses), ("the usable markers contradict each other",))
    statement = ""
    tagged = {m.tagged_allele for m, _, _ in used}
    if len(tagged) == 1:
        allele = tagged.pop()
        counts = {p.count(allele) for p in pairs}
        if len(counts) == 1:
            statement = dosage_statement(allele, counts.pop())
    return TagInference(sample, "inferred", tuple(pairs), confidence, tuple(statuses), tuple(notes), statement)


def infer_all(records: list[Record], samples: tuple[str, ...], defn: VntrDefinition,
              markers: tuple[TagMarker, ...] | None = None, only: list[int] | None = None,
              matched: tuple[dict[str, MarkerMatch], dict[str, str]] | None = None,
              ) -> tuple[dict[str, TagInference], dict[str, MarkerMatch]]:
    """``only``: indices of the samples to infer (the others are not looked at); ``matched``: the result of
    :func:`match_markers` if already computed."""
    matches, rejected = matched or match_markers(records, defn, markers)
    out = {}
    by_sample = {}  # rsid -> {sample: call}, built once per marker (first call of a name, as before)
    for rsid, match in matches.items():
        d = {}
        for c in (match.record.calls if only is None else [match.record.calls[i] for i in only]):
            d.setdefault(c.sample, c)
        by_sample[rsid] = d
    for s in (samples if only is None else [samples[i] for i in only]):
        calls = {}
        for rsid in matches:
            call = by_sample[rsid].get(s)
            if call is not None:
                calls[rsid] = call
        out[s] = infer_sample(s, calls, matches, defn, markers, rejected)
    return out, matches
