"""Per-variant DIRA classification: ACMG/AMP-style evidence codes, each with the reason it fired (pure).

Input: one :class:`~il1rn_annot.consequence.annotate.AlleleAnnotation` (its MANE consequence terms, location, INFO
frequencies), the catalogue and the options.  Output: a :class:`VariantClassification`.

Scoring uses the ClinGen SVI point scale (Tavtigian 2020): very strong 8, strong 4, moderate 2,
supporting 1 (benign codes negative); >= 10 pathogenic, 6-9 likely pathogenic, 0-5 uncertain,
-1..-6 likely benign, <= -7 benign.  BA1 is stand-alone benign.  A catalogue allele sets a floor:
published DIRA-causing (primary report) = pathogenic, secondary source only = at least likely pathogenic.
A variant with no pathogenic-direction evidence and no candidate consequence (UTR, intron, flank,
synonymous without BP7 ...) is ``not_qualifying``.  Rules are written out in docs/methods.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum

from il1rn_annot.consequence.annotate import AlleleAnnotation, TranscriptAnnotation
from il1rn_annot.coords import CPos, TranscriptMapper, parse_cpos
from il1rn_annot.dira.catalogue import (
    Catalogue,
    CatalogueClass,
    CatalogueMatch,
    is_large_deletion,
    match_large,
    match_small,
)
from il1rn_annot.dira.options import DiraOptions
from il1rn_annot.dira.sv import SvAssessment, assess, is_structural
from il1rn_annot.model.gene_model import GeneModel
from il1rn_annot.types import Location, Variant, VariantKind
from il1rn_annot.types import RegionClass as R


class DiraClass(str, Enum):
    PATHOGENIC = "pathogenic"
    LIKELY_PATHOGENIC = "likely_pathogenic"
    UNCERTAIN = "uncertain"
    LIKELY_BENIGN = "likely_benign"
    BENIGN = "benign"
    NOT_QUALIFYING = "not_qualifying"


class Strength(str, Enum):
    VERY_STRONG = "very_strong"
    STRONG = "strong"
    MODERATE = "moderate"
    SUPPORTING = "supporting"
    STAND_ALONE = "stand_alone"
    NOT_SCORED = "not_scored"


POINTS = {Strength.VERY_STRONG: 8, Strength.STRONG: 4, Strength.MODERATE: 2, Strength.SUPPORTING: 1,
          Strength.STAND_ALONE: 0, Strength.NOT_SCORED: 0}
PVS1_CODE = {Strength.VERY_STRONG: "PVS1", Strength.STRONG: "PVS1_Strong", Strength.MODERATE: "PVS1_Moderate",
             Strength.SUPPORTING: "PVS1_Supporting"}

LOF_TERMS = ("transcript_ablation", "exon_loss_variant", "stop_gained", "frameshift_variant",
             "splice_donor_variant", "splice_acceptor_variant", "start_lost")
CANDIDATE_TERMS = ("missense_variant", "inframe_deletion", "inframe_insertion", "protein_altering_variant",
                   "stop_lost", "coding_sequence_variant", "splice_region_variant", "splice_donor_5th_base_variant",
                   "splice_donor_region_variant", "start_retained_variant", "incomplete_terminal_codon_variant",
                   "feature_truncation", "feature_elongation")
_FS = re.compile(r"p\.\(?(?:[A-Z][a-z]{2}|[A-Z*])(\d+)(?:[A-Z][a-z]{2}|[A-Z*])?fs(?:Ter|\*|X)(\d+)")
_STOP = re.compile(r"p\.\(?(?:[A-Z][a-z]{2}|[A-Z])(\d+)(?:Ter|\*|X)\)?$")
_C_NUM = re.compile(r"^c\.(\d+)")


@dataclass(frozen=True, slots=True)
class Evidence:
    """One ACMG-style evidence code that fired for an allele, with its strength, points and reason."""
    code: str
    strength: Strength
    points: int  # signed: benign evidence is negative
    reason: str


@dataclass(frozen=True, slots=True)
class VariantClassification:
    """The DIRA class of one allele, the evidence and catalogue matches behind it and its MANE consequence."""
    dira_class: DiraClass
    evidence: tuple[Evidence, ...]
    points: int
    catalogue: tuple[CatalogueMatch, ...]
    mane_terms: tuple[str, ...]
    mane_hgvs_c: str
    mane_hgvs_p: str
    lof: bool  # a predicted loss-of-function consequence on MANE (PVS1 at any strength)
    candidate: bool  # has a consequence that could matter for DIRA (LoF, missense/in-frame, catalogue ...)
    sv: SvAssessment | None
    summary: str  # one plain sentence: why this class
    terms_source: str  # "consequence engine" or the location fallback

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.evidence)

    @property
    def catalogue_ids(self) -> tuple[str, ...]:
        return tuple(m.allele.allele_id for m in self.catalogue)


# -- the MANE layout the decision tree needs -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ManeLayout:
    """The MANE transcript's coding layout that the loss-of-function rules read (exons in c., NMD boundary,
    alternative start)."""
    protein_length: int
    exon_coding_c: tuple[tuple[int, int, int], ...]  # (exon number, first coding c., last coding c.)
    n_exons: int
    last_junction_c: int  # last coding c. of the penultimate exon
    nmd_boundary_c: int  # a PTC whose first base is at or before this c. triggers NMD (50-nt rule)
    alt_start_c: int | None  # closest downstream in-frame start used by another coding transcript
    alt_start_by: str


_LAYOUTS: dict[tuple, ManeLayout | None] = {}


_LAYOUT_OF: dict[int, tuple[GeneModel, ManeLayout | None]] = {}  # id(model) -> (model, layout): no hashing


def mane_layout(model: GeneModel) -> ManeLayout | None:
    """The MANE facts PVS1 needs, or None when the model has no coding MANE Select transcript (a user GFF)."""
    hit = _LAYOUT_OF.get(id(model))
    if hit is not None and hit[0] is model:  # called per allele: hashing the transcripts cost more than PVS1
        return hit[1]
    key = (model.build.name, model.transcripts)  # frozen transcripts: a value key, safe across models
    if key not in _LAYOUTS:
        _LAYOUTS[key] = _mane_layout(model)
    _LAYOUT_OF[id(model)] = (model, _LAYOUTS[key])
    return _LAYOUTS[key]


def _mane_layout(model: GeneModel) -> ManeLayout | None:
    tx = model.mane
    if tx is None or tx.cds is None or len(tx.exons) < 2:
        return None
    mapper = TranscriptMapper(tx)
    rows = []
    for i, ex in enumerate(tx.exons):
        if not ex.overlaps(tx.cds):
            continue
        a, b = max(ex.start, tx.cds.start), min(ex.end, tx.cds.end) - 1
        ca, cb = mapper.genomic_to_c(a), mapper.genomic_to_c(b)
        lo, hi = sorted((ca.base, cb.base))
        rows.append((tx.exon_number(i), lo, hi))
    rows.sort()
    n = len(tx.exons)
    if not any(r[0] == n - 1 for r in rows):
        return None
    penult = next(r for r in rows if r[0] == n - 1)
    alt, by = None, ""
    for t in model.transcripts:
        if t is tx or t.cds is None or t.strand is not tx.strand:
            continue
        g = t.cds.start if t.strand.value == 1 else t.cds.end - 1
        if not tx.cds.contains(g):
            continue
        c = mapper.genomic_to_c(g)
        if c.kind == "" and c.offset == 0 and c.base > 1 and (c.base - 1) % 3 == 0 and (alt is None or c.base < alt):
            alt, by = c.base, t.display_name
    length = tx.protein_length or (sum(hi - lo + 1 for _, lo, hi in rows) // 3 - 1)
    return ManeLayout(protein_length=length, exon_coding_c=tuple(rows), n_exons=n,
                      last_junction_c=penult[2], nmd_boundary_c=penult[2] - 50, alt_start_c=alt, alt_start_by=by)


def _aa(c: int) -> int:
    return (c - 1) // 3 + 1


def _exon_of_c(layout: ManeLayout, c: int) -> int | None:
    return next((n for n, lo, hi in layout.exon_coding_c if lo <= c <= hi), None)


# -- consequence terms ------------------------------------------------------------------------------------

def location_terms(variant: Variant, loc: Location) -> tuple[str, ...]:
    """SO terms that need no reference sequence, from the placement alone (used only when no consequence
    engine filled ``TranscriptAnnotation.effect``)."""
    r = loc.regions
    out: list[str] = []
    if R.TRANSCRIPT_ABLATION in r:
        out.append("transcript_ablation")
    if R.SPLICE_DONOR in r:
        out.append("splice_donor_variant")
    if R.SPLICE_ACCEPTOR in r:
        out.append("splice_acceptor_variant")
    if R.CDS in r and "transcript_ablation" not in out:
        k = variant.kind
        if k is VariantKind.SNV:
            c = parse_cpos(loc.hgvs_start[2:]) if loc.hgvs_start.startswith("c.") else None
            out.append("start_lost" if c and c.kind == "" and c.offset == 0 and c.base <= 3
                       else "coding_sequence_variant")
        elif k in (VariantKind.DELETION, VariantKind.INSERTION, VariantKind.DELINS) and not (
                R.INTRON in r or R.FIVE_PRIME_UTR in r or R.THREE_PRIME_UTR in r):
            diff = len(variant.ref) - len(variant.alt)
            if diff % 3:
                out.append("frameshift_variant")
            elif k is VariantKind.DELETION:
                out.append("inframe_deletion")
            elif k is VariantKind.INSERTION:
                out.append("inframe_insertion")
            else:
                out.append("protein_altering_variant")
        else:
            out.append("coding_sequence_variant")
    if r & {R.SPLICE_REGION, R.SPLICE_DONOR_REGION, R.SPLICE_DONOR_5TH_BASE}:
        out.append("splice_region_variant")
    for reg, term in ((R.FIVE_PRIME_UTR, "5_prime_UTR_variant"), (R.THREE_PRIME_UTR, "3_prime_UTR_variant"),
                      (R.NON_CODING_EXON, "non_coding_transcript_exon_variant"), (R.INTRON, "intron_variant"),
                      (R.UPSTREAM, "upstream_gene_variant"), (R.DOWNSTREAM, "downstream_gene_variant")):
        if reg in r:
            out.append(term)
    return tuple(out)


def transcript_terms(variant: Variant, ta: TranscriptAnnotation) -> tuple[tuple[str, ...], str, str, str]:
    """(SO terms, hgvs_c, hgvs_p, source) for one transcript: the consequence engine's when present."""
    eff = ta.effect
    if eff is not None and getattr(eff, "consequences", None) is not None:
        return (tuple(eff.consequences), getattr(eff, "hgvs_c", "") or "", getattr(eff, "hgvs_p", "") or "",
                f"consequence engine ({getattr(eff, 'rule', '')})".replace(" ()", ""))
    return location_terms(variant, ta.location), "", "", "placement only (no consequence engine result)"


# -- PVS1 (ClinGen SVI decision tree, Abou Tayoun et al. 2018) on MANE -------------------------------------

def _fraction_text(aa_from: int, length: int) -> tuple[float, str]:
    lost = max(0, length - aa_from + 1)
    frac = lost / length
    return frac, f"{lost} of {length} residues ({frac:.0%})"


def _truncation_strength(aa_from: int, layout: ManeLayout, what: str) -> tuple[Strength, str]:
    frac, text = _fraction_text(aa_from, layout.protein_length)
    if frac > 0.10:
        return Strength.STRONG, f"{what}; no NMD predicted; removes {text} of the secreted protein (>10%)"
    return Strength.MODERATE, f"{what}; no NMD predicted; removes {text} of the secreted protein (<=10%)"


def pvs1_truncating(layout: ManeLayout, *, ptc_c: int | None, change_c: int, kind: str) -> tuple[Strength, str]:
    """Nonsense or frameshift at coding position ``change_c`` (first changed base); ``ptc_c`` is the first
    base of the new stop codon when known (from HGVS p.), else None."""
    last_exon = layout.n_exons
    if ptc_c is not None:
        ex = _exon_of_c(layout, ptc_c)
        where = f"premature stop codon at c.{ptc_c} (codon {_aa(ptc_c)}, MANE exon {ex})"
        if ptc_c <= layout.nmd_boundary_c:
            return Strength.VERY_STRONG, (f"{kind}: {where} lies more than 50 nt upstream of the last exon-exon "
                                          f"junction (c.{layout.last_junction_c}/c.{layout.last_junction_c + 1}): "
                                          "NMD predicted; loss of function is the DIRA mechanism")
        region = "in the last exon" if ex == last_exon else f"within the last 50 nt of exon {ex}"
        return _truncation_strength(_aa(ptc_c), layout, f"{kind}: {where} lies {region}")
    if change_c > layout.nmd_boundary_c:
        ex = _exon_of_c(layout, change_c)
        region = "in the last exon" if ex == last_exon else "within the last 50 nt of the penultimate exon"
        return _truncation_strength(_aa(change_c), layout,
                                    f"{kind} starting at c.{change_c} {region} (stop codon further 3')")
    return Strength.STRONG, (f"{kind} starting at c.{change_c}: the new stop codon's position needs the reference "
                             "sequence (not available), so NMD cannot be confirmed; strength lowered one level to "
                             "PVS1_Strong")


def pvs1_start_lost(layout: ManeLayout, catalogue: Catalogue) -> tuple[Strength, str]:
    if layout.alt_start_c is None:
        return Strength.MODERATE, "start codon lost; no downstream in-frame start known from the model"
    upstream = sorted({m.allele_id for m in catalogue.alleles if m.counts_as_pathogenic and m.hgvs_c
                       and (mm := _C_NUM.match(m.hgvs_c)) and int(mm.group(1)) < layout.alt_start_c})
    base = (f"start codon lost; the closest in-frame start downstream is c.{layout.alt_start_c} "
            f"(start codon of {layout.alt_start_by} in the model)")
    if upstream:
        return Strength.MODERATE, base + f"; pathogenic alleles lie upstream of it ({', '.join(upstream)})"
    return Strength.SUPPORTING, base + "; no pathogenic allele known upstream of it"


def pvs1_exon_loss(layout: ManeLayout, lost: set[int], catalogue: Catalogue, what: str) -> tuple[Strength, str]:
    """``lost``: MANE exon numbers whose coding part is skipped or deleted."""
    rows = [r for r in layout.exon_coding_c if r[0] in lost]
    if not rows:
        return Strength.NOT_SCORED, f"{what}: no coding exon of MANE lost"
    if any(lo == 1 for _, lo, _ in rows):
        s, why = pvs1_start_lost(layout, catalogue)
        return s, f"{what} removes the start codon exon: " + why
    coding = sum(hi - lo + 1 for _, lo, hi in rows)
    first = min(lo for _, lo, _ in rows)
    exons = ",".join(str(r[0]) for r in rows)
    if any(n == layout.n_exons for n, _, _ in rows):
        return _truncation_strength(_aa(first), layout, f"{what} (exon(s) {exons}) removes the last exon with the stop codon")
    if coding % 3:
        after = max(n for n, _, _ in rows) + 1
        if after == layout.n_exons:
            return _truncation_strength(_aa(first), layout,
                                        f"{what} (exon(s) {exons}, {coding} coding nt) shifts the frame into the last exon")
        return Strength.STRONG, (f"{what} (exon(s) {exons}, {coding} coding nt) shifts the reading frame; where the "
                                 "new stop codon falls needs the reference sequence, so NMD cannot be confirmed: "
                                 "PVS1_Strong")
    frac = coding / 3 / layout.protein_length
    s = Strength.STRONG if frac > 0.10 else Strength.MODERATE
    return s, f"{what} (exon(s) {exons}) keeps the frame and removes {coding // 3} residues ({frac:.0%} of the protein)"


def pvs1_for_sv(layout: ManeLayout, sv: SvAssessment, catalogue: Catalogue) -> tuple[Strength, str]:
    if not sv.span_known:
        return Strength.NOT_SCORED, "deletion without END/SVLEN: its extent is unknown"
    if sv.whole_mane_removed:
        return Strength.VERY_STRONG, "deletion of the whole IL1RN MANE transcript (full gene deletion)"
    if sv.mane_cds_start_removed and 1 in (set(sv.mane_exons_removed) | set(sv.mane_exons_cut)):
        return Strength.VERY_STRONG, (f"deletion removes MANE exon 1 with the transcription start and start codon "
                                      f"(exons {','.join(map(str, sorted(set(sv.mane_exons_removed) | set(sv.mane_exons_cut))))}): "
                                      "no secreted IL-1Ra transcript can be made from this allele")
    lost = set(sv.mane_coding_exons_hit)
    if not lost:
        return Strength.NOT_SCORED, "deletion removes no coding base of MANE"
    return pvs1_exon_loss(layout, lost, catalogue, "deletion")


def ptc_from_hgvs_p(hgvs_p: str) -> int | None:
    """First base (c.) of the premature stop codon named by a p. string, or None."""
    body = hgvs_p.split(":", 1)[-1]
    m = _FS.search(body)
    if m:
        return 3 * (int(m.group(1)) + int(m.group(2)) - 2) + 1
    m = _STOP.search(body)
    if m:
        return 3 * (int(m.group(1)) - 1) + 1
    return None


def _coding_c(loc: Location) -> int | None:
    if not loc.hgvs_start.startswith("c."):
        return None
    c: CPos = parse_cpos(loc.hgvs_start[2:])
    return c.base if c.kind == "" and c.offset == 0 else None


def pvs1(variant: Variant, terms: tuple[str, ...], loc: Location, hgvs_p: str, layout: ManeLayout,
         catalogue: Catalogue, sv: SvAssessment | None, catalogue_p: str = "") -> tuple[Strength, str] | None:
    """PVS1 strength and reason on MANE, or None when no loss-of-function consequence applies."""
    if sv is not None and sv.deletion_like:
        s, why = pvs1_for_sv(layout, sv, catalogue)
        return None if s is Strength.NOT_SCORED else (s, why)
    if sv is not None:  # duplication, CNV of unknown direction, inversion, insertion, breakend: not scored as LoF
        return None
    if "transcript_ablation" in terms:
        return Strength.VERY_STRONG, "deletion of the whole IL1RN MANE transcript"
    change_c = _coding_c(loc)
    if "stop_gained" in terms or "frameshift_variant" in terms:
        kind = "nonsense" if "stop_gained" in terms else "frameshift"
        ptc = ptc_from_hgvs_p(hgvs_p) or ptc_from_hgvs_p(catalogue_p)
        if kind == "nonsense" and ptc is None and change_c is not None:
            ptc = 3 * (_aa(change_c) - 1) + 1
        if change_c is None:
            # an indel starting in an intron/UTR and reaching the CDS: take the first coding base it touches
            change_c = _coding_c_from_end(loc) or 1
        return pvs1_truncating(layout, ptc_c=ptc, change_c=change_c, kind=kind)
    if "splice_donor_variant" in terms or "splice_acceptor_variant" in terms:
        if not loc.introns:
            return Strength.STRONG, "canonical splice site changed; intron not identified"
        intron = loc.introns[0]
        donor = "splice_donor_variant" in terms
        skipped = intron if donor else intron + 1
        site = f"intron {intron} {'donor (+1/+2)' if donor else 'acceptor (-1/-2)'}"
        s, why = pvs1_exon_loss(layout, {skipped}, catalogue, f"canonical {site}: predicted skipping of exon {skipped}")
        if s is Strength.NOT_SCORED:
            return None
        return s, why + " (RNA evidence of cryptic-site use is not modelled)"
    if "start_lost" in terms:
        return pvs1_start_lost(layout, catalogue)
    return None


def _coding_c_from_end(loc: Location) -> int | None:
    if loc.hgvs_end.startswith("c."):
        c = parse_cpos(loc.hgvs_end[2:])
        if c.kind == "" and c.offset == 0:
            return c.base
    return None


# -- allele frequency -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AfReading:
    """Population allele frequencies read from a record's INFO, and the keys that were ignored (and why)."""
    values: tuple[tuple[str, float], ...]  # (INFO key, AF) for this allele
    ignored: tuple[str, ...]  # why a key present was not used

    @property
    def max(self) -> tuple[str, float] | None:
        return max(self.values, key=lambda kv: kv[1]) if self.values else None


def _allele_value(v, allele_index: int):
    if isinstance(v, (tuple, list)):
        if len(v) >= allele_index:
            return v[allele_index - 1]
        return v[0] if len(v) == 1 else None
    return v


def read_af(info: dict, allele_index: int, opts: DiraOptions) -> AfReading:
    lower = {k.lower(): k for k in info}
    vals, ignored = [], []
    for key in opts.af_keys:
        real = lower.get(key.lower())
        if real is None:
            continue
        v = _allele_value(info[real], allele_index)
        if v is None or v == ".":
            continue
        try:
            f = float(v)
        except (TypeError, ValueError):
            ignored.append(f"{real}={v!r} is not a number")
            continue
        if key == "AF":
            an = info.get("AN")
            an = an[0] if isinstance(an, tuple) else an
            if an is None or int(an) < opts.cohort_af_min_an:
                ignored.append(f"AF={f:g} comes from AN={an} called alleles (< {opts.cohort_af_min_an}): the file's "
                               "own samples, not a population frequency")
                continue
        vals.append((real, f))
    return AfReading(tuple(vals), tuple(ignored))


def af_evidence(af: AfReading, opts: DiraOptions) -> list[Evidence]:
    out: list[Evidence] = []
    top = af.max
    if top is None:
        return out
    key, f = top
    if f > opts.ba1_af:
        out.append(Evidence("BA1", Strength.STAND_ALONE, 0,
                            f"allele frequency {key}={f:g} is above the BA1 threshold {opts.ba1_af:g}: "
                            "too common to cause a rare recessive disease"))
    elif f > opts.bs1_af:
        out.append(Evidence("BS1", Strength.STRONG, -4,
                            f"allele frequency {key}={f:g} is above the BS1 threshold {opts.bs1_af:g} set for DIRA"))
    elif all(v <= opts.pm2_af for _, v in af.values):
        shown = ", ".join(f"{k}={v:g}" for k, v in af.values)
        out.append(Evidence("PM2_Supporting", Strength.SUPPORTING, 1,
                            f"absent or rare in the population frequencies given ({shown}; threshold "
                            f"{opts.pm2_af:g})"))
    return out


# -- combining --------------------------------------------------------------------------------------------

def class_from_points(points: int) -> DiraClass:
    if points >= 10:
        return DiraClass.PATHOGENIC
    if points >= 6:
        return DiraClass.LIKELY_PATHOGENIC
    if points >= 0:
        return DiraClass.UNCERTAIN
    if points >= -6:
        return DiraClass.LIKELY_BENIGN
    return DiraClass.BENIGN


_ORDER = [DiraClass.BENIGN, DiraClass.LIKELY_BENIGN, DiraClass.NOT_QUALIFYING, DiraClass.UNCERTAIN,
          DiraClass.LIKELY_PATHOGENIC, DiraClass.PATHOGENIC]


def combine(evidence: tuple[Evidence, ...], catalogue: tuple[CatalogueMatch, ...], candidate: bool) -> tuple[DiraClass, int, str]:
    points = sum(e.points for e in evidence)
    codes = {e.code for e in evidence}
    floor = None
    for m in catalogue:
        if m.allele.dira_class is CatalogueClass.PATHOGENIC:
            floor = DiraClass.PATHOGENIC
        elif m.allele.dira_class is CatalogueClass.PATHOGENIC_SECONDARY and floor is not DiraClass.PATHOGENIC:
            floor = DiraClass.LIKELY_PATHOGENIC
    if floor is not None:
        cls = floor if _ORDER.index(floor) >= _ORDER.index(class_from_points(points)) else class_from_points(points)
        ids = ", ".join(m.allele.allele_id for m in catalogue)
        why = f"published DIRA allele ({ids}); class {cls.value} (computed evidence {points:+d} points)"
        if "BA1" in codes or "BS1" in codes:
            why += "; NOTE: the frequency in this file contradicts a DIRA allele - check the call and the INFO source"
        return cls, points, why
    if "BA1" in codes:
        return DiraClass.BENIGN, points, "BA1: too common for DIRA (stand-alone benign)"
    if not candidate and points <= 0 and not any(e.points < 0 for e in evidence):
        return DiraClass.NOT_QUALIFYING, points, "no consequence that could cause DIRA (not coding-changing or splice-site)"
    cls = class_from_points(points)
    return cls, points, f"{points:+d} points ({', '.join(sorted(codes)) or 'no evidence codes'})"


# -- the per-variant entry point --------------------------------------------------------------------------

def _mane_annotation(ann: AlleleAnnotation) -> TranscriptAnnotation | None:
    return next((t for t in ann.transcripts if t.location.transcript.mane_select), None)


def classify(ann: AlleleAnnotation, model: GeneModel, catalogue: Catalogue, opts: DiraOptions,
             reference=None) -> VariantClassification:
    """``reference``: optional sequence provider; its bases extend the repeat-shift proof of deletions."""
    v = ann.variant
    if v.kind in (VariantKind.NO_CHANGE, VariantKind.SPANNING_DELETION):
        return VariantClassification(DiraClass.NOT_QUALIFYING, (), 0, (), (), "", "", False, False, None,
                                     v.note or "not a variant allele", "none")
    layout = mane_layout(model)
    mane_ta = _mane_annotation(ann)
    terms, hgvs_c, hgvs_p, source = (transcript_terms(v, mane_ta) if mane_ta else ((), "", "", "not on MANE"))
    sv = assess(v, model) if is_structural(v, opts.long_deletion_bp) else None
    if sv is not None and is_large_deletion(v, opts.long_deletion_bp):
        matches = tuple(match_large(v, catalogue, removed_genes=sv.cluster_genes_removed + sv.cluster_genes_partial,
                                    whole_mane_removed=sv.whole_mane_removed,
                                    min_reciprocal_overlap=opts.min_reciprocal_overlap))
        matches += tuple(m for m in match_small(v, catalogue, reference) if m not in matches) if v.kind is VariantKind.DELETION else ()
    else:
        matches = tuple(match_small(v, catalogue, reference))
    evidence: list[Evidence] = []
    for m in matches:
        evidence.append(Evidence("DIRA_CATALOGUE", Strength.NOT_SCORED, 0,
                                 f"{m.allele.allele_id} ({m.allele.hgvs_c or m.allele.name_as_published.split(';')[0]}), "
                                 f"{m.allele.dira_class.value}, {m.allele.status}; matched {m.how.value}: {m.detail}; "
                                 f"source: {m.allele.source.split(';')[0]}"))
    catalogue_p = next((m.allele.hgvs_p for m in matches if m.allele.hgvs_p), "")
    lof = False
    if layout is None:
        evidence.append(Evidence("PVS1_not_evaluated", Strength.NOT_SCORED, 0,
                                 "the gene model has no coding MANE Select transcript with at least two exons, so the "
                                 "PVS1 decision tree (NMD, secreted isoform) cannot be applied"))
    elif mane_ta is not None or (sv is not None and sv.deletion_like):
        loc = mane_ta.location if mane_ta is not None else None
        got = pvs1(v, terms, loc, hgvs_p, layout, catalogue, sv, catalogue_p) if loc is not None else (
            pvs1_for_sv(layout, sv, catalogue) if sv is not None else None)
        if got is not None and got[0] is not Strength.NOT_SCORED:
            s, why = got
            evidence.append(Evidence(PVS1_CODE[s], s, POINTS[s], why))
            lof = True
    if not lof:
        other = [t for t in ann.transcripts if not t.location.transcript.mane_select]
        lof_elsewhere = sorted({t.location.transcript.display_name for t in other
                                if set(transcript_terms(v, t)[0]) & set(LOF_TERMS)})
        if lof_elsewhere:
            evidence.append(Evidence("PVS1_not_applicable", Strength.NOT_SCORED, 0,
                                     "loss of function predicted only on intracellular isoform(s) "
                                     f"{', '.join(lof_elsewhere)}; the secreted isoform (MANE NM_173842.3, 177 aa), "
                                     "whose loss causes DIRA, is not affected"))
    if "synonymous_variant" in terms and "splice_region_variant" not in terms and not lof:
        evidence.append(Evidence("BP7", Strength.SUPPORTING, -1,
                                 "synonymous and outside the splice region (no splice-prediction tool is run)"))
    af = read_af(ann.record.info, v.allele_index, opts)
    evidence.extend(af_evidence(af, opts))
    for why in af.ignored:
        evidence.append(Evidence("AF_not_used", Strength.NOT_SCORED, 0, why))
    candidate = lof or bool(matches) or bool(set(terms) & set(CANDIDATE_TERMS)) or (
        sv is not None and bool(sv.mane_exons_removed or sv.mane_exons_cut))
    if sv is not None and not sv.deletion_like and not matches:
        # a duplication / CNV of unknown direction / inversion: only one that cuts into MANE can disrupt it
        candidate = bool(sv.mane_exons_cut) or (bool(sv.mane_exons_removed) and not sv.whole_mane_removed)
        if sv.whole_mane_removed:
            evidence.append(Evidence("SV_whole_gene_copy", Strength.NOT_SCORED, 0,
                                     f"{sv.svtype} contains the whole MANE transcript: an extra or rearranged whole "
                                     "copy does not remove IL1RN function"))
    cls, points, why = combine(tuple(evidence), matches, candidate)
    if sv is not None:
        why += f"; structural variant: {sv.describe()}"
    return VariantClassification(dira_class=cls, evidence=tuple(evidence), points=points, catalogue=matches,
                                 mane_terms=terms, mane_hgvs_c=hgvs_c, mane_hgvs_p=hgvs_p or catalogue_p, lof=lof,
                                 candidate=candidate, sv=sv, summary=why, terms_source=source)


def with_sample_evidence(vc: VariantClassification, extra: Evidence) -> VariantClassification:
    """The same classification with one sample-level code added (PM3) and the class recomputed."""
    ev = vc.evidence + (extra,)
    cls, points, why = combine(ev, vc.catalogue, vc.candidate)
    return replace(vc, dira_class=cls, evidence=ev, points=points, summary=why)
