"""The VNTR scenario VCFs (tests/fixtures/vntr, made by make_vntr_fixtures.py) in both builds: each file
states its expected per-sample answer in ``##il1rn_annot_expected`` and each ALT's expected VNTR allele
in INFO/EXP_VNTR_ALLELE; the annotated VCF written by the real pipeline must carry exactly those."""

from __future__ import annotations

import json
import re

import pysam
import pytest

from il1rn_annot import vntr_context
from il1rn_annot.api import annotate_vcf
from conftest import FIXTURES

VNTR_DIR = FIXTURES / "vntr"
SCENARIO_FILES = sorted(VNTR_DIR.glob("*.vcf"))


def expectations(path) -> dict[str, dict[str, str]]:
    out = {}
    for line in path.read_text().splitlines():
        m = re.match(r"##il1rn_annot_expected=<Sample=([^,>]+),(.*)>$", line)
        if m:
            out[m.group(1)] = dict(kv.split("=", 1) for kv in m.group(2).split(","))
    return out


def test_every_scenario_exists_in_both_builds():
    names = {p.name.split(".")[0] for p in SCENARIO_FILES}
    assert {"het_del172", "cnv_tr_2_4", "hom_ins86", "het_del43", "tag_snps_only", "nothing_at_locus"} <= names
    for n in names:
        assert (VNTR_DIR / f"{n}.GRCh38.vcf").exists() and (VNTR_DIR / f"{n}.GRCh37.vcf").exists()


def test_fixtures_invent_no_bases_inside_the_vntr():
    """Records near the VNTR carry N (unknown) as REF; A/C/G/T only on the real rs419598/rs315952/1000G records
    and on the resource's two *2 flank SNVs, whose REF is the labelled flank base."""
    from il1rn_annot.vntr.definition import load_vntr_definition

    real = {"rs419598", "rs315952"}
    for p in SCENARIO_FILES:
        defn = load_vntr_definition(p.name.split(".")[1])
        flank_snvs = {t.position(defn.build): (t.ref, t.alt) for t in defn.tags if t.rsid.startswith("star2_flank")}
        for line in p.read_text().splitlines():
            if line.startswith("#"):
                continue
            f = line.split("\t")
            if int(f[1]) in flank_snvs:
                assert (f[3], f[4]) == flank_snvs[int(f[1])] == (defn.sequence.base_at(int(f[1]) - 1), "G"), line
            elif f[3] != "N":
                assert f[2] in real or f[1] in ("112722037", str(112722037 + 757577)), line


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_annotated_vcf_carries_the_expected_vntr_answer(path, tmp_path):
    out = tmp_path / "out.vcf"
    annotate_vcf(str(path), str(out), table="", genotypes="")
    expected = expectations(path)
    assert expected, f"{path.name} states no expectation"
    with pysam.VariantFile(str(out)) as vf:
        records = list(vf)
    in_window = [r for r in records if "IL1RN_CSQ" in r.info]
    for rec in in_window:
        if "EXP_VNTR_ALLELE" in rec.info:
            assert rec.info["IL1RN_VNTR_ALLELE"] == rec.info["EXP_VNTR_ALLELE"]
        for sample, exp in expected.items():
            for key in ("IL1RN_VNTR", "IL1RN_VNTR_METHOD", "IL1RN_VNTR_STAR2", "IL1RN_VNTR_CONF"):
                if key in exp:
                    assert rec.samples[sample][key] == exp[key], (path.name, key)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_vntr_context_lists_markers_and_is_json(path):
    ctx = vntr_context(str(path))
    for sample, exp in expectations(path).items():
        r = ctx.per_sample[sample]
        assert r.method == exp["IL1RN_VNTR_METHOD"]
        assert ("|".join(r.candidates) or ".") == exp["IL1RN_VNTR"]
        data = r.to_json()
        json.dumps(data)
        if "missing_markers" in exp:
            assert "|".join(sorted(data["missing_markers"])) == exp["missing_markers"]
        if "typed_not_usable" in exp:
            got = sorted(m["rsid"] for m in data["markers_typed_not_usable"])
            assert "|".join(got) == exp["typed_not_usable"]
            for m in data["markers_typed_not_usable"]:
                assert m["matched_by"] == "position" and "no published r2" in m["reason"]
        if r.method == "unknown":
            assert r.star2_copies == "0-2" and not r.candidates
    json.dumps(ctx.to_json())


@pytest.mark.parametrize("name,statement,dosage", [
    ("star2_flank_het", "one *2 copy likely (tag SNVs)", "1"), ("star2_flank_hom", "two *2 copies likely (tag SNVs)", "2"),
    ("star2_flank_ref", "no evidence of the *2 tag haplotype", "0"), ("star2_flank_shallow", "", "NA"),
    ("star2_flank_discordant", "", "NA"), ("rs419598_only", "", "NA")])
def test_flank_snv_scenarios_say_what_the_tag_says_with_its_caveat(name, statement, dosage):
    ctx = vntr_context(str(VNTR_DIR / f"{name}.GRCh38.vcf"))
    (r,) = ctx.per_sample.values()
    data = r.to_json()
    assert r.statement == statement and data["star2_dosage"] == dosage
    if statement:
        assert data["call"] == statement and data["confidence"] == "moderate"
        assert any("no European or South Asian" in n for n in data["notes"])
        assert {m["rsid"] for m in data["markers"] if m["state"] == "used"} == {"star2_flank_snv_a", "star2_flank_snv_b"}
    else:
        assert r.method == "unknown"
    flank = [m for m in ctx.cohort["markers"] if m["rsid"].startswith("star2_flank")]
    assert all(m["confidence"] == "moderate" and "does not exclude *2" in m["caveat"] for m in flank)
    rs419598 = next(m for m in ctx.cohort["markers"] if m["rsid"] == "rs419598")
    assert rs419598["role"] == "context" and not rs419598["usable"]


def test_both_builds_give_the_same_answers():
    for p38 in VNTR_DIR.glob("*.GRCh38.vcf"):
        p37 = p38.with_name(p38.name.replace("GRCh38", "GRCh37"))
        a, b = vntr_context(str(p38)), vntr_context(str(p37))
        assert a.build == "GRCh38" and b.build == "GRCh37"
        assert {s: r.to_json() | {"markers": None, "markers_typed_not_usable": None, "evidence": None}
                for s, r in a.per_sample.items()} == \
               {s: r.to_json() | {"markers": None, "markers_typed_not_usable": None, "evidence": None}
                for s, r in b.per_sample.items()}


def test_vntr_context_accepts_annotations_as_well_as_a_path():
    from il1rn_annot import annotate_variants

    path = VNTR_DIR / "het_del172.GRCh37.vcf"
    from_path = vntr_context(str(path))
    from_annotations = vntr_context(list(annotate_variants(str(path))))
    assert from_annotations.build == "GRCh37"
    assert {s: r.to_json() for s, r in from_annotations.per_sample.items()} == \
           {s: r.to_json() for s, r in from_path.per_sample.items()}


def test_cli_vntr_prints_summary_and_fails_cleanly(capsys, tmp_path):
    from il1rn_annot.cli import main

    assert main(["vntr", str(VNTR_DIR / "het_del43.GRCh38.vcf")]) == 0
    out = capsys.readouterr().out
    assert "by method: direct 1" in out and "published allele frequencies" in out
    assert main(["vntr", "--json", str(VNTR_DIR / "het_del43.GRCh38.vcf")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["per_sample"]["HET_DEL43"]["diplotype"] == "IL1RN*1/non_unit_change(-43bp)"
    assert main(["vntr", str(tmp_path / "absent.vcf")]) == 1
    assert "file not found" in capsys.readouterr().err
