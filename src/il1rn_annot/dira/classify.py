"""Per-variant DIRA classification: every ACMG/AMP criterion evaluated for IL1RN, each with its status,
strength, points and the evidence it rests on (pure).

Input: one :class:`~il1rn_annot.consequence.annotate.AlleleAnnotation` (its MANE consequence terms, location, INFO),
the catalogue, the options and, optionally, the user's population-frequency file.  Output: a
:class:`VariantClassification` holding one :class:`~il1rn_annot.dira.criteria.Criterion` per criterion (met,
not met or not evaluable: never silently absent), the ClinGen points class and the 2015 class side by side, and
the class the per-sample verdict uses.

The class used is the points class (Tavtigian 2020), or the 2015 class or the lower of the two
(``DiraOptions.class_system``).  A catalogue allele sets a floor: published DIRA-causing (primary report) =
pathogenic, secondary source only = at least likely pathogenic; the floor is shown as such, never as a
criterion.  A variant with no candidate consequence and no criterion met is ``not_qualifying``.  A sample's own
genotypes never enter here: PM3 counts the catalogue's published probands and, in
:mod:`il1rn_annot.dira.analysis`, other affected samples of the run.  Rules are written out in docs/methods.md.
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
from il1rn_annot.dira.criteria import (
    CLASS_ORDER,
    Combined,
    Criterion,
    Strength,
    combine_criteria,
    met,
    not_evaluable,
    not_met,
    note,
    pm3_strength,
)
from il1rn_annot.dira.options import DiraOptions
from il1rn_annot.dira.population import PopulationFrequencies, PopulationHit
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
class VariantClassification:
    """The DIRA class of one allele, every criterion evaluated for it, the catalogue matches behind it and its
    MANE consequence."""
    dira_class: DiraClass  # the class the per-sample verdict uses
    criteria: tuple[Criterion, ...]  # every ACMG criterion (met / not met / not evaluable) and the notes
    points: int
    catalogue: tuple[CatalogueMatch, ...]
    mane_terms: tuple[str, ...]
    mane_hgvs_c: str
    mane_hgvs_p: str
    lof: bool  # PVS1 met at any strength on MANE
    candidate: bool  # has a consequence that could matter for DIRA (LoF, missense/in-frame, catalogue ...)
    sv: SvAssessment | None
    summary: str  # one plain sentence: why this class
    terms_source: str  # "consequence engine" or the location fallback
    combined: Combined | None = None  # points class and 2015 class, side by side
    class_source: str = ""  # what set dira_class: points / 2015 / lower of both / catalogue floor / BA1 ...

    @property
    def evidence(self) -> tuple[Criterion, ...]:
        """The criteria that are met, and the notes (catalogue match, frequency keys not used ...)."""
        return tuple(c for c in self.criteria if c.met)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.applied for c in self.evidence)

    @property
    def catalogue_ids(self) -> tuple[str, ...]:
        return tuple(m.allele.allele_id for m in self.catalogue)

    def criterion(self, code: str) -> Criterion | None:
        return next((c for c in self.criteria if c.code == code), None)


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


@dataclass(frozen=True, slots=True)
class Frequency:
    """The population frequency BA1/BS1/PM2 read for one allele, and where it comes from."""
    value: float | None  # None: nothing usable
    source: str  # what the value is, in words (file, field, group, AN)
    rare_ok: bool  # PM2 may be judged (enough alleles behind "absent or rare")
    common_ok: bool  # BA1/BS1 may be judged (enough alleles, not a founder group)
    why_not: str  # when either is False: why
    nhomalt: int | None = None
    nhomalt_source: str = ""


def _frequency_from_file(variant: Variant, hit: PopulationHit, pop: PopulationFrequencies) -> Frequency:
    name = pop.path.rsplit("/", 1)[-1]
    if hit.site is None:
        return Frequency(0.0, f"absent from {name} (window {pop.window.start + 1}-{pop.window.end}; the file "
                         "lists variant sites only, so absence assumes the site was covered)", True, True, "",
                         0, f"absent from {name}")
    s = hit.site
    matched = f"{s.record} in {name}" + (" (same deletion slid along a repeat)" if hit.how == "shift_equivalent" else "")
    if s.af is None:
        return Frequency(None, matched, False, False, f"{pop.field} is not given on {s.record}", s.nhomalt,
                         f"nhomalt of {matched}")
    where = f"{pop.field}={s.af:g}" + (f" (group {s.group}" + (f", AN={s.an}" if s.an is not None else "") + ")"
                                        if s.group else (f" (AN={s.an})" if s.an is not None else ""))
    text = f"{where} for {matched}"
    if s.an is not None and s.an < pop.min_an:
        return Frequency(s.af, text, False, False, f"only {s.an} alleles behind it (< {pop.min_an}, ClinGen SVI)",
                         s.nhomalt, f"nhomalt of {matched}")
    if s.group and pop.is_founder(s.group):
        others = [(g, af, an) for g, af, an in s.groups if not pop.is_founder(g) and (an is None or an >= pop.min_an)]
        if others:
            g, af, an = max(others, key=lambda x: x[1])
            return Frequency(af, f"{text}; {s.group} is a founder/bottlenecked group, so the highest other group is "
                             f"used: AF_{g}={af:g}" + (f" (AN={an})" if an is not None else ""), True, True, "",
                             s.nhomalt, f"nhomalt of {matched}")
        return Frequency(s.af, text, True, False, f"the value comes from the founder/bottlenecked group {s.group}, "
                         "which ClinGen guidance leaves out of BA1/BS1, and the record gives no other group",
                         s.nhomalt, f"nhomalt of {matched}")
    return Frequency(s.af, text, True, True, "", s.nhomalt, f"nhomalt of {matched}")


def _frequency_from_info(af: AfReading) -> Frequency:
    top = af.max
    if top is None:
        return Frequency(None, "", False, False, "no population frequency for this allele: the VCF has none of the "
                         "INFO keys read (--af-keys) and no --population-af file was given (absence from the VCF "
                         "is not absence from gnomAD)")
    key, f = top
    shown = ", ".join(f"{k}={v:g}" for k, v in af.values)
    return Frequency(f, f"INFO {key}={f:g} (largest of {shown}; group and allele number not stated)", True, True, "")


def frequency_criteria(freq: Frequency, opts: DiraOptions, structural: bool) -> list[Criterion]:
    """BA1, BS1, PM2 and BS2 from one frequency reading."""
    if structural:
        why = "a structural variant: population frequencies of small variants do not apply"
        return [not_evaluable(c, why) for c in ("BA1", "BS1", "PM2", "BS2")]
    out: list[Criterion] = []
    f = freq.value
    if f is None:
        out += [not_evaluable(c, freq.why_not or freq.source) for c in ("BA1", "BS1", "PM2")]
    else:
        if not freq.common_ok:
            out += [not_evaluable("BA1", f"{freq.source}: {freq.why_not}"),
                    not_evaluable("BS1", f"{freq.source}: {freq.why_not}")]
        elif f > opts.ba1_af:
            out += [met("BA1", Strength.STAND_ALONE, f"{freq.source} is above the BA1 threshold {opts.ba1_af:g}: too "
                        "common to cause a rare recessive disease"),
                    not_met("BS1", "BA1 is met (stand-alone)")]
        elif f > opts.bs1_af:
            out += [not_met("BA1", f"{freq.source} is at or below {opts.ba1_af:g}"),
                    met("BS1", Strength.STRONG, f"{freq.source} is above the BS1 threshold {opts.bs1_af:g}, the highest "
                        "allele frequency a DIRA allele can reach (docs/methods.md: founder-aware maximum credible "
                        "frequency)")]
        else:
            out += [not_met("BA1", f"{freq.source} is at or below {opts.ba1_af:g}"),
                    not_met("BS1", f"{freq.source} is at or below {opts.bs1_af:g}")]
        if not freq.rare_ok:
            out.append(not_evaluable("PM2", f"{freq.source}: {freq.why_not}"))
        elif f <= opts.pm2_af:
            out.append(met("PM2", Strength.SUPPORTING, f"absent or rare: {freq.source} (threshold {opts.pm2_af:g}; "
                           "ClinGen SVI: PM2 at supporting strength)"))
        else:
            out.append(not_met("PM2", f"{freq.source} is above the PM2 threshold {opts.pm2_af:g}"))
    if freq.nhomalt is None:
        out.append(not_evaluable("BS2", "no homozygote count for this allele (nhomalt) in a population file; "
                                 "healthy homozygotes are not known"))
    elif freq.nhomalt >= opts.bs2_min_homozygotes:
        out.append(met("BS2", Strength.STRONG, f"{freq.nhomalt} homozygotes ({freq.nhomalt_source}): DIRA is fully "
                       f"penetrant from the neonatal period (threshold {opts.bs2_min_homozygotes} homozygotes)"))
    else:
        out.append(not_met("BS2", f"{freq.nhomalt} homozygotes ({freq.nhomalt_source}; threshold "
                           f"{opts.bs2_min_homozygotes})"))
    return out


# -- PM3 (ClinGen SVI PM3 v1.0 points) --------------------------------------------------------------------

def _catalogue_partner_class(catalogue: Catalogue, partner: str) -> str:
    try:
        a = catalogue.get(partner)
    except KeyError:
        return "uncertain"
    return {CatalogueClass.PATHOGENIC: "pathogenic", CatalogueClass.PATHOGENIC_SECONDARY: "likely_pathogenic"}.get(
        a.dira_class, "uncertain")


def pm3_points(kind: str, partner_class: str, phase_confirmed: bool) -> float:
    """SVI PM3 v1.0 points for one proband: ``kind`` hom or trans; partner class; phase confirmed or not."""
    if kind == "hom":
        return 0.5
    if partner_class in ("pathogenic", "likely_pathogenic"):
        return 1.0 if phase_confirmed else (0.5 if partner_class == "pathogenic" else 0.25)
    if partner_class == "uncertain":
        return 0.25 if phase_confirmed else 0.0
    return 0.0


@dataclass(frozen=True, slots=True)
class Pm3Item:
    """One proband's PM3 contribution: points, kind (hom/trans/vus) and the words saying where it comes from."""
    points: float
    kind: str  # hom | trans | vus
    text: str
    sample: str = ""  # the run's sample it comes from ('' = published)


def published_pm3(matches: tuple[CatalogueMatch, ...], catalogue: Catalogue) -> list[Pm3Item]:
    out: list[Pm3Item] = []
    seen: set[str] = set()
    for m in matches:
        a = m.allele
        if a.allele_id in seen:
            continue
        seen.add(a.allele_id)
        for case in a.published_cases:
            if case.kind == "hom":
                for _ in range(case.count):
                    out.append(Pm3Item(0.5, "hom", f"homozygous proband ({case.source or a.source.split(';')[0]})"))
            else:
                pc = _catalogue_partner_class(catalogue, case.partner)
                pts = pm3_points("trans", pc, case.phase_confirmed)
                kind = "trans" if pc in ("pathogenic", "likely_pathogenic") else "vus"
                for _ in range(case.count):
                    out.append(Pm3Item(pts, kind, f"with {case.partner} ({pc}), phase "
                                       f"{'confirmed in trans' if case.phase_confirmed else 'not stated'} "
                                       f"({case.source})"))
    return out


def pm3_criterion(items: list[Pm3Item], rare: bool) -> tuple[Criterion, float]:
    """PM3 from independent probands (published and, later, other affected samples of the run): SVI caps
    homozygous probands at 1.0 point and VUS partners at 0.5."""
    hom = min(1.0, sum(i.points for i in items if i.kind == "hom"))
    vus = min(0.5, sum(i.points for i in items if i.kind == "vus"))
    trans = sum(i.points for i in items if i.kind == "trans")
    total = hom + vus + trans
    grouped: dict[tuple[float, str], int] = {}
    for i in items:
        grouped[(i.points, i.text)] = grouped.get((i.points, i.text), 0) + 1
    listed = "; ".join(f"{n} x {p:g} {t}" if n > 1 else f"{p:g} {t}" for (p, t), n in grouped.items()) or "none"
    if not items:
        return not_met("PM3", "no independent proband: no published case in the catalogue and no other affected "
                       "sample of the run carries it with a second allele (a sample's own genotypes never count "
                       "for its own alleles)"), 0.0
    if not rare:
        return not_met("PM3", f"the allele is not rare (BA1/BS1 met), so probands do not count ({listed})"), total
    strength = pm3_strength(total)
    if strength is None:
        return not_met("PM3", f"{total:g} SVI points, below 0.5 ({listed})"), total
    return met("PM3", strength, f"{total:g} SVI PM3 points from independent probands (homozygous capped at 1.0, VUS "
               f"partners at 0.5): {listed}"), total


# -- the other criteria -------------------------------------------------------------------------------------

def _protein_change_known(hgvs_p: str) -> bool:
    return bool(hgvs_p) and "?" not in hgvs_p


def _published_truncating(matches: tuple[CatalogueMatch, ...]) -> CatalogueMatch | None:
    for m in matches:
        if m.allele.counts_as_pathogenic and ptc_from_hgvs_p(m.allele.hgvs_p) is not None:
            return m
        if m.allele.counts_as_pathogenic and "fs" in m.allele.hgvs_p:
            return m
    return None


def pvs1_criterion(v: Variant, terms: tuple[str, ...], mane_ta: TranscriptAnnotation | None, hgvs_p: str,
                   layout: ManeLayout | None, catalogue: Catalogue, sv: SvAssessment | None,
                   matches: tuple[CatalogueMatch, ...], source: str) -> Criterion:
    if layout is None:
        return not_evaluable("PVS1", "the gene model has no coding MANE Select transcript with at least two exons, so "
                             "the PVS1 decision tree (NMD, secreted isoform) cannot be applied")
    if sv is not None:
        if sv.deletion_like:
            s, why = pvs1_for_sv(layout, sv, catalogue)
            return met("PVS1", s, why + f" (rests on the deletion's span: {sv.describe()})") \
                if s is not Strength.NOT_SCORED else not_met("PVS1", why)
        return not_met("PVS1", f"{sv.svtype}: a duplication, CNV of unknown direction or rearrangement is not "
                       "scored as loss of function")
    if mane_ta is None:
        return not_met("PVS1", "the allele does not touch the MANE Select transcript (NM_173842.3)")
    loc = mane_ta.location
    got = pvs1(v, terms, loc, hgvs_p, layout, catalogue, None,
               next((m.allele.hgvs_p for m in matches if m.allele.hgvs_p), ""))
    if got is not None and got[0] is not Strength.NOT_SCORED:
        s, why = got
        return met("PVS1", s, f"{why} (rests on the MANE consequence {'&'.join(terms)} from the {source})")
    pub = _published_truncating(matches)
    if pub is not None:
        kind = "frameshift" if "fs" in pub.allele.hgvs_p else "nonsense"
        change_c = _coding_c(loc) or _coding_c_from_end(loc) or 1
        s, why = pvs1_truncating(layout, ptc_c=ptc_from_hgvs_p(pub.allele.hgvs_p), change_c=change_c, kind=kind)
        return met("PVS1", s, f"{why} (rests on the catalogue's published protein change {pub.allele.hgvs_p} of "
                   f"{pub.allele.allele_id}, matched {pub.how.value}; the local consequence is "
                   f"{'&'.join(terms) or 'none'} from the {source})")
    if "coding_sequence_variant" in terms and v.kind in (VariantKind.SNV, VariantKind.MNV, VariantKind.DELINS):
        return not_evaluable("PVS1", "coding change whose protein effect needs the reference sequence "
                             f"(consequence {'&'.join(terms)} from the {source}): a new stop codon cannot be excluded; "
                             "give --reference")
    return not_met("PVS1", f"no loss-of-function consequence on MANE ({'&'.join(terms) or 'none'})")


def _missense(terms: tuple[str, ...]) -> bool:
    return "missense_variant" in terms


def ps1_pm5_criteria(terms, hgvs_p: str, matches, catalogue: Catalogue, coding_unknown: bool) -> list[Criterion]:
    path_missense = [a for a in catalogue.alleles if a.counts_as_pathogenic and a.hgvs_p
                     and re.search(r"p\.\(?[A-Z][a-z]{2}\d+[A-Z][a-z]{2}\)?$", a.hgvs_p)]
    if any(m.how.value in ("exact", "shift_equivalent") for m in matches):
        why = "the allele itself is catalogued (PS1/PM5 are for a different nucleotide change)"
        return [not_met("PS1", why), not_met("PM5", why)]
    if coding_unknown:
        why = "the protein change needs the reference sequence (consequence coding_sequence_variant)"
        return [not_evaluable("PS1", why), not_evaluable("PM5", why)]
    if not _missense(terms):
        why = "not a missense change"
        return [not_met("PS1", why), not_met("PM5", why)]
    if not _protein_change_known(hgvs_p):
        why = "missense without a protein change (HGVS p.) to compare"
        return [not_evaluable("PS1", why), not_evaluable("PM5", why)]
    mine = re.search(r"([A-Z][a-z]{2})(\d+)([A-Z][a-z]{2})", hgvs_p.split(":")[-1])
    same = [a for a in path_missense if mine and mine.group(0) in a.hgvs_p]
    residue = [a for a in path_missense if mine and re.search(rf"{mine.group(1)}{mine.group(2)}(?!{mine.group(3)})", a.hgvs_p)]
    ps1 = met("PS1", Strength.STRONG, f"same protein change as catalogued pathogenic {', '.join(a.allele_id for a in same)}") \
        if same else not_met("PS1", f"no catalogued pathogenic allele with {hgvs_p} (the catalogue holds "
                             f"{len(path_missense)} pathogenic missense alleles)")
    pm5 = met("PM5", Strength.MODERATE, f"another missense at this residue is catalogued pathogenic: "
              f"{', '.join(a.allele_id for a in residue)}") if residue and not same else \
        not_met("PM5", "no catalogued pathogenic missense at this residue")
    return [ps1, pm5]


def pm4_criterion(terms, lof: bool) -> Criterion:
    if lof:
        return not_met("PM4", "PVS1 applies (PM4 is for changes that keep the reading frame)")
    hit = [t for t in terms if t in ("inframe_deletion", "inframe_insertion", "stop_lost")]
    if hit:
        return met("PM4", Strength.MODERATE, f"{'&'.join(hit)} on MANE: protein length changes (no repeat annotation "
                   "exists for the IL1RN coding sequence, so the repeat exception is not checked)")
    return not_met("PM4", "no in-frame length change or stop loss on MANE")


def _info_number(info: dict, key: str, allele_index: int) -> float | None:
    real = next((k for k in info if k.lower() == key.lower()), None)
    if real is None:
        return None
    v = _allele_value(info[real], allele_index)
    try:
        return None if v in (None, ".") else float(v)
    except (TypeError, ValueError):
        return None


def _spliceai_max(info: dict, allele: str) -> float | None:
    raw = next((info[k] for k in info if k.lower() == "spliceai"), None)
    if raw is None:
        return None
    entries = raw if isinstance(raw, (tuple, list)) else str(raw).split(",")
    best = None
    for e in entries:
        parts = str(e).split("|")
        if len(parts) < 6 or parts[0] not in (allele, ""):
            continue
        try:
            ds = max(float(x) for x in parts[2:6])
        except ValueError:
            continue
        best = ds if best is None else max(best, ds)
    return best


# REVEL thresholds of Pejaver et al. 2022 (ClinGen SVI calibration): PP3 / BP4 strength by score
REVEL_PP3 = ((0.932, Strength.STRONG), (0.773, Strength.MODERATE), (0.644, Strength.SUPPORTING))
REVEL_BP4 = ((0.016, Strength.VERY_STRONG), (0.052, Strength.STRONG), (0.183, Strength.MODERATE),
             (0.290, Strength.SUPPORTING))


def pp3_bp4_criteria(v: Variant, terms, info: dict, lof: bool) -> list[Criterion]:
    revel = _info_number(info, "REVEL", v.allele_index) if _missense(terms) else None
    splice = _spliceai_max(info, v.vcf_alt)
    canonical = bool(set(terms) & {"splice_donor_variant", "splice_acceptor_variant"})
    if revel is None and splice is None:
        why = "no in-silico score in the input (INFO REVEL for missense, SpliceAI for splicing)"
        return [not_evaluable("PP3", why), not_evaluable("BP4", why)]
    if lof and canonical:
        why = "canonical splice site: PVS1 covers it (ClinGen: no PP3 at +/-1,2)"
        return [not_met("PP3", why), not_met("BP4", why)]
    pp3 = bp4 = None
    if revel is not None:
        s = next((s for t, s in REVEL_PP3 if revel >= t), None)
        if s is not None:
            pp3 = met("PP3", s, f"REVEL {revel:g} (Pejaver 2022 thresholds)")
        b = next((s for t, s in REVEL_BP4 if revel <= t), None)
        if b is not None:
            bp4 = met("BP4", b, f"REVEL {revel:g} (Pejaver 2022 thresholds)")
    if splice is not None and pp3 is None and splice >= 0.2:
        pp3 = met("PP3", Strength.SUPPORTING, f"SpliceAI delta score {splice:g} >= 0.2 (Walker 2023)")
    if splice is not None and splice > 0.1 and bp4 is not None:
        bp4 = None  # a splice effect is predicted: no benign in-silico evidence
    if splice is not None and bp4 is None and pp3 is None and splice <= 0.1 and revel is None:
        bp4 = met("BP4", Strength.SUPPORTING, f"SpliceAI delta score {splice:g} <= 0.1 (Walker 2023)")
    scores = ", ".join(x for x in (f"REVEL {revel:g}" if revel is not None else "",
                                   f"SpliceAI {splice:g}" if splice is not None else "") if x)
    return [pp3 or not_met("PP3", f"{scores}: below the pathogenic thresholds"),
            bp4 or not_met("BP4", f"{scores}: not in the benign range")]


def bp7_criterion(terms, lof: bool, coding_unknown: bool) -> Criterion:
    if coding_unknown:
        return not_evaluable("BP7", "whether the change is synonymous needs the reference sequence")
    if "synonymous_variant" not in terms:
        return not_met("BP7", "not synonymous")
    if lof or set(terms) & {"splice_region_variant", "splice_donor_5th_base_variant", "splice_donor_region_variant",
                            "splice_polypyrimidine_tract_variant"}:
        return not_met("BP7", "synonymous but in the splice region")
    return met("BP7", Strength.SUPPORTING, "synonymous and outside the splice region (no splice-prediction score was "
               "given; the nucleotide's conservation is not checked)")


FIXED_NOT_EVALUABLE = (
    ("PS3", "functional studies are not curated in the catalogue; read the cited reports"),
    ("PM1", "no mutational hot spot or critical-domain map for IL1RN is bundled"),
    ("PS2", "de novo status needs confirmed parentage and phenotype, which a VCF does not give"),
    ("PP1", "segregation needs affected relatives' phenotypes"),
    ("PP4", "the patient's phenotype is not in the input (a DIRA-specific phenotype would support it)"),
)


# -- combining --------------------------------------------------------------------------------------------

_ORDER = [DiraClass.BENIGN, DiraClass.LIKELY_BENIGN, DiraClass.NOT_QUALIFYING, DiraClass.UNCERTAIN,
          DiraClass.LIKELY_PATHOGENIC, DiraClass.PATHOGENIC]


def _system_class(combined: Combined, system: str) -> tuple[DiraClass, str]:
    if system == "2015":
        return DiraClass(combined.class_2015), "2015 rules"
    if system == "lower":
        lo = min(combined.points_class, combined.class_2015, key=CLASS_ORDER.index)
        return DiraClass(lo), "lower of the points class and the 2015 class"
    return DiraClass(combined.points_class), "points system"


def finish(criteria: tuple[Criterion, ...], catalogue: tuple[CatalogueMatch, ...], candidate: bool,
           opts: DiraOptions) -> tuple[DiraClass, int, str, Combined, str]:
    """(class used, points, why, both classes, what set the class) for a set of criteria."""
    combined = combine_criteria(criteria)
    points = combined.points
    codes = {c.code for c in criteria if c.met}
    base, system = _system_class(combined, opts.class_system)
    side = f"points {combined.points_class} ({points:+d}), 2015 {combined.class_2015}"
    floor = None
    for m in catalogue:
        if m.allele.dira_class is CatalogueClass.PATHOGENIC:
            floor = DiraClass.PATHOGENIC
        elif m.allele.dira_class is CatalogueClass.PATHOGENIC_SECONDARY and floor is not DiraClass.PATHOGENIC:
            floor = DiraClass.LIKELY_PATHOGENIC
    if floor is not None:
        ids = ", ".join(m.allele.allele_id for m in catalogue)
        if _ORDER.index(floor) > _ORDER.index(base):
            cls, source = floor, "catalogue floor"
            why = (f"published DIRA allele ({ids}): class {cls.value} set by the catalogue, above the computed "
                   f"evidence ({side})")
        else:
            cls, source = base, system
            why = f"published DIRA allele ({ids}); {system}: {cls.value} ({side})"
        if "BA1" in codes or "BS1" in codes:
            why += "; NOTE: the population frequency contradicts a DIRA allele - check the call and the frequency source"
        return cls, points, why, combined, source
    if "BA1" in codes:
        return DiraClass.BENIGN, points, f"BA1: too common for DIRA (stand-alone benign; {side})", combined, "BA1"
    pathogenic_met = [c for c in criteria if c.met and c.direction.value == "pathogenic" and c.code != "PM2"]
    benign_met = [c for c in criteria if c.met and c.direction.value == "benign"]
    if not candidate and not pathogenic_met and not benign_met:
        return (DiraClass.NOT_QUALIFYING, points, "no consequence that could cause DIRA (not coding-changing or "
                f"splice-site; {side})", combined, "no candidate consequence")
    return base, points, f"{system}: {base.value} ({side})", combined, system


# -- the per-variant entry point --------------------------------------------------------------------------

def _mane_annotation(ann: AlleleAnnotation) -> TranscriptAnnotation | None:
    return next((t for t in ann.transcripts if t.location.transcript.mane_select), None)


def _record_bases(variant: Variant) -> dict[int, str]:
    from il1rn_annot.dira.catalogue import record_bases

    return record_bases(variant)


def classify(ann: AlleleAnnotation, model: GeneModel, catalogue: Catalogue, opts: DiraOptions,
             reference=None, population: PopulationFrequencies | None = None) -> VariantClassification:
    """``reference``: optional sequence provider (extends the repeat-shift proof of deletions);
    ``population``: the user's population-frequency file, read for the IL1RN window."""
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
    notes: list[Criterion] = []
    for m in matches:
        notes.append(note("DIRA_CATALOGUE", f"{m.allele.allele_id} ({m.allele.hgvs_c or m.allele.name_as_published.split(';')[0]}), "
                          f"{m.allele.dira_class.value}, {m.allele.status}; matched {m.how.value}: {m.detail}; "
                          f"source: {m.allele.source.split(';')[0]}"))
    catalogue_p = next((m.allele.hgvs_p for m in matches if m.allele.hgvs_p), "")
    coding_unknown = "coding_sequence_variant" in terms and not hgvs_p and v.kind in (
        VariantKind.SNV, VariantKind.MNV, VariantKind.DELINS)
    pvs1_c = pvs1_criterion(v, terms, mane_ta, hgvs_p, layout, catalogue, sv, matches, source)
    lof = pvs1_c.met
    if not lof:
        other = [t for t in ann.transcripts if not t.location.transcript.mane_select]
        lof_elsewhere = sorted({t.location.transcript.display_name for t in other
                                if set(transcript_terms(v, t)[0]) & set(LOF_TERMS)})
        if lof_elsewhere:
            notes.append(note("PVS1_not_applicable", "loss of function predicted only on intracellular isoform(s) "
                              f"{', '.join(lof_elsewhere)}; the secreted isoform (MANE NM_173842.3, 177 aa), whose "
                              "loss causes DIRA, is not affected"))
    # population frequency: the user's file when given, else the VCF's own INFO keys
    af = read_af(ann.record.info, v.allele_index, opts)
    if population is not None:
        freq = _frequency_from_file(v, population.lookup(v, _record_bases(v)), population)
        if af.values:
            notes.append(note("AF_not_used", "INFO frequencies " + ", ".join(f"{k}={x:g}" for k, x in af.values)
                              + " not used: a --population-af file was given"))
    else:
        freq = _frequency_from_info(af)
        for why in af.ignored:
            notes.append(note("AF_not_used", why))
    freq_c = frequency_criteria(freq, opts, sv is not None or v.kind is VariantKind.SYMBOLIC)
    rare = not any(c.met and c.code in ("BA1", "BS1") for c in freq_c)
    pm3_items = published_pm3(matches, catalogue)
    pm3_c, _ = pm3_criterion(pm3_items, rare)
    criteria = (pvs1_c, *ps1_pm5_criteria(terms, hgvs_p or "", matches, catalogue, coding_unknown),
                *freq_c[2:3], pm3_c, pm4_criterion(terms, lof), *pp3_bp4_criteria(v, terms, ann.record.info, lof),
                *freq_c[0:2], freq_c[3], bp7_criterion(terms, lof, coding_unknown),
                *(not_evaluable(code, why) for code, why in FIXED_NOT_EVALUABLE), *notes)
    candidate = lof or bool(matches) or bool(set(terms) & set(CANDIDATE_TERMS)) or (
        sv is not None and bool(sv.mane_exons_removed or sv.mane_exons_cut))
    if sv is not None and not sv.deletion_like and not matches:
        # a duplication / CNV of unknown direction / inversion: only one that cuts into MANE can disrupt it
        candidate = bool(sv.mane_exons_cut) or (bool(sv.mane_exons_removed) and not sv.whole_mane_removed)
        if sv.whole_mane_removed:
            criteria += (note("SV_whole_gene_copy", f"{sv.svtype} contains the whole MANE transcript: an extra or "
                              "rearranged whole copy does not remove IL1RN function"),)
    cls, points, why, combined, class_source = finish(criteria, matches, candidate, opts)
    if sv is not None:
        why += f"; structural variant: {sv.describe()}"
    return VariantClassification(dira_class=cls, criteria=criteria, points=points, catalogue=matches,
                                 mane_terms=terms, mane_hgvs_c=hgvs_c, mane_hgvs_p=hgvs_p or catalogue_p, lof=lof,
                                 candidate=candidate, sv=sv, summary=why, terms_source=source, combined=combined,
                                 class_source=class_source)


def with_pm3(vc: VariantClassification, items: list[Pm3Item], catalogue: Catalogue,
             opts: DiraOptions) -> VariantClassification:
    """The same classification with PM3 recomputed from the published probands plus ``items`` (probands of
    the run other than the sample being judged), and the class recomputed."""
    if not vc.criteria:
        return vc
    rare = not any(c.met and c.code in ("BA1", "BS1") for c in vc.criteria)
    pm3_c, _ = pm3_criterion(published_pm3(vc.catalogue, catalogue) + list(items), rare)
    criteria = tuple(pm3_c if c.code == "PM3" else c for c in vc.criteria)
    cls, points, why, combined, source = finish(criteria, vc.catalogue, vc.candidate, opts)
    if vc.sv is not None:
        why += f"; structural variant: {vc.sv.describe()}"
    return replace(vc, dira_class=cls, criteria=criteria, points=points, summary=why, combined=combined,
                   class_source=source)
