"""Shared test fixtures.  ``../shared`` is resolved from this file, never from the working directory;
tests that need it skip with a clear reason when it is absent (a clone outside the workplace).

Tests that run a tool from outside Python (bcftools, tabix, samtools, SnpEff, Chromium: Debian packages; snakemake:
the ``snakemake`` extra) or import an optional package ask for it with ``need_tool``/``need_file``/``need_module``:
on a fresh machine without it they skip, naming how to install it.  ``.ci/run`` installs them all and sets
``IL1RN_ANNOT_REQUIRE_TOOLS=1``, under which such a skip fails instead, so CI cannot pass with a peer check
silently skipped; ``IL1RN_ANNOT_REQUIRE_SHARED=1`` does the same for ../shared (need_shared)."""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import NoReturn

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


REQUIRE_TOOLS = "IL1RN_ANNOT_REQUIRE_TOOLS"
REQUIRE_SHARED = "IL1RN_ANNOT_REQUIRE_SHARED"

# how each outside tool the tests run gets onto a machine (.ci/run does all of these)
INSTALL = {
    "bcftools": "apt-get install bcftools",
    "tabix": "apt-get install tabix",
    "bgzip": "apt-get install tabix",
    "samtools": "apt-get install samtools",
    "chromium": "apt-get install chromium",
    "java": "apt-get install default-jre-headless (snpeff brings one too)",
    "snakemake": "pip install -e '.[snakemake]'",
}


def required(variable: str) -> bool:
    return os.environ.get(variable, "") not in ("", "0")


def missing(what: str, install: str, variable: str = REQUIRE_TOOLS) -> NoReturn:
    """Skip the calling test because ``what`` is absent, or fail it when ``variable`` is set (CI)."""
    if required(variable):
        pytest.fail(f"{what}: {variable} is set, so this check must run, not skip ({install})", pytrace=False)
    pytest.skip(f"{what} ({install})")


def need_shared(path: Path) -> Path:
    if not path.exists():
        missing(f"{path} is absent", "../shared (test data, domain data) exists only inside the il1rn_annot workplace",
                REQUIRE_SHARED)
    return path


def need_tool(name: str) -> str:
    """The path of the program ``name``; skips (fails under IL1RN_ANNOT_REQUIRE_TOOLS) when it is not installed."""
    # on PATH, or beside this interpreter (a pip extra's script in a virtual environment that is not activated)
    exe = shutil.which(name) or shutil.which(name, path=os.path.dirname(sys.executable))
    if exe is None:
        missing(f"{name} is not installed", f"{INSTALL.get(name, f'apt-get install {name}')}; .ci/run installs it")
    return exe


def need_file(path: str | Path, what: str, install: str) -> Path:
    """A file a peer tool needs (e.g. SnpEff's jar); skips or fails as ``need_tool``."""
    if not os.path.exists(path):
        missing(f"{what} is not installed ({path} is absent)", f"{install}; .ci/run installs it")
    return Path(path)


def need_module(name: str, install: str) -> ModuleType:
    """``import name``; skips (fails under IL1RN_ANNOT_REQUIRE_TOOLS) when it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        missing(f"the Python package {name} is not installed ({exc})",
                f"{install}; the README's test command installs it")


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


def with_mane_effect(a, mane_terms, hgvs_p: str = ""):
    """``a`` with its MANE Select transcript's consequence set to ``mane_terms`` (IMPACT HIGH, rule "test"): the
    DIRA tests choose the consequence instead of the engine."""
    from dataclasses import replace

    from il1rn_annot.consequence.effects import TranscriptEffect

    effect = TranscriptEffect(tuple(mane_terms), "HIGH", hgvs_p=hgvs_p, rule="test")
    return replace(a, transcripts=tuple(replace(t, effect=effect) if t.location.transcript.mane_select else t
                                        for t in a.transcripts))
