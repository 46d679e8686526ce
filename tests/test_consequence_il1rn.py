"""Consequences on IL1RN with the bundled model and no reference sequence: only what needs no sequence.

Record bases used here are the ones pinned by real records / ClinVar HGVS (shared/domain README "Sequence")
and, for the padding base of the 2-bp deletion, c.155 = A from dira_catalogue.tsv (Asn52 = AAY)."""

from __future__ import annotations

import csv
import re

import pytest

from il1rn_annot.consequence.annotate import Annotator
from il1rn_annot.consequence.effects import so_terms
from il1rn_annot.model.gene_model import load_gene_model
from il1rn_annot.variants.record import Record

from conftest import SHARED, need_shared

CLINVAR = SHARED / "domain" / "data" / "clinvar_IL1RN_rows.tsv"
OFFSET_37 = 757_577


def annotate(build: str, pos: int, ref: str, alt: str):
    model = load_gene_model(build)
    (allele,) = Annotator(model).annotate_record(Record("chr2", pos, ".", ref, (alt,), None, (), {}))
    return {t.location.transcript.transcript_id: t for t in allele.transcripts}, model


def test_severity_order_comes_from_the_data_file_and_is_vep_order():
    terms = so_terms()
    ranked = sorted(terms.values(), key=lambda t: t.rank)
    assert ranked[0].name == "transcript_ablation"
    assert terms["stop_gained"].rank < terms["frameshift_variant"].rank < terms["missense_variant"].rank
    assert terms["missense_variant"].impact == "MODERATE" and terms["intron_variant"].impact == "MODIFIER"


@pytest.mark.parametrize("build,pos", [("GRCh38", 113129630), ("GRCh37", 113129630 + OFFSET_37)])
def test_rs419598_is_synonymous_ala57_from_the_verified_protein_without_a_reference(build, pos):
    txs, model = annotate(build, pos, "T", "C")
    mane = txs[model.mane.transcript_id].effect
    # c.171 is the 3rd base of Ala57 (GCN): the REF T makes it GCT, and GCC is Ala too
    assert mane.consequences == ("synonymous_variant",)
    assert mane.rule.startswith("inferred_without_genome:P18510") and mane.rule.endswith(":determined")
    assert mane.hgvs_c == "NM_173842.3:c.171T>C" and mane.hgvs_p == "NP_776214.1:p.(Ala57=)"
    assert mane.cds_position == "171" and mane.protein_position == "57"
    assert mane.hgvs_g == f"{model.build.refseq_accession}:g.{pos}T>C"


@pytest.mark.parametrize("build,pos", [("GRCh38", 113131068), ("GRCh37", 113131068 + OFFSET_37)])
def test_e77x_without_reference_is_a_stop_from_the_verified_protein(build, pos):
    # c.229G>T is the 1st base of Glu77 (GAA/GAG): TAA or TAG, a stop either way
    txs, model = annotate(build, pos, "G", "T")
    mane = txs[model.mane.transcript_id].effect
    assert mane.consequences == ("stop_gained",) and mane.impact == "HIGH"
    assert mane.hgvs_c == "NM_173842.3:c.229G>T" and mane.hgvs_p == "NP_776214.1:p.(Glu77Ter)"


def _clinvar_rows():
    rows = list(csv.DictReader((l for l in open(need_shared(CLINVAR)) if not l.startswith("#")), delimiter="\t"))
    out = []
    for r in rows:
        hgvs = r["hgvs_variants"].split()
        g38 = next(h for h in hgvs if h.startswith("NC_000002.12:"))
        g37 = next(h for h in hgvs if h.startswith("NC_000002.11:"))
        cs = [h for h in hgvs if h.startswith("NM_")]
        out.append((r["variation_id"], g38, g37, cs))
    return out


def _vcf_form(g: str):
    """VCF record for the two ClinVar changes: the SNV as is; the CA deletion padded with c.155 = A."""
    m = re.match(r".*:g\.(\d+)([ACGT])>([ACGT])$", g)
    if m:
        return int(m[1]), m[2], m[3]
    m = re.match(r".*:g\.(\d+)_(\d+)del([ACGT]+)$", g)
    assert m, g
    return int(m[1]) - 1, "A" + m[3], "A"


@pytest.mark.parametrize("build", ["GRCh38", "GRCh37"])
def test_clinvar_c_positions_on_every_listed_refseq_through_the_matching_ensembl_model(build):
    checked = 0
    for vid, g38, g37, cs in _clinvar_rows():
        pos, ref, alt = _vcf_form(g38 if build == "GRCh38" else g37)
        txs, model = annotate(build, pos, ref, alt)
        for c in cs:
            acc, _, change = c.partition(":")
            want = re.match(r"c\.(\d+(?:_\d+)?)", change)[1].replace("_", "-")
            base_acc = acc.split(".")[0]
            matching = [t for t in txs.values()
                        if t.location.transcript.refseq_cds_numbering.split(".")[0] == base_acc]
            if not matching:
                assert build == "GRCh37", f"{c}: no model numbers like {acc} on {build}"
                continue  # GRCh37 GENCODE has fewer models (see gene_model_GRCh37.tsv)
            for t in matching:
                assert t.effect.cds_position == want, (vid, c, t.location.transcript.display_name)
                assert t.location.hgvs_position == f"c.{want.replace('-', '_')}"
                checked += 1
    assert checked >= 4


def test_e77x_snv_gives_c_on_mane_and_derived_refseq_c_on_others():
    txs, model = annotate("GRCh38", 113131068, "G", "T")
    assert txs[model.mane.transcript_id].effect.hgvs_c == "NM_173842.3:c.229G>T"
    from il1rn_annot.consequence.fields import CONSEQUENCE_FIELDS
    get = next(f.get for f in CONSEQUENCE_FIELDS if f.name == "HGVSc_RefSeq_DERIVED")
    derived = {get(None, t) for t in txs.values()} - {""}
    assert {"NM_173841.2:c.238G>T", "NM_000577.4:c.175G>T", "NM_173843.2:c.127G>T"} <= derived


def test_frameshift_without_reference_has_hgvs_only_where_the_known_bases_close_its_class():
    # c.156_157delCA: the record's REF (c.155-157 ACA) and Asn52/Asn53 (AAY) fix c.154-158, so the deletion's
    # 3'-most form is known; an unknown padding base (N) leaves it open: no c./g. then
    txs, model = annotate("GRCh38", 113129614, "ACA", "A")
    e = txs[model.mane.transcript_id].effect
    assert e.consequences == ("frameshift_variant",)
    assert e.hgvs_c == "NM_173842.3:c.156_157del" and "HGVSc" not in e.needs_reference
    txs, model = annotate("GRCh38", 113129614, "NC", "N")  # deletes c.156 (C): c.157 A, c.155 A close it too
    e = txs[model.mane.transcript_id].effect
    assert e.consequences == ("frameshift_variant",) and e.hgvs_c == "NM_173842.3:c.156del"
    txs, model = annotate("GRCh38", 113131160, "NN", "N")  # intron 3, nothing known around it
    e = txs[model.mane.transcript_id].effect
    assert e.hgvs_c == "" and {"HGVSc", "HGVSg"} <= set(e.needs_reference)


def test_splice_donor_and_start_codon_rules_without_reference():
    txs, model = annotate("GRCh38", 113131159, "T", "G")  # c.318+2T>G
    e = txs[model.mane.transcript_id].effect
    assert e.consequences == ("splice_donor_variant",) and e.impact == "HIGH"
    assert e.hgvs_c == "NM_173842.3:c.318+2T>G"


@pytest.mark.parametrize("build", ["GRCh38", "GRCh37"])
def test_mane_protein_accession_for_p_comes_from_gene_info(build):
    model = load_gene_model(build)
    assert model.protein_ids == {model.mane.transcript_id: "NP_776214.1"}


@pytest.mark.parametrize("svtype,expected", [("DEL", "transcript_ablation"), ("DUP", "transcript_amplification")])
def test_whole_gene_symbolic_deletion_ablates_and_duplication_amplifies(svtype, expected):
    model = load_gene_model("GRCh38")
    rec = Record("chr2", 113090000, ".", "N", (f"<{svtype}>",), None, (), {"END": 113140000, "SVTYPE": svtype})
    (allele,) = Annotator(model).annotate_record(rec)
    assert len(allele.transcripts) == 14
    assert {t.effect.consequences for t in allele.transcripts} == {(expected,)}
