"""examples/cli/run.sh and examples/api/example.py run as a user would run them, and print/write what their
READMEs promise."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd

from conftest import REPO

ENV = dict(os.environ, PYTHONPATH=f"{REPO / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}".rstrip(os.pathsep))


def test_cli_example_writes_every_output(tmp_path):
    out = tmp_path / "cli"
    r = subprocess.run(["bash", str(REPO / "examples" / "cli" / "run.sh"), str(out)], capture_output=True, text=True,
                       env=dict(ENV, IL1RN_ANNOT=f"{sys.executable} -m il1rn_annot"), timeout=120)
    assert r.returncode == 0, r.stderr
    assert "c.229" in r.stdout and "3/4" in r.stdout
    assert (out / "region.txt").read_text().startswith("chr2:")
    for name in ("example.il1rn.vcf.gz", "example.il1rn.vcf.gz.tbi", "example.il1rn.tsv", "example.il1rn.genotypes.tsv",
                 "example.il1rn.samples.tsv", "example.il1rn.parquet", "example.il1rn.genotypes.parquet",
                 "example.il1rn.samples.parquet", "example.il1rn.html", "json/cohort.json"):
        assert (out / name).stat().st_size > 0, name
    gt = pd.read_parquet(out / "example.il1rn.genotypes.parquet")
    # five alleles x three samples, less the 8 called-reference (0/0) rows: the default --genotype-rows nonref
    assert len(gt) == 5 * 3 - 8 and "ref" not in set(gt["zygosity"])
    e77x = gt[(gt["POS"] == 113131068) & (gt["sample"] == "PATIENT_E77X_HOM")].iloc[0]
    assert e77x["GT"] == "1/1" and e77x["zygosity"] == "hom_alt"
    assert json.loads((out / "json" / "cohort.json").read_text())["samples"] == [
        "PATIENT_E77X_HOM", "CARRIER_DEL_CA", "NO_VARIANT"]


def test_api_example_runs_and_prints_the_placements(tmp_path):
    r = subprocess.run([sys.executable, str(REPO / "examples" / "api" / "example.py"), str(tmp_path / "api")],
                       capture_output=True, text=True, env=ENV, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "PATIENT_E77X_HOM homozygous: [(113131068, 'G', 'T')]" in r.stdout
    assert "c.318+59" in r.stdout and "pyranges: 5 alleles" in r.stdout
    assert (tmp_path / "api" / "example.il1rn.html").stat().st_size > 0
    assert (tmp_path / "api" / "json" / "PATIENT_E77X_HOM.json").is_file()
