"""The set-up a new user follows on a fresh machine: the README's commands, .ci/run, the examples' install lines,
and the rule that a test needing a tool from outside Python skips on such a machine but fails in CI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from xml.etree import ElementTree

import pytest

import conftest
from conftest import REPO

TESTS = Path(__file__).resolve().parent
README = (REPO / "README.md").read_text()
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def _code_block_after(text: str, marker: str) -> str:
    """The first fenced block after the line holding ``marker``."""
    rest = text[text.index(marker):]
    m = re.search(r"```[a-z]*\n(.*?)```", rest, re.S)
    assert m, f"no code block after {marker!r}"
    return m.group(1).strip()


def _probe(tmp_path: Path, tests: dict[str, str], **env: str) -> dict[str, str]:
    """Run tests that use the conftest helpers in a child pytest, with exactly the variables given:
    {test name: its body} -> {test name: 'passed', 'skipped' or 'failed', then its reason line}."""
    text = "from pathlib import Path\n\nfrom conftest import *  # noqa: F401,F403\n"
    for name, body in tests.items():
        text += f"\n\ndef test_{name}():\n    {body}\n"
    (tmp_path / "test_probe.py").write_text(text)
    clean = {k: v for k, v in os.environ.items() if k not in (conftest.REQUIRE_TOOLS, conftest.REQUIRE_SHARED)}
    clean.update(env, PYTHONPATH=str(TESTS))
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml=r.xml",
                    "test_probe.py"], cwd=tmp_path, env=clean, capture_output=True, text=True, timeout=120)
    out = {}
    for case in ElementTree.parse(tmp_path / "r.xml").iter("testcase"):
        name = case.get("name").removeprefix("test_")
        done = next((c for c in case if c.tag in ("skipped", "failure", "error")), None)
        out[name] = "passed" if done is None else \
            f"{ {'skipped': 'skipped', 'failure': 'failed', 'error': 'error'}[done.tag]} {done.get('message')}"
    return out


ABSENT = {  # one helper each, asked for something absent -> (the install hint it names, the CI variable)
    "tool": ("need_tool('il1rn-no-such-tool')", "apt-get install il1rn-no-such-tool", conftest.REQUIRE_TOOLS),
    "jar": ("need_file('/nonexistent/snpeff.jar', 'SnpEff', 'apt-get install snpeff')", "apt-get install snpeff",
            conftest.REQUIRE_TOOLS),
    "module": ("need_module('il1rn_no_such_module', 'pip install x')", "pip install x", conftest.REQUIRE_TOOLS),
    "shared": ("need_shared(Path('/nonexistent/shared/testdata/x.vcf.gz'))", "../shared (test data",
               conftest.REQUIRE_SHARED),
}


@pytest.mark.parametrize("env", [{}, {conftest.REQUIRE_TOOLS: "1"}, {conftest.REQUIRE_SHARED: "1"},
                                 {conftest.REQUIRE_TOOLS: "1", conftest.REQUIRE_SHARED: "1"},
                                 {conftest.REQUIRE_TOOLS: "0", conftest.REQUIRE_SHARED: "0"}],
                         ids=["fresh_machine", "tools_required", "shared_required", "ci", "set_to_0"])
def test_an_absent_dependency_skips_with_its_install_hint_and_fails_under_the_ci_variable(tmp_path, env):
    got = _probe(tmp_path, {name: body for name, (body, _, _) in ABSENT.items()}, **env)
    for name, (_, hint, variable) in ABSENT.items():
        if env.get(variable) == "1":
            assert got[name].startswith("failed"), got[name]
            assert f"{variable} is set, so this check must run" in got[name] and hint in got[name], got[name]
        else:
            assert got[name].startswith("skipped"), got[name]
            assert hint in got[name], got[name]


def test_a_tool_beside_the_interpreter_is_found_without_it_on_path(tmp_path):
    """pytest run as venv/bin/python without activating the venv: the venv's scripts (snakemake) are found."""
    got = _probe(tmp_path, {"beside": "import os, sys; exe = need_tool(os.path.basename(sys.executable)); "
                                      "assert os.path.dirname(exe) == os.path.dirname(sys.executable), exe"},
                 PATH="/nonexistent")
    assert got["beside"].startswith("passed"), got["beside"]


def test_ci_runs_exactly_the_readme_test_command_with_skips_turned_into_failures():
    ci = (REPO / ".ci" / "run").read_text()
    command = _code_block_after(README, "Run the tests")
    assert "\n" not in command
    lines = [ln.strip() for ln in ci.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    assert lines[-1] == command, "the last command of .ci/run must be the README's test command, unchanged"
    exports = [ln for ln in lines if ln.startswith("export ")]
    assert any(f"{conftest.REQUIRE_TOOLS}=1" in ln and f"{conftest.REQUIRE_SHARED}=1" in ln for ln in exports), \
        exports
    # every Debian package a test's skip names is one .ci/run installs
    packages = re.search(r"for p in ([\w -]+); do", ci).group(1).split()
    named = {m.group(1) for hint in conftest.INSTALL.values() for m in [re.match(r"apt-get install ([\w.-]+)", hint)]
             if m}
    assert named <= set(packages), named - set(packages)
    assert "snpeff" in packages  # need_file(SNPEFF_JAR, ...) in test_peers_synthetic.py


def test_readme_install_command_needs_no_extra_for_the_documented_run():
    """`pip install -e . && il1rn-annot annotate ...`: the base install covers what the README then documents
    for every run (the HTML report is part of the product, so matplotlib is a base dependency)."""
    install = _code_block_after(README, "install and run the main job")
    assert install.startswith("pip install -e . && il1rn-annot annotate "), install
    base = " ".join(PYPROJECT["project"]["dependencies"])
    for package in ("pysam", "cyvcf2", "pandas", "pyranges", "numpy", "matplotlib"):
        assert package in base, package


EXAMPLES = {  # where each example says how to run it -> the install line (from the clone's root) it gives
    "examples/cli/README.md": "pip install -e '.[parquet]'",
    "examples/api/README.md": "pip install -e .",
    "examples/snakemake/README.md": "pip install -e '.[snakemake]'",
    "wrappers/il1rn_annot/test/Snakefile": "pip install -e '.[snakemake]'",
}


@pytest.mark.parametrize("readme", sorted(EXAMPLES))
def test_each_example_names_an_install_line_from_a_clone(readme):
    text = (REPO / readme).read_text()
    line = EXAMPLES[readme]
    assert line in text, f"{readme} must give the install line {line!r}"
    assert "pip install 'il1rn_annot" not in text and 'pip install "il1rn_annot' not in text, \
        "il1rn_annot is not on a registry: install it from the clone"
    extras = set(PYPROJECT["project"]["optional-dependencies"])
    for extra in re.findall(r"pip install -e '\.\[([\w,]+)\]'", text):
        assert set(extra.split(",")) <= extras, extra


def test_cli_example_uses_only_what_its_install_line_brings():
    run = (REPO / "examples" / "cli" / "run.sh").read_text()
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert "--parquet" in run and any(d.startswith("pyarrow") for d in extras["parquet"])
    assert "--html" in run  # matplotlib: a base dependency
    assert "--phenopacket" not in run  # would need the phenopacket extra


def test_snakemake_extra_runs_the_example_with_its_html_outputs():
    deps = PYPROJECT["project"]["optional-dependencies"]["snakemake"]
    assert any(d.startswith("snakemake") for d in deps)
    assert any(d.startswith("matplotlib") for d in PYPROJECT["project"]["dependencies"])


def test_example_outputs_are_ignored_by_git():
    """Running an example leaves no untracked file: what each writes is in .gitignore."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git clone (an unpacked sdist): nothing for git to ignore")
    outputs = ["examples/snakemake/.snakemake/x", "examples/snakemake/results/x", "examples/snakemake/logs/x",
               "wrappers/il1rn_annot/test/.snakemake/x", "wrappers/il1rn_annot/test/results/x",
               "wrappers/il1rn_annot/test/logs/x", "il1rn_cli_example/region.txt",
               "examples/il1rn_cli_example/region.txt", "il1rn_api_example/example.il1rn.html",
               "out/example.annotated.vcf.gz"]
    r = subprocess.run(["git", "-C", str(REPO), "check-ignore", "--no-index", *outputs], capture_output=True, text=True)
    ignored = set(r.stdout.split())
    assert ignored == set(outputs), sorted(set(outputs) - ignored)
    # ... but the examples' own inputs are not
    kept = ["examples/snakemake/data/NO_VARIANT.vcf", "examples/snakemake/scripts/vntr_dosage.py",
            "wrappers/il1rn_annot/test/trio.ped"]
    r = subprocess.run(["git", "-C", str(REPO), "check-ignore", "--no-index", *kept], capture_output=True, text=True)
    assert r.stdout.split() == []
