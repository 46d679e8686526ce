"""Cohort summary on the real 1000 Genomes sites (2,504 samples, peddy 0.4.8).  rs315952 is typed there but
the resource holds no r2 between it and the VNTR, so the summary must say so and infer nothing, and still
print every published frequency with its source."""

from __future__ import annotations

import json

import pytest

from il1rn_annot import vntr_context
from il1rn_annot.api import annotate_vcf
from il1rn_annot.vntr.definition import load_vntr_definition
from conftest import KG37, KG38, need_shared


@pytest.mark.parametrize("path", [KG38, KG37], ids=["GRCh38", "GRCh37"])
def test_1kg_cohort_states_the_typed_marker_has_no_r2_and_prints_published_frequencies(path):
    ctx = vntr_context(str(need_shared(path)))
    cohort = ctx.cohort
    assert cohort["samples"] == 2504
    assert cohort["by_method"] == {"unknown": 2504}
    rs315952 = next(m for m in cohort["markers"] if m["rsid"] == "rs315952")
    assert rs315952["typed"] and rs315952["matched_by"] == "position" and rs315952["samples_called"] == 2504
    assert rs315952["r2"] is None and not rs315952["usable"] and rs315952["samples_used"] == 0
    assert all(not m["typed"] for m in cohort["markers"] if m["rsid"] != "rs315952")
    assert cohort["star2"]["count_max"] == 0 and cohort["star2"]["frequency_min"] is None
    text = ctx.text()
    assert ("rs315952: typed (matched by position; called in 2504 samples), context, never a tag: no published r2, "
            "D' or concordance with a VNTR allele -> no inference") in text
    assert "not estimated" in text
    # the 16 peddy sites hold neither *2 flank SNV: every sample says so, and the cohort table has no *2 dosage
    flank = [m for m in cohort["markers"] if m["rsid"].startswith("star2_flank")]
    assert len(flank) == 2 and not any(m["typed"] for m in flank) and all(m["usable"] for m in flank)
    some = next(iter(ctx.per_sample.values()))
    assert any("have no record in the input" in n for n in some.notes)
    star2 = next(r for r in cohort["frequencies"] if r["allele"] == "*2" and r["basis"] == "measured + tag SNVs")
    assert star2["n_samples"] == "2504" and star2["n_called"] == "0" and star2["allele_frequency"] == ""
    for f in load_vntr_definition(ctx.build).frequencies:
        assert any(f.population in line and f"{f.frequency:g}" in line and f.source.split(":")[0] in line
                   for line in text.splitlines()), f
    json.dumps(cohort)


def test_1kg_annotated_vcf_marks_the_tag_record_and_every_sample_unknown(tmp_path):
    import pysam

    out = tmp_path / "kg.vcf.gz"
    summary = annotate_vcf(str(need_shared(KG38)), str(out), table="", genotypes="", sample_format="all")
    res = next(r for r in summary.analyses if r.name == "vntr")
    assert len(res.per_sample) == 2504
    with pysam.VariantFile(str(out)) as vf:
        (rec,) = [r for r in vf if "IL1RN_CSQ" in r.info]
    assert rec.pos == 113132727 and rec.info["IL1RN_VNTR_TAG"].startswith("rs315952|position|NA|")
    assert {rec.samples[s]["IL1RN_VNTR_METHOD"] for s in rec.samples} == {"unknown"}
    assert {rec.samples[s]["IL1RN_VNTR_STAR2"] for s in rec.samples} == {"0-2"}


def test_1kg_annotated_vcf_by_default_keeps_per_sample_results_out_of_its_2504_sample_columns(tmp_path):
    """Above 1,000 samples the per-sample results are not repeated as FORMAT fields on every record (the
    default 'auto'): the header says where they are, and the samples table written by default holds them."""
    import csv

    import pysam

    out = tmp_path / "kg.vcf.gz"
    annotate_vcf(str(need_shared(KG38)), str(out), genotypes="")
    with pysam.VariantFile(str(out)) as vf:
        assert "IL1RN_DIRA" not in vf.header.formats and "IL1RN_VNTR" not in vf.header.formats
        assert any(r.key == "il1rn_annot_sample_format" for r in vf.header.records)
    with open(tmp_path / "kg.samples.tsv", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) == 2504 and {r["vntr.method"] for r in rows} == {"unknown"}
