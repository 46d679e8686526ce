"""Why htslib refused a header (sources/header_check.py): each check against htslib itself (through pysam, the
reader the tool uses) and through the command line."""

from __future__ import annotations

import subprocess
import sys

import pysam
import pytest

from il1rn_annot.sources.header_check import header_problem, read_header_lines
from vcf_text import GRCH38_LEN, header, record

GOOD = header("chr2", GRCH38_LEN, samples=("A", "B")) + record("chr2", 113131068, "G", "T", gts=("0/1", "0/0"))

BROKEN = {  # name -> (header text change, what the tool must say)
    "sample named twice": (lambda t: t.replace("\tA\tB\n", "\tA\tA\n"), "sample 'A' is named twice"),
    "no #CHROM line": (lambda t: "\n".join(ln for ln in t.splitlines() if not ln.startswith("#CHROM")) + "\n",
                       "no #CHROM line"),
    "no ##fileformat line": (lambda t: t.replace("##fileformat=VCFv4.2\n", ""), "the first line is not ##fileformat"),
    "POS misspelt": (lambda t: t.replace("#CHROM\tPOS", "#CHROM\tPOSITION"), "does not name the 8 fixed columns"),
    "spaces, not tabs": (lambda t: t.replace("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\tB",
                                             "#CHROM POS ID REF ALT QUAL FILTER INFO FORMAT A B"),
                         "does not name the 8 fixed columns"),
    "no FORMAT column": (lambda t: t.replace("INFO\tFORMAT\tA", "INFO\tA"), "9th column of the #CHROM line is 'A'"),
}


def test_a_good_header_has_no_problem(tmp_path):
    (tmp_path / "g.vcf").write_text(GOOD)
    assert header_problem(read_header_lines(str(tmp_path / "g.vcf"))) is None
    assert header_problem(["not a VCF"]) is None and header_problem([]) is None


@pytest.mark.parametrize("case", list(BROKEN))
def test_each_problem_is_one_htslib_refuses_and_the_tool_names_it(tmp_path, case):
    change, must_say = BROKEN[case]
    path = tmp_path / "in.vcf"
    path.write_text(change(GOOD))
    pysam.set_verbosity(0)
    with pytest.raises((ValueError, OSError)):  # the check is only asked after htslib refused the file
        pysam.VariantFile(str(path))
    what, fix = header_problem(read_header_lines(str(path)))
    assert must_say in what and fix
    bgz = tmp_path / "in.vcf.gz"
    pysam.tabix_compress(str(path), str(bgz))
    assert header_problem(read_header_lines(str(bgz))) == (what, fix)
    res = subprocess.run([sys.executable, "-m", "il1rn_annot", "annotate", str(bgz), "-o", str(tmp_path / "o.vcf")],
                         capture_output=True, text=True)
    ours = [ln for ln in res.stderr.splitlines() if ln.startswith("il1rn-annot")]
    assert res.returncode == 1 and len(ours) == 1, res.stderr
    assert f"in.vcf.gz: htslib refuses the header: {what} (fix: {fix})" in ours[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.vcf", "in.vcf.gz"]
