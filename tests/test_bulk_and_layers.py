"""The pyranges bulk join agrees with the per-variant placer (the import layers: tests/test_layers.py)."""

from __future__ import annotations

from il1rn_annot.consequence.bulk import overlap_table
from il1rn_annot.model.gene_model import load_gene_model
from il1rn_annot.variants.normalize import split_alleles
from il1rn_annot.consequence.placement import Placer
from il1rn_annot.types import RegionClass as R


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

