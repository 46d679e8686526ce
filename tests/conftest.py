"""Shared test fixtures.  ``../shared`` is resolved from this file, never from the working directory;
tests that need it skip with a clear reason when it is absent (a clone outside the workplace)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TESTDATA = SHARED / "testdata"
REAL = TESTDATA / "real"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

EXOME37 = REAL / "exomiser_Pfeiffer_GRCh37_exome.vcf.gz"
SLICE37 = REAL / "exomiser_Pfeiffer_GRCh37_IL1RN_2-113850000-113900000.vcf.gz"
SLICE38 = REAL / "exomiser_Pfeiffer_IL1RN_liftedGRCh38_chr2-113092423-113142423.vcf.gz"
KG38 = REAL / "peddy_1kgp3_2504samples_GRCh38_chr2-112.6-113.7Mb.vcf.gz"
KG37 = REAL / "peddy_1kgp3_2504samples_GRCh37_2-113.36-114.46Mb.vcf.gz"


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared/testdata exists only inside the il1rn_annot workplace")
    return path


def need_tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        pytest.fail(f"{name} is not installed: .ci/run installs it (apt-get install {name})")
    return exe


@pytest.fixture
def shared_testdata() -> Path:
    return need_shared(TESTDATA)


def run_analysis(analysis, annotations):
    """Show ``analysis`` (an ``il1rn_annot.analyses.Analysis``) the annotations one record at a time, as
    ``pipeline.run.annotate`` does (the alleles of one record together, records in order), and finish it."""
    group: list = []
    for a in annotations:
        if group and (a.record.index, a.record.key) != (group[0].record.index, group[0].record.key):
            analysis.observe(group)
            group = []
        group.append(a)
    if group:
        analysis.observe(group)
    return analysis.finish()
