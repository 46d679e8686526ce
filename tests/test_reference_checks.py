"""Reference FASTA checks: REF mismatch, wrong build, import of the locus.

The FASTAs here are made of N except the bases pinned by real records (data/pinned_bases.tsv, from
shared/domain/README "Sequence"): they exercise the checks only; no consequence is asserted on them."""

from __future__ import annotations

import pysam
import pytest
from pysam.libcbgzf import BGZFile

from il1rn_annot.model.builds import GRCH37, GRCH38
from il1rn_annot.cli import main
from il1rn_annot.errors import InputError
from il1rn_annot.model.reference import LocusSequence, check_pinned, pinned_bases



def _fasta(path, build, length):
    """bgzipped chr2 of N with the pinned bases of ``build`` in place (about 1 s): BGZF written by htslib
    through pysam, as ``bgzip -c`` would, so no Debian tool is needed."""
    pins = {}
    for r in pinned_bases(build):
        for k, b in enumerate(r["bases"]):
            pins[int(r["start"]) - 1 + k] = b
    lo = (min(pins) - 1000) // 60 * 60
    with BGZFile(str(path), "wb") as out:
        out.write(b">chr2\n" + (b"N" * 60 + b"\n") * (lo // 60))
        seq = bytearray(b"N" * (length - lo))
        for k, b in pins.items():
            seq[k - lo] = ord(b)
        lines = [bytes(seq[i:i + 60]) + b"\n" for i in range(0, len(seq), 60)]
        for i in range(0, len(lines), 10_000):
            out.write(b"".join(lines[i:i + 10_000]))
    pysam.faidx(str(path))
    return path


@pytest.fixture(scope="module")
def fasta38(tmp_path_factory):
    return _fasta(tmp_path_factory.mktemp("ref") / "pinned38.fa.gz", GRCH38, 113_150_000)


def _vcf(path, build, rows):
    length = {"GRCh38": GRCH38.chr2_length, "GRCh37": GRCH37.chr2_length}[build]
    text = ["##fileformat=VCFv4.2", f"##contig=<ID=chr2,length={length}>",
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"]
    text += [f"chr2\t{p}\t.\t{r}\t{a}\t.\tPASS\t." for p, r, a in rows]
    path.write_text("\n".join(text) + "\n")
    return str(path)


def test_pinned_bases_accept_the_right_build_and_reject_the_other():
    pins = {int(r["start"]) - 1: r["bases"] for r in pinned_bases(GRCH38)}
    lo = min(pins) - 10
    seq = bytearray(b"N" * (max(pins) + 10 - lo))
    for s, bases in pins.items():
        seq[s - lo:s - lo + len(bases)] = bases.encode()
    locus = LocusSequence("chr2", lo, seq.decode())
    check_pinned(locus, GRCH38, "pinned38")
    with pytest.raises(InputError, match="GRCh37 bases pinned"):
        check_pinned(locus, GRCH37, "pinned38")


def test_ref_that_disagrees_with_the_fasta_stops_with_exit_1_and_no_output(fasta38, tmp_path, capsys):
    vcf = _vcf(tmp_path / "in.vcf", "GRCh38", [(113131068, "T", "G")])  # the FASTA (and ClinVar) say G here
    out = tmp_path / "out.vcf"
    assert main(["annotate", vcf, "-o", str(out), "--reference", str(fasta38), "--no-imported-reference"]) == 1
    err = capsys.readouterr().err
    assert "chr2:113131068" in err and "REF T" in err and "(G at" in err and "build" in err
    assert not out.exists() and not (tmp_path / "out.tsv").exists()


def test_ref_mismatch_warn_goes_on(fasta38, tmp_path, capsys):
    """The AnnotationWarning is shown as the CLI's one-line warning (warnings are routed to its log handler), even
    under -q, and the run goes on."""
    vcf = _vcf(tmp_path / "in.vcf", "GRCh38", [(113131068, "T", "G")])
    out = tmp_path / "out.vcf"
    assert main(["annotate", vcf, "-o", str(out), "--reference", str(fasta38), "--ref-mismatch", "warn",
                 "--no-imported-reference", "-q"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert any(ln.startswith("il1rn-annot: warning: ") and "does not match the reference" in ln for ln in err), err
    assert out.exists()


def test_fasta_of_the_wrong_build_is_rejected_even_when_the_vcf_agrees(fasta38, tmp_path, capsys):
    vcf = _vcf(tmp_path / "in37.vcf", "GRCh37", [(113888645, "G", "T")])
    out = tmp_path / "out37.vcf"
    assert main(["annotate", vcf, "-o", str(out), "--reference", str(fasta38), "--no-imported-reference"]) == 1
    assert "GRCh37 bases pinned" in capsys.readouterr().err
    assert not out.exists()


def test_reference_import_stores_the_locus_and_later_runs_use_it(fasta38, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert main(["reference", "import", str(fasta38), "-q"]) == 0
    stored = tmp_path / "xdg" / "il1rn_annot" / "IL1RN_GRCh38_locus.fa"
    assert stored.exists() and "build=GRCh38" in stored.read_text().splitlines()[0]
    vcf = _vcf(tmp_path / "in.vcf", "GRCh38", [(113129630, "T", "C")])
    out = tmp_path / "o.vcf"
    assert main(["annotate", vcf, "-o", str(out), "-q"]) == 0
    rows = (tmp_path / "o.tsv").read_text().splitlines()
    header = rows[0].split("\t")
    rule = header.index("Consequence_rule")
    assert all(r.split("\t")[rule].startswith("reference:") for r in rows[1:])


def test_import_of_a_fasta_without_the_pinned_bases_fails(tmp_path, capsys):
    fa = tmp_path / "wrong.fa"
    fa.write_text(">chr2\n" + "N" * 100 + "\n")
    pysam.faidx(str(fa))
    monkey = tmp_path / "xdg"
    import os
    os.environ["XDG_DATA_HOME"] = str(monkey)
    try:
        assert main(["reference", "import", str(fa)]) == 1
    finally:
        del os.environ["XDG_DATA_HOME"]
    assert "pinned" in capsys.readouterr().err and not (monkey / "il1rn_annot").exists()
