"""User gene models (GFF3 / GTF) and the 3' shift, on real and synthetic files."""

from __future__ import annotations

import csv

from hypothesis import given, settings, strategies as st

from il1rn_annot.cli import main
from il1rn_annot.model.gff import parse
from il1rn_annot.variants.shift import shift

from conftest import SHARED, SLICE38, TESTDATA, need_shared

SYN = TESTDATA / "synthetic"
GTF38 = SHARED / "domain" / "data" / "il1rn_derived_GRCh38.gtf"


def _load(path):
    with open(path) as fh:
        return {t.transcript_id: t for t in parse(fh, str(path))}


def test_gff3_and_gtf_of_the_synthetic_genes_give_the_same_transcripts():
    gff, gtf = _load(need_shared(SYN) / "synth.gff3"), _load(SYN / "synth.gtf")
    assert set(gff) == set(gtf) == {"SYNT001", "SYNT002"}
    for tid in gff:  # GTF CDS rows exclude the stop codon; its stop_codon row puts it back
        a, b = gff[tid], gtf[tid]
        assert (a.exons, a.cds, a.strand) == (b.exons, b.cds, b.strand)
    assert gff["SYNT002"].strand.symbol == "-"


def _rows(path):
    with open(path) as fh:
        return {(r["POS"], r["Feature"]): r for r in csv.DictReader(fh, delimiter="\t")}


def test_gene_model_option_with_the_derived_il1rn_gtf_places_like_the_bundled_model(tmp_path):
    need_shared(SLICE38)
    need_shared(GTF38)
    assert main(["annotate", str(SLICE38), "-o", str(tmp_path / "a.vcf"), "-q", "--no-imported-reference"]) == 0
    assert main(["annotate", str(SLICE38), "-o", str(tmp_path / "b.vcf"), "-q", "--no-imported-reference",
                 "--gene-model", str(GTF38)]) == 0
    bundled, user = _rows(tmp_path / "a.tsv"), _rows(tmp_path / "b.tsv")
    assert set(bundled) == set(user) and len(bundled) > 100
    def terms(r):  # the derived GTF carries no biotype, so NMD_transcript_variant cannot be known from it
        return set(r["Consequence"].split("&")) - {"NMD_transcript_variant"}

    for key, r in bundled.items():
        assert (r["HGVS_pos"], r["CDS_position"]) == (user[key]["HGVS_pos"], user[key]["CDS_position"]), key
        # the bundled model knows the verified protein, so coding changes get inferred protein terms where the
        # GTF's model (no protein) says coding_sequence_variant; the location terms are the same
        protein = {"missense_variant", "synonymous_variant", "stop_gained", "stop_lost", "start_lost",
                   "coding_sequence_variant", "stop_retained_variant"}
        assert terms(r) - protein == terms(user[key]) - protein, key
        # the bundled models without a public accession write no HGVS (the GTF's ids are the user's to use)
        if r["HGVSc"]:
            assert r["HGVSc"].partition(":")[2] == user[key]["HGVSc"].partition(":")[2], key
        else:
            assert "no HGVS" in r["Consequence_notes"] or not user[key]["HGVSc"], key


def test_a_gene_model_without_transcripts_on_chr2_is_an_input_error(tmp_path, capsys):
    need_shared(SLICE38)
    gff = tmp_path / "other.gff3"
    gff.write_text("chr9\tx\tmRNA\t1\t100\t.\t+\t.\tID=transcript:T1\nchr9\tx\texon\t1\t100\t.\t+\t.\tParent=transcript:T1\n")
    assert main(["annotate", str(SLICE38), "-o", str(tmp_path / "o.vcf"), "--gene-model", str(gff)]) == 1
    assert "chr2" in capsys.readouterr().err and not (tmp_path / "o.vcf").exists()


def _apply(seq, start, ref, alt):
    return seq[:start] + alt + seq[start + len(ref):]


@settings(max_examples=300, deadline=None)
@given(seq=st.text(alphabet="ACG", min_size=8, max_size=30), data=st.data())
def test_shifted_indels_describe_the_same_allele(seq, data):
    """Left- and right-shifting an indel never changes the resulting sequence, and the right-most form
    cannot move further right."""
    start = data.draw(st.integers(1, len(seq) - 2))
    if data.draw(st.booleans()):
        n = data.draw(st.integers(1, min(3, len(seq) - start - 1)))
        ref, alt = seq[start:start + n], ""
    else:
        ref, alt = "", data.draw(st.text(alphabet="ACG", min_size=1, max_size=3))

    def fetch(_c, s, e):
        return seq[max(0, s):max(0, e)]

    want = _apply(seq, start, ref, alt)
    for direction in (-1, 1):
        s, r, a = shift(fetch, "x", start, ref, alt, direction, lo=0, hi=len(seq))
        assert _apply(seq, s, r, a) == want
        again = shift(fetch, "x", s, r, a, direction, lo=0, hi=len(seq))
        assert again == (s, r, a)


def test_protein_ids_from_the_gff_name_the_p_accession():
    proteins = {}
    with open(need_shared(SYN) / "synth.gff3") as fh:
        parse(fh, "synth.gff3", proteins)
    assert proteins == {"SYNT001": "SYNP001", "SYNT002": "SYNP002"}
