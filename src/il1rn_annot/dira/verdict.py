"""Per-sample autosomal-recessive verdicts for DIRA from genotypes (pure).

Verdicts: ``BIALLELIC`` (a qualifying allele homozygous, or two qualifying alleles proven in trans by read-backed
phase, the parents or overlapping alleles), ``POSSIBLE_BIALLELIC_PHASE_UNKNOWN`` (two qualifying alleles whose
phase is unknown or only statistical; or a haploid call), ``POSSIBLE_BIALLELIC_INCONSISTENT_GENOTYPES`` (a
biallelic genotype the other calls contradict: a heterozygous change inside a heterozygous deletion of the same
bases, a Mendelian error in a trio), ``UNCERTAIN_BIALLELIC_CANDIDATE`` (both copies affected only if an allele of
uncertain significance counts: a homozygous novel splice-site change, an uncertain allele in trans with a
pathogenic one),
``CARRIER`` (one qualifying allele, or two proven in cis), ``NOT_ASSESSABLE`` (a qualifying site where the
sample's call is missing, half-called, filtered or below GQ/DP and nothing above decides), and
``NO_QUALIFYING_VARIANT``; ``NO_IL1RN_RECORDS`` when the file has no record in the IL1RN window at all (an
exome without calls there, a file cut short, a region filter: nothing could be assessed).  A catalogue site with no record in the file is "not observed" - reported, never
taken as reference.

Phase comes from separately reported levels: read-backed (``|`` with the same ``PS``, or a VCF 4.4/4.5 ``PSL``
phase-set list), overlapping alleles (two different alleles changing the same bases cannot share a haplotype),
pedigree (the parents named in a PED file), statistical (``|`` without ``PS``: population phasing such as Beagle
or SHAPEIT, unreliable for rare variants - reported, never enough for BIALLELIC on its own) and unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from il1rn_annot.consequence.annotate import AlleleAnnotation
from il1rn_annot.coords import vcf_pos_to_start
from il1rn_annot.dira.catalogue import Catalogue, MatchHow, is_deletion_like
from il1rn_annot.dira.classify import DiraClass, VariantClassification
from il1rn_annot.dira.options import DiraOptions
from il1rn_annot.types import Interval, VariantKind
from il1rn_annot.variants.genotypes import ZYGOSITIES, SampleCall, Zygosity, zygosity


MAX_PAIRED = 30  # single-copy candidate alleles whose pairs a verdict lists (see sample_verdict)


class Verdict(str, Enum):
    BIALLELIC = "BIALLELIC"
    POSSIBLE_BIALLELIC_PHASE_UNKNOWN = "POSSIBLE_BIALLELIC_PHASE_UNKNOWN"
    POSSIBLE_BIALLELIC_INCONSISTENT_GENOTYPES = "POSSIBLE_BIALLELIC_INCONSISTENT_GENOTYPES"
    UNCERTAIN_BIALLELIC_CANDIDATE = "UNCERTAIN_BIALLELIC_CANDIDATE"
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
    READ_BACKED = "read_backed"  # phased GT with the same PS (a read-backed phaser or a phased caller), or PSL
    OVERLAP = "overlapping_alleles"  # two different alleles changing the same bases
    PED = "pedigree"  # parents' genotypes
    STATISTICAL = "statistical"  # | without PS (population phasing): reported, never proof
    UNKNOWN = "unknown"


PROVEN = frozenset({PhaseSource.READ_BACKED, PhaseSource.OVERLAP, PhaseSource.PED})


@dataclass(frozen=True, slots=True)
class Trio:
    """A sample and its parents from a PED file (None where the PED names none or the parent is not in the input)."""
    sample: str
    father: str | None
    mother: str | None
    affected: bool | None = None  # PED phenotype: 2 affected, 1 unaffected, else unknown


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


def _psl(call: SampleCall, slot: int) -> str | None:
    """The VCF 4.4/4.5 ``PSL`` phase-set name of the allele in GT slot ``slot`` (None: not given / ``.``)."""
    raw = call.extra.get("PSL") if call.extra else None
    if raw is None:
        return None
    items = list(raw) if isinstance(raw, (tuple, list)) else str(raw).split(",")
    if slot >= len(items):
        return None
    v = items[slot]
    return None if v in (None, "", ".") else str(v)


def genotype_phase(h1: Hit, h2: Hit) -> tuple[Phase, PhaseSource, str]:
    """What the two calls alone say: (phase, level, detail)."""
    v1, v2 = h1.item.ann.variant, h2.item.ann.variant
    if v1.interval.overlaps(v2.interval) or (v1.start == v2.start and v1.end == v2.end):
        return Phase.TRANS, PhaseSource.OVERLAP, (f"{h1.key} and {h2.key} change overlapping reference bases, so they "
                                                  "cannot lie on the same chromosome copy")
    c1, c2 = h1.call, h2.call
    p1, p2 = _haplotype(c1, h1.item.index), _haplotype(c2, h2.item.index)
    if c1.phased and c2.phased and p1 is not None and p2 is not None:
        s1, s2 = _psl(c1, p1), _psl(c2, p2)
        if s1 is not None and s2 is not None:
            if s1 == s2:
                return (Phase.TRANS if p1 != p2 else Phase.CIS), PhaseSource.READ_BACKED, (
                    f"phase-set list (PSL) {s1} on both, {'different' if p1 != p2 else 'the same'} haplotypes")
            return Phase.UNKNOWN, PhaseSource.UNKNOWN, f"different PSL phase sets ({s1} vs {s2})"
        if c1.phase_set is not None and c1.phase_set == c2.phase_set:
            return (Phase.TRANS if p1 != p2 else Phase.CIS), PhaseSource.READ_BACKED, (
                f"phased genotypes {c1.gt} and {c2.gt} in the same phase set (PS={c1.phase_set}): "
                f"{'different' if p1 != p2 else 'the same'} haplotypes (read-backed or caller phasing)")
        if c1.phase_set is None and c2.phase_set is None:
            return (Phase.TRANS if p1 != p2 else Phase.CIS), PhaseSource.STATISTICAL, (
                f"phased genotypes {c1.gt} and {c2.gt} without PS: statistical (population) phasing, which is "
                "unreliable for rare variants; not taken as proof")
        return Phase.UNKNOWN, PhaseSource.UNKNOWN, f"phased in different phase sets (PS {c1.phase_set} vs {c2.phase_set})"
    return Phase.UNKNOWN, PhaseSource.UNKNOWN, "genotypes unphased"


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


def mendelian_error(item: AlleleItem, sample: str, trio: Trio | None) -> str:
    """Why the child's call at ``item`` cannot come from its parents' calls ('' = consistent or not checkable)."""
    if trio is None or trio.father is None or trio.mother is None:
        return ""
    calls = [item.calls.get(x) for x in (sample, trio.father, trio.mother)]
    if any(c is None or len(c.alleles) != 2 or any(a is None for a in c.alleles) for c in calls):
        return ""
    child, father, mother = calls
    a, b = child.alleles
    if (a in father.alleles and b in mother.alleles) or (b in father.alleles and a in mother.alleles):
        return ""
    return (f"Mendelian error at {item.key}: child {child.gt}, father {trio.father} {father.gt}, mother "
            f"{trio.mother} {mother.gt}")


def ped_phase(h1: Hit, h2: Hit, trio: Trio | None) -> tuple[Phase, str]:
    if trio is None or (trio.father is None and trio.mother is None):
        return Phase.UNKNOWN, "no parents in the PED"
    o1, d1 = _origin(h1.item, trio)
    o2, d2 = _origin(h2.item, trio)
    if o1 and o2:
        return (Phase.TRANS if o1 != o2 else Phase.CIS), f"{d1}; {d2}"
    return Phase.UNKNOWN, f"{d1}; {d2}"


def phase_pair(h1: Hit, h2: Hit, trio: Trio | None, mendel_bad: frozenset[str] = frozenset()) -> PhaseCall:
    """The phase of two hits and its level: read-backed or overlapping alleles first, then the parents (unless a
    Mendelian error makes them unreliable), then statistical phase (reported, never proof), else unknown."""
    if same_allele(h1.item, h2.item):
        return PhaseCall(h1.key, h2.key, Phase.SAME_ALLELE, PhaseSource.OVERLAP,
                         "two records write the same allele; counted once", "same_allele", "")
    g, level, gd = genotype_phase(h1, h2)
    if h1.key in mendel_bad or h2.key in mendel_bad:
        p, pd = Phase.UNKNOWN, "parents not used: Mendelian error at " + ", ".join(
            k for k in (h1.key, h2.key) if k in mendel_bad)
    else:
        p, pd = ped_phase(h1, h2, trio)
    strong = level in (PhaseSource.READ_BACKED, PhaseSource.OVERLAP)
    if strong and p is not Phase.UNKNOWN and g is not p:
        return PhaseCall(h1.key, h2.key, Phase.UNKNOWN, PhaseSource.UNKNOWN,
                         f"CONFLICT: genotypes say {g.value} ({gd}) but parents say {p.value} ({pd})", g.value, p.value)
    if strong:
        return PhaseCall(h1.key, h2.key, g, level, gd, g.value, p.value)
    if p is not Phase.UNKNOWN:
        extra = f" (statistical phase said {g.value}: not used)" if level is PhaseSource.STATISTICAL and g is not p else ""
        return PhaseCall(h1.key, h2.key, p, PhaseSource.PED, pd + extra, g.value, p.value)
    if level is PhaseSource.STATISTICAL:
        return PhaseCall(h1.key, h2.key, g, PhaseSource.STATISTICAL, f"{gd}; {pd}", g.value, p.value)
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


def _issue_flag(issues: list[str]) -> str:
    if any(i.startswith(("record FILTER", "sample FT")) for i in issues):
        return "filtered_call"
    return "low_quality_call"


def _hit_for(item: AlleleItem, call: SampleCall | None, opts: DiraOptions,
             unassessable: list[tuple[str, str, str]], relevant: bool, vc: VariantClassification | None = None) -> Hit | None:
    """The sample's copies of one allele under the genotype policies (None = does not carry it).  A site that
    cannot be assessed is added to ``unassessable`` as (variant, why, flag) when ``relevant``."""
    vc = vc or item.vc
    if call is None:
        if relevant:
            unassessable.append((item.key, "no genotype for this sample", "missing_call"))
        return None
    k = item.index
    issues = call_issues(item, call, opts)
    z = zygosity(call, k)
    if z is Zygosity.MISSING and call.cn is not None and is_deletion_like(item.ann.variant):
        copies = max(0, 2 - int(round(call.cn)))
        if issues and relevant:
            unassessable.append((item.key, f"CN={call.cn:g} but {', '.join(issues)}", _issue_flag(issues)))
            return None
        return Hit(item, call, copies, vc, ("copies_from_CN",)) if copies else None
    if z is Zygosity.MISSING:
        if relevant:
            unassessable.append((item.key, "genotype missing (./.)", "missing_call"))
        return None
    if issues:
        if relevant:
            unassessable.append((item.key, f"call {call.gt} not trusted: {', '.join(issues)}", _issue_flag(issues)))
        return None
    if z in (Zygosity.REF,):
        return None
    cn_flag: tuple[str, ...] = ()
    if call.cn is not None and is_deletion_like(item.ann.variant) and z in (Zygosity.HOM_ALT, Zygosity.HET):
        gt_copies = 2 if z is Zygosity.HOM_ALT else 1
        if max(0, 2 - int(round(call.cn))) != gt_copies:
            cn_flag = (f"GT {call.gt} disagrees with CN={call.cn:g}; GT used",)
    if z is Zygosity.HOM_ALT:
        return Hit(item, call, 2, vc, cn_flag)
    if z in (Zygosity.HET, Zygosity.HET_OTHER_ALT):
        return Hit(item, call, 1, vc, cn_flag)
    if z is Zygosity.HALF_CALL:
        has = any(a == k for a in call.alleles)
        if opts.half_call == "missing":
            if relevant:
                unassessable.append((item.key, f"half-call {call.gt} treated as missing (policy)", "half_call"))
            return None
        if opts.half_call == "het":
            return Hit(item, call, 1, vc, ("half_call_as_het",)) if has else None
        if relevant:
            unassessable.append((item.key, f"half-call {call.gt}: second allele not called", "half_call"))
        return Hit(item, call, 1, vc, ("half_call",)) if has else None
    if z is Zygosity.HEMIZYGOUS:
        if opts.haploid == "not_assessable":
            if relevant:
                unassessable.append((item.key, f"haploid call {call.gt} on an autosome (policy: not assessable)",
                                     "haploid_call"))
            return None
        if opts.haploid == "biallelic":
            return Hit(item, call, 2, vc, ("haploid",))
        return Hit(item, call, 1, vc, ("haploid",))
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


NOT_ASSESSABLE_SITE = "not assessable (site not called): "


@dataclass(frozen=True)
class CatalogueSites:
    """Which records of the run carry or cover each catalogue allele (the same for every sample)."""

    carried: dict[str, tuple[AlleleItem, ...]]
    covering: dict[str, tuple[AlleleItem, ...]]
    no_coordinates: tuple[str, ...]
    min_block_gq: float = 20.0

    @classmethod
    def build(cls, items: list[AlleleItem], catalogue: Catalogue, min_block_gq: float = 20.0) -> "CatalogueSites":
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
        return cls(carried, covering, tuple(none), min_block_gq)

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

        cols = [m.classes()[1] for m in mats]
        for m in mats:  # a reference block's GQ decides whether it calls the site: part of the grouping
            gq = m.values.get("GQ")
            if gq is not None:
                cols.append(np.where(np.isnan(gq), -1, gq < self.min_block_gq).astype(np.int64))
        sig = np.column_stack(cols)
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
                called, uncalled = [], []
                for i in covering:
                    c = i.calls.get(sample)
                    if c is None:
                        continue
                    block = i.ann.variant.kind is VariantKind.NO_CHANGE
                    what = f"{c.gt} at {i.key} ({'reference block' if block else 'another allele'})"
                    if not c.alleles or all(a is None for a in c.alleles):
                        uncalled.append(what + ": genotype missing")
                    elif block and (c.gq is None or c.gq < self.min_block_gq):
                        uncalled.append(what + (": no GQ" if c.gq is None else f": GQ {c.gq:g} < {self.min_block_gq:g}"))
                    else:
                        called.append(what)
                if called:
                    out[aid] = "site called, allele not in file: " + "; ".join(called)
                elif uncalled:
                    out[aid] = NOT_ASSESSABLE_SITE + "; ".join(uncalled)
                else:
                    out[aid] = "record present, no genotype"
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


def _is_candidate_uncertain(vc: VariantClassification) -> bool:
    """An uncertain allele that could cause DIRA (a candidate consequence), unless the catalogue lists it as not
    a DIRA allele."""
    from il1rn_annot.dira.catalogue import CatalogueClass

    if vc.dira_class is not DiraClass.UNCERTAIN or not vc.candidate:
        return False
    return not any(m.allele.dira_class is CatalogueClass.NOT_DIRA for m in vc.catalogue)


def _biallelic_pairs(singles: list[Hit], pc) -> tuple[list[PhaseCall], list[PhaseCall], list[PhaseCall], list[PhaseCall]]:
    """(proven trans, statistical only, unknown, cis) phase calls over every pair of single-copy hits."""
    proven, statistical, unknown, cis = [], [], [], []
    for i in range(len(singles)):
        for j in range(i + 1, len(singles)):
            p = pc(singles[i], singles[j])
            if p.phase is Phase.SAME_ALLELE:
                continue
            if p.phase is Phase.TRANS and p.source in PROVEN:
                proven.append(p)
            elif p.source is PhaseSource.STATISTICAL:
                statistical.append(p)
            elif p.phase is Phase.CIS and p.source in PROVEN:
                cis.append(p)
            else:
                unknown.append(p)
    return proven, statistical, unknown, cis


def sample_verdict(sample: str, items: list[AlleleItem], opts: DiraOptions, trio: Trio | None,
                   catalogue: Catalogue, sites: CatalogueSites | None = None,
                   candidates: list[AlleleItem] | None = None,
                   site_status: dict[str, str] | None = None, vc_for=None) -> SampleVerdict:
    """``candidates``: the items, in order, for which this sample's call is not a trusted reference call
    (:func:`interesting_samples`); the others cannot give a hit nor a not-assessable note.  None: all.
    ``site_status``: this sample's :meth:`CatalogueSites.for_sample`, if already computed.  ``vc_for(item,
    sample)``: the allele's classification without this sample's own contribution (PM3 from the run's other
    affected samples); None = ``item.vc``."""
    unassessable: list[tuple[str, str, str]] = []
    hits: list[Hit] = []
    deletion_hits: list[Hit] = []
    for item in (items if candidates is None else candidates):
        vc = vc_for(item, sample) if vc_for is not None else item.vc
        relevant = qualifies(vc, opts)
        h = _hit_for(item, item.calls.get(sample), opts, unassessable, relevant, vc)
        if h is None:
            continue
        if is_deletion_like(item.ann.variant):
            deletion_hits.append(h)
        if relevant or vc.dira_class is DiraClass.UNCERTAIN:
            hits.append(h)
    if site_status is None:
        site_status = (sites or CatalogueSites.build(items, catalogue, opts.min_block_gq)).for_sample(sample)
    for aid, status in site_status.items():
        if status.startswith(NOT_ASSESSABLE_SITE):
            unassessable.append((f"catalogue site {aid}", status[len(NOT_ASSESSABLE_SITE):], "reference_block_not_called"
                                 if "reference block" in status else "missing_call"))
    reasons: list[str] = []
    flags: list[str] = [f for _, _, f in unassessable]
    phases: dict[tuple[str, str], PhaseCall] = {}
    # Mendelian errors at the sites the sample carries: the parents then say nothing about phase
    mendel = {h.key: why for h in hits if (why := mendelian_error(h.item, sample, trio))}
    if mendel:
        flags.append("mendelian_error")
        reasons.extend(f"{why}: the parents' calls cannot explain the child's (sample mix-up, a deletion, "
                       "uniparental disomy or a wrong call); pedigree phase is not used there." for why in mendel.values())
    bad = frozenset(mendel)

    def pc(a: Hit, b: Hit) -> PhaseCall:
        key = (a.key, b.key)
        if key not in phases:
            phases[key] = phase_pair(a, b, trio, bad)
        return phases[key]

    qual = [h for h in hits if qualifies(h.vc, opts)]
    others = [h for h in hits if not qualifies(h.vc, opts)]
    # consistency with the sample's own deletions
    inconsistent: list[str] = []
    for h in [*qual, *[o for o in others if _is_candidate_uncertain(o.vc)]]:
        if is_deletion_like(h.item.ann.variant):
            continue
        v = h.item.ann.variant
        for d in deletion_hits:
            dv = d.item.ann.variant
            if d.copies != 1 or d.item is h.item or not (dv.start <= v.start and v.end <= dv.end):
                continue
            if h.copies == 2:
                flags.append("possibly_hemizygous")
                reasons.append(f"{h.key} looks homozygous ({h.call.gt}) but lies inside the heterozygous deletion "
                               f"{d.key} ({d.call.gt}): it is possibly hemizygous (one copy, opposite the deletion). "
                               "Both chromosome copies are still affected; confirm by parental testing or copy-number "
                               "analysis.")
            elif h.copies == 1 and "haploid" not in h.flags:
                flags.append("het_variant_in_het_deletion")
                inconsistent.append(h.key)
                inconsistent.append(d.key)
                reasons.append(f"{h.key} is called heterozygous ({h.call.gt}) inside the heterozygous deletion {d.key} "
                               f"({d.call.gt}): with one copy deleted no reference read can remain there, so the two "
                               "calls contradict each other (a wrong deletion breakpoint or a wrong call). Not counted "
                               "as proof of two affected copies; check both calls.")
    phase_calls: list[PhaseCall] = []
    verdict: Verdict | None = None
    homs = [h for h in qual if h.copies >= 2]
    if homs:
        verdict = Verdict.BIALLELIC
        for h in homs:
            note_ = " (haploid call counted as two copies by policy)" if "haploid" in h.flags else ""
            reasons.append(f"{h.key} ({h.vc.dira_class.value}) is homozygous ({h.call.gt}){note_}: both copies "
                           "carry a qualifying allele.")
    distinct: list[Hit] = []
    for h in qual:
        if any(same_allele(h.item, d.item) for d in distinct):
            reasons.append(f"{h.key} writes the same allele as an earlier record; counted once.")
            continue
        distinct.append(h)
    singles = [h for h in distinct if h.copies == 1]
    proven, statistical, unknown, cis = _biallelic_pairs(singles, pc)
    phase_calls = [pc(singles[i], singles[j]) for i in range(len(singles)) for j in range(i + 1, len(singles))]
    if verdict is None:
        haploid = [h for h in singles if "haploid" in h.flags]
        if proven:
            verdict = Verdict.BIALLELIC
            for p in proven:
                reasons.append(f"{p.a} and {p.b} are in trans ({p.source.value}: {p.detail}).")
        elif haploid and opts.haploid == "possible":
            verdict = Verdict.POSSIBLE_BIALLELIC_PHASE_UNKNOWN
            flags.append("haploid_call")
            for h in haploid:
                reasons.append(f"{h.key} is a haploid call ({h.call.gt}) on chromosome 2: no second allele was "
                               "reported, which fits a deletion of the other copy (possibly hemizygous).")
        elif statistical or unknown:
            verdict = Verdict.POSSIBLE_BIALLELIC_PHASE_UNKNOWN
            if statistical:
                flags.append("statistical_phase_only")
            for p in statistical:
                reasons.append(f"{p.a} and {p.b}: only statistical phase ({p.phase.value}; {p.detail}). Population "
                               "phasing is not proof for rare variants: confirm by parental testing or read-backed/"
                               "long-read phasing.")
            for p in unknown:
                reasons.append(f"{p.a} and {p.b}: phase unknown ({p.detail}). Confirm by parental testing or "
                               "long-read/read-backed phasing.")
    if verdict in (Verdict.BIALLELIC, Verdict.POSSIBLE_BIALLELIC_PHASE_UNKNOWN):
        involved = {h.key for h in homs} | {k for p in (proven or statistical or unknown) for k in (p.a, p.b)}
        if involved & set(mendel) or involved & set(inconsistent):
            verdict = Verdict.POSSIBLE_BIALLELIC_INCONSISTENT_GENOTYPES
            reasons.append("the biallelic genotype rests on calls that other calls contradict (flags: "
                           f"{', '.join(sorted(set(flags) & {'mendelian_error', 'het_variant_in_het_deletion'}))}): "
                           "not counted as proven.")
    if verdict is None:
        # would both copies be affected if the uncertain candidate alleles counted?
        unc = [h for h in others if _is_candidate_uncertain(h.vc)]
        if unc:
            pool = [*distinct, *unc]
            hom_unc = [h for h in unc if h.copies >= 2]
            singles = [h for h in pool if h.copies == 1]
            # the pairs are looked at among the first MAX_PAIRED single-copy alleles only: a sample carrying more
            # alleles of uncertain significance than that (never seen in IL1RN) is flagged without listing them all
            listed, beyond = singles[:MAX_PAIRED], singles[MAX_PAIRED:]
            pairs = [p for p in (pc(listed[i], listed[j]) for i in range(len(listed))
                                 for j in range(i + 1, len(listed)))
                     if p.phase is not Phase.SAME_ALLELE and not (p.phase is Phase.CIS and p.source in PROVEN)]
            unc_keys = {h.key for h in unc}
            pairs = [p for p in pairs if p.a in unc_keys or p.b in unc_keys]
            if hom_unc or pairs or (beyond and any(h.key in unc_keys for h in beyond)):
                verdict = Verdict.UNCERTAIN_BIALLELIC_CANDIDATE
                flags.append("uncertain_significance")
                for h in hom_unc:
                    reasons.append(f"{h.key} ({h.call.gt}) is homozygous and of uncertain significance "
                                   f"({h.vc.summary}): both copies may be affected, but the allele does not reach "
                                   "likely pathogenic on independent evidence (a sample's own genotype never raises "
                                   "its own allele's class).")
                for p in pairs:
                    reasons.append(f"{p.a} and {p.b} ({p.phase.value}, {p.source.value}: {p.detail}) include an allele "
                                   "of uncertain significance: not counted as biallelic.")
                if beyond:
                    reasons.append(f"{len(singles)} single-copy candidate alleles are carried: the pairs among the "
                                   f"first {MAX_PAIRED} are listed, the other {len(beyond)} alleles' pairs are not.")
                known = {(p.a, p.b) for p in phase_calls}
                phase_calls.extend(p for p in pairs if (p.a, p.b) not in known)
    if verdict is None:
        if unassessable:
            verdict = Verdict.NOT_ASSESSABLE
        elif distinct:
            verdict = Verdict.CARRIER
            if len(distinct) == 1:
                h = distinct[0]
                reasons.append(f"one qualifying allele: {h.key} ({h.vc.dira_class.value}, {h.call.gt}); a carrier "
                               "of a recessive disease is expected to be healthy.")
            else:
                for p in cis:
                    reasons.append(f"{p.a} and {p.b} are in cis ({p.source.value}: {p.detail}): one chromosome "
                                   "copy carries both, the other is intact.")
        else:
            verdict = Verdict.NO_QUALIFYING_VARIANT
    for h in qual:
        if h.vc.combined is not None and h.vc.combined.disagreement:
            q15 = h.vc.combined.class_2015 in opts.qualifying_classes
            qp = h.vc.combined.points_class in opts.qualifying_classes
            if q15 != qp:
                flags.append("classification_systems_disagree")
                reasons.append(f"{h.key}: {h.vc.combined.disagreement}; the verdict uses the class of "
                               f"{h.vc.class_source}.")
    for key, why, _ in unassessable:
        reasons.append(f"qualifying site {key} not assessable: {why}.")
    if verdict is Verdict.NOT_ASSESSABLE and distinct:
        reasons.append(f"{len(distinct)} qualifying allele(s) seen, but a missing or untrusted call at another "
                       "qualifying site could complete a second hit.")
    if verdict is Verdict.NO_QUALIFYING_VARIANT:
        reasons.append(no_qualifying_line(opts))
    reasons.extend(other_candidate_line(h) for h in others)
    reasons.extend(missing_sites_lines(site_status))
    return SampleVerdict(sample=sample, verdict=verdict, qualifying=qual, other_candidates=others,
                         phase=phase_calls, not_assessable=[(k, w) for k, w, _ in unassessable],
                         flags=sorted(set(flags)), reasons=reasons, catalogue_sites=site_status)
