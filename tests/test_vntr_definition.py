"""The VNTR definition read from the bundled resources, cross-checked against the gene model."""

from __future__ import annotations

import pytest

from il1rn_annot.model.gene_model import load_gene_model
from il1rn_annot.vntr.definition import load_vntr_definition


@pytest.mark.parametrize("build", ["GRCh38", "GRCh37"])
def test_interval_agrees_with_the_gene_model_and_holds_the_reference_copies(build):
    d = load_vntr_definition(build)
    assert d.interval == load_gene_model(build).vntr
    assert len(d.interval) == d.unit_bp * d.reference_copies
    assert d.reference_allele is not None and d.reference_allele.name == "*1"
    assert "INFERRED" in d.reference_copies_confidence and d.interval_confidence


def test_builds_differ_by_the_locus_offset():
    assert load_vntr_definition("GRCh37").interval.start - load_vntr_definition("GRCh38").interval.start == 757_577


def test_allele_table_is_sorted_and_each_copy_number_names_one_allele():
    d = load_vntr_definition("GRCh38")
    assert [a.name for a in d.alleles] == sorted((a.name for a in d.alleles), key=lambda n: int(n[1:]))
    assert len({a.copies for a in d.alleles}) == len(d.alleles)
    assert all(d.allele_for_copies(a.copies) is a for a in d.alleles)


def test_every_published_frequency_names_its_source_and_citation():
    d = load_vntr_definition("GRCh38")
    assert d.frequencies
    assert all(f.source and f.citation and 0 < f.frequency < 1 for f in d.frequencies)


def test_tag_rows_keep_empty_cells_empty():
    tags = {t.rsid: t for t in load_vntr_definition("GRCh38").tags}
    assert tags["rs419598"].r2 is None and tags["rs315952"].r2 is None
    assert tags["rs579543"].position("GRCh38") is None and tags["rs579543"].tagged_allele == ""
