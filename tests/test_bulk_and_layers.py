"""The pyranges bulk join agrees with the per-variant placer; imports run one way between layers."""

from __future__ import annotations

import ast
from pathlib import Path

from il1rn_annot.bulk import overlap_table
from il1rn_annot.model import load_gene_model
from il1rn_annot.normalize import split_alleles
from il1rn_annot.overlap import Placer
from il1rn_annot.types import RegionClass as R

SRC = Path(__file__).resolve().parents[1] / "src" / "il1rn_annot"


def test_pyranges_join_agrees_with_the_placer():
    model = load_gene_model("GRCh38")
    positions = range(113_093_000, 113_140_000, 97)  # every 97th base across the window and beyond
    variants = [v for p in positions for v in split_alleles("chr2", p, "N", ("A",))]
    table = overlap_table(variants, model)
    joined = {(r.variant, r.transcript_id, r.feature, int(r.number)) for r in table.itertuples()}
    expected = set()
    for t in model.transcripts:
        placer = Placer(t, model.vntr)
        for i, v in enumerate(variants):
            loc = placer.place(v)
            for e in loc.exons:
                expected.add((i, t.transcript_id, "exon", e))
            for n in loc.introns:
                expected.add((i, t.transcript_id, "intron", n))
            if R.UPSTREAM in loc.regions:
                expected.add((i, t.transcript_id, "upstream", 0))
            if R.DOWNSTREAM in loc.regions:
                expected.add((i, t.transcript_id, "downstream", 0))
    assert joined == expected
    assert len(joined) > 1000


# layer order from STYLE.md: lower layers never import higher ones
LAYERS = [
    {"types", "coords", "errors", "builds", "resources"},
    {"model", "normalize", "genotype", "gtmatrix", "shift", "reference", "gff"},
    {"overlap", "consequence", "codons", "hgvs", "bulk"},
    {"annotate"},
    {"fields", "analyses", "consequence_fields", "haplotypes", "dira", "vntr", "sample_view"},
    {"api", "io", "report", "cli", "snakemake", "frames", "progress", "__main__"},
]


def _layer(mod: str) -> int | None:
    for i, names in enumerate(LAYERS):
        if mod in names:
            return i
    return None


def test_imports_run_one_way():
    bad = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).with_suffix("")
        me = _layer(rel.parts[0])
        if me is None:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level and node.module:
                parts = node.module.split(".")
                # resolve relative import to a top-level module name of the package
                depth = node.level - (1 if len(rel.parts) > 1 else 0)
                target = parts[0] if depth <= 1 else None
                if len(rel.parts) > 1 and node.level == 1:
                    target = rel.parts[0]  # sibling inside the same subpackage
                other = _layer(target) if target else None
                if other is not None and other > me:
                    bad.append(f"{rel} imports {node.module}")
    assert bad == []
