"""Golden outputs: each case in tests/golden/cases.py is run with the CLI (``python -m il1rn_annot annotate``)
and every output, normalised as tests/golden/record.py normalised it, must equal the stored file.

For the cases that read ../shared/testdata the annotated VCF, the genotype table and the per-sample reports are
stored as fingerprints (SHA-256 and line counts, normalize.fingerprint): their content copies the input's
records and genotypes, which may not be copied into the repository.  The test recomputes the fingerprints.

A deliberate change of output is re-recorded with ``python tests/golden/record.py --case NAME``, in a commit
that says which behaviour changed and why (tests/golden/README.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/: ``golden`` imports as a package
from golden import normalize  # noqa: E402
from golden.cases import CASES, HERE, REPO, TESTDATA, run_case  # noqa: E402

from conftest import need_shared  # noqa: E402

SHOWN = 3  # differing files whose diff is shown; the others are named


def _param(case):
    return pytest.param(case, id=case.name, marks=[pytest.mark.shared] if case.needs_shared else [])


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_outputs_equal_the_golden_files(case, tmp_path):
    if case.needs_shared:
        need_shared(case.input)
    want = normalize.load(HERE / case.name)
    if not want:
        pytest.fail(f"tests/golden/{case.name}/ holds no golden files: run python tests/golden/record.py "
                    f"--case {case.name}", pytrace=False)
    out = run_case(case, tmp_path)
    got = normalize.golden_form(normalize.collect(out, normalize.Paths(REPO, TESTDATA, out), case.per_sample_files),
                                shared=case.needs_shared)

    wrong = []
    for name in sorted(set(want) | set(got)):
        if name not in got:
            wrong.append((name, "in the golden folder but not produced by the run"))
        elif name not in want:
            wrong.append((name, "produced by the run but has no golden file"))
        elif want[name] != got[name] and name.endswith(normalize.FINGERPRINT):
            wrong.append((name, normalize.fingerprint_diff(name, want[name], got[name])))
        elif want[name] != got[name]:
            wrong.append((name, normalize.diff(name, want[name], got[name])))
    if wrong:
        head = (f"golden case {case.name} ({case.about}): {len(wrong)} file(s) differ from tests/golden/"
                f"{case.name}/: {', '.join(n for n, _ in wrong)}.\nIf the change is deliberate, re-record with "
                f"'python tests/golden/record.py --case {case.name}' and say in the commit which behaviour changed "
                f"and why.")
        if any(n.endswith(normalize.FINGERPRINT) for n, _ in wrong):
            head += (f"\nA .fingerprint file stands for an output whose content is not stored because it carries "
                     f"data from ../shared/testdata. To see the content, write the full normalised outputs outside "
                     f"the repository: 'python tests/golden/record.py --check --case {case.name} --keep-output "
                     f"/tmp/golden-new'; to see the difference, do the same in a checkout of the commit that recorded "
                     f"the fingerprints ('--keep-output /tmp/golden-old') and 'diff -r /tmp/golden-old/{case.name} "
                     f"/tmp/golden-new/{case.name}'. This run's raw outputs: {out}")
        shown = [f"--- {name}:\n{text}" for name, text in wrong[:SHOWN]]
        rest = [f"({len(wrong) - SHOWN} more not shown)"] if len(wrong) > SHOWN else []
        pytest.fail("\n\n".join([head, *shown, *rest]), pytrace=False)


def test_every_golden_folder_is_a_case():
    folders = {p.name for p in HERE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == {c.name for c in CASES}, "tests/golden/ and cases.py disagree: record.py writes the folders"


@pytest.mark.parametrize("case", [c for c in CASES if c.needs_shared], ids=lambda c: c.name)
def test_shared_cases_store_no_copy_of_their_input(case):
    """Runs without ../shared/testdata too: a shared-data case keeps only our own derived files in full
    (normalize.KEPT_IN_FULL); everything else is a fingerprint (tests/golden/README.md)."""
    stored = sorted(normalize.load(HERE / case.name))
    copies = [n for n in stored if n not in normalize.KEPT_IN_FULL and not n.endswith(normalize.FINGERPRINT)]
    assert not copies, (f"tests/golden/{case.name}/ stores {copies} in full, but its input is in ../shared/testdata "
                        f"and nothing from there may be copied into the repository: record them as fingerprints")
