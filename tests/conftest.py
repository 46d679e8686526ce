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


def _use_deflate(monkeypatch, name: str):
    """Choose io/deflate.py's backend through IL1RN_ANNOT_DEFLATE, as a user would; undone by the caller."""
    from il1rn_annot.io import deflate

    if name == "isal":
        try:
            import isal  # noqa: F401
        except ImportError:
            pytest.fail("python-isal is not installed: the README's test command installs it (pip install -e '.[test,all]')")
    monkeypatch.setenv(deflate.ENV, name)
    deflate.reset()
    assert deflate.backend_name().startswith(name)
    yield name
    monkeypatch.undo()
    deflate.reset()


@pytest.fixture(params=["zlib", "isal"])
def deflate_backend(request, monkeypatch):
    """The test runs once with zlib and once with ISA-L deflating the BGZF blocks."""
    yield from _use_deflate(monkeypatch, request.param)


@pytest.fixture
def zlib_backend(monkeypatch):
    """zlib deflates the BGZF blocks: our writer then gives htslib's bytes."""
    yield from _use_deflate(monkeypatch, "zlib")


@pytest.fixture
def isal_backend(monkeypatch):
    yield from _use_deflate(monkeypatch, "isal")
