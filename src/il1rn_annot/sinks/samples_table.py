"""The per-sample table: one row per sample, and a fixed list of columns defined here as data.

The columns are the same in every run, in the same order, whatever the samples carry: first the run's counts
(:data:`BASE_COLUMNS`), then a fixed list per analysis section (:data:`DIRA_COLUMNS`, :func:`catalogue_columns`,
:data:`VNTR_COLUMNS`, :data:`CODON_COLUMNS`).  Each :class:`SampleColumn` names the key (path) it reads in its
analysis' per-sample section and how the value becomes one cell: scalars as they are (booleans ``yes``/``no``),
lists of words joined with ``;``, and the lists of objects a column is for (the qualifying variants, the sites
that could not be assessed) as ``;``-separated entries whose fields are ``|``-separated
(:data:`QUALIFYING_VARIANT_FIELDS`; ``%``, ``;`` and ``|`` inside a field are written ``%25``, ``%3B``,
``%7C``).  What the table does not hold (every ACMG criterion, the other candidate
alleles, each marker's details) is in the JSON report.  ``docs/tables.md`` is generated from these lists.
"""

from __future__ import annotations

import csv
import functools
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from il1rn_annot.columns import cell_text, jsonable

COUNTS = ""  # the section name of the run's own counts (not an analysis)


def _scalar(value: object) -> object:
    """A scalar cell: None as '', booleans as yes/no, enums by value."""
    value = jsonable(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def _words(value: object) -> str:
    """A list of scalars joined with ``;`` ('' for none)."""
    if value is None:
        return ""
    if isinstance(value, (str, int, float)):
        return str(value)
    return ";".join("" if v is None else str(v) for v in jsonable(value))


@dataclass(frozen=True, slots=True)
class SubField:
    """One ``|``-separated field of an entry of a list column."""

    name: str
    description: str
    read: Callable[[Mapping], object]


ENTRY_ESCAPES = {"%": "%25", ";": "%3B", "|": "%7C"}  # inside an entry's field, so that entries split back


def _field_text(value: object) -> str:
    text = _words(value)
    for ch, code in ENTRY_ESCAPES.items():
        text = text.replace(ch, code)
    return text


def _entry(fields: tuple[SubField, ...], item: Mapping) -> str:
    return "|".join(_field_text(f.read(item)) for f in fields)


def _amp(values) -> str:
    return "&".join(str(v) for v in values or ())


QUALIFYING_VARIANT_FIELDS: tuple[SubField, ...] = (
    SubField("variant", "the VCF record and ALT (`chr2:POS REF>ALT`)", lambda h: h.get("variant")),
    SubField("genotype", "the sample's GT there", lambda h: h.get("genotype")),
    SubField("class", "the DIRA class used for the verdict", lambda h: h.get("class")),
    SubField("hgvs_c", "HGVS c. on MANE Select (empty when not derivable)", lambda h: h.get("hgvs_c")),
    SubField("hgvs_p", "HGVS p. on MANE Select (empty when not derivable)", lambda h: h.get("hgvs_p")),
    SubField("catalogue", "DIRA catalogue allele(s) matched, `&`-joined", lambda h: _amp(h.get("catalogue"))),
    SubField("codes", "ACMG criteria met (as applied) and catalogue notes, `&`-joined", lambda h: _amp(h.get("codes"))),
    SubField("PS", "the call's phase set (empty when unphased or none)", lambda h: h.get("PS")),
)
NOT_ASSESSABLE_FIELDS: tuple[SubField, ...] = (
    SubField("variant", "the VCF record and ALT (`chr2:POS REF>ALT`) or the catalogue site",
             lambda s: s.get("variant")),
    SubField("why", "why the call there cannot be used", lambda s: s.get("why")),
)
MARKER_FIELDS: tuple[SubField, ...] = (SubField("rsid", "the marker's name", lambda m: m.get("rsid")),)
FLANK_SNV_FIELDS: tuple[SubField, ...] = (
    SubField("name", "the flank SNV", lambda s: s.get("name")),
    SubField("genotype", "its genotype from the reads (`./.` not called)", lambda s: s.get("genotype")),
    SubField("alt_reads", "reads with the ALT base", lambda s: s.get("alt_reads")),
    SubField("depth", "reads with the REF or ALT base", lambda s: s.get("depth")),
)


def _entries(fields: tuple[SubField, ...]) -> Callable[[object], str]:
    def render(value: object) -> str:
        if not value:
            return ""
        return ";".join(_entry(fields, item) for item in value if isinstance(item, Mapping))
    render.fields = fields  # type: ignore[attr-defined]  # read by the schema document
    return render


@dataclass(frozen=True, slots=True)
class SampleColumn:
    """One column of the per-sample table: its header, type (``int``, ``float`` or ``text``: the DataFrame
    dtype ``Int64``, ``Float64`` or ``string``), what it holds, and where its value is read: ``path`` in the
    per-sample section of the analysis ``section`` (:data:`COUNTS` for the run's own counts)."""

    name: str
    kind: str
    description: str
    section: str
    path: tuple[str, ...]
    render: Callable[[object], object] = _scalar

    @property
    def entry_fields(self) -> tuple[SubField, ...]:
        """The ``|``-separated fields of each ``;``-separated entry, for a list-of-objects column."""
        return getattr(self.render, "fields", ())

    def cell(self, section: Mapping | None) -> object:
        """This column's cell from its analysis' per-sample section (None: the analysis said nothing)."""
        value: object = section
        for key in self.path:
            value = value.get(key) if isinstance(value, Mapping) else None
        return self.render(value)


def _col(section: str, name: str, kind: str, description: str, path: tuple[str, ...] | None = None,
         render: Callable[[object], object] = _scalar) -> SampleColumn:
    return SampleColumn(f"{section}.{name}" if section else name, kind, description, section,
                        path or tuple(name.split(".")), render)


BASE_COLUMNS: tuple[SampleColumn, ...] = (
    _col(COUNTS, "sample", "text", "the sample's name in the VCF header"),
    _col(COUNTS, "n_carried_alleles", "int", "ALT alleles in the IL1RN window the sample carries (het, hom, "
         "hemizygous or with another ALT)"),
    _col(COUNTS, "n_uncertain_calls", "int", "ALT alleles in the window whose call for the sample is missing or "
         "half-called (not observed is not reference)"),
)

DIRA = "dira"
DIRA_COLUMNS: tuple[SampleColumn, ...] = (
    _col(DIRA, "verdict", "text", "the DIRA verdict: BIALLELIC, POSSIBLE_BIALLELIC_PHASE_UNKNOWN, "
         "POSSIBLE_BIALLELIC_INCONSISTENT_GENOTYPES, UNCERTAIN_BIALLELIC_CANDIDATE, NOT_ASSESSABLE, CARRIER, "
         "NO_QUALIFYING_VARIANT or NO_IL1RN_RECORDS (docs/methods.md 5.4)"),
    _col(DIRA, "n_qualifying", "int", "qualifying (pathogenic / likely pathogenic) alleles the sample carries"),
    _col(DIRA, "qualifying_variants", "text", "each qualifying allele the sample carries; entries `;`-separated, "
         "fields `|`-separated (below)", render=_entries(QUALIFYING_VARIANT_FIELDS)),
    _col(DIRA, "phase_summary", "text", "each pair of qualifying alleles: `A + B: phase (how it is known)`, "
         "`;`-separated"),
    _col(DIRA, "evidence_codes", "text", "the ACMG codes (as applied) behind the qualifying alleles, `;`-joined",
         render=_words),
    _col(DIRA, "flags", "text", "what lowered or qualifies the verdict (missing_call, filtered_call, "
         "statistical_phase_only, possibly_hemizygous ...), `;`-joined", render=_words),
    _col(DIRA, "not_assessable_sites", "text", "qualifying sites whose call cannot be used; entries "
         "`;`-separated, fields `|`-separated (below)", render=_entries(NOT_ASSESSABLE_FIELDS)),
    _col(DIRA, "reasons", "text", "the verdict's reasons in plain sentences, `;`-joined", render=_words),
    _col(DIRA, "ped.father", "text", "the father named by the PED file (empty without one)"),
    _col(DIRA, "ped.mother", "text", "the mother named by the PED file (empty without one)"),
)

VNTR = "vntr"
VNTR_COLUMNS: tuple[SampleColumn, ...] = (
    _col(VNTR, "method", "text", "how the IL1RN*1-*5 VNTR answer was reached: long_reads or direct (measured), "
         "inferred (tag SNVs), unknown", ("vntr", "method")),
    _col(VNTR, "diplotype", "text", "the VNTR diplotype when exactly one is possible (e.g. IL1RN*1/*2)",
         ("vntr", "diplotype")),
    _col(VNTR, "candidates", "text", "every diplotype still possible, `;`-joined", ("vntr", "candidates"), _words),
    _col(VNTR, "call", "text", "the answer in words: the diplotype, what the tags say, or unknown",
         ("vntr", "call")),
    _col(VNTR, "derived_from", "text", "where the answer comes from (measured in the VCF or from reads, "
         "inferred from tag SNVs, no evidence)", ("vntr", "derived_from")),
    _col(VNTR, "confidence", "text", "high, medium, moderate or low (empty when unknown)", ("vntr", "confidence")),
    _col(VNTR, "star2_copies", "text", "copies of IL1RN*2: one number, or the range still possible (`0-2`)",
         ("vntr", "star2_copies")),
    _col(VNTR, "star2_dosage", "text", "copies of IL1RN*2 for a regression: 0, 1, 2 or NA when not one number",
         ("vntr", "star2_dosage")),
    _col(VNTR, "star2_min", "int", "fewest IL1RN*2 copies still possible", ("vntr", "star2_min")),
    _col(VNTR, "star2_max", "int", "most IL1RN*2 copies still possible", ("vntr", "star2_max")),
    _col(VNTR, "evidence", "text", "the VCF records or read files a measured answer rests on, `;`-joined",
         ("vntr", "evidence"), _words),
    _col(VNTR, "markers_used", "text", "tag markers that named an allele, `;`-joined", ("vntr", "markers_used"),
         _words),
    _col(VNTR, "markers_typed_not_usable", "text", "markers called in the input that cannot name an allele "
         "(context only, e.g. rs419598), `;`-joined", ("vntr", "markers_typed_not_usable"),
         _entries(MARKER_FIELDS)),
    _col(VNTR, "missing_markers", "text", "tag markers with no record or no call in the input, `;`-joined",
         ("vntr", "missing_markers"), _words),
    _col(VNTR, "notes", "text", "caveats of the answer in plain sentences, `;`-joined", ("vntr", "notes"), _words),
    _col(VNTR, "reads.diplotype", "text", "the diplotype measured from the sample's long reads (empty without "
         "reads or when none was measured)", ("vntr", "reads", "diplotype")),
    _col(VNTR, "reads.confidence", "text", "the confidence of the read measurement", ("vntr", "reads", "confidence")),
    _col(VNTR, "reads.spanning_reads", "int", "reads spanning the whole VNTR", ("vntr", "reads", "spanning_reads")),
    _col(VNTR, "reads.flank_snvs", "text", "the *2 flank SNVs genotyped from the reads; entries `;`-separated, "
         "fields `|`-separated (below)", ("vntr", "reads", "flank_snvs"), _entries(FLANK_SNV_FIELDS)),
)

CODON = "codon_haplotypes"
CODON_COLUMNS: tuple[SampleColumn, ...] = (
    _col(CODON, "codon_pairs", "text", "two variants changing one codon in this sample: "
         "`SAMPLE:TRANSCRIPT:cis|trans|unphased:RECORDS[:joint effect]`, `;`-joined", render=_words),
)


CATALOGUE_SITE_DESCRIPTION = ("`dira.catalogue_sites.<allele>`: what the input says at the site of each DIRA "
                              "catalogue allele: `called: GT at RECORD`, `site called, allele not in file: ...`, "
                              "`not assessable (site not called): ...`, `not_observed` (no record covers it: never "
                              "taken as reference) or `no coordinates` (breakpoints unpublished: only a matching "
                              "deletion call can show it)")


@functools.cache
def catalogue_columns() -> tuple[SampleColumn, ...]:
    """One column per allele of the bundled DIRA catalogue, in the catalogue's order (read on first use; the
    allele IDs are the same in both builds)."""
    from il1rn_annot.dira.catalogue import load_catalogue

    return tuple(_col(DIRA, f"catalogue_sites.{a.allele_id}", "text",
                      f"the input at the site of catalogue allele {a.allele_id} "
                      f"({a.hgvs_c or a.name_as_published}; values below)",
                      ("catalogue_sites", a.allele_id)) for a in load_catalogue("GRCh38").alleles)


def sample_columns() -> tuple[SampleColumn, ...]:
    """Every column of the per-sample table, in order."""
    return (*BASE_COLUMNS, *DIRA_COLUMNS, *catalogue_columns(), *VNTR_COLUMNS, *CODON_COLUMNS)


def sample_column_names() -> list[str]:
    return [c.name for c in sample_columns()]


def sample_column_types() -> dict[str, str]:
    """``{column: "int" | "float" | "text"}``, for the typed DataFrame."""
    return {c.name: c.kind for c in sample_columns()}


def _counts(summary, n: int) -> tuple[list[int], list[int]]:
    """Per sample: alleles carried and calls that could not be made (missing/half), counted while the window
    was written (:class:`~il1rn_annot.sinks.sample_view.SampleTallies`)."""
    tallies = summary.tallies
    if tallies is None or len(tallies.carried) != n:
        return [0] * n, [0] * n
    return tallies.carried.tolist(), tallies.uncertain.tolist()


class _SectionCells:
    """One analysis' cells of each sample, remembering the last sections seen by identity: a cohort's samples
    with the same genotypes where the analysis looks share one section object (analyses.LazyPerSample), whose
    cells are made once.  An analysis may offer its sections already flattened (``per_sample.flat``, as
    :func:`il1rn_annot.columns.flatten` writes them): then the scalar and word-list cells are read from that, and
    the section itself is made only when a list-of-objects column is not empty there."""

    def __init__(self, result, columns: tuple[SampleColumn, ...], size: int = 1024):
        self.result, self.columns, self.size = result, columns, size
        self.cache: OrderedDict[int, tuple[object, list[object]]] = OrderedDict()
        self.quick = getattr(result.per_sample, "flat", None) if result is not None else None

    def _cached(self, key_object: object, make: Callable[[], list[object] | None]) -> list[object] | None:
        hit = self.cache.get(id(key_object))
        if hit is not None and hit[0] is key_object:
            self.cache.move_to_end(id(key_object))
            return hit[1]
        cells = make()
        self.cache[id(key_object)] = (key_object, cells)  # holds the object: its id stays unique
        if len(self.cache) > self.size:
            self.cache.popitem(last=False)
        return cells

    def _from_flat(self, flat: Mapping) -> list[object] | None:
        """The cells from a flattened section; None when a list-of-objects column is not empty there (flatten
        leaves such a list out, and writes an empty one as '')."""
        cells: list[object] = []
        for c in self.columns:
            value = flat.get(".".join((c.section, *c.path)), None if c.entry_fields else "")
            if c.entry_fields and value != "":
                return None
            cells.append("" if value is None else value)
        return cells

    def of(self, sample: str) -> list[object]:
        if self.result is None or sample not in self.result.per_sample:
            return [c.render(None) for c in self.columns]
        flat = self.quick(sample) if self.quick is not None else None
        cells = self._cached(flat, lambda: self._from_flat(flat)) if flat is not None else None
        if cells is None:
            section = self.result.per_sample[sample]
            cells = self._cached(section, lambda: [c.cell(section) for c in self.columns])
        return cells


def _sections(summary) -> list[_SectionCells]:
    by_name = {r.name: r for r in summary.analyses}
    groups = [(DIRA, (*DIRA_COLUMNS, *catalogue_columns())), (VNTR, VNTR_COLUMNS), (CODON, CODON_COLUMNS)]
    return [_SectionCells(by_name.get(name), columns) for name, columns in groups]


class SampleRows(Sequence):
    """The rows of the per-sample table, made when read (a 100,000-sample table is not held in memory);
    ``list(rows)`` materialises them."""

    def __init__(self, summary):
        self.samples = list(summary.sample_names)
        self.counts = _counts(summary, len(self.samples))
        self.sections = _sections(summary)

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        s = self.samples[i]
        row: list[object] = [s, self.counts[0][i], self.counts[1][i]]
        for section in self.sections:
            row.extend(section.of(s))
        return row

    def __iter__(self) -> Iterator[list[object]]:
        return (self[i] for i in range(len(self)))


def samples_rows(summary) -> tuple[list[str], SampleRows]:
    """The per-sample table of a finished run: (column names, rows made when read)."""
    return sample_column_names(), SampleRows(summary)


def write_samples_tsv(path: str, summary, table: tuple[list[str], Sequence[list[object]]] | None = None) -> None:
    """The per-sample table as TSV (``table``: the result of :func:`samples_rows` when the caller has it)."""
    columns, rows = table or samples_rows(summary)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(columns)
        w.writerows([cell_text(v) for v in row] for row in rows)


class SamplesTableSink:
    """The per-sample table, written once the run is finished (``path``: its temporary file)."""

    def __init__(self, path: str, final: str):
        self.path, self.final = path, final

    def write(self, item, alleles) -> None:
        pass  # per-sample: everything comes with the finished run

    def finish(self, run) -> list[str]:
        write_samples_tsv(self.path, run)
        return [self.final]
