"""Per-variant DIRA classification: the ClinGen PVS1 tree on MANE, frequency codes, classes and reasons.

Variants go through the real Annotator; where the consequence engine's terms are needed they are attached
as a ``TranscriptEffect``-shaped value following the contract in the brief (SO terms + HGVS)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from il1rn_annot.consequence.annotate import Annotator
from il1rn_annot.dira.catalogue import load_catalogue
from il1rn_annot.dira.classify import (DiraClass, Strength, classify, mane_layout, ptc_from_hgvs_p, pvs1_exon_loss,
                                       pvs1_start_lost, pvs1_truncating)
from il1rn_annot.dira.options import DiraOptions
from il1rn_annot.model.gene_model import load_gene_model
from il1rn_annot.variants.record import Record

from conftest import run_analysis, with_mane_effect

MODEL = load_gene_model("GRCh38")
CAT = load_catalogue("GRCh38")
LAYOUT = mane_layout(MODEL)


def annotate(pos, ref, alts, info=None, mane_terms=None, hgvs_p=""):
    rec = Record("chr2", pos, ".", ref, tuple(alts), None, ("PASS",), info or {})
    anns = Annotator(MODEL).annotate_record(rec)
    if mane_terms is not None:
        anns = [with_mane_effect(a, mane_terms, hgvs_p) for a in anns]
    return anns


def cls(pos, ref, alt, **kw):
    opts = kw.pop("opts", DiraOptions())
    return classify(annotate(pos, ref, [alt], **kw)[0], MODEL, CAT, opts)


def test_mane_layout_is_read_from_the_model():
    assert LAYOUT.protein_length == 177
    assert [r[1:] for r in LAYOUT.exon_coding_c] == [(1, 116), (117, 205), (206, 318), (319, 534)]
    assert LAYOUT.last_junction_c == 318 and LAYOUT.nmd_boundary_c == 268
    assert LAYOUT.alt_start_c == 103  # the 143-aa intracellular isoforms start in frame at MANE c.103


@pytest.mark.parametrize("ptc,strength", [
    (229, Strength.VERY_STRONG),  # E77X: exon 3, > 50 nt before the last junction -> NMD
    (268, Strength.VERY_STRONG),
    (271, Strength.STRONG),  # last 50 nt of the penultimate exon: no NMD, > 10 % lost
    (355, Strength.STRONG),  # Q119X, last exon: 59 of 177 residues
    (520, Strength.MODERATE),  # last exon, 4 residues (< 10 %)
])
def test_nonsense_strength_follows_nmd_and_truncated_fraction(ptc, strength):
    s, why = pvs1_truncating(LAYOUT, ptc_c=ptc, change_c=ptc, kind="nonsense")
    assert s is strength, why


def test_frameshift_without_a_known_stop_codon_is_lowered_to_strong():
    s, why = pvs1_truncating(LAYOUT, ptc_c=None, change_c=150, kind="frameshift")
    assert s is Strength.STRONG and "reference sequence" in why
    s, _ = pvs1_truncating(LAYOUT, ptc_c=None, change_c=500, kind="frameshift")  # last exon, 11 residues left
    assert s is Strength.MODERATE


def test_stop_codon_is_read_from_published_protein_changes():
    assert ptc_from_hgvs_p("p.(Asn52LysfsTer25)") == 226  # codon 76
    assert ptc_from_hgvs_p("p.T47TfsX4") == 148  # codon 50
    assert ptc_from_hgvs_p("NP_776214.1:p.(Glu77Ter)") == 229
    assert ptc_from_hgvs_p("p.(Cys94Phe)") is None


def test_start_loss_is_moderate_because_pathogenic_alleles_lie_before_the_next_start():
    s, why = pvs1_start_lost(LAYOUT, CAT)
    assert s is Strength.MODERATE and "R26X" in why and "c.103" in why


@pytest.mark.parametrize("exon,strength", [(2, Strength.STRONG), (3, Strength.STRONG), (4, Strength.STRONG)])
def test_skipping_a_coding_exon(exon, strength):
    s, why = pvs1_exon_loss(LAYOUT, {exon}, CAT, "test")
    assert s is strength, why


def test_novel_nonsense_in_exon_2_is_likely_pathogenic():
    # c.150 (exon 2; reference base unknown, written N): a stop gain the catalogue does not hold
    vc = cls(113129609, "N", "T", mane_terms=["stop_gained"], hgvs_p="NP_776214.1:p.(Gln50Ter)")
    assert vc.dira_class is DiraClass.LIKELY_PATHOGENIC and vc.codes == ("PVS1",)
    assert not vc.catalogue


def test_novel_nonsense_with_gnomad_absent_gains_pm2_supporting():
    vc = cls(113129609, "N", "T", mane_terms=["stop_gained"], hgvs_p="p.(Gln50Ter)", info={"gnomADe_AF": (0.0,)})
    assert set(vc.codes) == {"PVS1", "PM2_Supporting"} and vc.points == 9


@pytest.mark.parametrize("info,code,klass", [
    ({"gnomAD_AF": (0.2,)}, "BA1", DiraClass.BENIGN),
    ({"AF_popmax": (0.02,)}, "BS1", DiraClass.UNCERTAIN),  # PVS1 8 + BS1 -4: above the founder-aware 0.013
    ({"AF": (0.3,), "AN": 5008}, "BA1", DiraClass.BENIGN),  # a cohort AF counts with enough alleles
])
def test_frequency_codes(info, code, klass):
    vc = cls(113129609, "N", "T", mane_terms=["stop_gained"], hgvs_p="p.(Gln50Ter)", info=info)
    assert code in vc.codes and vc.dira_class is klass, vc.summary


def test_a_founder_level_frequency_is_not_bs1():
    # 1.0 %: below the highest frequency a DIRA allele reaches (the Puerto Rican founder deletion, 1.3 %)
    vc = cls(113129609, "N", "T", mane_terms=["stop_gained"], hgvs_p="p.(Gln50Ter)", info={"AF_popmax": (0.01,)})
    bs1 = vc.criterion("BS1")
    assert bs1.status.value == "not_met" and "0.013" in bs1.reason
    assert vc.dira_class is DiraClass.LIKELY_PATHOGENIC


def test_a_single_sample_af_is_not_a_population_frequency():
    vc = cls(113129609, "N", "T", mane_terms=["stop_gained"], hgvs_p="p.(Gln50Ter)", info={"AF": (0.5,), "AN": 2})
    assert "BA1" not in vc.codes and "AF_not_used" in vc.codes
    assert vc.dira_class is DiraClass.LIKELY_PATHOGENIC


def test_af_of_the_right_alt_is_read_in_a_multiallelic_record():
    anns = annotate(113129614, "ACA", ["A", "AA"], info={"gnomAD_AF": (0.3, 0.0)})
    a1, a2 = (classify(a, MODEL, CAT, DiraOptions()) for a in anns)
    assert "BA1" in a1.codes and "PM2_Supporting" in a2.codes


def test_missense_is_uncertain_and_synonymous_is_likely_benign():
    mis = cls(113131120, "G", "T", mane_terms=["missense_variant"], hgvs_p="p.(Cys94Phe)")
    assert mis.dira_class is DiraClass.UNCERTAIN and mis.catalogue_ids == ("C94F",)
    syn = cls(113132727, "T", "C", mane_terms=["synonymous_variant"])
    assert syn.dira_class is DiraClass.LIKELY_BENIGN and syn.codes == ("BP7",)


def test_intronic_and_flanking_variants_do_not_qualify():
    vc = cls(113130000, "N", "G")  # intron 2; reference base unknown, so written N
    assert vc.dira_class is DiraClass.NOT_QUALIFYING and "intron_variant" in vc.mane_terms


def test_catalogue_alleles_keep_their_published_class_without_a_consequence_engine():
    assert cls(113131068, "G", "T").dira_class is DiraClass.PATHOGENIC  # E77X
    q119x = cls(113132692, "C", "T")  # secondary sources only
    assert q119x.dira_class is DiraClass.LIKELY_PATHOGENIC
    splice = cls(113131159, "T", "G")  # c.318+2T>G: canonical donor of intron 3, placement alone says so
    assert "PVS1_Strong" in splice.codes and "exon 3" in splice.criterion("PVS1").reason


def test_deletions_of_coding_exons_and_the_whole_gene():
    whole = classify(annotate(113090000, "N", ["<DEL>"], info={"END": 113140000})[0], MODEL, CAT, DiraOptions())
    assert whole.codes == ("PVS1",) and whole.sv.whole_mane_removed
    assert "IL1RN" in whole.sv.cluster_genes_removed
    exon3 = classify(annotate(113130900, "N", ["<DEL>"], info={"END": 113131400})[0], MODEL, CAT, DiraOptions())
    assert exon3.sv.mane_exons_removed == (3,) and "PVS1_Strong" in exon3.codes
    vntr = classify(annotate(113130600, "N", ["<DEL>"], info={"END": 113130772})[0], MODEL, CAT, DiraOptions())
    assert vntr.dira_class is DiraClass.NOT_QUALIFYING  # a 172-bp intron-2 VNTR contraction (*2-like)


def test_loss_of_function_only_on_intracellular_isoforms_is_not_pvs1():
    # the first base of the 180/159-aa isoforms' start codon (IL1RN-201/202), outside MANE
    start = next(t for t in MODEL.transcripts if t.ensembl_name == "IL1RN-201").cds.start + 1
    vc = cls(start, "N", "G")  # reference base unknown: N
    assert not vc.lof and "PVS1_not_applicable" in vc.codes
    assert "secreted isoform" in next(e.reason for e in vc.evidence if e.code == "PVS1_not_applicable")


def test_every_code_carries_a_reason():
    vc = cls(113129609, "N", "T", mane_terms=["stop_gained"], hgvs_p="p.(Gln50Ter)", info={"gnomAD_AF": (0.0,)})
    assert all(e.reason for e in vc.evidence)


def test_options_are_validated():
    with pytest.raises(ValueError):
        DiraOptions.from_dict({"qualifying_classes": "pathogenic,maybe"})
    with pytest.raises(ValueError):
        DiraOptions.from_dict({"ba1_afx": 0.1})
    with pytest.raises(ValueError):
        DiraOptions(ba1_af=0.001, bs1_af=0.01)


def test_duplications_are_not_loss_of_function():
    whole = classify(annotate(113090000, "N", ["<DUP>"], info={"END": 113140000})[0], MODEL, CAT, DiraOptions())
    assert whole.dira_class is DiraClass.NOT_QUALIFYING and not whole.lof
    assert "SV_whole_gene_copy" in whole.codes
    intragenic = classify(annotate(113130900, "N", ["<DUP>"], info={"END": 113131400})[0], MODEL, CAT, DiraOptions())
    assert intragenic.dira_class is DiraClass.UNCERTAIN and not intragenic.lof  # exon 3 duplicated: unknown effect


def test_a_model_without_mane_still_classifies_and_says_why_pvs1_is_missing():
    from il1rn_annot.dira.analysis import DiraAnalysis

    no_mane = replace(MODEL, transcripts=tuple(t for t in MODEL.transcripts if not t.mane_select))
    rec = Record("chr2", 113131068, ".", "G", ("T",), None, ("PASS",), {})
    anns = Annotator(no_mane).annotate_record(rec)
    vc = classify(anns[0], no_mane, CAT, DiraOptions())
    pvs1 = vc.criterion("PVS1")
    assert pvs1.status.value == "not_evaluable" and "MANE" in pvs1.reason and vc.catalogue_ids == ("E77X",)
    result = run_analysis(DiraAnalysis(no_mane, ()), anns)
    assert result.info[0]["IL1RN_DIRA_CLASS"] == ("pathogenic",)


def test_long_explicit_deletion_is_assessed_as_a_structural_variant():
    # 200 bp across MANE exon 2 (113129576-113129664), bases unknown so written N
    ref = "N" * 201
    vc = cls(113129500, ref, "N")
    assert vc.sv is not None and vc.sv.mane_exons_removed == (2,)
    assert "PVS1_Strong" in vc.codes and "exon(s) 2" in vc.evidence[0].reason
    short = cls(113129600, "N" * 10, "N")  # 9 bp: an in-frame indel, not a structural variant
    assert short.sv is None
