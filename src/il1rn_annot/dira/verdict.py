"""Per-sample autosomal-recessive verdicts for DIRA from genotypes (pure).

Verdicts: ``BIALLELIC`` (a qualifying allele homozygous, or two qualifying alleles proven in trans),
``POSSIBLE_BIALLELIC_PHASE_UNKNOWN`` (two qualifying alleles, phase not known; or a haploid call),
``CARRIER`` (one qualifying allele, or two proven in cis), ``NOT_ASSESSABLE`` (a qualifying site where the
sample's call is missing, half-called, filtered or below GQ/DP and nothing above decides), and
``NO_QUALIFYING_VARIANT``; ``NO_IL1RN_RECORDS`` when the file has no record in the IL1RN window at all (an
exome without calls there, a file cut short, a region filter: nothing could be assessed).  A catalogue site with no record in the file is "not observed" - reported, never
taken as reference.

Phase comes from three separately reported sources: (1) the genotypes themselves - ``|`` with the same PS
(or both without PS, which the VCF specification puts in one phase set), or two different alleles whose
reference spans overlap, which cannot share a haplotype; (2) the parents named in a PED file; (3) unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from il1rn_annot.consequence.annotate import AlleleAnnotation
from il1rn_annot.coords import vcf_pos_to_start
from il1rn_annot.dira.catalogue import Catalogue, MatchHow, is_deletion_like
from il1rn_annot.dira.classify import (
    DiraClass,
    Evidence,
    Strength,
    VariantClassification,
    with_sample_evidence,
)
from il1rn_annot.dira.options import DiraOptions
from il1rn_annot.types import Interval, VariantKind
from il1rn_annot.variants.genotypes import ZYGOSITIES, SampleCall, Zygosity, zygosity


class Verdict(str, Enum):
    BIALLELIC = "BIALLELIC"
    POSSIBLE_BIALLELIC_PHASE_UNKNOWN = "POSSIBLE_BIALLELIC_PHASE_UNKNOWN"
    CARRIER = "CARRIER"
    NO_QUALIFYING_VARIANT = "NO_QUALIFYING_VARIANT"
    NOT_ASSESSABLE = "NOT_ASSESSABLE"
    NO_IL1RN_RECORDS = "NO_IL1RN_RECORDS"  # the file has no record in the IL1RN window: nothing was assessed


class Phase(str, Enum):
    TRANS = "trans"
    CIS = "cis"
    UNKNOWN = "unknown"
    SAME_ALLELE = "same_allele"


class PhaseSource(str, Enum):
    GENOTYPE = "genotype"  # phased GT with the same PS, or overlapping alleles
    PED = "ped"  # parents' genotypes
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Trio:
    """A sample and its parents from a PED file (None where the PED names none or the parent is not in the input)."""
    sample: str
    father: str | None
    mother: str | None


@dataclass(frozen=True)
class AlleleItem:
    """One ALT allele of the run with its classification and calls by sample."""

    ann: AlleleAnnotation
    vc: VariantClassification
    calls: dict[str, SampleCall] = field(compare=False)

    @property
    def key(self) -> str:
        return self.ann.variant.vcf_key

    @property
    def index(self) -> int:
        return self.ann.variant.allele_index


@dataclass(frozen=True)
class Hit:
    """A qualifying or candidate allele carried by a sample: its call, copies and classification."""
    item: AlleleItem
    call: SampleCall
    copies: int
    vc: VariantClassification  # may carry sample-level PM3
    flags: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.item.key


@dataclass(frozen=True, slots=True)
class PhaseCall:
    """Whether two heterozygous hits of a sample are in trans or in cis, and from which evidence."""
    a: str
    b: str
    phase: Phase
    source: PhaseSource
    detail: str
    genotype_phase: str  # what the genotypes alone say
    ped_phase: str  # what the parents alone say


def qualifies(vc: VariantClassification, opts: DiraOptions) -> bool:
    return vc.dira_class.value in opts.qualifying_classes


def call_issues(item: AlleleItem, call: SampleCall, opts: DiraOptions) -> list[str]:
    """Reasons the call at this site is not trusted under the policy (empty = trusted)."""
    out = []
    rec = item.ann.record
    if opts.filtered == "not_assessable":
        if not rec.passed:
            out.append(f"record FILTER {';'.join(rec.filters)}")
        if call.ft not in (None, "", ".", "PASS"):
            out.append(f"sample FT {call.ft}")
    if opts.low_quality == "not_assessable":
        if call.gq is not None and call.gq < opts.min_gq:
            out.append(f"GQ {call.gq:g} < {opts.min_gq:g}")
        if call.dp is not None and call.dp < opts.min_dp:
            out.append(f"DP {call.dp} < {opts.min_dp}")
    return out


def can_matter(item: AlleleItem, opts: DiraOptions) -> bool:
    """Can any sample's call at ``item`` change a verdict?  Only qualifying alleles (hits and not-assessable
    notes), uncertain ones (PM3, listed as other candidates) and deletions (possibly hemizygous) can; a
    benign or not-qualifying point change cannot (:func:`sample_verdict` drops its hits)."""
    return (qualifies(item.vc, opts) or item.vc.dira_class is DiraClass.UNCERTAIN
            or is_deletion_like(item.ann.variant))


def issue_mask(item: AlleleItem, matrix, opts: DiraOptions):
    """``bool(call_issues(item, call, opts))`` for every sample of a GenotypeMatrix (vectorised)."""
    import numpy as np

    n = len(matrix)
    issues = np.zeros(n, dtype=bool)
    rec = item.ann.record
    if opts.filtered == "not_assessable":
        if not rec.passed:
            issues[:] = True
        if matrix.ft is not None:
            issues |= np.array([f not in (None, "", ".", "PASS") for f in matrix.ft], dtype=bool)
    if opts.low_quality == "not_assessable":
        for key, limit in (("GQ", opts.min_gq), ("DP", opts.min_dp)):
            v = matrix.values.get(key)
            if v is not None:
                issues |= ~np.isnan(v) & (v < limit)
    return issues


def interesting_samples(item: AlleleItem, matrix, opts: DiraOptions):
    """Indices of the samples whose call at ``item`` can matter to :func:`_hit_for` (vectorised over a
    GenotypeMatrix): every call but a reference call that is trusted (or whose distrust is not
    reported because the allele does not qualify).  Mirrors :func:`call_issues` and :func:`_hit_for`."""
    import numpy as np

    if not can_matter(item, opts):
        return np.zeros(0, dtype=np.int64)
    z = matrix.zygosity_codes(item.index)
    keep = z != ZYGOSITIES.index(Zygosity.REF)
    if qualifies(item.vc, opts):
        keep |= issue_mask(item, matrix, opts)
    return np.flatnonzero(keep)


def _haplotype(call: SampleCall, allele_index: int) -> int | None:
    hs = [i for i, a in enumerate(call.alleles) if a == allele_index]
    return hs[0] if len(hs) == 1 else None


def same_allele(a: AlleleItem, b: AlleleItem) -> bool:
    """Two records that write the same allele (duplicate representation)."""
    va, vb = a.ann.variant, b.ann.variant
    if (va.start, va.end, va.ref, va.alt) == (vb.start, vb.end, vb.ref, vb.alt):
        return True
    ids_a = {m.allele.allele_id for m in a.vc.catalogue if m.how in (MatchHow.EXACT, MatchHow.SHIFT_EQUIVALENT)}
    ids_b = {m.allele.allele_id for m in b.vc.catalogue if m.how in (MatchHow.EXACT, MatchHow.SHIFT_EQUIVALENT)}
    return bool(ids_a & ids_b)


def genotype_phase(h1: Hit, h2: Hit) -> tuple[Phase, str]:
    v1, v2 = h1.item.ann.variant, h2.item.ann.variant
    if v1.interval.overlaps(v2.interval) or (v1.start == v2.start and v1.end == v2.end):
        return Phase.TRANS, (f"{h1.key} and {h2.key} change overlapping reference bases, so they cannot lie on the "
                             "same chromosome copy")
    c1, c2 = h1.call, h2.call
    if c1.phased and c2.phased and c1.phase_set == c2.phase_set:
        p1, p2 = _haplotype(c1, h1.item.index), _haplotype(c2, h2.item.index)
        if p1 is not None and p2 is not None:
            ps = "no PS (one phase set by the VCF rule)" if c1.phase_set is None else f"PS={c1.phase_set}"
            return (Phase.TRANS if p1 != p2 else Phase.CIS), (
                f"phased genotypes {c1.gt} and {c2.gt} in the same phase set ({ps}): "
                f"{'different' if p1 != p2 else 'the same'} haplotypes")
    if c1.phased and c2.phased:
        return Phase.UNKNOWN, f"phased in different phase sets (PS {c1.phase_set} vs {c2.phase_set})"
    return Phase.UNKNOWN, "genotypes unphased"


def _parent_copies(item: AlleleItem, parent: str | None) -> int | None:
    if parent is None or parent not in item.calls:
        return None
    return item.calls[parent].copies_of(item.index)


def _origin(item: AlleleItem, trio: Trio) -> tuple[str | None, str]:
    f, m = _parent_copies(item, trio.father), _parent_copies(item, trio.mother)
    if f is None or m is None:
        who = [n for n, c, p in (("father", f, trio.father), ("mother", m, trio.mother)) if c is None]
        return None, f"{' and '.join(who)} genotype at {item.key} not available"
    if f >= 1 and m == 0:
        return "father", f"{item.key} from the father ({trio.father}: {item.calls[trio.father].gt})"
    if m >= 1 and f == 0:
        return "mother", f"{item.key} from the mother ({trio.mother}: {item.calls[trio.mother].gt})"
    if f == 0 and m == 0:
        return None, f"neither parent carries {item.key} (de novo or sample mix-up)"
    return None, f"both parents carry {item.key}"


def ped_phase(h1: Hit, h2: Hit, trio: Trio | None) -> tuple[Phase, str]:
    if trio is None or (trio.father is None and trio.mother is None):
        return Phase.UNKNOWN, "no parents in the PED"
    o1, d1 = _origin(h1.item, trio)
    o2, d2 = _origin(h2.item, trio)
    if o1 and o2:
        return (Phase.TRANS if o1 != o2 else Phase.CIS), f"{d1}; {d2}"
    return Phase.UNKNOWN, f"{d1}; {d2}"


def phase_pair(h1: Hit, h2: Hit, trio: Trio | None) -> PhaseCall:
    if same_allele(h1.item, h2.item):
        return PhaseCall(h1.key, h2.key, Phase.SAME_ALLELE, PhaseSource.GENOTYPE,
                         "two records write the same allele; counted once", "same_allele", "")
    g, gd = genotype_phase(h1, h2)
    p, pd = ped_phase(h1, h2, trio)
    if g is not Phase.UNKNOWN and p is not Phase.UNKNOWN and g is not p:
        return PhaseCall(h1.key, h2.key, Phase.UNKNOWN, PhaseSource.UNKNOWN,
                         f"CONFLICT: genotypes say {g.value} ({gd}) but parents say {p.value} ({pd})", g.value, p.value)
    if g is not Phase.UNKNOWN:
        return PhaseCall(h1.key, h2.key, g, PhaseSource.GENOTYPE, gd, g.value, p.value)
    if p is not Phase.UNKNOWN:
        return PhaseCall(h1.key, h2.key, p, PhaseSource.PED, pd, g.value, p.value)
    return PhaseCall(h1.key, h2.key, Phase.UNKNOWN, PhaseSource.UNKNOWN, f"{gd}; {pd}", g.value, p.value)


@dataclass
class SampleVerdict:
    """The DIRA verdict of one sample with the hits, phase, flags and reasons behind it."""
    sample: str
    verdict: Verdict
    qualifying: list[Hit]
    other_candidates: list[Hit]
    phase: list[PhaseCall]
    not_assessable: list[tuple[str, str]]  # (variant, why)
    flags: list[str]
    reasons: list[str]
    catalogue_sites: dict[str, str]


def _hit_for(item: AlleleItem, call: SampleCall | None, opts: DiraOptions,
             unassessable: list[tuple[str, str]], relevant: bool) -> Hit | None:
    """The sample's copies of one allele under the genotype policies (None = does not carry it)."""
    if call is None:
        if relevant:
            unassessable.append((item.key, "no genotype for this sample"))
        return None
    k = item.index
    issues = call_issues(item, call, opts)
    z = zygosity(call, k)
    if z is Zygosity.MISSING and call.cn is not None and is_deletion_like(item.ann.variant):
        copies = max(0, 2 - int(round(call.cn)))
        if issues and relevant:
            unassessable.append((item.key, f"CN={call.cn:g} but {', '.join(issues)}"))
            return None
        return Hit(item, call, copies, item.vc, ("copies_from_CN",)) if copies else None
    if z is Zygosity.MISSING:
        if relevant:
            unassessable.append((item.key, "genotype missing (./.)"))
        return None
    if issues:
        if relevant:
            unassessable.append((item.key, f"call {call.gt} not trusted: {', '.join(issues)}"))
        return None
    if z in (Zygosity.REF,):
        return None
    cn_flag: tuple[str, ...] = ()
    if call.cn is not None and is_deletion_like(item.ann.variant) and z in (Zygosity.HOM_ALT, Zygosity.HET):
        gt_copies = 2 if z is Zygosity.HOM_ALT else 1
        if max(0, 2 - int(round(call.cn))) != gt_copies:
            cn_flag = (f"GT {call.gt} disagrees with CN={call.cn:g}; GT used",)
    if z is Zygosity.HOM_ALT:
        return Hit(item, call, 2, item.vc, cn_flag)
    if z in (Zygosity.HET, Zygosity.HET_OTHER_ALT):
        return Hit(item, call, 1, item.vc, cn_flag)
    if z is Zygosity.HALF_CALL:
        has = any(a == k for a in call.alleles)
        if opts.half_call == "missing":
            if relevant:
                unassessable.append((item.key, f"half-call {call.gt} treated as missing (policy)"))
            return None
        if opts.half_call == "het":
            return Hit(item, call, 1, item.vc, ("half_call_as_het",)) if has else None
        if relevant:
            unassessable.append((item.key, f"half-call {call.gt}: second allele not called"))
        return Hit(item, call, 1, item.vc, ("half_call",)) if has else None
    if z is Zygosity.HEMIZYGOUS:
        if opts.haploid == "not_assessable":
            if relevant:
                unassessable.append((item.key, f"haploid call {call.gt} on an autosome (policy: not assessable)"))
            return None
        if opts.haploid == "biallelic":
            return Hit(item, call, 2, item.vc, ("haploid",))
        return Hit(item, call, 1, item.vc, ("haploid",))
    return None


def _record_span_covers(item: AlleleItem, site: Interval) -> bool:
    """Does this record call the reference bases of ``site``?  Its REF span does; a gVCF reference block
    (``<NON_REF>``/``<*>``) covers up to its END; a structural-variant record does not."""
    v, rec = item.ann.variant, item.ann.record
    if v.kind is VariantKind.SYMBOLIC:
        return False
    start = vcf_pos_to_start(rec.pos)
    end = start + max(1, len(rec.ref))
    if v.kind is VariantKind.NO_CHANGE:
        block_end = rec.info.get("END")
        block_end = block_end[0] if isinstance(block_end, tuple) else block_end
        if block_end is not None:
            end = max(end, int(block_end))
    return start < site.end and site.start < end


@dataclass(frozen=True)
class CatalogueSites:
    """Which records of the run carry or cover each catalogue allele (the same for every sample)."""

    carried: dict[str, tuple[AlleleItem, ...]]
    covering: dict[str, tuple[AlleleItem, ...]]
    no_coordinates: tuple[str, ...]

    @classmethod
    def build(cls, items: list[AlleleItem], catalogue: Catalogue) -> "CatalogueSites":
        carried, covering, none = {}, {}, []
        by_id: dict[str, list[AlleleItem]] = {}  # catalogue allele -> the items matching it, in input order
        for i in items:  # (an allele matches a catalogue allele at most once: catalogue.match_small/large)
            for m in i.vc.catalogue:
                by_id.setdefault(m.allele.allele_id, []).append(i)
        for a in catalogue.alleles:
            if a.interval is None:
                none.append(a.allele_id)
                continue
            carried[a.allele_id] = tuple(by_id.get(a.allele_id, ()))
            # a small-variant record whose REF spans the site calls it; a structural-variant record does not
            # (0/0 for a deletion says nothing about a point change inside it).  A large deletion is called
            # only by a deletion record: a 0/0 SNV inside 22 kb cannot exclude a heterozygous deletion.
            covering[a.allele_id] = () if a.is_large_deletion else tuple(
                i for i in items if _record_span_covers(i, a.interval))
        return cls(carried, covering, tuple(none))

    def involved(self) -> list[AlleleItem]:
        """The records whose genotypes :meth:`for_sample` reads, each once, in order."""
        seen: dict[int, AlleleItem] = {}
        for group in (*self.carried.values(), *self.covering.values()):
            for i in group:
                seen.setdefault(id(i), i)
        return list(seen.values())

    def statuses(self, samples: tuple[str, ...]) -> list[dict[str, str]]:
        """:meth:`for_sample` of every sample.  For columnar genotypes the samples are grouped by their
        genotypes (GT text = alleles + phasing) at the involved records and each group is described once:
        samples with the same genotypes there share ONE dict (treat it as read-only)."""
        items = self.involved()
        if not samples:
            return []
        mats = [getattr(i.calls, "full", None) for i in items]
        if any(m is None for m in mats):
            return [self.for_sample(s) for s in samples]
        if not mats:
            shared = self.for_sample(samples[0])
            return [shared] * len(samples)
        import numpy as np

        sig = np.column_stack([m.classes()[1] for m in mats])
        _, first, inverse = np.unique(sig, axis=0, return_index=True, return_inverse=True)
        described = [self.for_sample(samples[int(f)]) for f in first]
        return [described[k] for k in inverse.ravel().tolist()]

    def for_sample(self, sample: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for aid in self.no_coordinates:
            out[aid] = "no coordinates (breakpoints unpublished): only a matching deletion call can show it"
        for aid, carried in self.carried.items():
            covering = self.covering[aid]
            if not carried and not covering:
                out[aid] = "not_observed"
            elif carried:
                gts = [f"{c.gt} at {i.key}" for i in carried if (c := i.calls.get(sample)) is not None]
                out[aid] = "called: " + "; ".join(gts) if gts else "record present, no genotype"
            else:
                gts = [f"{c.gt} at {i.key} ({'reference block' if i.ann.variant.kind is VariantKind.NO_CHANGE else 'another allele'})"
                       for i in covering if (c := i.calls.get(sample)) is not None]
                out[aid] = "site called, allele not in file: " + "; ".join(gts) if gts else "record present, no genotype"
        return out


def no_qualifying_line(opts: DiraOptions) -> str:
    return "no allele of class " + "/".join(opts.qualifying_classes) + " is carried."


def other_candidate_line(h: Hit) -> str:
    """The reason line of a carried allele that does not count toward the verdict (uncertain, or below)."""
    return (f"{h.key} ({h.call.gt}) is {h.vc.dira_class.value}: it does not count toward the verdict "
            f"({h.vc.summary}).")


def missing_sites_lines(site_status: dict[str, str]) -> list[str]:
    missing_sites = sorted(k for k, v in site_status.items() if v == "not_observed")
    if not missing_sites:
        return []
    return [f"{len(missing_sites)} catalogue site(s) have no record in this file and are NOT OBSERVED "
            f"(not assumed reference): {', '.join(missing_sites)}."]


def sample_verdict(sample: str, items: list[AlleleItem], opts: DiraOptions, trio: Trio | None,
                   catalogue: Catalogue, sites: CatalogueSites | None = None,
                   candidates: list[AlleleItem] | None = None,
                   site_status: dict[str, str] | None = None) -> SampleVerdict:
    """``candidates``: the items, in order, for which this sample's call is not a trusted reference call
    (:func:`interesting_samples`); the others cannot give a hit nor a not-assessable note.  None: all.
    ``site_status``: this sample's :meth:`CatalogueSites.for_sample`, if already computed."""
    unassessable: list[tuple[str, str]] = []
    hits: list[Hit] = []
    deletion_hits: list[Hit] = []
    for item in (items if candidates is None else candidates):
        relevant = qualifies(item.vc, opts)
        h = _hit_for(item, item.calls.get(sample), opts, unassessable, relevant)
        if h is None:
            continue
        if is_deletion_like(item.ann.variant):
            deletion_hits.append(h)
        if relevant or item.vc.dira_class is DiraClass.UNCERTAIN:
            hits.append(h)
    reasons: list[str] = []
    flags: list[str] = []
    # PM3: an uncertain allele proven in trans with a pathogenic / likely pathogenic one (this sample)
    phases: dict[tuple[str, str], PhaseCall] = {}

    def pc(a: Hit, b: Hit) -> PhaseCall:
        key = (a.key, b.key)
        if key not in phases:
            phases[key] = phase_pair(a, b, trio)
        return phases[key]

    if opts.use_pm3:
        strong = [h for h in hits if h.vc.dira_class in (DiraClass.PATHOGENIC, DiraClass.LIKELY_PATHOGENIC)]
        upgraded = []
        for h in hits:
            if h.vc.dira_class is not DiraClass.UNCERTAIN or h.copies != 1:
                upgraded.append(h)
                continue
            partner = next((p for p in strong if p is not h and pc(p, h).phase is Phase.TRANS), None)
            if partner is None:
                upgraded.append(h)
                continue
            ph = pc(partner, h)
            ev = Evidence("PM3", Strength.MODERATE, 2,
                          f"in this sample, in trans with {partner.vc.dira_class.value} {partner.key} "
                          f"({ph.source.value}: {ph.detail})")
            nvc = with_sample_evidence(h.vc, ev)
            reasons.append(f"PM3 added to {h.key} (in trans with {partner.key}); class {h.vc.dira_class.value} -> "
                           f"{nvc.dira_class.value}.")
            upgraded.append(Hit(h.item, h.call, h.copies, nvc, h.flags))
        hits = upgraded
    qual = [h for h in hits if qualifies(h.vc, opts)]
    others = [h for h in hits if not qualifies(h.vc, opts)]
    # possibly hemizygous: an apparently homozygous allele inside a heterozygous deletion
    for h in qual:
        if h.copies != 2 or is_deletion_like(h.item.ann.variant):
            continue
        v = h.item.ann.variant
        for d in deletion_hits:
            dv = d.item.ann.variant
            if d.copies == 1 and dv.start <= v.start and v.end <= dv.end and d.item is not h.item:
                flags.append("possibly_hemizygous")
                reasons.append(f"{h.key} looks homozygous ({h.call.gt}) but lies inside the heterozygous deletion "
                               f"{d.key} ({d.call.gt}): it is possibly hemizygous (one copy, opposite the deletion). "
                               "Both chromosome copies are still affected; confirm by parental testing or copy-number "
                               "analysis.")
    phase_calls: list[PhaseCall] = []
    verdict: Verdict | None = None
    homs = [h for h in qual if h.copies >= 2]
    if homs:
        verdict = Verdict.BIALLELIC
        for h in homs:
            note = " (haploid call counted as two copies by policy)" if "haploid" in h.flags else ""
            reasons.append(f"{h.key} ({h.vc.dira_class.value}) is homozygous ({h.call.gt}){note}: both copies "
                           "carry a qualifying allele.")
    distinct: list[Hit] = []
    for h in qual:
        if any(same_allele(h.item, d.item) for d in distinct):
            reasons.append(f"{h.key} writes the same allele as an earlier record; counted once.")
            continue
        distinct.append(h)
    singles = [h for h in distinct if h.copies == 1]
    for i in range(len(singles)):
        for j in range(i + 1, len(singles)):
            phase_calls.append(pc(singles[i], singles[j]))
    if verdict is None:
        trans = [p for p in phase_calls if p.phase is Phase.TRANS]
        unknown = [p for p in phase_calls if p.phase is Phase.UNKNOWN]
        haploid = [h for h in singles if "haploid" in h.flags]
        if trans:
            verdict = Verdict.BIALLELIC
            for p in trans:
                reasons.append(f"{p.a} and {p.b} are in trans ({p.source.value}: {p.detail}).")
        elif haploid and opts.haploid == "possible":
            verdict = Verdict.POSSIBLE_BIALLELIC_PHASE_UNKNOWN
            flags.append("haploid_call")
            for h in haploid:
                reasons.append(f"{h.key} is a haploid call ({h.call.gt}) on chromosome 2: no second allele was "
                               "reported, which fits a deletion of the other copy (possibly hemizygous).")
        elif unknown:
            verdict = Verdict.POSSIBLE_BIALLELIC_PHASE_UNKNOWN
            for p in unknown:
                reasons.append(f"{p.a} and {p.b}: phase unknown ({p.detail}). Confirm by parental testing or "
                               "long-read/read-backed phasing.")
        elif unassessable:
            verdict = Verdict.NOT_ASSESSABLE
        elif distinct:
            verdict = Verdict.CARRIER
            if len(distinct) == 1:
                h = distinct[0]
                reasons.append(f"one qualifying allele: {h.key} ({h.vc.dira_class.value}, {h.call.gt}); a carrier "
                               "of a recessive disease is expected to be healthy.")
            else:
                for p in phase_calls:
                    reasons.append(f"{p.a} and {p.b} are in cis ({p.source.value}: {p.detail}): one chromosome "
                                   "copy carries both, the other is intact.")
        else:
            verdict = Verdict.NO_QUALIFYING_VARIANT
    for key, why in unassessable:
        reasons.append(f"qualifying site {key} not assessable: {why}.")
    if verdict is Verdict.NOT_ASSESSABLE and distinct:
        reasons.append(f"{len(distinct)} qualifying allele(s) seen, but a missing or untrusted call at another "
                       "qualifying site could complete a second hit.")
    if verdict is Verdict.NO_QUALIFYING_VARIANT:
        reasons.append(no_qualifying_line(opts))
    reasons.extend(other_candidate_line(h) for h in others)
    if site_status is None:
        site_status = (sites or CatalogueSites.build(items, catalogue)).for_sample(sample)
    reasons.extend(missing_sites_lines(site_status))
    return SampleVerdict(sample=sample, verdict=verdict, qualifying=qual, other_candidates=others,
                         phase=phase_calls, not_assessable=unassessable, flags=sorted(set(flags)), reasons=reasons,
                         catalogue_sites=site_status)
