"""Issue 2 acceptance on real data from ../shared/testdata (skipped with a reason when absent)."""

from __future__ import annotations

import csv
import gzip
import shutil
import subprocess
import sys

import pytest

from il1rn_annot import annotate_vcf
from il1rn_annot.api import annotate_variants

from conftest import EXOME37, KG37, KG38, SLICE37, SLICE38, need_shared


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "il1rn_annot", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def read_tsv(path):
    with open(path) as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def mane_rows(rows):
    return {r["ID"]: r for r in rows if r["MANE"] == "MANE_Select"}


def test_real_exome_cli_detects_grch37_uses_the_index_and_finds_16_calls(tmp_path):
    need_shared(EXOME37)
    out = tmp_path / "out.vcf.gz"
    res = run_cli("annotate", EXOME37, "-o", out)
    assert res.returncode == 0, res.stderr
    assert "(indexed)" in res.stderr and "16 in the IL1RN window" in res.stderr and "build GRCh37" in res.stderr
    assert out.exists() and (tmp_path / "out.vcf.gz.tbi").exists()
    with gzip.open(out, "rt") as fh:
        body = [ln for ln in fh if not ln.startswith("#")]
    assert len(body) == 16 and all("IL1RN_CSQ=" in ln for ln in body)
    rows = mane_rows(read_tsv(tmp_path / "out.tsv"))
    assert rows["rs419598"]["CHROM"] == "2" and rows["rs419598"]["POS"] == "113887207"
    assert (rows["rs419598"]["Exon"], rows["rs419598"]["HGVS_pos"], rows["rs419598"]["Region"]) == ("2/4", "c.171", "exon&CDS")
    assert (rows["rs315952"]["Exon"], rows["rs315952"]["HGVS_pos"]) == ("4/4", "c.390")
    assert (rows["rs454078"]["Intron"], rows["rs454078"]["HGVS_pos"], rows["rs454078"]["Region"]) == ("3/3", "c.318+59", "intron")
    assert len({r["ID"] for r in read_tsv(tmp_path / "out.tsv")}) == 16


def _transcript_answers(path):
    got = {}
    for a in annotate_variants(str(path)):
        for t in a.transcripts:
            loc = t.location
            name = loc.transcript.ensembl_name or loc.transcript.display_name
            got[(a.record.id, name)] = (loc.hgvs_position, loc.exon_label, loc.intron_label, sorted(r.value for r in loc.regions))
    return got


def test_lifted_grch38_slice_gives_the_same_transcript_level_answers():
    need_shared(SLICE38)
    g37, g38 = _transcript_answers(SLICE37), _transcript_answers(SLICE38)
    shared_keys = set(g37) & set(g38)  # transcripts present in both builds (matched by Ensembl name / MANE)
    assert {k[0] for k in shared_keys} == {k[0] for k in g37} and len({k[0] for k in g37}) == 16
    assert all(g37[k] == g38[k] for k in shared_keys)
    assert g38[("rs419598", "IL1RN-205")][0] == "c.171"


def test_same_output_with_and_without_the_index(tmp_path):
    need_shared(SLICE37)
    noidx = tmp_path / "noindex.vcf.gz"
    shutil.copy(SLICE37, noidx)
    a = annotate_vcf(str(SLICE37), str(tmp_path / "a.vcf"))
    b = annotate_vcf(str(noidx), str(tmp_path / "b.vcf"))
    assert (a.mode, b.mode) == ("indexed", "temporary index")  # no index: indexed with htslib in a temporary folder
    strip = lambda p: [ln for ln in open(p) if not ln.startswith("##il1rn_annot_command")]  # noqa: E731
    assert strip(tmp_path / "a.vcf") == strip(tmp_path / "b.vcf")
    assert open(tmp_path / "a.tsv").read() == open(tmp_path / "b.tsv").read()


@pytest.mark.parametrize("path", [KG38, KG37], ids=["GRCh38", "GRCh37"])
def test_1000_genomes_every_sample_reaches_the_genotype_table(tmp_path, path):
    need_shared(path)
    s = annotate_vcf(str(path), str(tmp_path / "kg.vcf.gz"), keep_all=True, genotype_rows="all")
    assert s.samples == 2504 and s.records_read == 16
    gts = read_tsv(tmp_path / "kg.genotypes.tsv")
    assert len({g["sample"] for g in gts}) == 2504
    assert len(gts) == 2504 * s.alleles_annotated
    rs315952 = [g for g in gts if g["POS"] in ("113132727", "113890304")]
    het = sum(g["zygosity"] == "het" for g in rs315952)
    hom = sum(g["zygosity"] == "hom_alt" for g in rs315952)
    assert het + 2 * hom == 1753  # AC in the file's INFO
    with gzip.open(tmp_path / "kg.vcf.gz", "rt") as fh:
        assert sum(1 for ln in fh if not ln.startswith("#")) == 16  # --keep-all passes every record through
