"""Direct VNTR calls: repeat counts measured from the alleles a caller wrote inside the VNTR.

Two kinds of evidence:

* **absolute counts** (a repeat genotyper states the copies of each allele): VCF 4.4/4.5 ``<CNV:TR>``
  with ``RN``/``RUC``/``RUL``/``RUS``/``RB`` (copies = the sum of ``RUC`` over the allele's ``RN`` repeat
  sequences when the unit is 86 bp, else ``RB`` or ``RUC x RUL`` bases / 86); ExpansionHunter ``<STRn>``
  ALTs and ``FORMAT/REPCN`` (with ``INFO/RU`` of 86 bp); TRGT ``FORMAT/MC`` (motif counts, when
  ``INFO/MOTIFS`` is one 86-bp motif: a check on AL, or the count when AL is absent); TRGT ``FORMAT/AL`` (allele lengths in bp,
  compared with the record's reference span).  ``RN`` alone counts repeat *sequences*, not units (VCF 4.4
  section 5.7), so ``RN`` without ``RUC``/``RB`` gives no count.
* **length changes** relative to the reference (``copies = reference copies + change / 86``): explicit
  insertions/deletions, ``<DEL>`` (END or SVLEN), ``<INS>`` (SVLEN), ``<DUP>`` / ``<DUP:TANDEM>``.
  These rest on the reference carrying ``reference_copy_number`` copies (INFERRED in the resource), so a
  call made this way has confidence "medium"; an absolute count has "high".

Tolerance: a change within ``TOLERANCE_BP`` (2 bp) of a whole number of 86-bp units counts as that number
of units (callers of large indels/SVs in tandem repeats place breakpoints with a few bases of fuzz).
Anything else is a ``non_unit_change`` reported with its bp and never rounded into an allele.  A
deletion that removes more than ``TOLERANCE_BP`` bases outside the VNTR is ``beyond_vntr``.
SNVs/MNVs inside the VNTR are sequence variants of a repeat copy and say nothing about the count.

A sample's REF haplotype at a length record counts as the reference allele (the caller asserts no length
change there), except at a record whose every ALT reaches beyond the VNTR (a larger deletion or duplication):
a REF call there says only that the haplotype lacks that SV, so it gives no repeat length.  Samples with no called genotype at any VNTR record get no direct call.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import Enum

from il1rn_annot.types import Variant, VariantKind
from il1rn_annot.variants.genotypes import SampleCall
from il1rn_annot.variants.record import Record
from il1rn_annot.vntr.definition import VntrDefinition

TOLERANCE_BP = 2
MAX_ORIENTATIONS = 6  # unphased het records enumerated (2**6 combinations); beyond that: no direct call


class HaplotypeStatus(str, Enum):
    NAMED = "named"                      # copies match an allele of the table
    UNNAMED_COPIES = "unnamed_copies"    # whole number of units but no IL1RN* allele has that count
    NON_UNIT_CHANGE = "non_unit_change"  # length change not a whole number of 86-bp units
    BEYOND_VNTR = "beyond_vntr"          # deletion reaches outside the VNTR interval
    UNKNOWN_LENGTH = "unknown_length"    # symbolic allele without a length
    MISSING = "missing"                  # no genotype for this haplotype


class Evidence(str, Enum):
    ABSOLUTE = "absolute_count"
    LENGTH_CHANGE = "length_change"
    REFERENCE = "reference_haplotype"
    SPANNING_READS = "spanning_reads"  # measured here from long reads (vntr.reads)


@dataclass(frozen=True, slots=True)
class VntrHaplotype:
    """One haplotype's VNTR allele read directly from a record spanning the repeat (status, copies, evidence)."""
    status: HaplotypeStatus
    copies: int | None = None
    allele: str = ""          # "*2" when named
    change_bp: int | None = None  # relative to the reference VNTR length (None for absolute counts)
    evidence: Evidence | None = None
    source: str = ""          # record key / field that gave it

    @property
    def label(self) -> str:
        if self.status is HaplotypeStatus.NAMED:
            return self.allele
        if self.status is HaplotypeStatus.UNNAMED_COPIES:
            return f"unnamed({self.copies}_copies)"
        if self.status is HaplotypeStatus.NON_UNIT_CHANGE:
            return f"non_unit_change({self.change_bp:+d}bp)" if self.change_bp is not None else "non_unit_change"
        if self.status is HaplotypeStatus.BEYOND_VNTR:
            return f"beyond_vntr({self.change_bp:+d}bp)"
        if self.status is HaplotypeStatus.UNKNOWN_LENGTH:
            return "unknown_length"
        return "?"

    def sort_key(self) -> tuple[int, int, str]:
        if self.status is HaplotypeStatus.NAMED:
            return (0, int(self.allele.lstrip("*")), "")
        return (1, 0, self.label)


@dataclass(frozen=True, slots=True)
class DirectCall:
    """One sample's direct VNTR call.  ``diplotypes`` holds every pair consistent with the records (one
    pair when the evidence is unambiguous)."""

    sample: str
    diplotypes: tuple[tuple[VntrHaplotype, VntrHaplotype], ...]
    evidence: tuple[str, ...]  # the record keys used
    confidence: str            # "high" (absolute counts) / "medium" (relative to the inferred reference)
    notes: tuple[str, ...] = ()


def diplotype_label(pair: tuple[VntrHaplotype, VntrHaplotype]) -> str:
    a, b = sorted(pair, key=VntrHaplotype.sort_key)
    # no ':' (it would break a VCF FORMAT value); named alleles sort first, so only an all-unnamed pair
    # gets the "IL1RN_" prefix
    return f"IL1RN{a.label}/{b.label}" if a.status is HaplotypeStatus.NAMED else f"IL1RN_{a.label}/{b.label}"


# --- one ALT allele ---------------------------------------------------------------------------------

def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (tuple, list)) else [value]


def _nth(value, index: int):
    values = _as_list(value)
    return values[index] if index < len(values) else (values[0] if len(values) == 1 else None)


def overlaps_vntr(v: Variant, defn: VntrDefinition) -> bool:
    iv = defn.interval
    if v.kind is VariantKind.SPANNING_DELETION or v.kind is VariantKind.NO_CHANGE:
        return False
    if v.start == v.end:  # insertion point (or a symbolic allele without a span)
        return iv.start <= v.start <= iv.end
    return v.start < iv.end and iv.start < v.end


def haplotype_for_copies(copies: int, defn: VntrDefinition, *, change_bp: int | None, evidence: Evidence,
                         source: str) -> VntrHaplotype:
    allele = defn.allele_for_copies(copies)
    if allele is None:
        return VntrHaplotype(HaplotypeStatus.UNNAMED_COPIES, copies, "", change_bp, evidence, source)
    return VntrHaplotype(HaplotypeStatus.NAMED, copies, allele.name, change_bp, evidence, source)


def haplotype_for_change(change_bp: int, defn: VntrDefinition, source: str, *,
                         outside_bp: int = 0, tolerance: int = TOLERANCE_BP,
                         evidence: Evidence = Evidence.LENGTH_CHANGE) -> VntrHaplotype:
    """Reference copies + a length change, with the unit tolerance."""
    if outside_bp > tolerance:
        return VntrHaplotype(HaplotypeStatus.BEYOND_VNTR, None, "", change_bp, evidence, source)
    units = round(change_bp / defn.unit_bp)
    if abs(change_bp - units * defn.unit_bp) > tolerance:
        return VntrHaplotype(HaplotypeStatus.NON_UNIT_CHANGE, None, "", change_bp, evidence, source)
    copies = defn.reference_copies + units
    if copies < 0:
        return VntrHaplotype(HaplotypeStatus.BEYOND_VNTR, None, "", change_bp, evidence, source)
    return haplotype_for_copies(copies, defn, change_bp=change_bp, evidence=evidence, source=source)


def reference_haplotype(defn: VntrDefinition, source: str) -> VntrHaplotype:
    return haplotype_for_copies(defn.reference_copies, defn, change_bp=0, evidence=Evidence.REFERENCE, source=source)


def _unit_matches(rec: Record, defn: VntrDefinition) -> bool | None:
    """Does the record's repeat unit (RU / RUS / RUL) have the VNTR's unit length?  None = not stated."""
    for key in ("RU", "RUS"):
        values = [str(v) for v in _as_list(rec.info.get(key)) if v not in (None, ".")]
        if values:
            return all(len(v) == defn.unit_bp for v in values)
    lengths = [int(v) for v in _as_list(rec.info.get("RUL")) if v is not None]
    if lengths:
        return all(v == defn.unit_bp for v in lengths)
    return None


def _cnv_tr_copies(rec: Record, alt_index0: int, defn: VntrDefinition) -> tuple[int | None, int | None, str]:
    """(copies, bases, how) of one <CNV:TR> ALT from RN/RUC/RUL/RB (VCF 4.4 5.7)."""
    rn = [int(x) for x in _as_list(rec.info.get("RN")) if x is not None]
    if not rn:
        rn = [1] * len(rec.alts)
    first = sum(rn[:alt_index0])
    count = rn[alt_index0] if alt_index0 < len(rn) else 1
    span = slice(first, first + count)
    ruc = [float(x) for x in _as_list(rec.info.get("RUC"))[span] if x is not None]
    rul = [int(x) for x in _as_list(rec.info.get("RUL"))[span] if x is not None]
    rus = [str(x) for x in _as_list(rec.info.get("RUS"))[span] if x is not None]
    rb = [int(x) for x in _as_list(rec.info.get("RB"))[span] if x is not None]
    unit_lengths = rul or [len(s) for s in rus]
    if ruc and unit_lengths and len(unit_lengths) == len(ruc) and all(u == defn.unit_bp for u in unit_lengths):
        total = sum(ruc)
        if abs(total - round(total)) * defn.unit_bp <= TOLERANCE_BP:
            return round(total), None, "RUC with RUL/RUS=86"
        return None, round(total * defn.unit_bp), "RUC not whole with RUL/RUS=86"
    if rb:
        return None, sum(rb), "RB"
    if ruc and unit_lengths and len(unit_lengths) == len(ruc):
        return None, round(sum(c * u for c, u in zip(ruc, unit_lengths))), "RUC x RUL"
    return None, None, "RN without RUC/RB: repeat-unit count not stated"


def alt_haplotype(rec: Record, v: Variant, defn: VntrDefinition) -> VntrHaplotype | None:
    """What one ALT allele says about the VNTR (None: not a length/count allele)."""
    src = v.vcf_key
    iv = defn.interval
    ref_len = len(iv)
    if v.kind is VariantKind.SYMBOLIC:
        svtype = v.svtype
        alt = v.vcf_alt.strip("<>").upper()
        if alt == "CNV:TR":
            copies, bases, how = _cnv_tr_copies(rec, v.allele_index - 1, defn)
            if copies is not None:
                return haplotype_for_copies(copies, defn, change_bp=None, evidence=Evidence.ABSOLUTE, source=f"{src} {how}")
            if bases is not None:
                return haplotype_for_change(bases - ref_len, defn, f"{src} {how}")
            return VntrHaplotype(HaplotypeStatus.UNKNOWN_LENGTH, source=f"{src} {how}")
        if alt.startswith("STR") and alt[3:].isdigit():
            if _unit_matches(rec, defn) is False:
                return VntrHaplotype(HaplotypeStatus.UNKNOWN_LENGTH, source=f"{src} repeat unit is not 86 bp")
            return haplotype_for_copies(int(alt[3:]), defn, change_bp=None, evidence=Evidence.ABSOLUTE, source=src)
        svlen = _nth(rec.info.get("SVLEN"), v.allele_index - 1)
        if svtype == "DEL":
            length = abs(int(svlen)) if svlen is not None else (v.end - v.start)
            if length == 0:
                return VntrHaplotype(HaplotypeStatus.UNKNOWN_LENGTH, source=f"{src} no END/SVLEN")
            end = v.start + length
            inside = max(0, min(end, iv.end) - max(v.start, iv.start))
            return haplotype_for_change(-length, defn, src, outside_bp=length - inside)
        if svtype == "INS":
            if svlen is None:
                return VntrHaplotype(HaplotypeStatus.UNKNOWN_LENGTH, source=f"{src} <INS> without SVLEN")
            return haplotype_for_change(abs(int(svlen)), defn, src)
        if svtype == "DUP":
            length = abs(int(svlen)) if svlen is not None else (v.end - v.start)
            if length == 0:
                return VntrHaplotype(HaplotypeStatus.UNKNOWN_LENGTH, source=f"{src} no END/SVLEN")
            inside = max(0, min(v.start + length, iv.end) - max(v.start, iv.start))
            return haplotype_for_change(length, defn, src, outside_bp=length - inside)
        return VntrHaplotype(HaplotypeStatus.UNKNOWN_LENGTH, source=f"{src} symbolic {v.vcf_alt} not interpreted")
    if v.kind in (VariantKind.INSERTION, VariantKind.DELETION, VariantKind.DELINS):
        change = len(v.alt) - len(v.ref)
        if change == 0:
            return None
        inside = max(0, min(v.end, iv.end) - max(v.start, iv.start))
        return haplotype_for_change(change, defn, src, outside_bp=(v.end - v.start) - inside)
    return None  # SNV/MNV: a sequence variant within a copy


# --- one sample ---------------------------------------------------------------------------------------

def _format_haplotypes(rec: Record, call: SampleCall, defn: VntrDefinition) -> list[VntrHaplotype] | None:
    """Per-sample counts from repeat-genotyper FORMAT fields (REPCN; TRGT AL, checked against MC, or MC
    alone), in GT order."""
    src = rec.key
    repcn = call.extra.get("REPCN")
    if repcn not in (None, "", "."):
        if _unit_matches(rec, defn) is False:
            return None
        parts = str(repcn).replace("|", "/").split("/") if not isinstance(repcn, (tuple, list)) else list(repcn)
        out = []
        for p in parts:
            p = str(p).strip()
            out.append(haplotype_for_copies(int(p), defn, change_bp=None, evidence=Evidence.ABSOLUTE,
                                            source=f"{src} FORMAT/REPCN") if p.isdigit()
                       else VntrHaplotype(HaplotypeStatus.MISSING, source=f"{src} FORMAT/REPCN"))
        return out
    al = call.extra.get("AL")
    if all(x in (None, "", ".") for x in _as_list(al)):
        al = None
    mc = _motif_counts(rec, call, defn)
    if al is not None:
        values = _as_list(al)
        end = rec.info.get("END")
        region = (int(_nth(end, 0)) - rec.pos + 1) if end is not None else len(rec.ref)
        out = []
        for k, x in enumerate(values):
            if x is None:
                out.append(VntrHaplotype(HaplotypeStatus.MISSING, source=f"{src} FORMAT/AL"))
                continue
            h = haplotype_for_change(int(x) - region, defn, f"{src} FORMAT/AL")
            counted = mc[k] if mc is not None and k < len(mc) else None
            if counted is not None and h.copies is not None and counted != h.copies:
                h = VntrHaplotype(h.status, h.copies, h.allele, h.change_bp, h.evidence,
                                  f"{h.source} (FORMAT/MC counts {counted} motifs: the length is used)")
            out.append(h)
        return out
    if mc is not None:  # TRGT motif counts without allele lengths
        return [haplotype_for_copies(x, defn, change_bp=None, evidence=Evidence.ABSOLUTE, source=f"{src} FORMAT/MC")
                if x is not None else VntrHaplotype(HaplotypeStatus.MISSING, source=f"{src} FORMAT/MC") for x in mc]
    return None


def _motif_counts(rec: Record, call: SampleCall, defn: VntrDefinition) -> list[int | None] | None:
    """TRGT ``FORMAT/MC`` per allele when the record has one motif of the unit's length (``INFO/MOTIFS``);
    None otherwise (several motifs give ``a_b`` counts per motif, which are not copies of the VNTR unit)."""
    mc = call.extra.get("MC")
    motifs = [str(m) for m in _as_list(rec.info.get("MOTIFS")) if m not in (None, ".")]
    if mc in (None, "", ".") or len(motifs) != 1 or len(motifs[0]) != defn.unit_bp:
        return None
    out: list[int | None] = []
    for v in _as_list(mc) if not isinstance(mc, str) else mc.split(","):
        text = str(v).strip() if v is not None else "."
        out.append(int(text) if text.isdigit() else None)
    return out


@dataclass(frozen=True, slots=True)
class RecordEvidence:
    """One VNTR record as one sample sees it: its haplotypes in GT order (None = not a length record)."""

    record: Record
    haplotypes: tuple[VntrHaplotype, ...]
    phased: bool
    phase_set: int | None
    absolute: bool


def sample_record_evidence(rec: Record, alt_haps: dict[int, VntrHaplotype | None], call: SampleCall,
                           defn: VntrDefinition) -> RecordEvidence | None:
    fmt = _format_haplotypes(rec, call, defn)
    if fmt is not None:
        if all(h.status is HaplotypeStatus.MISSING for h in fmt):
            return None
        return RecordEvidence(rec, tuple(fmt), call.phased, call.phase_set, True)
    if not call.alleles or all(a is None for a in call.alleles):
        return None
    # a record whose every ALT is a deletion/duplication reaching beyond the VNTR (a larger SV) says of a REF
    # haplotype only that it lacks that SV, not that its repeat has the reference length
    larger_sv_only = bool(alt_haps) and all(h is not None and h.status is HaplotypeStatus.BEYOND_VNTR
                                            for h in alt_haps.values())
    if larger_sv_only and all(a in (None, 0) for a in call.alleles):
        return None
    haps = []
    for a in call.alleles:
        if a is None:
            haps.append(VntrHaplotype(HaplotypeStatus.MISSING, source=rec.key))
        elif a == 0 and larger_sv_only:
            haps.append(VntrHaplotype(HaplotypeStatus.MISSING, source=f"{rec.key} (REF at a larger SV: repeat "
                                                                    "length not stated)"))
        elif a == 0:
            haps.append(reference_haplotype(defn, rec.key))
        else:
            h = alt_haps.get(a)
            if h is None:  # an ALT of this record that is not a length allele (e.g. '*' or an SNV)
                return None
            haps.append(h)
    absolute = any(h.evidence is Evidence.ABSOLUTE for h in haps)
    return RecordEvidence(rec, tuple(haps), call.phased, call.phase_set, absolute)


def _combine(h1: VntrHaplotype, h2: VntrHaplotype, defn: VntrDefinition) -> VntrHaplotype:
    """Two relative changes on one haplotype (from two records): add them."""
    if h1.evidence is Evidence.REFERENCE:
        return h2
    if h2.evidence is Evidence.REFERENCE:
        return h1
    if HaplotypeStatus.MISSING in (h1.status, h2.status):
        return VntrHaplotype(HaplotypeStatus.MISSING, source=f"{h1.source} + {h2.source}")
    if h1.change_bp is None or h2.change_bp is None:
        return VntrHaplotype(HaplotypeStatus.UNKNOWN_LENGTH, source=f"{h1.source} + {h2.source}")
    return haplotype_for_change(h1.change_bp + h2.change_bp, defn, f"{h1.source} + {h2.source}")


def call_sample(sample: str, evidence: list[RecordEvidence], defn: VntrDefinition) -> DirectCall | None:
    if not evidence:
        return None
    notes: list[str] = []
    absolute = [e for e in evidence if e.absolute]
    if absolute:
        if len(evidence) > len(absolute):
            notes.append("a repeat genotyper's counts were used; length-change records at the VNTR were not added to them")
        evidence = absolute
        confidence = "high"
    else:
        confidence = "medium"
        notes.append(f"copies = reference {defn.reference_copies} copies ({defn.reference_copies_confidence}) "
                     f"+ length change / {defn.unit_bp} bp (tolerance {TOLERANCE_BP} bp)")
    diploid = [e for e in evidence if len(e.haplotypes) == 2]
    if len(diploid) != len(evidence):
        notes.append("non-diploid genotype at the VNTR: not called")
        return DirectCall(sample, (), tuple(e.record.key for e in evidence), confidence, tuple(notes))
    changing = [e for e in diploid if any(h.evidence is not Evidence.REFERENCE for h in e.haplotypes)]
    if len(changing) <= 1:
        chosen = changing[0] if changing else diploid[0]
        pairs = {(chosen.haplotypes[0], chosen.haplotypes[1])}
    else:
        phase_sets = {e.phase_set for e in changing}
        hets = [e for e in changing if e.haplotypes[0] != e.haplotypes[1]]
        if all(e.phased for e in changing) and len(phase_sets) == 1:
            orientations = [tuple(e.haplotypes for e in changing)]
            notes.append("records combined per haplotype by phase")
        elif len(hets) > MAX_ORIENTATIONS:
            notes.append(f"{len(hets)} unphased heterozygous VNTR records: too many combinations, not called")
            return DirectCall(sample, (), tuple(e.record.key for e in changing), confidence, tuple(notes))
        else:
            notes.append(f"{len(changing)} unphased VNTR records: every way of placing them on two haplotypes listed")
            options = [[e.haplotypes, e.haplotypes[::-1]] if e in hets else [e.haplotypes] for e in changing]
            orientations = list(itertools.product(*options))
        pairs = set()
        for combo in orientations:
            h_a, h_b = combo[0]
            for nxt in combo[1:]:
                h_a, h_b = _combine(h_a, nxt[0], defn), _combine(h_b, nxt[1], defn)
            pairs.add((h_a, h_b))
    if any(h.evidence is Evidence.REFERENCE for p in pairs for h in p):
        notes.append(f"REF haplotype(s) counted as the reference allele ({defn.reference_copies} copies): the caller "
                     "reported no length change at the VNTR record(s); a length allele it did not call would be missed")
    unique: dict[str, tuple[VntrHaplotype, VntrHaplotype]] = {}
    for p in pairs:
        unique.setdefault(diplotype_label(p), tuple(sorted(p, key=VntrHaplotype.sort_key)))  # type: ignore[arg-type]
    ordered = tuple(unique[k] for k in sorted(unique, key=lambda k: [h.sort_key() for h in unique[k]]))
    return DirectCall(sample, ordered, tuple(dict.fromkeys(e.record.key for e in (changing or diploid))),
                      confidence, tuple(notes))


def length_records(records: list[tuple[Record, list[Variant]]], defn: VntrDefinition):
    """(record, ALT haplotypes by allele index) of the records a direct call reads: a VNTR length change or
    a repeat genotyper's per-sample counts (REPCN/AL)."""
    out = []
    for rec, variants in records:
        if not any(overlaps_vntr(v, defn) for v in variants):
            continue
        alt_haps = {v.allele_index: alt_haplotype(rec, v, defn) for v in variants if overlaps_vntr(v, defn)}
        if any(h is not None for h in alt_haps.values()):
            out.append((rec, alt_haps))
            continue
        if any(key in rec.calls.extra for key in ("REPCN", "AL", "MC")):  # a repeat genotyper's per-sample counts
            out.append((rec, alt_haps))
    return out


def direct_calls(records: list[tuple[Record, list[Variant]]], samples: tuple[str, ...],
                 defn: VntrDefinition, only: list[int] | None = None) -> dict[str, DirectCall]:
    """Direct calls for every sample with a called genotype at a VNTR length/count record.  ``only``: the
    indices of the samples to call (the others are not looked at)."""
    per_sample: dict[str, list[RecordEvidence]] = {s: [] for s in samples}
    for rec, alt_haps in length_records(records, defn):
        calls = rec.calls if only is None else [rec.calls[i] for i in only]
        for call in calls:
            ev = sample_record_evidence(rec, alt_haps, call, defn)
            if ev is not None and call.sample in per_sample:
                per_sample[call.sample].append(ev)
    out = {}
    for s, ev in per_sample.items():
        c = call_sample(s, ev, defn)
        if c is not None:
            out[s] = c
    return out
