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
    assert d.reference_copies_confidence.startswith("high")
    if build == "GRCh38":
        assert d.interval_confidence.startswith("high") and "S_JAVA_TSV" in d.interval_source and "S_JAVA_BED" in d.interval_source
    else:
        assert "DERIVED" in d.interval_confidence


@pytest.mark.parametrize("build", ["GRCh38", "GRCh37"])
def test_labelled_sequence_places_flanks_around_the_interval_and_the_flank_snvs_on_their_ref_bases(build):
    d = load_vntr_definition(build)
    s = d.sequence
    assert len(s.motif) == d.unit_bp and len(s.left_flank) == len(s.right_flank) == 100
    assert s.left_start + 100 == d.interval.start and s.right_start == d.interval.end
    assert len(s.reference_allele(d.reference_copies)) == len(d.interval)
    tags = {t.rsid: t for t in d.tags}
    for name, ref in (("star2_flank_snv_a", "A"), ("star2_flank_snv_b", "C")):
        assert s.base_at(tags[name].position(build) - 1) == ref == tags[name].ref
    assert s.base_at(d.interval.start) == "" and s.base_at(s.left_start - 1) == ""  # nothing else is known
    assert any(label.startswith("vntr_sequence@") for label in d.provenance)


def test_a_tag_ref_that_disagrees_with_the_labelled_flank_is_refused(monkeypatch):
    from il1rn_annot.errors import ModelError
    from il1rn_annot.model import resources
    from il1rn_annot.vntr import definition

    real = resources.read_data("vntr_tag_snps.tsv").decode()
    bad = real.replace("star2_flank_snv_a\t113130888\t113888465\tA\tG", "star2_flank_snv_a\t113130888\t113888465\tT\tG")
    assert bad != real
    monkeypatch.setattr(definition, "load_resource", lambda name: resources.parse_resource(name.rsplit(".", 1)[0], bad.encode())
                        if name == "vntr_tag_snps.tsv" else resources.load_resource(name))
    definition.load_vntr_definition.cache_clear()
    try:
        with pytest.raises(ModelError, match="star2_flank_snv_a: REF T at GRCh38 113130888 disagrees with the labelled flank base A"):
            definition.load_vntr_definition("GRCh38")
    finally:
        definition.load_vntr_definition.cache_clear()


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
    assert tags["star2_flank_snv_a"].r2 is None  # no r2 is published: the concordance is stated instead


def test_flank_snvs_carry_their_derived_evidence_and_rs419598_stays_context():
    tags = {t.rsid: t for t in load_vntr_definition("GRCh37").tags}
    for name, pos37 in (("star2_flank_snv_a", 113888465), ("star2_flank_snv_b", 113888470)):
        m = tags[name]
        assert m.position("GRCh37") == pos37 and m.tagged_allele == "*2" and m.tag_allele == "ALT"
        assert m.confidence == "moderate" and "11/11" in m.concordance and "0/45" in m.concordance
        assert "no European or South Asian" in m.caveat and "does not exclude *2" in m.caveat
        assert "DERIVED" in m.source and not m.unusable_reason()
    assert tags["rs419598"].role == "context" and tags["rs419598"].unusable_reason().startswith("context, never a tag")
