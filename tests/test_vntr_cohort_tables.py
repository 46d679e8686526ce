"""The cohort tables' statistics against published values, the population map, and repeat-caller VCFs
(TRGT AL/MC) read as measurements."""

from __future__ import annotations

from fractions import Fraction
from math import factorial

import pytest
from conftest import FIXTURES

from il1rn_annot import api
from il1rn_annot.errors import InputError
from il1rn_annot.sources.populations import read_populations
from il1rn_annot.vntr.cohort import (
    dosage_rows,
    dosage_rows_from_sections,
    frequency_rows,
    hwe_exact,
    wilson_interval,
)
from il1rn_annot.vntr.definition import load_vntr_definition

D38 = load_vntr_definition("GRCh38")


@pytest.mark.parametrize("k,n,low,high", [
    # Newcombe RG, Stat Med 1998;17:857-872, Table I (method 3, Wilson score interval)
    (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)])
def test_wilson_interval_matches_newcombe_1998(k, n, low, high):
    lo, hi = wilson_interval(k, n)
    assert (round(lo, 4), round(hi, 4)) == (low, high)


def test_wilson_interval_of_nothing_is_none():
    assert wilson_interval(0, 0) == (None, None)


@pytest.mark.parametrize("het,hom1,hom2,p", [
    # the reference implementation of Wigginton et al. 2005 (SNPHWE), as its Python wrapper's tests state them:
    # PyPI snphwe 1.0.2, tests/test_hwe.py (snphwe(obs_hets, obs_hom1, obs_hom2))
    (500, 10, 5000, 0.65157189991), (1000, 20, 5000, 1.26598491e-5)])
def test_hwe_exact_matches_the_reference_implementation(het, hom1, hom2, p):
    assert hwe_exact(het, hom1, hom2) == pytest.approx(p, rel=1e-8)


def _levene(het: int, hom1: int, hom2: int) -> float:
    """The exact test by enumeration (Levene 1949 probabilities in exact fractions): an independent check."""
    n, a, b = het + hom1 + hom2, 2 * hom1 + het, 2 * hom2 + het

    def prob(k: int) -> Fraction:
        return Fraction(factorial(n) * factorial(a) * factorial(b) * 2 ** k,
                        factorial((a - k) // 2) * factorial(k) * factorial((b - k) // 2) * factorial(2 * n))
    probs = {k: prob(k) for k in range(a % 2, min(a, b) + 1, 2)}
    return float(sum(p for p in probs.values() if p <= probs[het]))


@pytest.mark.parametrize("counts", [(1, 1, 1), (3, 10, 2), (20, 5, 5), (0, 12, 0), (7, 0, 0), (2, 30, 4)])
def test_hwe_exact_equals_enumeration(counts):
    assert hwe_exact(*counts) == pytest.approx(_levene(*counts), rel=1e-9)


def test_hwe_exact_refuses_negative_counts_and_has_no_value_without_genotypes():
    assert hwe_exact(0, 0, 0) is None
    with pytest.raises(ValueError):
        hwe_exact(-1, 2, 3)


def test_population_maps_with_and_without_a_header(tmp_path):
    panel = tmp_path / "panel.tsv"  # the 1000 Genomes panel layout
    panel.write_text("sample\tpop\tsuper_pop\tgender\nHG00096\tGBR\tEUR\tmale\nNA18486\tYRI\tAFR\tmale\n")
    assert read_populations(str(panel)) == {"HG00096": "GBR", "NA18486": "YRI"}
    assert read_populations(str(panel), "super_pop") == {"HG00096": "EUR", "NA18486": "AFR"}
    bare = tmp_path / "bare.tsv"
    bare.write_text("# a comment\nS1\tA\nS2\tB\n")
    assert read_populations(str(bare)) == {"S1": "A", "S2": "B"}
    twice = tmp_path / "twice.tsv"
    twice.write_text("S1\tA\nS1\tB\n")
    with pytest.raises(InputError, match="two populations"):
        read_populations(str(twice))
    with pytest.raises(InputError, match="no population column"):
        read_populations(str(panel), "continent")


def test_dosage_rows_from_results_and_from_json_sections_agree():
    ctx = api.vntr_context(str(FIXTURES / "vntr" / "star2_flank_het.GRCh38.vcf"))
    direct = list(dosage_rows(ctx.per_sample, {"STAR2_FLANK_HET": "P1"}))
    sections = {s: {"vntr": r.to_json()} for s, r in ctx.per_sample.items()}
    assert direct == list(dosage_rows_from_sections(list(ctx.per_sample), sections, {"STAR2_FLANK_HET": "P1"}))
    assert direct[0][:4] == ["STAR2_FLANK_HET", "P1", "1", "inferred"]


def test_frequency_rows_put_the_published_frequencies_beside_and_name_their_sources():
    ctx = api.vntr_context(str(FIXTURES / "vntr" / "het_del172.GRCh38.vcf"))
    rows = frequency_rows(ctx.per_sample, D38)
    star2 = rows[0]
    assert (star2["population"], star2["allele"], star2["genotypes_0_1_2"], star2["methods"]) == ("all", "*2", "0/1/0", "direct 1")
    measured = {r["allele"]: r for r in rows if r["basis"] == "measured"}
    assert set(measured) == {"*1", "*2"} and measured["*2"]["allele_frequency"] == "0.5"
    published = [r for r in rows if r["basis"] == "published"]
    assert len(published) == len(D38.frequencies) and all(r["source"].startswith("S_") for r in published)


# --- repeat callers' VCFs -----------------------------------------------------------------------------------

def _trgt_vcf(tmp_path, samples: dict[str, str], motif: str) -> str:
    end = D38.interval.end
    lines = ["##fileformat=VCFv4.2", "##contig=<ID=chr2,length=242193529,assembly=GRCh38>",
             '##INFO=<ID=END,Number=1,Type=Integer,Description="End">',
             '##INFO=<ID=TRID,Number=1,Type=String,Description="Repeat id">',
             '##INFO=<ID=MOTIFS,Number=.,Type=String,Description="Motifs">',
             '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
             '##FORMAT=<ID=AL,Number=.,Type=Integer,Description="Allele lengths">',
             '##FORMAT=<ID=MC,Number=.,Type=String,Description="Motif counts">',
             "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples]),
             "\t".join(["chr2", str(D38.interval.start + 1), ".", "N", "<TR>", ".", "PASS",
                        f"END={end};TRID=IL1RN_VNTR_rs2234663;MOTIFS={motif}", "GT:AL:MC", *samples.values()])]
    path = tmp_path / "trgt.vcf"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_trgt_allele_lengths_and_motif_counts_are_measurements_per_sample(tmp_path):
    """Two samples with the same GT but different AL must not share an answer (they did before: the
    per-sample counts were not part of the grouping)."""
    motif = D38.sequence.motif
    path = _trgt_vcf(tmp_path, {"A": "0/1:344,172:4,2", "B": "0/1:344,258:4,3", "C": "0/1:.:4,5",
                                "D": "0/1:344,172:4,3"}, motif)
    ctx = api.vntr_context(path)
    got = {s: (r.diplotype, r.method, r.confidence) for s, r in ctx.per_sample.items()}
    assert got == {"A": ("IL1RN*1/*2", "direct", "high"), "B": ("IL1RN*1/*4", "direct", "high"),
                   "C": ("IL1RN*1/*3", "direct", "high"), "D": ("IL1RN*1/*2", "direct", "high")}
    from il1rn_annot.vntr.analysis import vntr_records
    from il1rn_annot.vntr.direct import direct_calls

    annotations = list(api.annotate_variants(path))
    calls = direct_calls(vntr_records(annotations), ("A", "B", "C", "D"), D38)
    sources = [h.source for h in calls["D"].diplotypes[0]]
    assert any("FORMAT/MC counts 3 motifs: the length is used" in s for s in sources)
    assert any(s.endswith("FORMAT/MC") for s in (h.source for h in calls["C"].diplotypes[0]))


def test_motif_counts_of_another_motif_are_not_copies(tmp_path):
    path = _trgt_vcf(tmp_path, {"A": "0/1:.:4,2"}, "CAG")
    r = api.vntr_context(path).per_sample["A"]
    assert r.diplotype == "IL1RN*1/unknown_length" and r.star2_copies == "0-1"  # the <TR> ALT has no length


def test_samples_with_one_genotype_but_different_depth_at_the_tags_get_their_own_answer(tmp_path):
    lines = ["##fileformat=VCFv4.2", "##contig=<ID=chr2,length=242193529,assembly=GRCh38>",
             '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
             '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">',
             "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", "DEEP", "SHALLOW", "NODP"])]
    for pos, ref in ((113_130_888, "A"), (113_130_893, "C")):
        lines.append("\t".join(["chr2", str(pos), ".", ref, "G", ".", "PASS", ".", "GT:DP", "0/0:30", "0/0:4", "0/0:."]))
    path = tmp_path / "depth.vcf"
    path.write_text("\n".join(lines) + "\n")
    ctx = api.vntr_context(str(path))
    got = {s: (r.method, r.star2_dosage) for s, r in ctx.per_sample.items()}
    assert got == {"DEEP": ("inferred", "0"), "SHALLOW": ("unknown", "NA"), "NODP": ("inferred", "0")}
    assert any("depth not stated" in n for n in ctx.per_sample["NODP"].notes)
