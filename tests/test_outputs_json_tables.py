"""JSON reports, the per-sample table, DataFrames, Parquet and pyranges on the example VCF and real data."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from conftest import EXOME37, KG38, REPO, need_module, need_shared
from il1rn_annot.api import (annotate_variants, annotate_vcf, genotypes_frame, read_table, samples_frame, to_pyranges,
                             variants_frame)
from il1rn_annot.errors import InputError, UsageError
from il1rn_annot.sinks.json_reports import SCHEMA_VERSION, load_schema

EXAMPLE = REPO / "examples" / "il1rn_example_GRCh38.vcf"


def _validator():
    jsonschema = need_module("jsonschema", "pip install -e '.[test]'")
    return jsonschema.Draft202012Validator(load_schema())


def test_json_reports_validate_and_place_each_samples_alleles(tmp_path):
    out = tmp_path / "reports"
    annotate_vcf(str(EXAMPLE), str(tmp_path / "o.vcf"), json_dir=str(out), command_line="il1rn-annot test")
    names = sorted(p.name for p in out.iterdir())
    assert names == ["CARRIER_DEL_CA.json", "NO_VARIANT.json", "PATIENT_E77X_HOM.json", "cohort.json"]
    v = _validator()
    docs = {n: json.loads((out / n).read_text()) for n in names}
    for n, d in docs.items():
        errors = sorted(v.iter_errors(d), key=str)
        assert not errors, f"{n}: {errors[0].message}"
        assert d["schema_version"] == SCHEMA_VERSION
        assert d["provenance"]["command_line"] == "il1rn-annot test"
        assert d["provenance"]["input"]["build"] == "GRCh38"
        assert any(r.startswith("gene_model_GRCh38@") for r in d["provenance"]["resources"])

    def carried(doc):
        out = {}
        for var in doc["variants"]:
            mane = [t for t in var["transcripts"] if t["MANE"] == "MANE_Select"]
            out[(var["pos"], var["ref"], var["alt"])] = (var["genotype"]["zygosity"], mane[0]["Exon"],
                                                        mane[0]["Intron"], mane[0]["HGVS_pos"])
        return out

    # genotypes and placements as written in the example VCF (EXPECT column) and its README
    assert carried(docs["PATIENT_E77X_HOM.json"]) == {
        (113129630, "T", "C"): ("het", "2/4", "", "c.171"),
        (113131068, "G", "T"): ("hom_alt", "3/4", "", "c.229"),
        (113131216, "A", "T"): ("het", "", "3/3", "c.318+59"),
    }
    carrier = carried(docs["CARRIER_DEL_CA.json"])
    assert carrier[(113129614, "ACA", "A")][0] == "het" and carrier[(113129614, "ACA", "A")][1] == "2/4"
    assert set(carried(docs["NO_VARIANT.json"])) == {(113132727, "T", "C")}
    cohort = docs["cohort.json"]
    # every resource an analysis names (at any depth of its cohort section) is cited in the provenance
    named = set(re.findall(r'"([A-Za-z0-9_.-]+@[^#"\s]+#[0-9a-f]{8})"', json.dumps(cohort["analyses"])))
    assert named <= set(cohort["provenance"]["resources"])
    assert cohort["n_carriers"]["chr2:113131068 G>T"] == 1
    assert cohort["n_carriers"]["chr2:113132727 T>C"] == 2
    assert cohort["sample_files"]["NO_VARIANT"] == "NO_VARIANT.json"


def test_json_reports_are_byte_identical_on_rerun(tmp_path):
    for d in ("a", "b"):
        annotate_vcf(str(EXAMPLE), str(tmp_path / f"{d}.vcf"), json_dir=str(tmp_path / d), command_line="x")
    for p in (tmp_path / "a").iterdir():
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes(), p.name


def test_missing_calls_are_reported_not_dropped(tmp_path):
    text = EXAMPLE.read_text().replace("0/0:99:40\t0/1:99:37\t1/1:99:36", "./.:.:.\t0/1:99:37\t1/1:99:36")
    vcf = tmp_path / "missing.vcf"
    vcf.write_text(text)
    out = tmp_path / "j"
    summary = annotate_vcf(str(vcf), str(tmp_path / "o.vcf"), json_dir=str(out), samples_tsv=str(tmp_path / "s.tsv"))
    doc = json.loads((out / "PATIENT_E77X_HOM.json").read_text())
    missing = [v for v in doc["variants"] if v["pos"] == 113132727]
    assert missing and missing[0]["genotype"]["zygosity"] == "missing" and missing[0]["genotype"]["allele_copies"] is None
    table = read_table(str(tmp_path / "s.tsv")).set_index("sample")
    assert table.loc["PATIENT_E77X_HOM", "n_uncertain_calls"] == 1
    assert table.loc["PATIENT_E77X_HOM", "n_carried_alleles"] == 3
    pd.testing.assert_frame_equal(samples_frame(summary), table.reset_index())


def test_unsafe_and_colliding_sample_names_get_distinct_files(tmp_path):
    lines = EXAMPLE.read_text().splitlines()
    lines = [ln.replace("PATIENT_E77X_HOM\tCARRIER_DEL_CA\tNO_VARIANT", "a/b\ta b\tcohort") if ln.startswith("#CHROM")
             else ln for ln in lines]
    vcf = tmp_path / "names.vcf"
    vcf.write_text("\n".join(lines) + "\n")
    annotate_vcf(str(vcf), str(tmp_path / "o.vcf"), json_dir=str(tmp_path / "j"))
    assert sorted(p.name for p in (tmp_path / "j").iterdir()) == ["a_b.2.json", "a_b.json", "cohort.2.json",
                                                                   "cohort.json"]
    cohort = json.loads((tmp_path / "j" / "cohort.json").read_text())
    assert cohort["sample_files"] == {"a/b": "a_b.json", "a b": "a_b.2.json", "cohort": "cohort.2.json"}
    assert json.loads((tmp_path / "j" / "a_b.2.json").read_text())["sample"] == "a b"


def test_sample_names_cannot_inject_markup_into_the_html(tmp_path):
    text = EXAMPLE.read_text().replace("PATIENT_E77X_HOM\t", "<b>x</b>&amp;\t", 1)
    vcf = tmp_path / "markup.vcf"
    vcf.write_text(text)
    annotate_vcf(str(vcf), None, html=str(tmp_path / "r.html"))
    page = (tmp_path / "r.html").read_text()
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;&amp;amp;" in page


def test_bad_input_leaves_no_report_files(tmp_path):
    text = EXAMPLE.read_text().replace("chr2\t113131068", "chr2\t113000000", 1)  # out of order: not sorted
    vcf = tmp_path / "unsorted.vcf"
    vcf.write_text(text)
    with pytest.raises(InputError):
        annotate_vcf(str(vcf), str(tmp_path / "o.vcf"), json_dir=str(tmp_path / "j"), html=str(tmp_path / "r.html"),
                     samples_tsv=str(tmp_path / "s.tsv"), parquet=True)
    left = [p.name for p in tmp_path.rglob("*") if p.is_file() and p.name != "unsorted.vcf"]
    assert left == []


@pytest.mark.shared
def test_1000_genomes_tables_load_back_identical_from_tsv_and_parquet(tmp_path):
    need_shared(KG38)
    out = tmp_path / "kg.vcf.gz"
    summary = annotate_vcf(str(KG38), str(out), samples_tsv=str(tmp_path / "kg.samples.tsv"), parquet=True,
                           json_dir=str(tmp_path / "json"))
    reports = sorted((tmp_path / "json").glob("*.json"))
    assert len(reports) == 2504 + 1
    validator = _validator()
    for p in (tmp_path / "json" / "cohort.json", reports[0], reports[-1]):
        doc = json.loads(p.read_text())
        assert not list(validator.iter_errors(doc)), p.name
    # a run summary keeps no genotypes: the genotype frame is made from annotate_variants (rows as the run's,
    # the default nonref)
    pairs = {"variants": ("kg.tsv", "kg.parquet", variants_frame(summary)),
             "genotypes": ("kg.genotypes.tsv", "kg.genotypes.parquet", genotypes_frame(annotate_variants(str(KG38)))),
             "samples": ("kg.samples.tsv", "kg.samples.parquet", samples_frame(summary))}
    for name, (tsv, pq, api_frame) in pairs.items():
        from_parquet = pd.read_parquet(tmp_path / pq)
        from_tsv = read_table(str(tmp_path / tsv))
        pd.testing.assert_frame_equal(from_parquet, from_tsv, obj=name)
        pd.testing.assert_frame_equal(api_frame, from_tsv, obj=name)
        # and the plain-text content is the same whatever pandas infers
        raw = pd.read_csv(tmp_path / tsv, sep="\t", dtype=str, keep_default_na=False)
        as_text = from_parquet.astype(object).where(from_parquet.notna(), "").astype(str)
        assert raw.values.tolist() == as_text.values.tolist(), name
    gt = pd.read_parquet(tmp_path / "kg.genotypes.parquet")
    v = pd.read_parquet(tmp_path / "kg.parquet")
    mane = v[v["MANE"] == "MANE_Select"].iloc[0]
    assert summary.alleles_annotated == 1
    # the long table: one row per allele x sample, less the called-reference rows (--genotype-rows nonref)
    assert len(gt) == 2504 * summary.alleles_annotated - mane["n_ref"] and "ref" not in set(gt["zygosity"])
    assert gt["sample"].nunique() == 2504 - mane["n_ref"]
    assert str(gt["POS"].dtype) == "Int64" and str(gt["GQ"].dtype) == "Float64"
    counts = gt["zygosity"].value_counts().to_dict()
    assert counts.get("hom_alt", 0) == mane["n_hom_alt"] and counts.get("het", 0) == mane["n_het"]


def test_genotype_rows_nonref_drops_only_the_ref_rows(tmp_path):
    """--genotype-rows nonref (the default) on the 37-sample DIRA scenarios (half-calls, missing, haploid,
    multi-allelic): the table is the full one (--genotype-rows all) without its 'ref' rows, and the Parquet copy
    follows."""
    from il1rn_annot.cli import main

    vcf = REPO / "tests" / "fixtures" / "dira" / "scenarios_GRCh38.vcf"
    assert main(["annotate", "-q", str(vcf), "-o", str(tmp_path / "all.vcf"), "--genotype-rows", "all"]) == 0
    assert main(["annotate", "-q", str(vcf), "-o", str(tmp_path / "nonref.vcf"), "--genotype-rows", "nonref",
                 "--parquet"]) == 0
    full = (tmp_path / "all.genotypes.tsv").read_text().splitlines()
    kept = (tmp_path / "nonref.genotypes.tsv").read_text().splitlines()
    assert kept[0] == full[0] and kept[1:] == [ln for ln in full[1:] if ln.split("\t")[8] != "ref"]
    zyg = {ln.split("\t")[8] for ln in kept[1:]}
    assert {"het", "hom_alt", "half_call", "missing"} <= zyg and "ref" not in zyg
    assert len(kept) < len(full) // 2  # most rows of the scenarios are 'ref'
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "nonref.genotypes.parquet"),
                                  read_table(str(tmp_path / "nonref.genotypes.tsv")))
    # the annotated VCF and the variant table do not depend on it (but for the command line in the header)
    assert (tmp_path / "all.tsv").read_text() == (tmp_path / "nonref.tsv").read_text()
    with pytest.raises(UsageError, match="genotype_rows"):
        annotate_vcf(str(vcf), str(tmp_path / "x.vcf"), genotype_rows="carriers")
    assert not (tmp_path / "x.vcf").exists()
    # the API's frame (of annotate_variants: a run summary keeps no genotypes): nonref by default, all on request
    pd.testing.assert_frame_equal(genotypes_frame(annotate_variants(str(vcf))),
                                  read_table(str(tmp_path / "nonref.genotypes.tsv")))
    pd.testing.assert_frame_equal(genotypes_frame(annotate_variants(str(vcf)), rows="all"),
                                  read_table(str(tmp_path / "all.genotypes.tsv")))


def test_parquet_without_pyarrow_is_a_clear_input_error(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # what an install without the extra looks like
    with pytest.raises(InputError, match=r"pip install pyarrow \(in a clone: pip install -e '\.\[parquet\]'\)"):
        annotate_vcf(str(EXAMPLE), str(tmp_path / "o.vcf"), parquet=True)
    assert not any(tmp_path.iterdir())


@pytest.mark.shared
def test_pyranges_of_the_real_exome_variants():
    need_shared(EXOME37)
    summary = annotate_vcf(str(EXOME37), None)
    gr = to_pyranges(summary)
    df = gr.df
    assert len(df) == 16
    assert (df["End"] > df["Start"]).all()
    assert (df["Start"] == df["POS"] - 1).all()  # all 16 are SNVs: 0-based start = POS - 1
    by_id = df.set_index("ID")
    assert by_id.loc["rs419598", "MANE_Exon"] == "2/4" and by_id.loc["rs454078", "MANE_Intron"] == "3/3"
    # the overlap with the MANE exons, through pyranges itself
    import pyranges as pr

    mane = summary.model.mane
    exons = pr.PyRanges(pd.DataFrame({"Chromosome": ["2"] * len(mane.exons), "Start": [e.start for e in mane.exons],
                                      "End": [e.end for e in mane.exons]}))
    hit = set(gr.overlap(exons).df["ID"])
    assert hit == set(df.loc[df["MANE_Exon"] != "", "ID"]) == {"rs419598", "rs315952"}


@pytest.mark.parametrize("src", [EXAMPLE, REPO / "tests" / "fixtures" / "dira" / "scenarios_GRCh38.vcf"],
                         ids=["3 samples, per-sample calls", "37 samples, columnar"])
def test_cohort_json_reports_equal_the_one_sample_reports(src, tmp_path):
    """The cohort writer finds each allele's carriers once (WindowDigest.alleles_by_sample) and encodes each
    variant entry once: every file must equal dumps(sample_report(...)) made sample by sample, and
    alleles_by_sample must equal sample_alleles for every sample, across chunk edges (chunk=3), with ./., ./1,
    haploid and 1/2."""
    from il1rn_annot.sinks.json_reports import dumps, file_names, sample_report

    out = tmp_path / "j"
    summary = annotate_vcf(str(src), str(tmp_path / "o.vcf"), json_dir=str(out), command_line="x")
    names = file_names(summary.sample_names)
    digest = summary.digest
    by_sample = list(digest.alleles_by_sample(chunk=3))
    assert len(by_sample) == len(summary.sample_names)
    kinds = set()
    for i, s in enumerate(summary.sample_names):
        assert by_sample[i] == digest.sample_alleles(i), s
        kinds.update(sa.zygosity.value for sa in by_sample[i])
        assert (out / names[s]).read_text(encoding="utf-8") == dumps(sample_report(summary, s, i)), s
    if len(summary.sample_names) > 8:
        assert {"half_call", "missing", "hemizygous", "het_other_alt", "hom_alt", "het"} <= kinds


from hypothesis import given, strategies as st  # noqa: E402

_CELL = st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.booleans(),
                  st.text(alphabet=st.sampled_from(list('ab ;,.|*/-=\t"\n\rä')), max_size=12))


@given(st.lists(st.lists(_CELL, max_size=6), max_size=5))
def test_tsv_rows_write_what_csv_writes(rows):
    """The tables' writer (sinks.tables.TsvSink): the text must be csv's, None written as an empty cell."""
    import csv
    import io
    import os
    import tempfile

    from il1rn_annot.sinks.tables import TsvSink

    theirs = io.StringIO()
    csv.writer(theirs, delimiter="\t", lineterminator="\n").writerows(
        [["h"]] + [["" if v is None else v for v in row] for row in rows])
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "t.tsv")
        sink = TsvSink(path, ["h"])
        sink.rows(rows)
        sink.close()
        with open(path, encoding="utf-8", newline="") as fh:
            assert fh.read() == theirs.getvalue()
