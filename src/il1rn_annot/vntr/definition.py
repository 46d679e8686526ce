"""The VNTR definition as typed values, read from the bundled resources (nothing added here).

* ``vntr_definition.tsv``: interval per build (with its confidence), 86-bp unit, reference copies.
* ``vntr_alleles.tsv``: IL1RN*1..*5 and their copy numbers.
* ``vntr_population_frequencies.tsv``: published allele frequencies, each with its source.
* ``vntr_tag_snps.tsv``: tag SNPs; empty cells stay ``None``/``""`` - an r2 or an allele pairing the
  source did not state is never filled in.  A row is a ``tag`` or only ``context`` (rs419598: shown, never
  used); a tag states either an r2 or a haplotype concordance with its evidence level (the *2 flank SNVs).
* ``vntr_sequence.tsv``: the labelled 86-bp motif and the 100-bp flanks (the only IL1RN bases known), checked
  on load: the reference allele is 4 identical motif copies between the flanks, and every tag SNV inside the
  flanks has the REF base of the flank sequence.

Coordinates: the resources are 1-based inclusive; :class:`VntrDefinition.interval` is 0-based half-open.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from il1rn_annot.coords import parse_region, vcf_pos_to_start
from il1rn_annot.errors import ModelError
from il1rn_annot.model.builds import Build, get_build
from il1rn_annot.model.resources import Resource, load_resource
from il1rn_annot.types import Interval


@dataclass(frozen=True, slots=True)
class VntrAllele:
    """One IL1RN intron-2 VNTR allele (*1 ... *5): repeat copies, PCR size and whether it is pro-inflammatory."""
    name: str  # "*1"
    copies: int
    pcr_size_bp: int | None
    pro_inflammatory: bool
    source: str

    @property
    def number(self) -> int:
        return int(self.name.lstrip("*"))

    @property
    def label(self) -> str:
        return f"IL1RN{self.name}"


@dataclass(frozen=True, slots=True)
class PublishedFrequency:
    """A published VNTR allele frequency in one population, with its source."""
    population: str
    n_individuals: int | None
    allele: str
    frequency: float
    source: str  # the row's source cell (key + quote)
    citation: str  # the full reference the source key stands for


@dataclass(frozen=True, slots=True)
class TagMarker:
    """One tag-SNP row.  ``tag_allele`` is "REF"/"ALT" only when the resource states the pairing in VCF
    terms; otherwise "" and the marker cannot name a VNTR allele whatever its r2.  ``role`` "context" rows
    are shown and never used; ``confidence``/``concordance``/``caveat`` are stated by rows whose evidence is a
    haplotype concordance rather than an r2 (empty elsewhere)."""

    rsid: str
    grch38_pos: int | None
    grch37_pos: int | None
    ref: str
    alt: str
    tagged_allele: str  # "*1" / "*2" / "" (source does not say)
    tag_alt_allele_tags: str  # the resource's wording
    r2: float | None
    dprime: float | None
    population: str
    source: str
    notes: str
    role: str = "tag"         # "tag" or "context"
    confidence: str = ""      # stated evidence level ("moderate"); empty: from r2
    concordance: str = ""     # e.g. "11/11 *2 haplotypes carry the ALT, 0/45 other haplotypes do"
    caveat: str = ""          # what the evidence does not cover (populations, absence)

    def position(self, build: str) -> int | None:
        return self.grch38_pos if build == "GRCh38" else self.grch37_pos

    @property
    def tag_allele(self) -> str:
        head = self.tag_alt_allele_tags.strip().split()[0].upper() if self.tag_alt_allele_tags.strip() else ""
        return head if head in ("REF", "ALT") else ""

    @property
    def evidence(self) -> str:
        """The published link to the VNTR, as the output shows it: "r2=0.91" or the stated concordance."""
        if self.r2 is not None:
            return f"r2={self.r2:g}"
        return self.concordance

    def unusable_reason(self) -> str:
        """Why this marker cannot name a VNTR allele ("" when it can)."""
        if self.role == "context":
            return ("context, never a tag: no published r2, D' or concordance with a VNTR allele"
                    if self.r2 is None and not self.concordance else "context, never a tag (the table says so)")
        if self.r2 is None and not self.concordance:
            return "no published r2 with the VNTR"
        if not self.tagged_allele:
            return f"{self.evidence} published but the source does not state which VNTR allele it tags"
        if not self.tag_allele:
            return (f"{self.evidence} with {self.tagged_allele} published but the source does not state which "
                    f"SNP allele (REF/ALT) goes with {self.tagged_allele}")
        if self.r2 is None and not self.confidence:
            return f"{self.evidence} published without an evidence level (confidence column empty)"
        return ""


@dataclass(frozen=True, slots=True)
class VntrSequence:
    """The labelled bases of the locus (``vntr_sequence.tsv``): the 86-bp motif and the 100-bp flanks, with
    0-based starts in the run's build.  Nothing outside ``left_start .. right_start + len(right_flank)`` is
    known."""
    motif: str
    left_flank: str
    right_flank: str
    left_start: int   # 0-based first base of the left flank
    right_start: int  # 0-based first base of the right flank (= the VNTR interval's end)
    confidence: str
    label: str

    def reference_allele(self, copies: int) -> str:
        return self.motif * copies

    def base_at(self, pos0: int) -> str:
        """The known base at 0-based ``pos0`` in a flank ("" outside the flanks)."""
        if self.left_start <= pos0 < self.left_start + len(self.left_flank):
            return self.left_flank[pos0 - self.left_start]
        if self.right_start <= pos0 < self.right_start + len(self.right_flank):
            return self.right_flank[pos0 - self.right_start]
        return ""


@dataclass(frozen=True)
class VntrDefinition:
    """The intron-2 86-bp VNTR of one build: interval, confidence, alleles, frequencies and tag markers."""
    build: str
    contig: str
    interval: Interval  # 0-based half-open
    interval_text: str  # as in the resource (1-based inclusive)
    interval_confidence: str
    interval_source: str
    unit_bp: int
    reference_copies: int
    reference_copies_confidence: str
    dbsnp_id: str
    alleles: tuple[VntrAllele, ...]
    frequencies: tuple[PublishedFrequency, ...]
    tags: tuple[TagMarker, ...]
    provenance: tuple[str, ...]  # resource labels name@version#sha
    sequence: VntrSequence | None = None

    def allele_for_copies(self, copies: int) -> VntrAllele | None:
        return next((a for a in self.alleles if a.copies == copies), None)

    def allele(self, name: str) -> VntrAllele:
        return next(a for a in self.alleles if a.name == name)

    @property
    def reference_allele(self) -> VntrAllele | None:
        return self.allele_for_copies(self.reference_copies)


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text else None


def _float(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


def source_citations(res: Resource) -> dict[str, str]:
    """``## sources: S_X = citation`` header lines -> {"S_X": "citation"} (several keys may share a line)."""
    out: dict[str, str] = {}
    for line in res.get_all("sources"):
        for part in line.split("; S_"):
            key, sep, text = part.partition(" = ")
            if sep:
                out[key.strip() if key.strip().startswith("S_") else "S_" + key.strip()] = text.strip()
    return out


def _citation(source_cell: str, citations: dict[str, str]) -> str:
    key = source_cell.split(":")[0].split(";")[0].strip()
    return citations.get(key, "")


TAG_COLUMNS = ("rsid", "grch38_pos", "grch37_pos", "ref", "alt", "tagged_allele", "tag_alt_allele_tags", "r2",
               "dprime", "population", "source", "position_source", "notes")
OPTIONAL_TAG_COLUMNS = ("role", "confidence", "concordance", "caveat")  # version 2; empty when absent
ROLES = ("tag", "context")


def tag_markers(res: Resource) -> tuple[TagMarker, ...]:
    """The rows of a tag-SNP table (the bundled ``vntr_tag_snps.tsv`` or a lab's own in the same columns)."""
    missing = [c for c in TAG_COLUMNS if res.rows and c not in res.rows[0]]
    if missing:
        raise ValueError(f"missing column(s) {', '.join(missing)}; the columns are: {' '.join(TAG_COLUMNS)}")
    out = []
    for n, r in enumerate(res.rows, 1):
        r = {k: (v or "") for k, v in r.items() if k is not None}  # a short row: missing cells are empty
        try:
            m = TagMarker(r["rsid"].strip(), _int(r["grch38_pos"]), _int(r["grch37_pos"]), r["ref"].strip(),
                          r["alt"].strip(), r["tagged_allele"].strip(), r["tag_alt_allele_tags"] or "",
                          _float(r["r2"]), _float(r["dprime"]), r["population"], r["source"], r["notes"] or "",
                          (r.get("role") or "tag").strip() or "tag", (r.get("confidence") or "").strip(),
                          (r.get("concordance") or "").strip(), (r.get("caveat") or "").strip())
        except (TypeError, ValueError) as exc:
            raise ValueError(f"row {n} ({r.get('rsid')}): {exc}") from None
        if m.role not in ROLES:
            raise ValueError(f"row {n} ({m.rsid}): role {m.role!r} is not one of {', '.join(ROLES)}")
        if m.confidence and m.confidence not in ("moderate", "low"):
            raise ValueError(f"row {n} ({m.rsid}): confidence {m.confidence!r}: a tag is at most 'moderate' "
                             "(an inferred allele is never 'high'); use moderate or low")
        if m.r2 is not None and not 0 <= m.r2 <= 1:
            raise ValueError(f"row {n} ({m.rsid}): r2 {m.r2:g} is not between 0 and 1")
        if m.tagged_allele and not m.tagged_allele.startswith("*"):
            raise ValueError(f"row {n} ({m.rsid}): tagged_allele {m.tagged_allele!r} is not a VNTR allele (*1..*5)")
        out.append(m)
    return tuple(out)


@lru_cache(maxsize=None)
def load_vntr_definition(build: str | Build = "GRCh38") -> VntrDefinition:
    """The VNTR definition for ``build``, validated (allele table consistent with the copy numbers in
    vntr_definition.tsv, interval a whole number of units) and cached."""
    b = build if isinstance(build, Build) else get_build(build)
    defn = load_resource("vntr_definition.tsv")
    rows = {r["field"]: r for r in defn.rows}
    contig, interval = parse_region(rows[f"interval_{b.name}"]["value"])
    unit = int(rows["unit_length_bp"]["value"])
    ref_copies = int(rows["reference_copy_number"]["value"])
    alleles_res = load_resource("vntr_alleles.tsv")
    alleles = tuple(VntrAllele(r["allele"], int(r["copies"]), _int(r["pcr_size_bp"]),
                               r["pro_inflammatory"].strip().lower() == "true", r["source"])
                    for r in alleles_res.rows)
    for a in alleles:  # the two allele tables must agree
        stated = rows.get(f"allele_{a.name}", {}).get("value", "")
        if f"copies={a.copies}" not in stated:
            raise ModelError(f"vntr_alleles.tsv {a.name}={a.copies} copies disagrees with vntr_definition.tsv '{stated}'")
    if len(interval) != unit * ref_copies:
        raise ModelError(f"VNTR interval {len(interval)} bp != {ref_copies} x {unit} bp")
    freq_res = load_resource("vntr_population_frequencies.tsv")
    cites = source_citations(freq_res)
    freqs = tuple(PublishedFrequency(r["population"], _int(r["n_individuals"]), r["allele"], float(r["frequency"]),
                                     r["source"], _citation(r["source"], cites)) for r in freq_res.rows)
    tag_res = load_resource("vntr_tag_snps.tsv")
    tags = tag_markers(tag_res)
    offset = interval.start - (int(_seq_rows()["motif"]["grch38_start"]) - 1)
    sequence = _sequence(offset, interval, unit, ref_copies)
    for m in tags:
        pos = m.position(b.name)
        base = sequence.base_at(vcf_pos_to_start(pos)) if pos is not None else ""
        if base and m.ref and m.ref.upper() != base:
            raise ModelError(f"vntr_tag_snps.tsv {m.rsid}: REF {m.ref} at {b.name} {pos} disagrees with the "
                             f"labelled flank base {base} (vntr_sequence.tsv)")
    return VntrDefinition(
        build=b.name, contig=contig, interval=interval, interval_text=rows[f"interval_{b.name}"]["value"],
        interval_confidence=rows[f"interval_{b.name}"]["confidence"], interval_source=rows[f"interval_{b.name}"]["source"],
        unit_bp=unit, reference_copies=ref_copies, reference_copies_confidence=rows["reference_copy_number"]["confidence"],
        dbsnp_id=rows["dbsnp_id"]["value"], alleles=tuple(sorted(alleles, key=lambda a: a.number)), frequencies=freqs,
        tags=tags, provenance=(defn.label, alleles_res.label, freq_res.label, tag_res.label, sequence.label),
        sequence=sequence)


def _seq_rows() -> dict[str, dict[str, str]]:
    return {r["part"]: r for r in load_resource("vntr_sequence.tsv").rows}


def _sequence(offset: int, interval: Interval, unit: int, ref_copies: int) -> VntrSequence:
    """The labelled locus bases placed in the run's build (``offset``: build minus GRCh38), checked."""
    res = load_resource("vntr_sequence.tsv")
    rows = _seq_rows()
    motif, left, right = (rows[k]["sequence"].strip().upper() for k in ("motif", "left_flank", "right_flank"))
    left_start = int(rows["left_flank"]["grch38_start"]) - 1 + offset
    right_start = int(rows["right_flank"]["grch38_start"]) - 1 + offset
    problems = []
    if len(motif) != unit or set(motif) - set("ACGT"):
        problems.append(f"motif is {len(motif)} bp (unit {unit}) or holds a base other than A/C/G/T")
    if left_start + len(left) != interval.start or right_start != interval.end:
        problems.append("the flanks do not touch the VNTR interval")
    for name, row in rows.items():
        if int(row["grch38_end"]) - int(row["grch38_start"]) + 1 != len(row["sequence"].strip()):
            problems.append(f"{name}: {len(row['sequence'].strip())} bases for coordinates "
                            f"{row['grch38_start']}-{row['grch38_end']}")
    if problems:
        raise ModelError("vntr_sequence.tsv: " + "; ".join(problems))
    confidence = "; ".join(f"{k} {rows[k]['confidence']}" for k in ("left_flank", "motif", "right_flank"))
    return VntrSequence(motif, left, right, left_start, right_start, confidence, res.label)


def trgt_definition(defn: VntrDefinition, contig: str = "") -> str:
    """The TRGT repeat-definition line of the VNTR: BED (0-based start, end) and
    ``ID=...;MOTIFS=...;STRUC=(motif)n`` (TRGT docs/repeat_files.md), with the labelled 86-bp motif in the
    phase that starts at the interval's first base.  GRCh37 coordinates are DERIVED (GRCh38 + 757,577)."""
    if defn.sequence is None:
        raise ValueError("the VNTR definition carries no labelled motif")
    motif = defn.sequence.motif
    return (f"{contig or defn.contig}\t{defn.interval.start}\t{defn.interval.end}\t"
            f"ID=IL1RN_VNTR_{defn.dbsnp_id};MOTIFS={motif};STRUC=({motif})n")
