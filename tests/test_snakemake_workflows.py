"""The Snakemake example, the wrapper's test Snakefile and the packaged rule used as a module all run for
real (snakemake --cores 2, offline) in a temporary copy, and their outputs are checked against the input
genotypes read independently with pysam."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pysam
import pytest

from conftest import REPO, need_tool
from il1rn_annot.api import read_table

pytestmark = pytest.mark.peer
SRC = REPO / "src"


def snakemake(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    exe = need_tool("snakemake")
    env = dict(os.environ, PYTHONPATH=f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}".rstrip(os.pathsep))
    r = subprocess.run([exe, "--cores", "2", *args], cwd=workdir, env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return r


def carriers(vcf: Path) -> dict[tuple[int, str, str], int]:
    """Samples carrying each ALT, straight from the VCF (independent of il1rn_annot)."""
    out = {}
    with pysam.VariantFile(str(vcf)) as vf:
        for rec in vf:
            for k, alt in enumerate(rec.alts, start=1):
                out[(rec.pos, rec.ref, alt)] = sum(1 for s in rec.samples.values() if k in (s["GT"] or ()))
    return out


def test_example_workflow_fans_out_over_samples_and_merges_a_cohort_summary(tmp_path):
    work = tmp_path / "snakemake"
    shutil.copytree(REPO / "examples" / "snakemake", work)
    snakemake(work)
    samples = ["PATIENT_E77X_HOM", "CARRIER_DEL_CA", "NO_VARIANT"]
    for s in samples:
        d = work / "results" / "il1rn" / s
        for name in (f"{s}.il1rn.vcf.gz", f"{s}.il1rn.vcf.gz.tbi", f"{s}.il1rn.tsv", f"{s}.il1rn.genotypes.tsv",
                     f"{s}.il1rn.samples.tsv", f"{s}.il1rn.html", f"json/{s}.json", "json/cohort.json"):
            assert (d / name).stat().st_size > 0, name
        assert json.loads((d / "json" / f"{s}.json").read_text())["sample"] == s
        assert "records read" in (work / "logs" / "il1rn_annot" / f"{s}.log").read_text()
    cohort = read_table(str(work / "results" / "cohort" / "il1rn_cohort_samples.tsv")).set_index("sample")
    expected_total: dict = {}
    for s in samples:
        c = carriers(work / "data" / f"{s}.vcf")
        assert cohort.loc[s, "n_carried_alleles"] == sum(c.values())
        for k, n in c.items():
            expected_total[k] = expected_total.get(k, 0) + n
    if "dira.verdict" in cohort.columns:  # the DIRA analysis is part of this build: verdicts reach the cohort summary
        assert cohort.loc["PATIENT_E77X_HOM", "dira.verdict"] == "BIALLELIC"
        assert cohort.loc["CARRIER_DEL_CA", "dira.verdict"] == "CARRIER"
    variants = read_table(str(work / "results" / "cohort" / "il1rn_cohort_variants.tsv"))
    got = {(int(r.POS), r.REF, r.ALT): int(r.n_carriers) for r in variants.itertuples()}
    assert got == expected_total
    e77x = variants[variants["POS"] == 113131068].iloc[0]
    assert (e77x["Feature_name"], e77x["Exon"], e77x["HGVS_pos"]) == ("NM_173842.3", "3/4", "c.229")
    # a second run has nothing to do (deterministic outputs, nothing stale)
    r = snakemake(work, "-n")
    assert "Nothing to be done" in r.stdout + r.stderr


def test_wrapper_test_snakefile_runs_offline(tmp_path):
    work = tmp_path / "il1rn_annot"
    shutil.copytree(REPO / "wrappers" / "il1rn_annot", work)
    for f in ("wrapper.py", "meta.yaml", "environment.yaml", "test/Snakefile"):
        assert (work / f).is_file(), f
    snakemake(work / "test")
    res = work / "test" / "results"
    names = sorted(p.name for p in (res / "json").glob("*.json"))
    assert names == ["CARRIER_DEL_CA.json", "NO_VARIANT.json", "PATIENT_E77X_HOM.json", "cohort.json"]
    table = read_table(str(res / "example.il1rn.tsv"))
    assert set(table["POS"]) == {113129614, 113129630, 113131068, 113131216, 113132727}
    assert "PATIENT_E77X_HOM" in (res / "example.il1rn.html").read_text()
    # the minimal rule names only the VCF: no tables are written beside it, and only MANE is annotated
    assert not (res / "example.mane.tsv").exists() and not (res / "example.mane.genotypes.tsv").exists()
    with pysam.VariantFile(str(res / "example.mane.vcf")) as vf:
        csq = [r.info["IL1RN_CSQ"] if "IL1RN_CSQ" in r.info else None for r in vf]
    assert all(c is not None and len(c) == 1 for c in csq)
    # the named ped input reaches il1rn-annot (--ped): the trio child's two alleles are phased in trans
    trio = read_table(str(res / "trio.il1rn.samples.tsv")).set_index("sample")
    assert set(trio.index) == {"CHILD", "FATHER", "MOTHER"}
    if "dira.verdict" in trio.columns:
        assert trio.loc["CHILD", "dira.verdict"] == "BIALLELIC"
        assert trio.loc["FATHER", "dira.verdict"] == trio.loc["MOTHER", "dira.verdict"] == "CARRIER"
    assert "--ped" in (res / "trio.il1rn.html").read_text()  # the command line in the provenance


def test_packaged_rule_works_as_a_module_with_a_ped_input(tmp_path):
    (tmp_path / "in").mkdir()
    test_dir = REPO / "wrappers" / "il1rn_annot" / "test"
    shutil.copy(test_dir / "trio_GRCh38.vcf", tmp_path / "in" / "FAM1.vcf")
    shutil.copy(test_dir / "trio.ped", tmp_path / "in" / "FAM1.ped")
    (tmp_path / "Snakefile").write_text(
        "import il1rn_annot.snakemake\n\n"
        "module il1rn:\n"
        "    snakefile: il1rn_annot.snakemake.rule_path()\n"
        "    config: {'il1rn_annot': {'vcf': 'in/{sample}.vcf', 'ped': 'in/{sample}.ped', 'outdir': 'out', "
        "'extra': '--transcripts mane'}}\n\n"
        "use rule * from il1rn as il1rn_*\n\n"
        "rule all:\n    default_target: True\n    input: 'out/FAM1/FAM1.il1rn.html'\n")
    snakemake(tmp_path)
    out = tmp_path / "out" / "FAM1"
    assert sorted(p.name for p in (out / "json").glob("*.json")) == ["CHILD.json", "FATHER.json", "MOTHER.json",
                                                                    "cohort.json"]
    assert (tmp_path / "logs" / "il1rn_annot" / "FAM1.log").is_file()
    child = json.loads((out / "json" / "CHILD.json").read_text())
    assert "--ped in/FAM1.ped" in child["provenance"]["command_line"]
    if "dira" in child["analyses"]:
        assert child["analyses"]["dira"]["verdict"] == "BIALLELIC"


def test_rule_path_points_at_the_packaged_rule():
    import il1rn_annot.snakemake as smk

    text = Path(smk.rule_path()).read_text()
    assert "rule il1rn_annot:" in text and "threads: 1" in text and "params.extra" in text


def test_slurm_profile_names_the_executor_plugin():
    import yaml

    profile = yaml.safe_load((REPO / "examples" / "snakemake" / "profiles" / "slurm" / "config.yaml").read_text())
    assert profile["executor"] == "slurm"
    assert {"mem_mb", "runtime", "slurm_partition"} <= set(profile["default-resources"])
    readme = (REPO / "examples" / "snakemake" / "README.md").read_text()
    assert "snakemake-executor-plugin-slurm" in readme and "--profile profiles/slurm" in readme
