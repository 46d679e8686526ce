"""Build detection from header facts."""

from __future__ import annotations

import pytest

from il1rn_annot.model.builds import detect_build
from il1rn_annot.errors import InputError


def detect(**kw):
    base = dict(file="x.vcf", chr2_contig="chr2", chr2_length=None, chr2_assembly=None, reference_line=None, forced=None)
    base.update(kw)
    return detect_build(**base)


@pytest.mark.parametrize("length,build", [(242193529, "GRCh38"), (243199373, "GRCh37")])
def test_chr2_length_decides(length, build):
    assert detect(chr2_length=length).build.name == build


@pytest.mark.parametrize("ref,build", [("file:///ref/GRCh38_full_analysis_set.fa", "GRCh38"),
                                       ("/data/hs37d5.fa", "GRCh37"), ("hg19.fa", "GRCh37")])
def test_reference_line_decides(ref, build):
    assert detect(reference_line=ref).build.name == build


def test_refseq_contig_name_decides():
    assert detect(chr2_contig="NC_000002.11").build.name == "GRCh37"


def test_contradictory_header_is_an_error():
    with pytest.raises(InputError, match="contradictory"):
        detect(chr2_length=242193529, reference_line="/ref/hs37d5.fa")


def test_unknown_length_is_an_error():
    with pytest.raises(InputError, match="neither GRCh38"):
        detect(chr2_length=123)


def test_forced_build_must_agree_with_the_header():
    with pytest.raises(InputError, match="--build GRCh38 contradicts"):
        detect(chr2_length=243199373, forced="GRCh38")
    assert detect(forced="GRCh37").build.name == "GRCh37"


def test_no_evidence_needs_build():
    with pytest.raises(InputError, match="pass --build"):
        detect()
    with pytest.raises(InputError, match="unknown genome build"):
        detect(forced="hg17")
