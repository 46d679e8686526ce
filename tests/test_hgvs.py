"""HGVS strings: every one the tool writes parses with biocommons ``hgvs`` (parser only, no network), and the
conventions (3' rule in transcript direction, dup vs ins, delins, fs/Ter, ext, Met1?, =) on the synthetic genes."""

from __future__ import annotations

import warnings

import hgvs.parser
import pytest

from il1rn_annot.consequence.annotate import Annotator
from il1rn_annot.model.gene_model import load_gene_model
from il1rn_annot.variants.record import Record

from conftest import TESTDATA, need_shared
from csq_cases import run_case
from peers import exhaustive_vcf, ours

SYN = TESTDATA / "synthetic"
PARSER = hgvs.parser.Parser()


def _strings(effects):
    for e in effects:
        for s in (e.hgvs_c, e.hgvs_p, e.hgvs_g):
            if s:
                yield s


def _assert_parse(strings):
    bad = []
    for s in strings:
        try:
            PARSER.parse_hgvs_variant(s)
        except Exception as exc:  # the parser raises several exception types; any is a failure here
            bad.append((s, type(exc).__name__))
    assert not bad, bad[:20]


def test_every_hgvs_string_on_bcftools_cases_parses():
    strings = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for folder in sorted(p for p in need_shared(TESTDATA / "csq-cases").iterdir() if p.is_dir()):
            for *_, rows in run_case(folder):
                strings.update(_strings(r[3] for r in rows))
    assert len(strings) > 50
    _assert_parse(sorted(strings))


def test_every_hgvs_string_on_the_synthetic_exhaustive_set_parses(tmp_path):
    syn = need_shared(SYN)
    vcf = tmp_path / "ex.vcf"
    exhaustive_vcf(syn, vcf)
    res = ours(syn, vcf)
    strings = {s for effs in res.values() for s in _strings(effs.values())}
    # parse one string per shape (positions replaced), all shapes covered: the parser is slow on 60k strings
    import re

    shapes = {}
    for s in sorted(strings):
        shapes.setdefault(re.sub(r"\d+", "#", s), s)
    assert len(shapes) > 40
    _assert_parse(shapes.values())


def test_every_hgvs_string_inferred_without_a_genome_parses():
    """Synthetic genes annotated without their FASTA (protein from synth.protein.fa, REF bases as a VCF states
    them): every SNV and 1-3-bp deletion of the CDS, one string per shape, possibilities included; and the real
    IL1RN exome slices of both builds."""
    import re

    import pysam

    from il1rn_annot.model.gff import models_by_contig, parse

    syn = need_shared(SYN)
    fa = pysam.FastaFile(str(syn / "synth.fa"))
    contig = fa.references[0]
    seq = fa.fetch(contig).upper()
    with pysam.FastxFile(str(syn / "synth.protein.fa")) as fh:
        proteins = {r.name: (r.sequence.rstrip("*"), "synth.protein.fa") for r in fh}
    with open(syn / "synth.gff3") as fh:
        model = models_by_contig(parse(fh))[contig]
    blind = Annotator(model, proteins=proteins)
    strings = set()
    for t in model.transcripts:
        for ex in t.exons:
            for g in range(max(ex.start + 1, t.cds.start), min(ex.end - 3, t.cds.end)):
                recs = [Record(contig, g + 1, ".", seq[g], (alt,), None, (), {}) for alt in "ACGT" if alt != seq[g]]
                recs += [Record(contig, g, ".", seq[g - 1:g + n], (seq[g - 1],), None, (), {}) for n in (1, 2, 3)]
                for rec in recs:
                    for a in blind.annotate_record(rec):
                        for tr in a.transcripts:
                            strings.update(_strings([tr.effect]))
                            strings.update(f"{tr.location.transcript.transcript_id}:{p.split(':')[1]}"
                                           for p in tr.effect.possible)
    shapes = {}
    for s_ in sorted(strings):
        shapes.setdefault(re.sub(r"\d+", "#", s_), s_)
    assert len(shapes) > 40
    _assert_parse(shapes.values())
    from il1rn_annot import annotate_variants

    from conftest import SLICE37, SLICE38

    real = set()
    for path in (SLICE38, SLICE37):
        for a in annotate_variants(str(need_shared(path))):
            real.update(_strings(t.effect for t in a.transcripts))
    assert any(s_.startswith("NP_776214.1:p.(Ala57=)") for s_ in real)
    _assert_parse(sorted(real))


def test_every_hgvs_string_on_il1rn_without_reference_parses():
    model = load_gene_model("GRCh38")
    ann = Annotator(model)
    strings = set()
    for pos, ref, alt in [(113131068, "G", "T"), (113129630, "T", "C"), (113129614, "ACA", "A"), (113131159, "T", "G"),
                          (113117851, "G", "A")]:
        for a in ann.annotate_record(Record("chr2", pos, ".", ref, (alt,), None, (), {})):
            strings.update(_strings(t.effect for t in a.transcripts))
    assert any(s.startswith("NM_173842.3:c.229G>T") for s in strings)
    _assert_parse(sorted(strings))


@pytest.fixture(scope="module")
def synth_effects(tmp_path_factory):
    syn = need_shared(SYN)
    d = tmp_path_factory.mktemp("h")
    rows = [(3204, "A", "AA"), (2300, "T", "TACT"), (343, "AGCA", "A"), (301, "A", "G"), (378, "C", "A"),
            (2295, "G", "GAGC"), (325, "T", "TA"), (3248, "GG", "G"), (305, "T", "C")]
    text = "##fileformat=VCFv4.2\n##contig=<ID=synth,length=5000>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
    text += "".join(f"synth\t{p}\t.\t{r}\t{a}\t.\tPASS\t.\n" for p, r, a in rows)
    (d / "x.vcf").write_text(text)
    return ours(syn, d / "x.vcf")


# Expected strings worked out by hand from synth.fa (codons in comments); see docs/consequence_conventions.md
@pytest.mark.parametrize("key,tx,c,p", [
    # - strand: genomic 3204 A = c.547 T; inserting T next to it is a dup, 3'-shifted in transcript direction
    ((3204, "A", "AA"), "SYNT002", "SYNT002:c.547dup", None),
    # - strand homopolymer: the most 3' base in transcript direction is deleted (SnpEff says c.502del)
    ((3248, "GG", "G"), "SYNT002", "SYNT002:c.503del", None),
    # c.550 T | ACT | AA -> 3' shifted to c.551_552insCTA; TAC TAA: Tyr inserted before the retained stop
    ((2300, "T", "TACT"), "SYNT001", "SYNT001:c.551_552insCTA", "SYNT001:p.(Ala183_Ter184insTyr)"),
    # TGT AGC AGT -> TGT AGT: one of two Ser removed, the 3'-most (Ser16) named
    ((343, "AGCA", "A"), "SYNT001", "SYNT001:c.45_47del", "SYNT001:p.(Ser16del)"),
    ((301, "A", "G"), "SYNT001", "SYNT001:c.1A>G", "SYNT001:p.(Met1?)"),
    ((378, "C", "A"), "SYNT001", "SYNT001:c.78C>A", "SYNT001:p.(Pro26=)"),
    ((2295, "G", "GAGC"), "SYNT001", "SYNT001:c.546_548dup", "SYNT001:p.(Ala183dup)"),
    # a frameshift whose first changed codon is a stop is written as a nonsense change (HGVS)
    ((325, "T", "TA"), "SYNT001", None, "SYNT001:p.(Cys9Ter)"),
])
def test_hgvs_conventions_on_synthetic_genes(synth_effects, key, tx, c, p):
    e = synth_effects[key][tx]
    if c is not None:
        assert e.hgvs_c == c
    if p is not None:
        assert e.hgvs_p == p


def test_codons_and_amino_acids_columns(synth_effects):
    e = synth_effects[(305, "T", "C")]["SYNT001"]  # c.5: codon 2 TTC -> TCC: Phe -> Ser
    assert e.consequences == ("missense_variant",)
    assert e.codons == "tTc/tCc" and e.amino_acids == "F/S" and e.protein_position == "2"
    assert e.hgvs_p == "SYNT001:p.(Phe2Ser)" and e.needs_reference == ()
