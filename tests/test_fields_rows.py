"""The variant table's rows against the field getters, on every kind of row.

The getters of each Field are the definition of an output column (``fields.ALL_FIELDS``, ``row_values``); the
variant table writes the record's cells, those values and the per-zygosity counts for each allele x
transcript.  They must agree on every kind of row: alleles outside every transcript, passed-through alleles
with a note, rows with and without a consequence, VNTR rows, DIRA catalogue matches, non-MANE transcripts
with a derived RefSeq c.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conftest import REPO, TESTDATA, need_shared
from vcf_text import header, record, write
from il1rn_annot.api import annotate_vcf
from il1rn_annot.columns import cell_text
from il1rn_annot.fields import ALL_FIELDS, all_fields, row_values
from il1rn_annot.sinks.tables import COUNT_COLUMNS, RECORD_COLUMNS, TsvSink, variant_columns, variant_rows

FIXTURES = REPO / "tests" / "fixtures"
INPUTS = [
    REPO / "examples" / "il1rn_example_GRCh38.vcf",
    FIXTURES / "dira" / "scenarios_GRCh38.vcf",
    FIXTURES / "dira" / "scenarios_GRCh37.vcf",
    FIXTURES / "vntr" / "het_del172.GRCh38.vcf",
    FIXTURES / "vntr" / "cnv_tr_2_4.GRCh38.vcf",
    FIXTURES / "vntr" / "hom_ins86.GRCh37.vcf",
]
REAL = TESTDATA / "real" / "exomiser_Pfeiffer_GRCh37_IL1RN_2-113850000-113900000.vcf.gz"


def _annotations(path: Path, transcripts: str = "all"):
    return annotate_vcf(str(path), None, table="", genotypes="", transcripts=transcripts).annotations


def _rows(paths, transcripts: str = "all"):
    return [(a, t) for p in paths for a in _annotations(p, transcripts) for t in (a.transcripts or (None,))]


# symbolic and spanning-deletion alleles (passed through with a note, or placed without a consequence);
# the only reference base used is the G of c.229G>T (chr2:113131068, GRCh38), else N
EDGE_RECORDS = (
    record("chr2", 113090000, "N", "<DEL>", info="SVTYPE=DEL;END=113140000", gts=("1/1",))
    + record("chr2", 113094400, "N", "A")  # in the window, > 5 kb from MANE: no row on MANE alone
    + record("chr2", 113130900, "N", "<DEL>", info="SVTYPE=DEL;END=113131400")
    + record("chr2", 113131068, "G", "T,*", gts=("1/2",))
    + record("chr2", 113131068, "G", "<NON_REF>", gts=("0/0",))
)


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    edge = write(tmp_path_factory.mktemp("rows") / "edge.vcf", header() + EDGE_RECORDS)
    pairs = _rows(INPUTS + [edge]) + _rows([edge], transcripts="mane")
    # a transcript row without a consequence (annotations made by other layers, not by the Annotator)
    pairs += [(a, replace(t, effect=None)) for a, t in pairs[:40] if t is not None]
    kinds = {
        "outside every transcript": any(t is None for _, t in pairs),
        "with a note": any(a.variant.note for a, _ in pairs),
        "without an effect": any(t is not None and t.effect is None for _, t in pairs),
        "with an effect": any(t is not None and t.effect is not None for _, t in pairs),
        "in the VNTR": any(t is not None and t.location.in_vntr for _, t in pairs),
        "DIRA catalogue match": any(a.extras.get("dira", {}).get("catalogue") for a, _ in pairs),
        "non-MANE with RefSeq numbering": any(
            t is not None and t.location.transcript.refseq_cds_numbering and not t.location.transcript.mane_select
            for _, t in pairs),
    }
    missing = [k for k, seen in kinds.items() if not seen]
    assert not missing, f"the inputs no longer hold rows {missing}: the comparison would not cover them"
    return pairs


def _counts(a) -> dict[str, int]:
    return {c[len("n_"):]: i for i, c in enumerate(COUNT_COLUMNS)}  # distinct made-up counts per zygosity


def test_row_values_are_the_getters_in_field_order(rows):
    fields = all_fields()
    assert [f.name for f in fields] == [f.name for f in ALL_FIELDS]
    for a, t in rows:
        assert row_values(a, t) == [f.get(a, t) for f in fields], (a.variant, t and t.location.transcript.transcript_id)
    sub = fields[::2]
    for a, t in rows[:50]:
        assert row_values(a, t, sub) == [f.get(a, t) for f in sub]


def test_the_variant_table_rows_are_record_cells_getters_and_counts(rows):
    anns = list(dict.fromkeys(a for a, _ in rows))
    n = 0
    for a in anns:
        counts = _counts(a)
        got = list(variant_rows(a, "GRCh38", counts))
        assert len(got) == (len(a.transcripts) or 1)
        for row, t in zip(got, a.transcripts or (None,)):
            assert len(row) == len(variant_columns())
            assert row[len(RECORD_COLUMNS):-len(COUNT_COLUMNS)] == [f.get(a, t) for f in ALL_FIELDS]
            assert row[-len(COUNT_COLUMNS):] == list(range(len(COUNT_COLUMNS)))
            assert row[:len(RECORD_COLUMNS)] == [a.record.contig, a.record.pos, a.record.id, a.record.ref,
                                                 ",".join(a.record.alts), ";".join(a.record.filters) or ".", "GRCh38"]
        n += len(got)
    assert n == sum(len(a.transcripts) or 1 for a in anns) > 100


def test_a_cell_csv_must_quote_is_quoted(tmp_path):
    sink = TsvSink(str(tmp_path / "t.tsv"), ["a"])
    sink.rows([["chr2", 113125000, 'rs"1', "A\tB", None, "x\ny"]])
    sink.close()
    assert (tmp_path / "t.tsv").read_text() == 'a\nchr2\t113125000\t"rs""1"\t"A\tB"\t\t"x\ny"\n'
    assert [cell_text(v) for v in (None, 3, "x")] == ["", "3", "x"]


def test_the_real_exome_rows_agree():
    path = need_shared(REAL)
    pairs = _rows([path])
    assert len(pairs) > 50
    for a, t in pairs:
        row = next(r for r, tt in zip(variant_rows(a, "GRCh37", _counts(a)), a.transcripts or (None,)) if tt is t)
        assert row[len(RECORD_COLUMNS):-len(COUNT_COLUMNS)] == row_values(a, t)
