"""The field registry's per-group row functions (fields.register_fields ``row=``) against its getters.

The getters of each Field are the definition of an output column; the row functions are what the writers
run per allele x transcript.  They must give the same values on every kind of row: alleles outside every
transcript, passed-through alleles with a note, rows with and without a consequence, VNTR rows, DIRA
catalogue matches, non-MANE transcripts with a derived RefSeq c.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import REPO, TESTDATA, need_shared
from vcf_text import header, record, write
from il1rn_annot.api import annotate_vcf
from il1rn_annot.frozen import replace
from il1rn_annot.fields import RowCache, all_fields, cell_text, row_values
from il1rn_annot.io.tables import TsvRows, variant_rows, variant_text_rows

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


def test_the_row_functions_give_what_the_getters_give(rows):
    fields = all_fields()
    cache = RowCache()
    assert cache._plan is not None  # the registry as the writers see it: every group's row function in use
    for a, t in rows:
        assert cache.values(a, t) == row_values(fields, a, t), (a.variant, t and t.location.transcript.transcript_id)


def test_the_cached_text_is_each_value_as_text(rows):
    fields = all_fields()
    cache = RowCache()
    for a, t in rows:
        want = [cell_text(v) for v in row_values(fields, a, t)]
        assert cache.texts(a, t) == want
        assert cache.texts(a, t) is cache.texts(a, t)  # computed once


def test_a_field_list_other_than_the_registry_uses_the_getters(rows):
    fields = all_fields()[::2]
    cache = RowCache(fields)
    assert cache._plan is None
    for a, t in rows[:50]:
        assert cache.values(a, t) == [f.get(a, t) for f in fields]


def test_the_text_table_rows_write_what_the_typed_rows_write(rows):
    anns = list(dict.fromkeys(a for a, _ in rows))
    typed, text = io.StringIO(), io.StringIO()
    cache = RowCache()
    w1, w2 = TsvRows(typed), TsvRows(text)
    for a in anns:
        w1.writerows(variant_rows(a, "GRCh38"))
        for row in variant_text_rows(a, "GRCh38", cache):
            assert all(isinstance(c, str) for c in row)
            w2.write_texts(row)
    assert typed.getvalue() == text.getvalue()
    assert typed.getvalue().count("\n") == sum(len(a.transcripts) or 1 for a in anns) > 100


def test_a_cell_csv_must_quote_is_quoted_on_the_text_path_too():
    typed, text = io.StringIO(), io.StringIO()
    row = ["chr2", "113125000", 'rs"1', "A\tB", "", "x\ny"]
    TsvRows(typed).writerow(row)
    TsvRows(text).write_texts([cell_text(v) for v in row])
    assert typed.getvalue() == text.getvalue() == 'chr2\t113125000\t"rs""1"\t"A\tB"\t\t"x\ny"\n'


def test_the_real_exome_rows_agree():
    path = need_shared(REAL)
    fields = all_fields()
    cache = RowCache()
    pairs = _rows([path])
    assert len(pairs) > 50
    for a, t in pairs:
        assert cache.values(a, t) == row_values(fields, a, t)
