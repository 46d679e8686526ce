"""Bad input: one-line error naming the file, exit 1, no output file left behind."""

from __future__ import annotations

import subprocess
import sys

import pysam
import pytest

from conftest import EXOME37, need_shared, need_tool
from vcf_text import GRCH37_LEN, GRCH38_LEN, header, record, write


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "il1rn_annot", *map(str, args)], capture_output=True, text=True)


def assert_clean_failure(res, tmp_path, inputs, must_say):
    assert res.returncode == 1, res.stderr
    ours = [ln for ln in res.stderr.splitlines() if ln.startswith("il1rn-annot")]
    assert len(ours) == 1, res.stderr
    assert must_say in ours[0]
    assert "Traceback" not in res.stderr
    left = sorted(p.name for p in tmp_path.iterdir() if p.name not in inputs)
    assert left == [], left


CASES = {
    "unknown_build": (header("chr2", GRCH38_LEN) + record("chr2", 113131068, "G", "T"), ["--build", "hg17"], "unknown genome build"),
    "contradictory_header": (header("chr2", GRCH38_LEN, extra="##reference=file:///ref/hs37d5.fa")
                             + record("chr2", 113131068, "G", "T"), [], "contradictory genome build"),
    "no_build_evidence": (header("chr2", None) + record("chr2", 113131068, "G", "T"), [], "pass --build"),
    "no_chr2_contig": (header("chr1", 248956422) + record("chr1", 1000, "N", "A"), [], "name chromosome 2"),
    "unsorted_stream": (header("chr2", GRCH38_LEN) + record("chr2", 113131068, "G", "T") + record("chr2", 113129630, "T", "C"),
                        [], "not sorted"),
    "build_contradicts_header": (header("2", GRCH37_LEN) + record("2", 113888645, "G", "T"), ["--build", "GRCh38"],
                                 "--build GRCh38 contradicts"),
    "not_a_vcf": ("this is not a VCF\njust text\n", [], "not a readable VCF"),
    # a record htslib cannot parse: named by its place in the window read (records are counted in the window
    # only), not called a truncated file
    "pos_not_a_number": (header("chr2", GRCH38_LEN) + record("chr2", 113129630, "N", "C") + record("chr2", "E77X", "G", "T"),
                         [], "cannot read the record after chr2:113129630 (record 2)"),
    "more_format_values_than_keys": (header("chr2", GRCH38_LEN) + record("chr2", 113131068, "G", "T", gts=("0/1:99",)),
                                     [], "cannot read the first record"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_fails_cleanly(tmp_path, case):
    text, extra, must_say = CASES[case]
    vcf = write(tmp_path / "in.vcf", text)
    res = run_cli("annotate", vcf, "-o", tmp_path / "out.vcf.gz", *extra)
    assert_clean_failure(res, tmp_path, {"in.vcf"}, must_say)
    assert str(vcf) in res.stderr or must_say == "unknown genome build"


def test_an_unparsable_record_in_an_unindexed_bgzip_file_is_not_called_a_truncation(tmp_path):
    """bgzipped, no index (indexed into a temporary folder): the record after the last good one is named, and
    htslib's own message is shown; the file is not called truncated."""
    text = header("chr2", GRCH38_LEN) + record("chr2", 113129630, "N", "C") + record("chr2", "E77X", "G", "T")
    vcf = write(tmp_path / "in.vcf", text)
    pysam.tabix_compress(str(vcf), str(vcf) + ".gz")  # htslib's bgzip (as `bgzip in.vcf`, no Debian tool needed)
    vcf.unlink()
    res = run_cli("annotate", tmp_path / "in.vcf.gz", "-o", tmp_path / "out.vcf.gz")
    assert_clean_failure(res, tmp_path, {"in.vcf.gz"}, "htslib cannot read the record after chr2:113129630")
    assert "truncated or corrupt" not in res.stderr and "Could not parse the position 'E77X'" in res.stderr


def test_truncated_bgzip_fails_cleanly(tmp_path):
    need_shared(EXOME37)
    data = EXOME37.read_bytes()
    bad = tmp_path / "truncated.vcf.gz"
    bad.write_bytes(data[: len(data) // 2])  # cut mid-file; no index: indexing it into a temporary folder must notice
    res = run_cli("annotate", bad, "-o", tmp_path / "out.vcf.gz", "--keep-all")
    assert_clean_failure(res, tmp_path, {"truncated.vcf.gz"}, "truncated or corrupt")


def test_failed_run_keeps_an_existing_output_untouched(tmp_path):
    out = tmp_path / "out.vcf"
    out.write_text("precious\n")
    vcf = write(tmp_path / "in.vcf", CASES["unsorted_stream"][0])
    res = run_cli("annotate", vcf, "-o", out)
    assert res.returncode == 1
    assert out.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.vcf", "out.vcf"]


@pytest.mark.parametrize("how", ["same path", "symlink", "hard link", "table is the input", "index of the input"])
def test_an_output_that_is_the_input_is_refused_and_the_input_kept(tmp_path, how):
    """The run renames its files into place at the end: an output path that is the input (by name, through a
    link) would replace the user's VCF with the annotated one (it did, silently, before)."""
    text = header("chr2", GRCH38_LEN) + record("chr2", 113131068, "G", "T")
    vcf = write(tmp_path / "in.vcf", text)
    inputs = {"in.vcf"}
    args = ["-o", tmp_path / "in.vcf"]
    if how == "symlink":
        (tmp_path / "link.vcf").symlink_to(vcf)
        args, inputs = ["-o", tmp_path / "link.vcf"], inputs | {"link.vcf"}
    elif how == "hard link":
        (tmp_path / "hard.vcf").hardlink_to(vcf)
        args, inputs = ["-o", tmp_path / "hard.vcf"], inputs | {"hard.vcf"}
    elif how == "table is the input":
        args = ["-o", tmp_path / "out.vcf", "--table", vcf]
    elif how == "index of the input":
        pysam.tabix_index(str(vcf), preset="vcf")  # htslib's bgzip + tabix: in.vcf -> in.vcf.gz + .tbi
        vcf, inputs = tmp_path / "in.vcf.gz", {"in.vcf.gz", "in.vcf.gz.tbi"}
        args = ["-o", tmp_path / "out.vcf", "--genotypes", tmp_path / "in.vcf.gz.tbi"]
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    res = run_cli("annotate", vcf, *args)
    assert_clean_failure(res, tmp_path, inputs, "writing it would replace the input")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_one_path_for_two_outputs_is_refused(tmp_path):
    vcf = write(tmp_path / "in.vcf", header("chr2", GRCH38_LEN) + record("chr2", 113131068, "G", "T"))
    res = run_cli("annotate", vcf, "-o", tmp_path / "out.vcf.gz", "--genotypes", tmp_path / "out.tsv")
    assert_clean_failure(res, tmp_path, {"in.vcf"}, "the genotype table and the variant table are the same file")
    res = run_cli("annotate", vcf, "-o", tmp_path / "out.vcf.gz", "--samples-tsv", tmp_path / "out.vcf.gz.tbi")
    assert_clean_failure(res, tmp_path, {"in.vcf"}, "the output's index and the samples table are the same file")


@pytest.mark.parametrize("how", ["output is a folder", "output under a file", "json folder is a file"])
def test_an_output_path_that_cannot_be_a_file_fails_in_one_line(tmp_path, how):
    vcf = write(tmp_path / "in.vcf", header("chr2", GRCH38_LEN) + record("chr2", 113131068, "G", "T"))
    inputs = {"in.vcf"}
    if how == "output is a folder":
        (tmp_path / "outdir").mkdir()
        args, must_say, inputs = ["-o", tmp_path / "outdir"], "the output VCF", inputs | {"outdir"}
    elif how == "output under a file":
        args, must_say = ["-o", vcf / "out.vcf.gz"], f"lies under {vcf}, which is a file"
    else:
        args, must_say = ["-o", tmp_path / "out.vcf.gz", "--json", vcf], "the JSON report folder"
    res = run_cli("annotate", vcf, *args)
    assert_clean_failure(res, tmp_path, inputs, must_say)
    if how == "output is a folder":
        assert "is a folder" in res.stderr and list((tmp_path / "outdir").iterdir()) == []


def test_a_rename_that_fails_leaves_no_temporary_file(tmp_path, monkeypatch):
    """AtomicOutputs puts its files in place at the end: if one rename fails (say, the target became a
    folder meanwhile), the temporary files not yet in place are removed and the error names the target."""
    import os

    from il1rn_annot.errors import InputError
    from il1rn_annot.sinks.atomic import AtomicOutputs

    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise IsADirectoryError(21, "Is a directory", src, dst)
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(InputError, match=r"b\.tsv: cannot put the output in place \(Is a directory\)"):
        with AtomicOutputs() as out:
            for name in ("a.tsv", "b.tsv", "c.tsv"):
                with open(out.path(tmp_path / name), "w") as fh:
                    fh.write(name)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.tsv"]


def test_usage_error_exits_2(tmp_path):
    assert run_cli("annotate").returncode == 2
    assert run_cli("frobnicate").returncode == 2


def test_stdin_is_read(tmp_path):
    text = header("chr2", GRCH38_LEN) + record("chr2", 113131068, "G", "T")
    res = subprocess.run([sys.executable, "-m", "il1rn_annot", "annotate", "-", "-o", str(tmp_path / "o.vcf")],
                         input=text, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "c.229" in (tmp_path / "o.tsv").read_text()


def test_region_and_model_subcommands():
    r = run_cli("region", "--build", "GRCh37", "--style", "plain")
    assert r.stdout.strip() == "2:113859791-113896593"
    bed = run_cli("region", "--build", "GRCh38", "--format", "bed")
    assert bed.stdout.split("\t")[:3] == ["chr2", "113094314", "113139016"]
    m = run_cli("model", "--build", "GRCh38")
    assert m.returncode == 0 and "NM_173842.3" in m.stdout and m.stdout.count("\n") == 14 + 3


def test_bgzip_output_is_indexed_and_bcf_written(tmp_path):
    text = header("chr2", GRCH38_LEN) + record("chr2", 113131068, "G", "T")
    vcf = write(tmp_path / "in.vcf", text)
    assert run_cli("annotate", vcf, "-o", tmp_path / "o.vcf.gz").returncode == 0
    assert (tmp_path / "o.vcf.gz.tbi").exists()
    assert run_cli("annotate", vcf, "-o", tmp_path / "o.bcf").returncode == 0
    with pysam.VariantFile(str(tmp_path / "o.bcf")) as bcf:
        assert [(r.pos, r.info["IL1RN_CSQ"][0].split("|")[0]) for r in bcf] == [(113131068, "T")]


def test_bcf_output_is_read_by_bcftools(tmp_path):
    """The BCF is readable by bcftools itself, not only by the htslib inside pysam."""
    bcftools = need_tool("bcftools")
    vcf = write(tmp_path / "in.vcf", header("chr2", GRCH38_LEN) + record("chr2", 113131068, "G", "T"))
    assert run_cli("annotate", vcf, "-o", tmp_path / "o.bcf").returncode == 0
    out = subprocess.run([bcftools, "view", "-H", str(tmp_path / "o.bcf")], capture_output=True, text=True).stdout
    assert "IL1RN_CSQ=" in out


def test_an_os_error_the_run_did_not_foresee_is_one_line(tmp_path, monkeypatch, capsys):
    """Permissions or a full disk while writing (not reproducible here as root): the command prints one line
    naming the file, exits 1, no traceback."""
    from il1rn_annot import api, cli

    def full_disk(*a, **kw):
        raise OSError(28, "No space left on device", str(tmp_path / "out.genotypes.tsv"))

    monkeypatch.setattr(api, "annotate_vcf", full_disk)
    vcf = write(tmp_path / "in.vcf", header("chr2", GRCH38_LEN) + record("chr2", 113131068, "G", "T"))
    assert cli.main(["annotate", str(vcf), "-o", str(tmp_path / "out.vcf.gz")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"il1rn-annot: error: {tmp_path / 'out.genotypes.tsv'}: No space left on device (fix: check the "
                   "path, its permissions and the free space)"]
