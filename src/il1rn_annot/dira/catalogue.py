"""The curated DIRA allele catalogue and representation-independent matching (pure).

A VCF can write the same deletion in several ways: left- or right-shifted inside a repeat, with more or
fewer padding bases, or as one ALT of a multi-allelic record.  After splitting and trimming
(:mod:`il1rn_annot.variants.normalize`) a deletion is a deleted interval.  Two deleted intervals of the same length
are the same allele when one can be slid onto the other one base at a time, each step needing the base
that leaves and the base that enters to be equal.  We only take such a step when both bases are KNOWN:

- the bases pinned by real records (``pinned_bases.tsv``, from the domain README),
- the user's reference sequence, when one was given (``--reference`` or an imported locus),
- the catalogue's published / genetic-code-derived bases of that allele (its deleted bases and the REF of
  its VCF form),
- the VCF record's own REF bases (when they do not contradict the two sources above).

No reference FASTA is bundled, so an equivalence that needs an unknown base is never assumed.
SNVs (and the canonical-splice SNV) match by position + ALT.  Large deletions (symbolic ``<DEL>``/``<CN0>``/
``<CN1>`` or explicit deletions of at least ``long_deletion_bp``) match a catalogue deletion with published
breakpoints by reciprocal overlap, and the Puerto Rican 175-kb founder deletion (breakpoints unpublished) by
gene content: it removes the whole MANE transcript and overlaps every gene the primary paper names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from il1rn_annot.coords import vcf_pos_to_start
from il1rn_annot.errors import InputError
from il1rn_annot.model.resources import load_resource
from il1rn_annot.types import Interval, Variant, VariantKind
from il1rn_annot.variants.normalize import trim

CATALOGUE_FILE = "dira_catalogue.tsv"
PINNED_FILE = "pinned_bases.tsv"  # shared with il1rn_annot.model.reference (FASTA checks)
_VCF_FORM = re.compile(r"vcf_(grch3[78])=(?:chr)?2:(\d+) ([ACGT]+)>([ACGT]+)")
_CASE = re.compile(r"^(hom|trans)=(?:([^/\s]+)/(confirmed|unknown)/)?(\d+)\s*(?:\((.*)\))?$")

# Genes the primary paper names as removed by the Puerto Rican founder deletion (Aksentijevich 2009; the
# catalogue notes of del175kb_PR), in today's symbols.  Used only for the gene-content match.
GENE_CONTENT = {"del175kb_PR": ("IL36G", "IL36A", "IL36B", "IL36RN", "IL1F10", "IL1RN")}


class CatalogueClass(str, Enum):
    PATHOGENIC = "pathogenic"  # published DIRA-causing allele, primary report read
    PATHOGENIC_SECONDARY = "pathogenic_secondary_source"  # DIRA-causing per secondary sources only
    NOT_DIRA = "uncertain_not_dira"  # listed to say it is not a DIRA allele


class MatchHow(str, Enum):
    EXACT = "exact"  # same trimmed position, REF and ALT
    SHIFT_EQUIVALENT = "shift_equivalent"  # same deletion slid along a repeat, proven from known bases
    RECIPROCAL_OVERLAP = "reciprocal_overlap"  # large deletion vs published breakpoints
    GENE_CONTENT = "gene_content"  # large deletion removing the published gene set (breakpoints unpublished)


@dataclass(frozen=True, slots=True)
class PublishedCases:
    """Unrelated probands a published report gives for one allele (the PM3 evidence independent of the input).

    ``kind``: ``hom`` (homozygous probands) or ``trans`` (the allele with ``partner`` on the other copy);
    ``phase_confirmed``: parental testing stated (trans only); ``source``: the report, as the catalogue cites it."""
    kind: str
    count: int
    partner: str = ""
    phase_confirmed: bool = False
    source: str = ""


def parse_published_cases(text: str) -> tuple[PublishedCases, ...]:
    out = []
    for part in (p.strip() for p in text.split(";") if p.strip()):
        m = _CASE.match(part)
        if m is None:
            raise ValueError(f"published_cases entry {part!r} is not hom=N (...) or trans=PARTNER/confirmed|unknown/N (...)")
        out.append(PublishedCases(m.group(1), int(m.group(4)), m.group(2) or "", m.group(3) == "confirmed",
                                  m.group(5) or ""))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class CatalogueAllele:
    """One published DIRA allele as the catalogue resource gives it, with its VCF form where it is known."""
    allele_id: str
    name_as_published: str
    hgvs_c: str
    hgvs_p: str
    variant_type: str  # snv, deletion, splice, large_deletion
    interval: Interval | None  # 0-based half-open, this build; None when breakpoints are unknown
    ref: str  # known deleted / reference bases ("" when unknown)
    alt: str  # "" for a pure deletion
    vcf_form: tuple[int, str, str] | None  # (pos, ref, alt) of the catalogue's VCF form in this build
    founder_population: str
    source: str
    status: str  # verified / inferred / unknown_breakpoints
    dira_class: CatalogueClass
    published_cases: tuple[PublishedCases, ...] = ()

    @property
    def is_large_deletion(self) -> bool:
        return self.variant_type == "large_deletion"

    @property
    def counts_as_pathogenic(self) -> bool:
        return self.dira_class in (CatalogueClass.PATHOGENIC, CatalogueClass.PATHOGENIC_SECONDARY)

    def vcf_form_interval(self) -> tuple[Interval, str, str] | None:
        if self.vcf_form is None:
            return None
        pos, ref, alt = self.vcf_form
        s, r, a = trim(vcf_pos_to_start(pos), ref, alt)
        return Interval(s, s + len(r)), r, a


@dataclass(frozen=True)
class Catalogue:
    """The published DIRA alleles of one build and the reference bases known at their sites."""
    build: str
    alleles: tuple[CatalogueAllele, ...]
    known_bases: dict[int, str]  # 0-based position -> base, known without a FASTA
    known_from: dict[int, str]  # 0-based position -> where the base is known from
    label: str

    def get(self, allele_id: str) -> CatalogueAllele:
        for a in self.alleles:
            if a.allele_id == allele_id:
                return a
        raise KeyError(allele_id)


@dataclass(frozen=True, slots=True)
class CatalogueMatch:
    """An input allele matched to a catalogue allele, and how (exact, shifted along a repeat, reciprocal overlap, gene content)."""
    allele: CatalogueAllele
    how: MatchHow
    detail: str


def _interval(start: str, end: str) -> Interval | None:
    if not start or not end:
        return None
    return Interval(int(start) - 1, int(end))


CATALOGUE_BUILDS = ("GRCh38", "GRCh37")


@lru_cache(maxsize=None)
def load_catalogue(build: str) -> Catalogue:
    """The catalogue for ``build`` ("GRCh38" or "GRCh37"), with the bases it makes known.  For any other
    build (a user gene model of unknown assembly) the catalogue is empty: its coordinates would not apply."""
    if build not in CATALOGUE_BUILDS:
        return Catalogue(build=build, alleles=(), known_bases={}, known_from={},
                         label=f"dira_catalogue not used (build {build!r}: coordinates exist for GRCh38/GRCh37 only)")
    col = {"GRCh38": "grch38", "GRCh37": "grch37"}[build]
    res = load_resource(CATALOGUE_FILE)
    pinned = load_resource(PINNED_FILE)
    known: dict[int, str] = {}
    known_from: dict[int, str] = {}
    for r in pinned.rows:
        if r["build"] == build:
            for i, b in enumerate(r["bases"].upper()):
                known[int(r["start"]) - 1 + i] = b
                known_from[int(r["start"]) - 1 + i] = f"pinned ({r['evidence']})"
    alleles = []
    for r in res.rows:
        iv = _interval(r[f"{col}_start"], r[f"{col}_end"])
        ref = r["deleted_or_ref_bases"].upper()
        alt = "" if r["alt_bases"] in ("-", "") else r["alt_bases"].upper()
        forms = {m.group(1): (int(m.group(2)), m.group(3), m.group(4)) for m in _VCF_FORM.finditer(r["notes"])}
        form = forms.get(col)
        allele = CatalogueAllele(
            allele_id=r["allele_id"], name_as_published=r["name_as_published"], hgvs_c=r["hgvs_c"],
            hgvs_p=r["hgvs_p"], variant_type=r["variant_type"], interval=iv, ref=ref, alt=alt, vcf_form=form,
            founder_population=r["founder_population"], source=r["source"], status=r["exact_change_status"],
            dira_class=CatalogueClass(r["dira_class"]),
            published_cases=parse_published_cases(r.get("published_cases", "") or ""))
        alleles.append(allele)
        if iv is not None and ref and len(ref) == len(iv):
            for i, b in enumerate(ref):
                known.setdefault(iv.start + i, b)
                known_from.setdefault(iv.start + i, f"catalogue {allele.allele_id} ({allele.hgvs_c})")
        if form is not None:
            pos, fref, _ = form
            for i, b in enumerate(fref):
                known.setdefault(vcf_pos_to_start(pos) + i, b)
                known_from.setdefault(vcf_pos_to_start(pos) + i, f"catalogue {allele.allele_id} VCF form")
    return Catalogue(build=build, alleles=tuple(alleles), known_bases=known, known_from=known_from,
                     label=f"{res.label},{pinned.label}")


# -- known bases ------------------------------------------------------------------------------------------

def record_bases(variant: Variant) -> dict[int, str]:
    """The reference bases the VCF record itself states (its padded REF), 0-based."""
    if variant.kind is VariantKind.SYMBOLIC:
        ref = variant.vcf_ref[:1]
    else:
        ref = variant.vcf_ref
    return {vcf_pos_to_start(variant.vcf_pos) + i: b for i, b in enumerate(ref.upper()) if b in "ACGT"}


def reference_conflicts(variant: Variant, catalogue: Catalogue) -> list[str]:
    """Positions where the record's REF contradicts a base the catalogue or the pinned list knows."""
    out = []
    for pos, base in sorted(record_bases(variant).items()):
        known = catalogue.known_bases.get(pos)
        if known is not None and known != base:
            out.append(f"{pos + 1}: VCF REF says {base}, {catalogue.known_from[pos]} says {known}")
    return out


class KnownBases:
    """Bases known at 0-based positions: a dict of catalogue/pinned/record bases, then (optionally) a
    reference sequence provider (``fetch(contig, start, end)``), read in small chunks as a slide needs them."""

    CHUNK = 256

    def __init__(self, bases: dict[int, str], provider=None, contig: str = "chr2"):
        self.bases = bases
        self.provider = provider
        self.contig = contig
        self._chunks: dict[int, str] = {}

    def get(self, pos: int) -> str | None:
        b = self.bases.get(pos)
        if b is not None or self.provider is None or pos < 0:
            return b
        c = pos // self.CHUNK
        if c not in self._chunks:
            self._chunks[c] = self._fetch(c * self.CHUNK, (c + 1) * self.CHUNK)
        seq = self._chunks[c]
        i = pos - c * self.CHUNK
        b = seq[i] if i < len(seq) else self._fetch(pos, pos + 1)
        return b if b in ("A", "C", "G", "T") else None

    def _fetch(self, start: int, end: int) -> str:
        try:
            return self.provider.fetch(self.contig, start, end).upper()
        except (InputError, ValueError, KeyError, IndexError):  # outside the provider's sequence: unknown
            return ""


def known_bases_for(variant: Variant, catalogue: Catalogue, provider=None) -> KnownBases:
    """Catalogue/pinned bases plus the record's own REF bases (the record is ignored if it conflicts), then
    the reference sequence when a provider is given."""
    known = dict(catalogue.known_bases)
    if not reference_conflicts(variant, catalogue):
        for pos, b in record_bases(variant).items():
            known.setdefault(pos, b)
    return KnownBases(known, provider)


def equivalent_deletions(interval: Interval, known) -> set[Interval]:
    """Every placement of a deletion of ``interval`` reachable by one-base slides whose leaving and
    entering bases are both known and equal (a deletion of ``[s, e)`` equals one of ``[s+1, e+1)`` iff
    base s == base e)."""
    out = {interval}
    s, e = interval.start, interval.end
    while known.get(s - 1) is not None and known.get(s - 1) == known.get(e - 1):
        s, e = s - 1, e - 1
        out.add(Interval(s, e))
    s, e = interval.start, interval.end
    while known.get(s) is not None and known.get(s) == known.get(e):
        s, e = s + 1, e + 1
        out.add(Interval(s, e))
    return out


# -- matching ---------------------------------------------------------------------------------------------

def reciprocal_overlap(a: Interval, b: Interval) -> float:
    ov = min(a.end, b.end) - max(a.start, b.start)
    if ov <= 0 or not len(a) or not len(b):
        return 0.0
    return min(ov / len(a), ov / len(b))


def is_deletion_like(variant: Variant) -> bool:
    if variant.kind is VariantKind.DELETION:
        return True
    if variant.kind is VariantKind.SYMBOLIC:
        return variant.svtype in ("DEL", "CN0", "CN1") or variant.svtype.startswith("DEL")
    return False


def is_large_deletion(variant: Variant, long_deletion_bp: int) -> bool:
    if variant.kind is VariantKind.SYMBOLIC:
        return is_deletion_like(variant) and variant.end > variant.start
    return variant.kind is VariantKind.DELETION and len(variant.ref) >= long_deletion_bp


def match_small(variant: Variant, catalogue: Catalogue, provider=None) -> list[CatalogueMatch]:
    out: list[CatalogueMatch] = []
    if variant.kind in (VariantKind.SNV, VariantKind.MNV, VariantKind.DELINS, VariantKind.INSERTION):
        for a in catalogue.alleles:
            if a.interval is None or a.is_large_deletion:
                continue
            if a.interval.start == variant.start and a.interval.end == variant.end and a.alt == variant.alt \
                    and (not a.ref or a.ref == variant.ref):
                out.append(CatalogueMatch(a, MatchHow.EXACT, f"same position, REF and ALT as {a.hgvs_c}"))
        return out
    if variant.kind is not VariantKind.DELETION:
        return out
    known = known_bases_for(variant, catalogue, provider)
    mine = equivalent_deletions(variant.interval, known)
    for a in catalogue.alleles:
        if a.interval is None or a.is_large_deletion or a.alt:
            continue
        targets = {a.interval}
        form = a.vcf_form_interval()
        if form is not None and not form[2]:
            targets.add(form[0])
        if not any(len(t) == len(variant.interval) for t in targets):
            continue
        hit = mine & targets
        if not hit:
            continue
        if variant.interval in targets:
            out.append(CatalogueMatch(a, MatchHow.EXACT, f"deletes the same bases as {a.hgvs_c}"))
        else:
            t = sorted(hit)[0]
            out.append(CatalogueMatch(a, MatchHow.SHIFT_EQUIVALENT,
                                      f"deletion of {variant.start + 1}-{variant.end} slides onto "
                                      f"{t.start + 1}-{t.end} ({a.hgvs_c}) through known equal bases"))
    return out


def match_large(variant: Variant, catalogue: Catalogue, *, removed_genes: tuple[str, ...],
                whole_mane_removed: bool, min_reciprocal_overlap: float) -> list[CatalogueMatch]:
    out: list[CatalogueMatch] = []
    for a in catalogue.alleles:
        if not a.is_large_deletion:
            continue
        if a.interval is not None:
            ro = reciprocal_overlap(variant.interval, a.interval)
            if ro >= min_reciprocal_overlap:
                out.append(CatalogueMatch(a, MatchHow.RECIPROCAL_OVERLAP,
                                          f"reciprocal overlap {ro:.2f} with the published breakpoints "
                                          f"{a.interval.start + 1}-{a.interval.end} (threshold {min_reciprocal_overlap})"))
        elif a.allele_id in GENE_CONTENT and whole_mane_removed:
            need = GENE_CONTENT[a.allele_id]
            if all(g in removed_genes for g in need):
                out.append(CatalogueMatch(a, MatchHow.GENE_CONTENT,
                                          f"removes {', '.join(need)} as published; breakpoints are unpublished, "
                                          "so this is a match by gene content, not by coordinates"))
    return out
