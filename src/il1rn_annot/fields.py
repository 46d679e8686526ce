"""One registry of output fields feeds the VCF INFO ``Format:`` description and the table columns, so the
writers cannot drift apart.  A field reads one (allele x transcript) row.
"""

from __future__ import annotations

from collections.abc import Callable

from .annotate import AlleleAnnotation, TranscriptAnnotation
from .frozen import frozen
from .types import RegionClass
from .coords import start_to_vcf_pos


@frozen
class Field:
    """One output field: its name, description and how to read it from an (allele, transcript) row."""
    name: str
    description: str
    get: Callable[[AlleleAnnotation, TranscriptAnnotation | None], object]


REGION_ORDER = [r for r in RegionClass]


_REGION_TEXT: dict[frozenset, str] = {}  # a set of regions -> its text (a run has a few dozen distinct sets)


def _region_text(regions: frozenset) -> str:
    text = _REGION_TEXT.get(regions)
    if text is None:
        text = _REGION_TEXT[regions] = "&".join(r.value for r in REGION_ORDER if r in regions)
    return text


def _regions(a: AlleleAnnotation, t: TranscriptAnnotation | None) -> str:
    return _region_text(t.location.regions) if t is not None else ""


def _tx(attr: str) -> Callable:
    return lambda a, t: getattr(t.location.transcript, attr) if t else ""


def _loc(attr: str) -> Callable:
    return lambda a, t: getattr(t.location, attr) if t else ""


ALLELE_TRANSCRIPT_FIELDS: list[Field] = [
    Field("Allele", "ALT allele as in the VCF", lambda a, t: a.variant.vcf_alt),
    Field("ALLELE_NUM", "1-based index of the ALT allele in the record (as in GT)", lambda a, t: a.variant.allele_index),
    Field("Variant_type", "snv, mnv, insertion, deletion, delins, symbolic, spanning_deletion, no_change",
          lambda a, t: a.variant.kind.value),
    Field("Norm_pos", "1-based first changed reference base after trimming shared bases (insertions: the base after the insertion point)",
          lambda a, t: start_to_vcf_pos(a.variant.start)),
    Field("Norm_ref", "changed reference bases after trimming ('-' for none)", lambda a, t: a.variant.ref or "-"),
    Field("Norm_alt", "inserted bases after trimming ('-' for none)", lambda a, t: a.variant.alt or "-"),
    Field("Gene", "gene symbol", lambda a, t: t.location.transcript.gene if t else ""),
    Field("Feature", "transcript id in the bundled model (synthetic source-row ids, see Feature_name)", _tx("transcript_id")),
    Field("Feature_name", "transcript display name: RefSeq for MANE, else the Ensembl 110 name", _tx("display_name")),
    Field("Ensembl_name", "Ensembl 110 transcript name (IL1RN-2xx) where matched", _tx("ensembl_name")),
    Field("RefSeq_numbering", "RefSeq transcript whose c. numbering equals this model's (DERIVED except MANE)", _tx("refseq_cds_numbering")),
    Field("Biotype", "transcript biotype", _tx("biotype")),
    Field("MANE", "MANE Select flag", lambda a, t: "MANE_Select" if t and t.location.transcript.mane_select else ""),
    Field("Strand", "transcript strand", lambda a, t: t.location.transcript.strand.symbol if t else ""),
    Field("Region", "every location class touched (&-joined): exon, intron, CDS, 5_prime_UTR, 3_prime_UTR, splice_*, upstream/downstream_gene_variant, VNTR",
          _regions),
    Field("Exon", "exon number(s)/total in transcript order", lambda a, t: t.location.exon_label if t else ""),
    Field("Intron", "intron number(s)/total in transcript order", lambda a, t: t.location.intron_label if t else ""),
    Field("HGVS_pos", "HGVS c./n. position (range for multi-base variants), e.g. c.318+2, c.-27, c.*75", _loc("hgvs_position")),
    Field("Boundary_distance", "bases to the nearest exon edge (exonic: 0 = edge base; intronic: |offset|; flanks: to the transcript end)",
          _loc("distance_to_boundary")),
    Field("In_VNTR", "overlaps the intron-2 86-bp VNTR interval (rs2234663)", lambda a, t: "yes" if t and t.location.in_vntr else ""),
    Field("Location_rule", "the placement rules that fired", _loc("rule")),
    Field("Note", "why an allele was passed through without full annotation", lambda a, t: a.variant.note),
]


_NO_TX = ("",) * 15  # Gene .. Location_rule of an allele outside every transcript


def _allele_transcript_row(a: AlleleAnnotation, t: TranscriptAnnotation | None) -> list[object]:
    """``[f.get(a, t) for f in ALLELE_TRANSCRIPT_FIELDS]`` in one call (each attribute read once): the
    getters above are the definition, this is what runs per row (tests/test_fields_rows.py holds them equal)."""
    v = a.variant
    if t is None:
        return [v.vcf_alt, v.allele_index, v.kind.value, start_to_vcf_pos(v.start), v.ref or "-", v.alt or "-",
                *_NO_TX, v.note]
    loc = t.location
    tx = loc.transcript
    return [v.vcf_alt, v.allele_index, v.kind.value, start_to_vcf_pos(v.start), v.ref or "-", v.alt or "-",
            tx.gene, tx.transcript_id, tx.display_name, tx.ensembl_name, tx.refseq_cds_numbering, tx.biotype,
            "MANE_Select" if tx.mane_select else "", tx.strand.symbol, _region_text(loc.regions), loc.exon_label,
            loc.intron_label, loc.hgvs_position, loc.distance_to_boundary, "yes" if loc.in_vntr else "", loc.rule,
            v.note]


_GROUPS: dict[str, list[Field]] = {}
_ROWS: dict[str, Callable] = {}  # group -> its values of one row in one call (optional)


def register_fields(group: str, fields: list[Field], row: Callable | None = None) -> None:
    """Add a named group of fields (consequence, dira, vntr ...) after the placement fields.  Modules call
    this at import; :func:`il1rn_annot.analyses.load_builtin_analyses` imports them before any header
    is written.  ``row(a, t)``: optional, the group's values in one call, equal to ``[f.get(a, t) for f in
    fields]`` (the getters stay the definition; a row function saves a call and the repeated attribute
    reads per field on every allele x transcript)."""
    _GROUPS[group] = list(fields)
    if row is None:
        _ROWS.pop(group, None)
    else:
        _ROWS[group] = row


def all_fields() -> list[Field]:
    return ALLELE_TRANSCRIPT_FIELDS + [f for group in _GROUPS.values() for f in group]


def csq_format(fields: list[Field]) -> str:
    return "|".join(f.name for f in fields)


ESCAPES = {"%": "%25", ",": "%2C", ";": "%3B", "=": "%3D", "|": "%7C", " ": "%20", "\t": "%09"}


def escape(text: str) -> str:
    """``text`` with every character of :data:`ESCAPES` percent-encoded (``%`` first, so that the escapes
    added after it stay as they are).  Chained ``str.replace``: once any character needs escaping,
    ``str.translate`` with multi-character replacements is ~10x slower (25 vs 2 us for a 600-character CSQ
    entry; ~5 ms of a WGS run)."""
    return (text.replace("%", "%25").replace(",", "%2C").replace(";", "%3B").replace("=", "%3D")
            .replace("|", "%7C").replace(" ", "%20").replace("\t", "%09"))


def encode_info_value(value: object) -> str:
    return "" if value is None else escape(str(value))


def cell_text(v: object) -> str:
    """A value as the tables and the CSQ entries write it: '' for None, else ``str``."""
    return v if isinstance(v, str) else "" if v is None else str(v)


def encode_csq_entry(values: list[object]) -> str:
    """``"|".join(encode_info_value(v) for v in values)``."""
    return encode_csq_texts([cell_text(v) for v in values])


def encode_csq_texts(cells: list[str]) -> str:
    """:func:`encode_csq_entry` of values already made text (:func:`cell_text`), escaping the joined text
    once: the cells are joined with NUL (which no VCF text holds), escaped, then NUL becomes the separator."""
    text = "\0".join(cells)
    if text.count("\0") != max(len(cells) - 1, 0):  # a value holding NUL: one by one
        return "|".join(escape(c) for c in cells)
    return escape(text).replace("\0", "|")


def row_values(fields: list[Field], a: AlleleAnnotation, t: TranscriptAnnotation | None) -> list[object]:
    return [f.get(a, t) for f in fields]


def _row_plan(fields: list[Field]) -> tuple | None:
    """For the whole registry (``all_fields()``): per group, (True, its row function) or (False, its
    getters); None for any other list of fields."""
    groups = [("", ALLELE_TRANSCRIPT_FIELDS, _allele_transcript_row)] + [
        (g, fs, _ROWS.get(g)) for g, fs in _GROUPS.items()]
    if [f for _, fs, _ in groups for f in fs] != list(fields):
        return None
    return tuple((True, row) if row is not None else (False, tuple(f.get for f in fs)) for _, fs, row in groups)


class RowCache:
    """Field values per (allele, transcript), computed once per run and kept as text (:func:`cell_text`):
    the VCF's CSQ entries and the variant table write the same values (both after the analyses ran), so the
    second writer reuses the first's."""

    def __init__(self, fields: list[Field] | None = None):
        self.fields = all_fields() if fields is None else fields
        self._plan = _row_plan(self.fields)
        self._rows: dict[tuple[int, int], tuple] = {}

    def _compute(self, a: AlleleAnnotation, t: TranscriptAnnotation | None) -> list[object]:
        if self._plan is None:
            return row_values(self.fields, a, t)
        out: list[object] = []
        for whole, how in self._plan:
            if whole:
                out += how(a, t)
            else:
                out += [get(a, t) for get in how]
        return out

    def values(self, a: AlleleAnnotation, t: TranscriptAnnotation | None) -> list[object]:
        """The row's values as the fields give them (not kept)."""
        return self._compute(a, t)

    def texts(self, a: AlleleAnnotation, t: TranscriptAnnotation | None) -> list[str]:
        """The row's values as text, computed on the first call for (a, t)."""
        key = (id(a), id(t))
        hit = self._rows.get(key)
        if hit is None or hit[0] is not a or hit[1] is not t:  # holding a and t keeps their ids unique
            hit = self._rows[key] = (a, t, [cell_text(v) for v in self._compute(a, t)])
        return hit[2]
