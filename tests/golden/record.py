#!/usr/bin/env python
"""(Re-)record the golden outputs: ``python tests/golden/record.py [--case NAME ...]``.

Runs each case (cases.py) with the CLI into a temporary folder, normalises the outputs (normalize.py) and
writes them under ``tests/golden/<case>/``; files whose content did not change are left untouched.  A golden
file changes only in a commit that says which behaviour changed and why (README.md).

For a case whose input is in ../shared/testdata the annotated VCF, the genotype table and the per-sample
reports are stored as ``NAME.fingerprint`` (normalize.fingerprint), not as content: they copy the input's
records and genotypes, and nothing from ../shared/testdata may be copied into the repository.

``--check`` writes nothing: it reports the cases whose fresh outputs differ from the stored ones (exit 1).

``--keep-output DIR`` also writes every case's full normalised outputs, uncompressed, to ``DIR/<case>/``
(which must be outside the repository): the way to look at, or diff between two commits, the content that a
fingerprint stands for."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, so that ``golden`` imports as a package

from golden import normalize  # noqa: E402
from golden.cases import BY_NAME, CASES, HERE, REPO, TESTDATA, run_case  # noqa: E402


def outputs(case, python: str) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix=f"golden-{case.name}-") as tmp:
        out = run_case(case, Path(tmp), python)
        return normalize.collect(out, normalize.Paths(REPO, TESTDATA, out), case.per_sample_files)


def in_git_work_tree(folder: Path) -> bool:
    """True when ``folder`` (or its nearest existing parent) is inside a git work tree, such as another worktree
    of this repository."""
    while not folder.exists():
        folder = folder.parent
    p = subprocess.run(["git", "-C", str(folder), "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True)
    return p.returncode == 0 and p.stdout.strip() == "true"


def keep(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8", newline="")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case", action="append", choices=sorted(BY_NAME), help="only this case (repeatable)")
    ap.add_argument("--check", action="store_true", help="compare with the stored files; write nothing")
    ap.add_argument("--python", default=sys.executable, help="interpreter that has il1rn_annot installed")
    ap.add_argument("--keep-output", metavar="DIR", type=Path,
                    help="also write each case's full normalised outputs to DIR/<case>/ (outside the repository)")
    args = ap.parse_args(argv)
    if args.keep_output is not None:
        kept = args.keep_output.resolve()
        if kept == REPO or REPO in kept.parents or in_git_work_tree(kept):
            ap.error(f"--keep-output {args.keep_output}: must be outside the repository (and any git work tree); "
                     f"the full outputs of the shared-data cases carry data from ../shared/testdata")
    cases = [BY_NAME[n] for n in args.case] if args.case else CASES
    status = 0
    for case in cases:
        if case.needs_shared and not case.input.exists():
            print(f"{case.name}: SKIPPED, {case.input} is absent (../shared/testdata)", file=sys.stderr)
            continue
        full = outputs(case, args.python)
        if args.keep_output is not None:
            keep(kept / case.name, full)
            print(f"{case.name}: full normalised outputs written to {kept / case.name}", file=sys.stderr)
        files = normalize.golden_form(full, shared=case.needs_shared)
        problems = [ln for ln in files["outputs.txt"].splitlines() if ln.startswith("PROBLEM:")]
        if problems:
            print(f"{case.name}: NOT RECORDED, the run's outputs have problems:\n  " + "\n  ".join(problems),
                  file=sys.stderr)
            status = 1
            continue
        if args.check:
            stored = normalize.load(HERE / case.name)
            bad = sorted(n for n in set(stored) | set(files) if stored.get(n) != files.get(n))
            print(f"{case.name}: {'differs: ' + ', '.join(bad) if bad else 'same'}")
            for name in bad:
                if name.endswith(normalize.FINGERPRINT) and name in stored and name in files:
                    print("  " + normalize.fingerprint_diff(name, stored[name], files[name]).replace("\n", "\n  "))
            status |= bool(bad)
            continue
        changed = normalize.store(HERE / case.name, files)
        print(f"{case.name}: {len(files)} files, " + (", ".join(changed) if changed else "unchanged"))
    return status


if __name__ == "__main__":
    sys.exit(main())
