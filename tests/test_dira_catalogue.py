"""The DIRA catalogue: both builds, and matching that does not depend on how a VCF writes an allele."""

from __future__ import annotations

import pytest

from il1rn_annot.consequence.annotate import Annotator
from il1rn_annot.dira.catalogue import (MatchHow, equivalent_deletions, load_catalogue, match_large, match_small,
                                        reference_conflicts)
from il1rn_annot.dira.sv import assess
from il1rn_annot.model.gene_model import load_gene_model
from il1rn_annot.types import Interval
from il1rn_annot.variants.record import Record

OFFSET = 757_577


def _variants(pos, ref, alts, build="GRCh38", info=None):
    model = load_gene_model(build)
    rec = Record("chr2" if build == "GRCh38" else "2", pos, ".", ref, tuple(alts), None, ("PASS",), info or {})
    return [a.variant for a in Annotator(model).annotate_record(rec)]


def test_grch37_positions_are_grch38_plus_offset_inside_the_window():
    c38, c37 = load_catalogue("GRCh38"), load_catalogue("GRCh37")
    checked = 0
    for a38 in c38.alleles:
        a37 = c37.get(a38.allele_id)
        if a38.interval is not None:
            assert a37.interval == Interval(a38.interval.start + OFFSET, a38.interval.end + OFFSET), a38.allele_id
            checked += 1
        if a38.vcf_form is not None:
            assert a37.vcf_form is not None
            assert a37.vcf_form == (a38.vcf_form[0] + OFFSET,) + a38.vcf_form[1:], a38.allele_id
    assert checked >= 12


def test_founder_populations_follow_the_primary_paper_not_the_swapped_readme():
    cat = load_catalogue("GRCh38")
    assert "Dutch" in cat.get("E77X").founder_population
    assert "Newfoundland" in cat.get("N52KfsX25").founder_population
    assert "Lebanon" in cat.get("Q54X").founder_population


@pytest.mark.parametrize("pos,ref,alts,alt_index", [
    (113129613, "AAC", ["A"], 1),  # left-shifted (VCF-normalised) form
    (113129614, "ACA", ["A"], 1),  # the ClinVar interval with its padding base
    (113129613, "AACA", ["AA", "AAC"], 1),  # first ALT of a multi-allelic record, two padding bases
    (113129614, "ACA", ["AA", "A"], 2),  # second ALT of a multi-allelic record
])
def test_n52kfsx25_matches_however_it_is_written(pos, ref, alts, alt_index):
    cat = load_catalogue("GRCh38")
    v = _variants(pos, ref, alts)[alt_index - 1]
    assert [m.allele.allele_id for m in match_small(v, cat)] == ["N52KfsX25"]


def test_n52kfsx25_matches_in_grch37_too():
    cat = load_catalogue("GRCh37")
    v = _variants(113129613 + OFFSET, "AAC", ["A"], "GRCh37")[0]
    assert [m.allele.allele_id for m in match_small(v, cat)] == ["N52KfsX25"]


def test_the_other_deletion_at_the_same_site_is_a_different_allele():
    cat = load_catalogue("GRCh38")
    one_bp = _variants(113129614, "AC", ["A"])[0]  # c.156delC (Iran), not the 2-bp founder deletion
    assert [m.allele.allele_id for m in match_small(one_bp, cat)] == ["c.156delC_IR"]
    c157 = _variants(113129613, "AACA", ["AAC"])[0]  # deletes c.157 A only: in no catalogue
    assert match_small(c157, cat) == []


def test_a_shift_is_proven_from_known_bases_only():
    known = {10: "A", 11: "C", 12: "A"}  # 0-based: deleting [10,12) 'AC' slides to [11,13) since base 10 == base 12
    assert equivalent_deletions(Interval(10, 12), known) == {Interval(10, 12), Interval(11, 13)}
    # base 13 unknown: no further slide, never assumed
    assert Interval(12, 14) not in equivalent_deletions(Interval(10, 12), known)
    assert equivalent_deletions(Interval(10, 12), {}) == {Interval(10, 12)}


def test_fifteen_bp_deletion_written_left_normalised_matches_by_shift():
    cat = load_catalogue("GRCh38")
    # c.211_225 with an unknown padding base (N): its own REF bases prove the two-base slide to c.213_227
    v = _variants(113131049, "NATAGATGTGGTACCC", ["N"])[0]
    (m,) = match_small(v, cat)
    assert m.allele.allele_id == "D72_I76del" and m.how is MatchHow.SHIFT_EQUIVALENT


def test_snv_with_a_reference_base_contradicting_the_pinned_base_does_not_match():
    cat = load_catalogue("GRCh38")
    v = _variants(113131068, "A", ["T"])[0]  # the pinned base at E77X is G
    assert match_small(v, cat) == []
    assert reference_conflicts(v, cat) and "113131068" in reference_conflicts(v, cat)[0]


def test_large_deletions_match_by_overlap_or_gene_content():
    model, cat = load_gene_model("GRCh38"), load_catalogue("GRCh38")

    def large(pos, end):
        v = _variants(pos, "N", ["<DEL>"], info={"END": end})[0]
        sv = assess(v, model)
        return [m.allele.allele_id for m in match_large(v, cat, removed_genes=sv.cluster_genes_removed,
                                                        whole_mane_removed=sv.whole_mane_removed,
                                                        min_reciprocal_overlap=0.8)]

    assert large(113107433, 113129650) == ["del22kb"]  # the published breakpoints
    assert large(113107000, 113129900) == ["del22kb"]  # caller breakpoints a few hundred bp off
    assert large(113120000, 113129650) == []  # too little overlap
    il36g = next(g for g in model.cluster_genes if g.gene == "IL36G")
    assert large(il36g.interval.start - 500, model.span.end + 500) == ["del175kb_PR"]
    assert large(113090000, model.span.end + 500) == []  # whole IL1RN but not the published gene set


def test_a_reference_provider_extends_the_known_bases():
    from il1rn_annot.dira.catalogue import KnownBases
    from il1rn_annot.model.reference import LocusSequence

    # a made-up contig (not IL1RN): the mechanism only - a slide needs the provider's bases
    seq = LocusSequence("chrT", 0, "GGACACAGG")
    without = equivalent_deletions(Interval(2, 4), KnownBases({}))
    with_seq = equivalent_deletions(Interval(2, 4), KnownBases({}, seq, "chrT"))
    assert without == {Interval(2, 4)}
    assert with_seq == {Interval(2, 4), Interval(3, 5), Interval(4, 6), Interval(5, 7)}
