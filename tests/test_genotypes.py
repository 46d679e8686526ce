"""One genotype representation: the matrix's array rules equal the per-call definitions.

:func:`zygosity_of` (one call) is the definition; :meth:`GenotypeMatrix.zygosity_codes` (arrays) must give
the same answer for every genotype shape: haploid, diploid, polyploid, missing and half-called, other ALTs,
phased or not.  The genotype table's column-by-column text must equal the csv rows of :func:`genotype_rows`.
"""

from __future__ import annotations

import csv
import io

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from il1rn_annot.consequence.annotate import AlleleAnnotation
from il1rn_annot.sinks.tables import genotype_rows, genotype_table_text
from il1rn_annot.types import Variant, VariantKind
from il1rn_annot.variants.genotypes import (ZYGOSITIES, GenotypeMatrix, SampleCall, Zygosity, zygosity,
                                            zygosity_of)
from il1rn_annot.variants.record import Record

allele = st.one_of(st.none(), st.integers(min_value=0, max_value=3))
calls = st.lists(st.tuples(st.lists(allele, min_size=0, max_size=3).map(tuple), st.booleans(),
                           st.one_of(st.none(), st.integers(0, 5)), st.one_of(st.none(), st.floats(0, 99)),
                           st.one_of(st.none(), st.integers(0, 300)),
                           st.one_of(st.none(), st.sampled_from(["PASS", "LowQual", "q10;s50", "a\tb"]))),
                 min_size=1, max_size=30)


def _matrix(rows) -> GenotypeMatrix:
    return GenotypeMatrix.from_calls(
        SampleCall(f"S{i}", alleles, phased, phase_set=ps, gq=gq, dp=dp, ft=ft)
        for i, (alleles, phased, ps, gq, dp, ft) in enumerate(rows))


@settings(max_examples=300, deadline=None)
@given(calls, st.integers(min_value=1, max_value=3))
def test_zygosity_codes_equal_the_per_call_rule(rows, k):
    m = _matrix(rows)
    codes = m.zygosity_codes(k)
    for i, (alleles, *_rest) in enumerate(rows):
        # a call written with no allele at all is a missing call ("."), as htslib reads it
        expected = zygosity_of(alleles if alleles else (None,), k)
        assert ZYGOSITIES[codes[i]] is expected, (alleles, k)
        assert zygosity(m.call(i), k) is expected


@settings(max_examples=200, deadline=None)
@given(calls, st.integers(min_value=1, max_value=3))
def test_the_per_sample_view_gives_back_each_call(rows, k):
    m = _matrix(rows)
    for i, (alleles, phased, ps, gq, dp, ft) in enumerate(rows):
        c = m.call(i)
        assert c.alleles == (alleles if alleles else (None,))
        assert (c.phased, c.phase_set, c.dp, c.ft) == (phased, ps, dp, ft)
        assert c.gq == (None if gq is None else gq)
    counts = m.allele_counts(k)
    assert sum(counts.values()) == len(rows)
    first, inverse = m.classes()
    for i in range(len(rows)):  # rows of one class have the same genotype and phasing
        j = first[inverse[i]]
        assert (m.call(i).alleles, m.call(i).phased) == (m.call(j).alleles, m.call(j).phased)


def _annotation(m: GenotypeMatrix, k: int) -> AlleleAnnotation:
    rec = Record("chr2", 113131068, "E77X", "G", ("T", "C", "A"), None, ("PASS",), {}, m, 0)
    v = Variant("chr2", 113131067, 113131068, "G", "TCA"[k - 1], VariantKind.SNV, 113131068, "G", "TCA"[k - 1], k)
    return AlleleAnnotation(rec, v, ())


def _csv_text(rows) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(
        ["" if v is None else str(v) for v in row] for row in rows)
    return out.getvalue()


@settings(max_examples=300, deadline=None)
@given(calls, st.integers(min_value=1, max_value=3), st.booleans())
def test_the_genotype_tables_text_equals_its_csv_rows(rows, k, all_rows):
    a = _annotation(_matrix(rows), k)
    text = genotype_table_text(a, all_rows)
    expected = _csv_text(genotype_rows(a, all_rows))
    if text is None:  # a cell csv must quote (a tab in FT): the writer falls back to csv for this allele
        assert any("\t" in (r[5] or "") for r in rows)
        return
    assert text.decode() == expected


def test_nonref_rows_list_carriers_half_calls_and_missing_calls_never_a_called_reference():
    m = _matrix([((0, 0), False, None, 50.0, 30, None), ((0, 1), False, None, 50.0, 30, None),
                 ((None, 1), False, None, None, None, None), ((None, None), False, None, None, None, None),
                 ((1,), True, None, None, None, None), ((2, 2), False, None, None, None, None)])
    rows = list(genotype_rows(_annotation(m, 1)))
    zyg = {r[6]: r[8] for r in rows}
    # S0 0/0 and S5 2/2 are called without ALT 1: no row (the variant table counts them as n_ref)
    assert zyg == {"S1": "het", "S2": "half_call", "S3": "missing", "S4": "hemizygous"}
    counts = m.allele_counts(1)
    assert counts[Zygosity.REF.value] == 2 and counts[Zygosity.MISSING.value] == 1
    assert counts[Zygosity.HALF_CALL.value] == 1 and counts[Zygosity.HEMIZYGOUS.value] == 1


def test_a_subset_keeps_where_each_row_came_from():
    m = _matrix([((0, 1), False, None, None, None, None)] * 5)
    sub = m.subset(np.array([1, 3]))
    assert sub.rows.tolist() == [1, 3] and sub.samples == ("S1", "S3")
    assert sub.subset(np.array([1])).rows.tolist() == [3]
