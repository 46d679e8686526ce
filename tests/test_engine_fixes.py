"""The consequence-engine bugs issue 24 lists, each on real sequence: the synthetic genes (full sequence known), a
model made here from them (one transcript whose CDS starts at its first base), bcftools' own cases, and IL1RN
with unknown (``N``) reference bases.  Every HGVS string asserted here parses with biocommons ``hgvs``."""

from __future__ import annotations

import warnings

import hgvs.parser
import pytest

from il1rn_annot.consequence.annotate import Annotator
from il1rn_annot.model.gene_model import load_gene_model
from il1rn_annot.model.gff import models_by_contig, parse
from il1rn_annot.sources.fasta import FastaReference
from il1rn_annot.variants.record import Record

from conftest import TESTDATA, need_shared

SYN = TESTDATA / "synthetic"
CASES = TESTDATA / "csq-cases"
PARSER = hgvs.parser.Parser()


def _effects(annotator: Annotator, contig: str, pos: int, ref: str, alt: str) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (a,) = annotator.annotate_record(Record(contig, pos, ".", ref, (alt,), None, (), {}))
    return {t.location.transcript.transcript_id: t.effect for t in a.transcripts}


@pytest.fixture(scope="module")
def synth():
    syn = need_shared(SYN)
    with open(syn / "synth.gff3") as fh:
        model = next(iter(models_by_contig(parse(fh)).values()))
    return Annotator(model, reference=FastaReference(syn / "synth.fa"), ref_mismatch="warn")


def _case(folder: str):
    d = need_shared(CASES / folder)
    with open(d / f"{folder}.gff") as fh:
        model = next(iter(models_by_contig(parse(fh)).values()))
    return Annotator(model, reference=FastaReference(next(d.glob("*.fa"))), ref_mismatch="warn")


def test_an_8bp_duplication_across_the_start_codon_is_a_frameshift_however_written(synth):
    # SYNT001 (+): c.-4..c.4 = synth:297-304 AGGAATGT; written before c.-4 (a 5' UTR insertion) or after c.4
    for pos, ref, alt in [(296, "T", "TAGGAATGT"), (304, "T", "TAGGAATGT")]:
        e = _effects(synth, "synth", pos, ref, alt)["SYNT001"]
        assert e.consequences == ("frameshift_variant",), (pos, e.consequences)
        assert e.hgvs_c == "SYNT001:c.-4_4dup"
        PARSER.parse_hgvs_variant(e.hgvs_c)


def test_a_tandem_duplication_across_the_start_of_a_minus_strand_transcript_is_read_inside_it(tmp_path):
    # a model of SYNT002's sequence whose transcript starts at its start codon (c.1 = synth:4600, - strand);
    # synth:4599-4602 (c.2, c.1 and two bases upstream: c.-2_2 TAAT in transcript direction) duplicated and
    # written upstream of the transcript (once read as upstream_gene_variant): TA AT|TA AT G puts the only
    # ATG in the copy, which starts the same protein: start_retained, p.(=), however the VCF writes it
    syn = need_shared(SYN)
    gff = tmp_path / "nostart.gff3"
    gff.write_text("\n".join([
        "synth\tt\tgene\t3101\t4600\t.\t-\t.\tID=gene:G2;Name=G2;biotype=protein_coding",
        "synth\tt\tmRNA\t3101\t4600\t.\t-\t.\tID=transcript:T2;Parent=gene:G2;biotype=protein_coding",
        *(f"synth\tt\texon\t{a}\t{b}\t.\t-\t.\tParent=transcript:T2" for a, b in ((4301, 4600), (3701, 3850), (3101, 3300))),
        *(f"synth\tt\tCDS\t{a}\t{b}\t.\t-\t0\tParent=transcript:T2" for a, b in ((4301, 4600), (3701, 3850), (3202, 3300))),
    ]) + "\n")
    with open(gff) as fh:
        model = next(iter(models_by_contig(parse(fh)).values()))
    ann = Annotator(model, reference=FastaReference(syn / "synth.fa"), ref_mismatch="warn")
    for pos, ref, alt in [(4602, "T", "TATTT"), (4598, "C", "CATTT")]:
        e = _effects(ann, "synth", pos, ref, alt)["T2"]
        assert e.consequences == ("start_retained_variant",) and e.hgvs_p == "T2:p.(=)", (pos, e)
        assert e.hgvs_c == "T2:c.-2_2dup"


def test_a_duplication_of_an_exons_last_base_is_an_exonic_frameshift(synth):
    # SYNT001 c.100 = synth:400 A, c.100+1 = G: A>AA at 400 inserts between c.100 and the intron
    e = _effects(synth, "synth", 400, "A", "AA")["SYNT001"]
    assert e.hgvs_c == "SYNT001:c.100dup" and "frameshift_variant" in e.consequences
    assert "intron_variant" not in e.consequences


def test_a_deletion_across_an_exon_end_takes_its_3prime_most_form(synth):
    # synth:396-401 TGGGAG (c.96_100+1) equals synth:397-402 GGGAGT (c.97_100+2): the 3' rule gives the second
    for pos, ref in [(395, "CTGGGAG"), (396, "TGGGAGT")]:
        e = _effects(synth, "synth", pos, ref, ref[0])["SYNT001"]
        assert e.hgvs_c == "SYNT001:c.97_100+2del", (pos, e.hgvs_c)
        PARSER.parse_hgvs_variant(e.hgvs_c)


def test_a_start_codon_re_formed_upstream_is_start_retained_without_a_stop_codon_in_the_model():
    # bcftools case ENST00000368801.2 (- strand, CDS without a stop codon): AT>A deletes c.1, re-formed by c.-1
    e = _effects(_case("ENST00000368801.2"), "1", 11191, "AT", "A")["ENST00000368801"]
    assert e.consequences == ("start_retained_variant",) and e.hgvs_p.endswith("p.(=)")


def test_utr_terms_only_inside_the_transcript_and_where_it_has_that_utr():
    # ENST00000373833 (+) ends at 1:33358: an insertion after its last base is downstream, not 3' UTR
    e = _effects(_case("ENST00000373833"), "1", 33358, "A", "ATT")["ENST00000373833"]
    assert e.consequences == ("downstream_gene_variant",)
    # TRAJ17 has no 3' UTR: a deletion crossing its end is a coding change, with no UTR or flank term
    e = _effects(_case("ENST00000390520"), "14", 81, "CAAGT", "C")["ENST00000390520"]
    assert e.consequences == ("coding_sequence_variant",)


def test_an_insertion_between_intron_bases_8_and_9_is_not_splice_region():
    # ENST00000256452 (-): A>AAAC inserts between c.-4+8 and c.-4+9 (its 3'-most form, the dup c.-4+6_-4+8)
    e = _effects(_case("ENST00000256452"), "3", 35931, "A", "AAAC")["ENST00000256452"]
    assert e.consequences == ("intron_variant",) and e.hgvs_c == "ENST00000256452:c.-4+6_-4+8dup"


def test_vep_conventions_for_amino_acids_and_start_lost():
    ann = _case("ENST00000230048")
    e = _effects(ann, "6", 214, "AT", "A")["ENST00000230048"]  # deletes c.2 (T of ATG)
    assert set(e.consequences) == {"frameshift_variant", "start_lost"} and e.hgvs_p.endswith("p.(Met1?)")
    assert e.amino_acids == "M/X"  # not the whole protein; X = the frameshift's partial codon (VEP)


def test_frameshift_amino_acids_end_in_x(synth):
    e = _effects(synth, "synth", 324, "AT", "A")["SYNT001"]
    assert e.consequences == ("frameshift_variant",) and e.amino_acids.endswith("/X")


def test_an_indel_leaving_the_protein_as_it_was_is_p_equal(synth):
    e = _effects(synth, "synth", 301, "A", "AA")["SYNT001"]  # re-forms ATG: the 5' UTR gains an A
    assert e.consequences == ("start_retained_variant",) and e.hgvs_p == "SYNT001:p.(=)"


def test_no_hgvs_from_an_unknown_reference_base():
    model = load_gene_model("GRCh38")
    e = _effects(Annotator(model), "chr2", 113131216, "N", "T")[model.mane.transcript_id]
    assert e.hgvs_c == "" and e.hgvs_g == "" and e.consequences == ("intron_variant",)


@pytest.mark.parametrize("pos,svlen,where,expected", [
    (113131068, 60, "CDS (exon 3)", {"coding_sequence_variant", "feature_elongation"}),
    (113130000, 300, "intron 2", {"intron_variant", "feature_elongation"}),
])
def test_symbolic_insertions_in_the_cds_and_in_an_intron(pos, svlen, where, expected):
    model = load_gene_model("GRCh38")
    rec = Record("chr2", pos, ".", "N", ("<INS>",), None, (), {"SVTYPE": "INS", "SVLEN": svlen})
    (a,) = Annotator(model).annotate_record(rec)
    e = next(t.effect for t in a.transcripts if t.location.transcript.mane_select)
    assert set(e.consequences) == expected, where


def test_a_deletion_overlapping_the_transcript_end_gets_no_downstream_term():
    model = load_gene_model("GRCh38")  # MANE ends at 113134014
    (a,) = Annotator(model).annotate_record(Record("chr2", 113134009, ".", "NNNNNNNNNNN", ("N",), None, (), {}))
    e = next(t.effect for t in a.transcripts if t.location.transcript.mane_select)
    assert "downstream_gene_variant" not in e.consequences and "3_prime_UTR_variant" in e.consequences
