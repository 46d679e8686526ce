"""The Snakemake example with reads: a reads-only fan-out (one VNTR dosage row per BAM, merged) and the packaged
rule with a VCF and the sample's reads (the read-based call in the annotated VCF).  Real snakemake, offline."""

from __future__ import annotations

import csv
import shutil
import sys

import pysam
import pytest
from conftest import FIXTURES, REPO
from test_snakemake_workflows import snakemake
from vcf_text import header, record

sys.path.insert(0, str(FIXTURES / "reads"))
import make_read_fixtures as mk  # noqa: E402 - the fixture builder lives beside its fixtures

pytestmark = pytest.mark.peer
SAMPLES = {"lr_1_2": "LR_1_2", "sr_het": "SR_HET", "lr_2_2": "LR_2_2"}


def _bams(folder):
    folder.mkdir()
    for s in mk.scenarios():
        if s.name in SAMPLES:
            mk.write_reads(folder / f"{s.name}.bam", s)


def test_example_workflow_with_reads_only_merges_one_dosage_row_per_sample(tmp_path):
    work = tmp_path / "snakemake"
    shutil.copytree(REPO / "examples" / "snakemake", work)
    _bams(work / "bam")
    (work / "reads.yaml").write_text("samples: [lr_1_2, sr_het, lr_2_2]\nil1rn_annot:\n  vcf: ''\n"
                                     "  reads: 'bam/{sample}.bam'\n")
    snakemake(work, "--configfile", "reads.yaml")
    with open(work / "results" / "cohort" / "il1rn_vntr_dosage.tsv") as fh:
        rows = {r["sample"]: r for r in csv.DictReader(fh, delimiter="\t")}
    assert {s: (r["star2_dosage"], r["method"]) for s, r in rows.items()} == \
        {"LR_1_2": ("1", "long_reads"), "SR_HET": ("1", "inferred"), "LR_2_2": ("2", "long_reads")}
    assert (work / "results" / "il1rn" / "lr_2_2" / "lr_2_2.il1rn.vntr_frequencies.tsv").exists()


def test_packaged_rule_with_a_vcf_and_reads_fills_the_annotated_vcf(tmp_path):
    _bams(tmp_path / "bam")
    (tmp_path / "vcf").mkdir()
    (tmp_path / "vcf" / "lr_1_2.vcf").write_text(header(samples=("LR_1_2",)) +
                                                 record("chr2", 113_129_630, "T", "C", id_="rs419598", gts=("0/1",)))
    (tmp_path / "Snakefile").write_text(
        "import il1rn_annot.snakemake\n"
        "config['il1rn_annot'] = {'vcf': 'vcf/{sample}.vcf', 'reads': ['bam/{sample}.bam']}\n"
        "include: il1rn_annot.snakemake.rule_path()\n"
        "rule all:\n    input: 'results/il1rn/lr_1_2/lr_1_2.il1rn.vcf.gz'\n")
    snakemake(tmp_path)
    with pysam.VariantFile(str(tmp_path / "results" / "il1rn" / "lr_1_2" / "lr_1_2.il1rn.vcf.gz")) as vf:
        s = next(iter(vf)).samples["LR_1_2"]
        assert (s["IL1RN_VNTR"], s["IL1RN_VNTR_METHOD"], s["IL1RN_VNTR_CONF"]) == ("IL1RN*1/*2", "long_reads", "high")
