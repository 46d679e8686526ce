"""Every way a VCF can arrive is read through one route (an index htslib built or trusted) and gives the same
records: plain text, bgzip with or without .tbi/.csi, plain gzip, BCF with or without .csi, standard input.
The run says which index it used."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pysam
import pytest

from il1rn_annot.api import annotate_vcf
from il1rn_annot.sources.vcf import VcfSource

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "il1rn_example_GRCh38.vcf"


def _forms(tmp: Path) -> dict[str, Path]:
    plain = tmp / "plain.vcf"
    shutil.copy(EXAMPLE, plain)
    bgz = tmp / "bgzip.vcf.gz"
    pysam.tabix_compress(str(plain), str(bgz))
    tbi = tmp / "tbi.vcf.gz"
    shutil.copy(bgz, tbi)
    pysam.tabix_index(str(tbi), preset="vcf")
    csi = tmp / "csi.vcf.gz"
    shutil.copy(bgz, csi)
    pysam.tabix_index(str(csi), preset="vcf", csi=True)
    gz = tmp / "gzip.vcf.gz"
    with open(plain, "rb") as src, gzip.open(gz, "wb") as out:
        out.write(src.read())
    bcf = tmp / "plain.bcf"
    with pysam.VariantFile(str(plain)) as vin, pysam.VariantFile(str(bcf), "wb", header=vin.header) as vout:
        for rec in vin:
            vout.write(rec)
    bcf_csi = tmp / "indexed.bcf"
    shutil.copy(bcf, bcf_csi)
    pysam.tabix_index(str(bcf_csi), preset="bcf")
    return {"plain": plain, "bgzip": bgz, "tbi": tbi, "csi": csi, "gzip": gz, "bcf": bcf, "bcf_csi": bcf_csi}


def test_every_input_form_gives_the_same_records_and_says_which_index(tmp_path):
    forms = _forms(tmp_path)
    tables, modes = {}, {}
    for name, path in forms.items():
        out = tmp_path / f"out_{name}.vcf.gz"
        s = annotate_vcf(str(path), str(out))
        tables[name] = (tmp_path / f"out_{name}.tsv").read_text()
        modes[name] = s.mode
        assert s.records_in_window == 5, name
    first = tables["plain"]
    assert all(t == first for t in tables.values()), [n for n, t in tables.items() if t != first]
    assert modes == {"plain": "temporary index", "bgzip": "temporary index", "tbi": "indexed", "csi": "indexed",
                     "gzip": "temporary index", "bcf": "temporary index", "bcf_csi": "indexed"}


@pytest.mark.parametrize("form", ["plain", "bgzip"])
def test_standard_input_is_read_whole(tmp_path, form):
    path = _forms(tmp_path)[form]
    out = tmp_path / "o.vcf"
    res = subprocess.run([sys.executable, "-m", "il1rn_annot", "annotate", "-", "-o", str(out)],
                         stdin=open(path, "rb"), capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "5 in the IL1RN window" in res.stderr
    assert (tmp_path / "o.samples.tsv").read_text().count("\n") == 4


def test_an_index_older_than_its_data_is_not_trusted(tmp_path):
    path = _forms(tmp_path)["tbi"]
    index = Path(str(path) + ".tbi")
    os.utime(index, (1_000_000, 1_000_000))  # built before the data was last written
    with VcfSource.open(str(path)) as src:
        assert not src.index_is_users
        assert any("older than the file" in n for n in src.notes)


def test_an_index_that_finds_nothing_is_checked_against_the_file(tmp_path):
    """The .tbi of another file (here: one without IL1RN records) finds no record in the window: the file is
    indexed afresh and its records are read, with a warning that names the mismatch."""
    forms = _forms(tmp_path)
    other = tmp_path / "other.vcf"
    other.write_text("".join(ln for ln in EXAMPLE.read_text().splitlines(True) if ln.startswith("#")) +
                     "chr2\t100\t.\tA\tC\t.\t.\t.\tGT:GQ:DP\t0/1:9:9\t0/0:9:9\t0/0:9:9\n")
    pysam.tabix_compress(str(other), str(other) + ".gz")
    pysam.tabix_index(str(other) + ".gz", preset="vcf")
    target = forms["bgzip"]
    shutil.copy(str(other) + ".gz.tbi", str(target) + ".tbi")
    s = annotate_vcf(str(target), str(tmp_path / "o.vcf.gz"))
    assert s.records_in_window == 5 and s.mode == "temporary index"
    assert any("does not match the file" in n for n in s.read_notes)


def test_the_index_chosen_is_the_index_read_when_a_tbi_and_a_csi_sit_beside_the_file(tmp_path):
    """The file's own .tbi beside a .csi of another file: the .tbi is chosen (and named), and the records are
    read through it.  htslib, opening the file, loads the .csi first, so the probe's handle (which holds
    whatever htslib loaded) must not be reused as the reader here; were it, the window would read empty through
    the foreign .csi and the run would warn of a mismatch and index the file afresh."""
    forms = _forms(tmp_path)
    other = tmp_path / "other.vcf"
    other.write_text("".join(ln for ln in EXAMPLE.read_text().splitlines(True) if ln.startswith("#")) +
                     "chr2\t100\t.\tA\tC\t.\t.\t.\tGT:GQ:DP\t0/1:9:9\t0/0:9:9\t0/0:9:9\n")
    pysam.tabix_compress(str(other), str(other) + ".gz")
    pysam.tabix_index(str(other) + ".gz", preset="vcf", csi=True)
    target = forms["tbi"]
    shutil.copy(str(other) + ".gz.csi", str(target) + ".csi")
    with VcfSource.open(str(target)) as src:
        assert src.index == str(target) + ".tbi" and src.index_is_users
        assert len(list(src.window(src_window(src)))) == 5
        assert not any("does not match" in n for n in src.notes), src.notes
    # with the .tbi alone, the same records through the same index
    os.remove(str(target) + ".csi")
    with VcfSource.open(str(target)) as src:
        assert src.index == str(target) + ".tbi"
        assert len(list(src.window(src_window(src)))) == 5
        assert not any("does not match" in n for n in src.notes), src.notes


def src_window(src):
    from il1rn_annot.model.gene_model import load_gene_model

    return load_gene_model(src.build.build).window()


def test_a_plain_text_file_cut_mid_line_is_refused(tmp_path):
    cut = tmp_path / "cut.vcf"
    cut.write_bytes(EXAMPLE.read_bytes()[:-7])
    res = subprocess.run([sys.executable, "-m", "il1rn_annot", "annotate", str(cut), "-o", str(tmp_path / "o.vcf")],
                         capture_output=True, text=True)
    assert res.returncode == 1 and "truncated" in res.stderr and "Traceback" not in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.vcf"]
