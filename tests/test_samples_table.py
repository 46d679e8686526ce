"""The per-sample table has a fixed schema: the same columns in the same order whatever the samples carry,
no column that every run leaves empty, no doubled prefix, and each sample's qualifying variants in it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import FIXTURES, KG38, REPO, need_shared

from il1rn_annot.api import annotate_vcf, samples_frame
from il1rn_annot.sinks.samples_table import (
    QUALIFYING_VARIANT_FIELDS,
    sample_column_names,
    sample_columns,
    samples_rows,
)

EXAMPLE = REPO / "examples" / "il1rn_example_GRCh38.vcf"
SCENARIOS38 = FIXTURES / "dira" / "scenarios_GRCh38.vcf"
TRIO_PED = FIXTURES / "dira" / "trio.ped"
VNTR_FIXTURES = sorted((FIXTURES / "vntr").glob("*.GRCh38.vcf"))
# filled only from BAM/CRAM reads: tests/test_vntr_reads.py
# test_annotate_with_reads_fills_the_per_sample_outputs_and_the_cohort_tables asserts them for a long-read sample
READS_COLUMNS = {"vntr.reads.diplotype", "vntr.reads.confidence", "vntr.reads.spanning_reads",
                 "vntr.reads.flank_snvs"}


def _table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        return list(reader.fieldnames or []), list(reader)


def _run(vcf: Path, tmp: Path, **settings) -> tuple[list[str], list[dict[str, str]]]:
    out = tmp / f"{vcf.name}.samples.tsv"
    annotate_vcf(str(vcf), None, samples_tsv=str(out), **settings)
    return _table(out)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[list[str], list[dict[str, str]]]]:
    tmp = tmp_path_factory.mktemp("samples_tables")
    out = {"example": _run(EXAMPLE, tmp), "dira38_ped": _run(SCENARIOS38, tmp, ped=str(TRIO_PED))}
    for vcf in VNTR_FIXTURES:
        out[vcf.name] = _run(vcf, tmp)
    return out


def test_every_run_has_the_same_columns_in_the_same_order(runs):
    expected = sample_column_names()
    for name, (columns, rows) in runs.items():
        assert columns == expected, name
        assert rows, name
    # a sample with nothing in the window and one with everything share the header: the nothing_at_locus
    # fixture (no IL1RN record) and the 44 DIRA scenarios above were both compared with the same list
    assert "nothing_at_locus.GRCh38.vcf" in runs


def test_no_column_is_empty_in_every_run_and_no_prefix_is_doubled(runs):
    filled = {c for _, rows in runs.values() for r in rows for c, v in r.items() if v != ""}
    empty = [c for c in sample_column_names() if c not in filled and c not in READS_COLUMNS]
    assert not empty, f"columns empty in every fixture run: {empty}"
    for name in sample_column_names():
        parts = name.split(".")
        assert all(a != b for a, b in zip(parts, parts[1:])), name
    assert "vntr.method" in sample_column_names() and "vntr.vntr.method" not in sample_column_names()


def test_the_biallelic_patient_row_lists_its_qualifying_variant(runs):
    _, rows = runs["example"]
    row = {r["sample"]: r for r in rows}["PATIENT_E77X_HOM"]
    assert row["dira.verdict"] == "BIALLELIC" and row["dira.n_qualifying"] == "1"
    (entry,) = row["dira.qualifying_variants"].split(";")
    fields = dict(zip([f.name for f in QUALIFYING_VARIANT_FIELDS], entry.split("|")))
    assert fields["variant"] == "chr2:113131068 G>T" and fields["genotype"] == "1/1"
    assert fields["class"] == "pathogenic" and fields["catalogue"] == "E77X"
    assert fields["hgvs_c"] == "NM_173842.3:c.229G>T" and fields["hgvs_p"] == "NP_776214.1:p.(Glu77Ter)"
    assert set(fields["codes"].split("&")) >= {"PVS1", "DIRA_CATALOGUE"}
    carrier = {r["sample"]: r for r in rows}["CARRIER_DEL_CA"]
    assert carrier["dira.qualifying_variants"].startswith("chr2:113129614 ACA>A|0/1|pathogenic|")
    assert {r["sample"]: r for r in rows}["NO_VARIANT"]["dira.qualifying_variants"] == ""


def test_every_qualifying_sample_of_the_scenarios_lists_as_many_entries_as_it_counts(runs):
    _, rows = runs["dira38_ped"]
    counted = 0
    for r in rows:
        n = int(r["dira.n_qualifying"])
        entries = [e for e in r["dira.qualifying_variants"].split(";") if e]
        assert len(entries) == n, r["sample"]
        assert all(len(e.split("|")) == len(QUALIFYING_VARIANT_FIELDS) for e in entries), r["sample"]
        counted += n > 0
    assert counted >= 30  # 36 of the 44 scenario samples carry a qualifying allele
    not_assessable = {r["sample"]: r["dira.not_assessable_sites"] for r in rows if r["dira.not_assessable_sites"]}
    assert not_assessable["E77X_FT_fail__EXPECT_NOT_ASSESSABLE__FLAG_filtered_call"] == \
        "chr2:113131068 G>T|call 1/1 not trusted: sample FT LowQual"
    trio = {r["sample"]: r for r in rows if r["dira.ped.father"]}
    assert trio and all(r["dira.ped.mother"] for r in trio.values())


def test_the_quick_rows_equal_the_rows_made_from_each_full_section():
    """The DIRA analysis offers most samples' sections already flattened (a cohort's fast path); the table's
    cells from it equal the cells from the full section, for every sample of the scenarios."""
    summary = annotate_vcf(str(SCENARIOS38), None, ped=str(TRIO_PED))
    _check_quick_equals_full(summary)


@pytest.mark.shared
def test_the_quick_rows_equal_the_full_rows_for_2504_samples():
    need_shared(KG38)
    summary = annotate_vcf(str(KG38), None)
    _check_quick_equals_full(summary)


def _check_quick_equals_full(summary) -> None:
    columns, rows = samples_rows(summary)
    by_name = {r.name: r for r in summary.analyses}
    quick = 0
    for i, sample in enumerate(summary.sample_names):
        row = dict(zip(columns, rows[i]))
        sections = {name: r.per_sample[sample] for name, r in by_name.items() if sample in r.per_sample}
        quick += by_name["dira"].per_sample.flat(sample) is not None
        for c in sample_columns()[3:]:
            full = c.cell(sections.get(c.section))
            assert str(row[c.name]) == str(full), (sample, c.name)
    assert quick > 0


def test_the_frame_types_follow_the_schema_not_the_data(tmp_path):
    summary = annotate_vcf(str(EXAMPLE), None)
    df = samples_frame(summary)
    assert list(df.columns) == sample_column_names()
    kinds = {"int": "Int64", "float": "Float64", "text": "string"}
    assert {c.name: kinds[c.kind] for c in sample_columns()} == {c: str(t) for c, t in df.dtypes.items()}
    # a column of digits is text when the schema says text (star2_dosage is 0/1/2 or NA)
    assert str(df["vntr.star2_dosage"].dtype) == "string"
