"""The golden cases: which input, which extra options, and how the CLI is run for them.

``record.py`` and ``tests/test_golden.py`` both run a case through :func:`run_case`, so the recorded files and
the files the test compares come from the same command line and environment."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
# ../shared/testdata beside the repository (read-only; never copied here).  Resolved so that the path the
# CLI is given, and so the one the normaliser replaces by <TESTDATA>, has no '..' in it.
TESTDATA = (Path(__file__).resolve().parents[2] / ".." / "shared" / "testdata").resolve()


@dataclass(frozen=True)
class Case:
    name: str
    root: str  # "repo" or "testdata": what ``path`` is relative to
    path: str
    about: str
    extra: tuple[str, ...] = ()  # more CLI options; "{repo}" in them stands for the repository's root
    per_sample_files: bool = True  # False: per-sample JSONs go to one json/samples.jsonl, sorted by sample

    @property
    def input(self) -> Path:
        return (REPO if self.root == "repo" else TESTDATA) / self.path

    @property
    def needs_shared(self) -> bool:
        return self.root == "testdata"


def _vntr_cases() -> list[Case]:
    out = []
    for vcf in sorted((REPO / "tests" / "fixtures" / "vntr").glob("*.vcf")):
        stem, build = vcf.name[:-len(".vcf")].rsplit(".", 1)  # het_del43.GRCh38.vcf -> het_del43, GRCh38
        out.append(Case(f"vntr_{stem}_{build[-2:]}", "repo", f"tests/fixtures/vntr/{vcf.name}",
                        f"VNTR scenario fixture {vcf.name} (one sample; made by make_vntr_fixtures.py)"))
    return out


PED = ("--ped", "{repo}/tests/fixtures/dira/trio.ped")

CASES: list[Case] = [
    Case("example38", "repo", "examples/il1rn_example_GRCh38.vcf",
         "the bundled example (GRCh38, 5 records, 3 samples)"),
    Case("exome37", "testdata", "real/exomiser_Pfeiffer_GRCh37_exome.vcf.gz",
         "real single-sample exome, GRCh37, indexed (37,709 records; 16 IL1RN calls read through the index)"),
    Case("exome38", "testdata", "real/exomiser_Pfeiffer_IL1RN_liftedGRCh38_chr2-113092423-113142423.vcf.gz",
         "the exome's 16 IL1RN calls lifted to GRCh38, indexed"),
    Case("kg38", "testdata", "real/peddy_1kgp3_2504samples_GRCh38_chr2-112.6-113.7Mb.vcf.gz",
         "1000 Genomes phase 3, 2,504 samples, 16 sites (1 in the IL1RN window), GRCh38, indexed",
         per_sample_files=False),
    Case("kg37", "testdata", "real/peddy_1kgp3_2504samples_GRCh37_2-113.36-114.46Mb.vcf.gz",
         "the same 2,504 samples and sites, GRCh37, indexed", per_sample_files=False),
    Case("dira38", "repo", "tests/fixtures/dira/scenarios_GRCh38.vcf",
         "DIRA scenario fixture, GRCh38 (44 samples, expected verdict and flags in each sample name), no PED",
         per_sample_files=False),
    Case("dira37", "repo", "tests/fixtures/dira/scenarios_GRCh37.vcf",
         "DIRA scenario fixture, GRCh37, no PED", per_sample_files=False),
    Case("dira38_ped", "repo", "tests/fixtures/dira/scenarios_GRCh38.vcf",
         "DIRA scenario fixture, GRCh38, with --ped trio.ped (as tests/test_dira_verdict.py runs it)",
         extra=PED, per_sample_files=False),
    Case("dira37_ped", "repo", "tests/fixtures/dira/scenarios_GRCh37.vcf",
         "DIRA scenario fixture, GRCh37, with --ped trio.ped", extra=PED, per_sample_files=False),
    *_vntr_cases(),
]
BY_NAME = {c.name: c for c in CASES}

# Output names inside a run's folder (the CLI writes OUT.tsv and OUT.genotypes.tsv beside OUT).
VCF_OUT = "out.vcf.gz"
JSON_DIR = "json"
SAMPLES_TSV = "samples.tsv"


def command(case: Case, out: Path, python: str = sys.executable) -> list[str]:
    """The README's command (``il1rn-annot annotate IN -o OUT.vcf.gz --json DIR --samples-tsv FILE``) run as
    ``python -m il1rn_annot``, plus ``--no-imported-reference``: a locus stored by ``reference import`` on
    the machine would otherwise change HGVS/codon fields (tests/test_dira_verdict.py runs the same way)."""
    extra = [a.replace("{repo}", str(REPO)) for a in case.extra]
    return [python, "-m", "il1rn_annot", "annotate", str(case.input), "-o", str(out / VCF_OUT),
            "--json", str(out / JSON_DIR), "--samples-tsv", str(out / SAMPLES_TSV),
            "--no-imported-reference", *extra]


def run_case(case: Case, work: Path, python: str = sys.executable) -> Path:
    """Run ``case`` into ``work/out`` and return that folder.  XDG_DATA_HOME points at an empty folder too,
    so that nothing stored on this machine by ``reference import`` can reach the run."""
    out = work / "out"
    out.mkdir(parents=True, exist_ok=False)
    env = dict(os.environ, XDG_DATA_HOME=str(work / "xdg-data-empty"))
    p = subprocess.run(command(case, out, python), cwd=work, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"golden case {case.name}: il1rn-annot exited {p.returncode}\n{p.stderr[-3000:]}")
    return out
