"""The output modules keep the import direction of STYLE.md: the per-sample view is core (no I/O, no report),
io/report never reach back into api/cli, and importing them does not pull in matplotlib or pyarrow."""

from __future__ import annotations

import ast
import subprocess
import sys

from conftest import REPO

SRC = REPO / "src" / "il1rn_annot"


def _relative_imports(path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            out.add("." * node.level + (node.module or ""))
    return out


def test_sample_view_is_core_and_outputs_do_not_import_api_or_cli():
    assert not {i for i in _relative_imports(SRC / "sample_view.py") if i.lstrip(".").split(".")[0] in
                {"io", "report", "api", "cli", "frames"}}
    for path in [*(SRC / "report").glob("*.py"), SRC / "io" / "json_report.py", SRC / "io" / "samples_table.py",
                 SRC / "io" / "parquet.py", SRC / "frames.py", SRC / "progress.py"]:
        bad = {i for i in _relative_imports(path) if i.lstrip(".").split(".")[0] in {"api", "cli"}}
        assert not bad, f"{path.name} imports {bad}"


def test_heavy_optional_libraries_load_only_when_used():
    code = ("import sys, il1rn_annot.api, il1rn_annot.report, il1rn_annot.io.json_report; "
            "print(sorted(m for m in ('matplotlib', 'pyarrow', 'pyranges') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_a_run_under_eight_samples_imports_no_numpy(tmp_path):
    """The indexed single-genome path must not pay for numpy/pandas (issue 7: start-up); cohorts of 8+
    samples use numpy (gtmatrix).  Regressed once through a DIRA import; this catches it."""
    out = tmp_path / "o.vcf.gz"
    code = ("import sys; from il1rn_annot.cli import main; "
            f"rc = main(['annotate', '-q', {str(REPO / 'examples' / 'il1rn_example_GRCh38.vcf')!r}, '-o', {str(out)!r}]); "
            "print(rc, sorted(m for m in ('numpy', 'pandas', 'pyranges', 'matplotlib') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "0 []"
    assert out.exists() and (tmp_path / "o.genotypes.tsv").read_text().count("\n") > 3
