"""The folder tree shows the data flow, and imports run one way along it.

Layers, lowest first (a module may import its own package and lower layers only):

    core (errors, types, columns, version) -> coords -> model -> variants -> consequence -> analyses
      -> dira | vntr | codon_pairs -> fields -> sources | sinks (report with sinks) -> pipeline, frames -> api
      -> cli, snakemake, hail (the Hail route: exports a window, then calls the api)

``sources`` and ``sinks`` never import each other; ``dira`` and ``vntr`` never import each other.  No import
cycle anywhere (checked on the module graph, lazy imports inside functions included).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "il1rn_annot"

LAYERS = {
    "version": 0, "errors": 0, "types": 0, "columns": 0, "coords": 1,
    "model": 2, "variants": 3, "consequence": 4, "analyses": 5,
    "dira": 6, "vntr": 6, "codon_pairs": 6, "fields": 7,
    "sources": 8, "sinks": 8, "report": 8,
    "pipeline": 9, "frames": 9, "api": 10, "progress": 10,
    "cli": 11, "snakemake": 11, "hail": 11, "__main__": 12, "__init__": 13,
}
NEVER = {("sources", "sinks"), ("sinks", "sources"), ("dira", "vntr"), ("vntr", "dira"), ("sinks", "report"),
         ("sources", "report")}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).with_suffix("")
        out[".".join(rel.parts)] = path
    return out


def _imports(path: Path) -> set[str]:
    """Every il1rn_annot module a file imports (top level or inside functions)."""
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("il1rn_annot"):
            base = node.module[len("il1rn_annot."):] if node.module != "il1rn_annot" else ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}" if base else alias.name
                found.add(candidate if candidate in MODULES or (base == "") else base)
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import (use absolute il1rn_annot.* imports)")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("il1rn_annot."):
                    found.add(alias.name[len("il1rn_annot."):])
    return {m for m in found if m in MODULES or m.split(".")[0] in LAYERS}


MODULES = _modules()


def _top(module: str) -> str:
    return module.split(".")[0]


def test_every_module_has_a_layer():
    missing = sorted({_top(m) for m in MODULES} - set(LAYERS))
    assert not missing, f"modules with no layer in tests/test_layers.py: {missing}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_one_way(module):
    mine = _top(module)
    bad = []
    for target in sorted(_imports(MODULES[module])):
        theirs = _top(target)
        if theirs == mine:
            continue
        if (mine, theirs) in NEVER:
            bad.append(f"{target} (a {mine} module may never import {theirs})")
        elif LAYERS[theirs] > LAYERS[mine] or (LAYERS[theirs] == LAYERS[mine] and not (mine, theirs) == ("report", "sinks")):
            bad.append(f"{target} (layer {LAYERS[theirs]} {theirs}, above or beside layer {LAYERS[mine]} {mine})")
    assert not bad, f"{module} imports against the data flow: " + "; ".join(bad)


def test_no_import_cycles():
    graph = {m: {t for t in _imports(p) if t in MODULES and t != m} for m, p in MODULES.items()}
    graph.pop("__init__", None)
    for deps in graph.values():
        deps.discard("__init__")
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 1:
                cycle = stack[stack.index(d):] + [d]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_the_core_opens_no_files():
    """Below the I/O layers nothing opens a file: no open(), no pysam/cyvcf2 (package data is read by
    model/resources.py only, with importlib.resources)."""
    offenders = []
    for module, path in MODULES.items():
        if LAYERS[_top(module)] >= LAYERS["sources"] or module == "model.resources":
            continue
        text = path.read_text()
        for needle in ("open(", "import pysam", "import cyvcf2", "gzip.", "os.remove", "shutil."):
            if needle in text:
                offenders.append(f"{module}: {needle}")
    assert not offenders, "file I/O below the I/O layer: " + "; ".join(offenders)
