"""The public API: every name visible to dir() and help(), typed and documented; py.typed in the wheel; errors
raised through the API name its arguments, the command line's its flags."""

from __future__ import annotations

import ast
import inspect
import pydoc
import re
import subprocess
import sys
import zipfile
from dataclasses import fields

import pytest
from conftest import REPO

import il1rn_annot
from il1rn_annot import api
from il1rn_annot.cli import main
from il1rn_annot.dira.options import DiraOptions
from il1rn_annot.errors import InputError
from il1rn_annot.pipeline.config import Outputs, RunConfig

EXAMPLE = REPO / "examples" / "il1rn_example_GRCh38.vcf"
PUBLIC = [n for n in il1rn_annot.__all__ if not n.startswith("__")]


def test_every_public_name_is_visible_to_dir_and_help():
    assert {"annotate_vcf", "annotate_variants", "to_dataframe", "samples_frame", "RunSummary"} <= set(PUBLIC)
    assert set(PUBLIC) <= set(dir(il1rn_annot))
    text = pydoc.render_doc(il1rn_annot, renderer=pydoc.plaintext)
    for name in PUBLIC:
        assert re.search(rf"\b{name}\b", text), name


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_function_and_type_has_hints_and_a_docstring(name):
    obj = getattr(il1rn_annot, name)
    assert inspect.getdoc(obj), f"{name} has no docstring"
    if inspect.isclass(obj):
        if issubclass(obj, Exception):
            return
        for meth, member in vars(obj).items():
            if callable(member) and not meth.startswith("_"):
                assert inspect.getdoc(getattr(obj, meth)), f"{name}.{meth} has no docstring"
        return
    sig = inspect.signature(obj)
    assert sig.return_annotation is not inspect.Signature.empty, f"{name} has no return type"
    for p in sig.parameters.values():
        if p.kind is not p.VAR_KEYWORD:
            assert p.annotation is not inspect.Parameter.empty, f"{name}({p.name}) has no type"


def test_py_typed_ships_in_the_wheel(tmp_path):
    """The package is typed (PEP 561): the marker file is in the built wheel beside the modules."""
    assert (REPO / "src" / "il1rn_annot" / "py.typed").is_file()
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(REPO)],
                       capture_output=True, text=True, timeout=300, check=False)
    assert r.returncode == 0, r.stderr[-2000:]
    (wheel,) = tmp_path.glob("il1rn_annot-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "il1rn_annot/py.typed" in names and "il1rn_annot/api.py" in names


def _flags_named_by_library_errors() -> dict[str, set[str]]:
    """Every ``--flag`` in the text of an InputError/UsageError/ValueError raised outside the CLI module."""
    found: dict[str, set[str]] = {}
    for path in (REPO / "src" / "il1rn_annot").rglob("*.py"):
        if path.name == "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in (
                    "InputError", "UsageError", "ValueError"):
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                        for flag in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", sub.value):
                            found.setdefault(flag, set()).add(path.name)
    return found


def test_every_flag_an_error_names_has_its_api_argument():
    flags = _flags_named_by_library_errors()
    assert "--build" in flags and "--reads-reference" in flags  # the scan sees them
    missing = {f: sorted(p) for f, p in flags.items() if f not in api.FLAG_ARGUMENTS}
    assert not missing, f"flags named in library errors with no API argument in api.FLAG_ARGUMENTS: {missing}"
    settings = {f.name for f in fields(RunConfig)} | {f.name for f in fields(Outputs)}
    for flag, argument in api.FLAG_ARGUMENTS.items():
        m = re.fullmatch(r'dira=\{"(\w+)": \.\.\.\}', argument)
        if m:
            assert m.group(1) in {f.name for f in fields(DiraOptions)}, flag
        else:
            assert argument.split("=")[0] in settings, flag


def test_api_errors_name_arguments_and_the_cli_names_flags(tmp_path, capsys):
    with pytest.raises(InputError) as exc:
        il1rn_annot.annotate_vcf(EXAMPLE, None, reads=[str(tmp_path / "absent.bam")])
    assert "reads=" in str(exc.value) and "--reads" not in str(exc.value)
    assert exc.value.fix == "check the reads= path"
    with pytest.raises(InputError) as exc:
        list(il1rn_annot.annotate_variants(EXAMPLE, build="GRCh37"))  # a generator: reworded when read
    assert "--build" not in str(exc.value) and "build=" in str(exc.value)
    with pytest.raises(InputError) as exc:
        il1rn_annot.load_gene_model("hg99")
    assert str(exc.value) == "unknown genome build 'hg99' (fix: use build= GRCh38 or build= GRCh37)"
    # the command line, through the same functions, keeps its flags
    assert main(["annotate", str(EXAMPLE), "-o", str(tmp_path / "o.vcf"), "--reads", str(tmp_path / "absent.bam")]) == 1
    err = capsys.readouterr().err
    assert "check the --reads path" in err and "reads=" not in err
    assert main(["annotate", str(EXAMPLE), "-o", str(tmp_path / "o.vcf"), "--build", "GRCh37"]) == 1
    assert "--build GRCh37" in capsys.readouterr().err
