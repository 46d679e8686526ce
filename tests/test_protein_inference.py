"""Protein effects without a genome FASTA: the verified protein (P18510) + the VCF's REF bases (issue 24).

IL1RN records use only bases pinned by real records or ClinVar (shared/domain README "Sequence") or ``N`` (the
VCF's unknown base): the protein alone then fixes the codons it can.  On the synthetic genes, whose sequence is
known, every coding SNV, every 2-base MNV inside a codon and every 1-3-bp deletion is inferred without the FASTA
(REF bases as a VCF states them, protein from ``synth.protein.fa``) and translated with it: every answer the
inference calls determined must equal translation.
"""

from __future__ import annotations

import warnings

import hgvs.parser
import pysam
import pytest

from il1rn_annot.consequence.annotate import Annotator
from il1rn_annot.consequence.effects import on_transcript
from il1rn_annot.consequence.protein import bundled_protein, il1rn_knowledge
from il1rn_annot.model.gene_model import load_gene_model
from il1rn_annot.model.gff import models_by_contig, parse
from il1rn_annot.sources.fasta import FastaReference
from il1rn_annot.variants.record import Record

from conftest import TESTDATA, need_shared

OFFSET_37 = 757_577
SYN = TESTDATA / "synthetic"
PARSER = hgvs.parser.Parser()
BUILDS = [("GRCh38", 0), ("GRCh37", OFFSET_37)]


def _mane(build: str, pos: int, ref: str, alt: str, **kw):
    model = load_gene_model(build)
    (allele,) = Annotator(model, **kw).annotate_record(Record("chr2", pos, ".", ref, (alt,), None, (), {}))
    return {t.location.transcript.transcript_id: t for t in allele.transcripts}, model


def _parses(*strings: str) -> None:
    for s in strings:
        if s:
            PARSER.parse_hgvs_variant(s)


@pytest.mark.parametrize("build,offset", BUILDS)
def test_e77x_is_a_determined_stop_without_a_genome(build, offset):
    # c.229G>T (ClinVar 14675): Glu77 is GAA/GAG; G>T at its 1st base gives TAA or TAG, a stop either way
    txs, model = _mane(build, 113131068 + offset, "G", "T")
    e = txs[model.mane.transcript_id].effect
    assert e.consequences == ("stop_gained",) and e.impact == "HIGH"
    assert e.hgvs_p == "NP_776214.1:p.(Glu77Ter)" and e.hgvs_c == "NM_173842.3:c.229G>T"
    assert e.amino_acids == "E/*" and e.codons == "Gar/Tar"  # R = A or G: the 3rd base is not known
    assert e.rule.startswith("inferred_without_genome:P18510 (verified") and e.rule.endswith(":determined")
    assert e.possible == () and "HGVSp" not in e.needs_reference
    _parses(e.hgvs_c, e.hgvs_p, e.hgvs_g)


@pytest.mark.parametrize("build,offset", BUILDS)
def test_q54x_is_a_determined_stop_without_a_genome(build, offset):
    # c.160C>T: Gln54 is CAA/CAG, so C>T at its 1st base is TAA/TAG (the REF C is the codon's own 1st base)
    txs, model = _mane(build, 113129619 + offset, "C", "T")
    e = txs[model.mane.transcript_id].effect
    assert e.consequences == ("stop_gained",) and e.impact == "HIGH"
    assert e.hgvs_p == "NP_776214.1:p.(Gln54Ter)" and e.hgvs_c == "NM_173842.3:c.160C>T"
    _parses(e.hgvs_c, e.hgvs_p)


@pytest.mark.parametrize("build,offset", BUILDS)
def test_rs419598_is_synonymous_ala57_without_a_genome(build, offset):
    # c.171T>C: Ala57 is GCN and the REF T is its 3rd base: GCT -> GCC
    txs, model = _mane(build, 113129630 + offset, "T", "C")
    e = txs[model.mane.transcript_id].effect
    assert e.consequences == ("synonymous_variant",) and e.impact == "LOW"
    assert e.hgvs_p == "NP_776214.1:p.(Ala57=)" and e.codons == "gcT/gcC" and e.amino_acids == "A"
    _parses(e.hgvs_c, e.hgvs_p)


@pytest.mark.parametrize("build,offset", BUILDS)
def test_isoforms_sharing_the_codon_get_the_same_answer_on_their_derived_refseq_numbering(build, offset):
    txs, _ = _mane(build, 113131068 + offset, "G", "T")
    by_refseq = {t.location.transcript.refseq_cds_numbering: t.effect for t in txs.values()
                 if not t.location.transcript.mane_select and t.effect.hgvs_c}
    # MANE c. offsets in the shared exons: NM_173841.2 +9, NM_000577.4 -54, NM_173843.2 -102 (domain README)
    expected = {"NM_173841.2": ("c.238G>T", "p.(Glu80Ter)"), "NM_000577.4": ("c.175G>T", "p.(Glu59Ter)"),
                "NM_173843.2": ("c.127G>T", "p.(Glu43Ter)")}
    for acc, (c, p) in expected.items():
        if acc not in by_refseq:
            assert build == "GRCh37", acc  # GRCh37 GENCODE has fewer models
            continue
        e = by_refseq[acc]
        assert (e.hgvs_c, e.hgvs_p) == (f"{acc}:{c}", f"{acc}:{p}")
        assert set(e.consequences) - {"NMD_transcript_variant"} == {"stop_gained"} and "codons shared with" in e.rule
        _parses(e.hgvs_c, e.hgvs_p)


def test_no_internal_row_id_appears_in_any_hgvs_string():
    for build, offset in BUILDS:
        for pos, ref, alt in [(113131068, "G", "T"), (113129630, "T", "C"), (113117851, "G", "A"),
                              (113129614, "ACA", "A"), (113131216, "A", "T")]:
            txs, _ = _mane(build, pos + offset, ref, alt)
            for t in txs.values():
                for s in (t.effect.hgvs_c, t.effect.hgvs_p, t.effect.hgvs_g):
                    assert "row" not in s and "IL1RN" not in s, s
                if not t.effect.hgvs_c and on_transcript(t.location) and not t.location.transcript.mane_select:
                    assert any(n.startswith("no HGVS") for n in t.effect.notes), t.location.transcript.display_name


@pytest.mark.parametrize("build,offset", BUILDS)
def test_the_founder_frameshift_names_lys_and_the_published_ter(build, offset):
    # c.156_157delCA (ClinVar 97905) written left-padded with c.155 = A (Asn52 = AAY): Asn52 AAC, Asn53 AAY,
    # so the codon read after the deletion is AA + A = Lys; the Ter is the published one (N52KfsX25)
    txs, model = _mane(build, 113129614 + offset, "ACA", "A")
    e = txs[model.mane.transcript_id].effect
    assert e.consequences == ("frameshift_variant",) and e.impact == "HIGH"
    assert e.hgvs_c == "NM_173842.3:c.156_157del"
    assert e.hgvs_p == "NP_776214.1:p.(Asn52LysfsTer25)"
    assert any("as published" in n for n in e.notes) and e.amino_acids == "NN/KX"
    assert e.hgvs_g == f"{model.build.refseq_accession}:g.{113129615 + offset}_{113129616 + offset}del"
    _parses(e.hgvs_c, e.hgvs_p, e.hgvs_g)
    # the isoform that shares the codons: same Lys, and no published Ter for its numbering
    iso = [t.effect for t in txs.values() if t.location.transcript.refseq_cds_numbering == "NM_173841.2"]
    for f in iso:
        assert f.hgvs_p == "NM_173841.2:p.(Asn55LysfsTer?)"


def test_an_ambiguous_change_lists_every_outcome_and_keeps_the_most_severe_impact():
    # c.19 (Leu7, CTN or TTR) with an unknown REF (N) changed to T: the REF cannot be T, so the codon is CTN;
    # CTA/CTG -> TTA/TTG stay Leu, CTT/CTC -> TTT/TTC are Phe: synonymous or missense
    txs, model = _mane("GRCh38", 113127625 + 18, "N", "T")
    e = txs[model.mane.transcript_id].effect
    assert e.consequences == ("coding_sequence_variant",) and e.impact == "MODERATE"
    assert e.hgvs_p == "" and "HGVSp" in e.needs_reference
    assert e.possible == ("missense_variant:p.(Leu7Phe):CTC/CTT", "synonymous_variant:p.(Leu7=):CTA/CTG")
    assert "2_possible_outcomes" in e.rule and e.codons == "Ctn/Ttn"
    _parses(*(f"NP_776214.1:{p.split(':')[1]}" for p in e.possible))


def test_a_possible_stop_makes_the_impact_high():
    # Trp is only TGG: c.122 (Trp41, 2nd base) G>A gives TAG, a stop; the same base to C or T gives Ser or Leu
    txs, model = _mane("GRCh38", 113129576 + 5, "N", "A")
    e = txs[model.mane.transcript_id].effect
    assert e.consequences == ("stop_gained",) and e.hgvs_p == "NP_776214.1:p.(Trp41Ter)"
    # Arg39 (c.115-117, CGN or AGR) first base N>T: CGN -> TGN (Cys, Trp or a stop), AGR -> TGR (stop or Trp)
    txs, model = _mane("GRCh38", 113127625 + 114, "N", "T")
    e = txs[model.mane.transcript_id].effect
    assert e.impact == "HIGH" and any(p.startswith("stop_gained:p.(Arg39Ter)") for p in e.possible)


def test_a_ref_that_contradicts_the_protein_says_so_and_falls_back_to_the_genetic_code():
    # c.232 is the 1st base of Pro78 (CCN): a REF A there fits no Pro codon
    txs, model = _mane("GRCh38", 113131071, "A", "G")
    e = txs[model.mane.transcript_id].effect
    assert "REF_contradicts_protein" in e.rule and any("different builds" in n for n in e.notes)
    # from the genetic code alone: ANN -> GNN changes the residue whatever NN is, and makes no stop
    assert e.rule.endswith("then_genetic_code_only") or "genetic code only" in e.rule
    assert e.impact == "MODERATE" and e.consequences == ("missense_variant",) and e.hgvs_p == ""
    assert len(e.possible) > 5


def test_the_bundled_protein_is_the_verified_p18510_with_its_provenance():
    seq, transcript, label = bundled_protein()
    assert len(seq) == 177 and seq.startswith("MEICRGLRSH") and seq.endswith("FQEDE") and transcript == "NM_173842.3"
    assert "verified" in label
    for build in ("GRCh38", "GRCh37"):
        model = load_gene_model(build)
        know = il1rn_knowledge(model)
        assert know[model.mane.transcript_id].residues == tuple(seq) + ("*",)
        # the isoforms ending at the MANE stop share its frame from exon 1's end on: 143 of 143 residues (+ stop)
        # of the 143-aa models, 155 of 159 and 155 of 180 of the others; their own upstream exons are not known
        for t in model.transcripts:
            if t.protein_length in (143, 159, 180):
                assert know[t.transcript_id].known >= 144, t.display_name


# --- the synthetic genes: inference must equal translation wherever it says "determined" -------------------

@pytest.fixture(scope="module")
def synthetic():
    syn = need_shared(SYN)
    fa = pysam.FastaFile(str(syn / "synth.fa"))
    contig = fa.references[0]
    seq = fa.fetch(contig).upper()
    proteins = {}
    with pysam.FastxFile(str(syn / "synth.protein.fa")) as fh:
        for r in fh:
            proteins[r.name] = (r.sequence.rstrip("*"), "synth.protein.fa")
    with open(syn / "synth.gff3") as fh:
        models = models_by_contig(parse(fh))
    model = models[contig]
    ref = FastaReference(syn / "synth.fa")
    blind = Annotator(model, proteins=proteins)
    seeing = Annotator(model, reference=ref, ref_mismatch="warn")
    return contig, seq, model, blind, seeing, proteins, ref


def _compare(blind, seeing, rec: Record, stats: dict, mismatches: list):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (a,) = blind.annotate_record(rec)
        (b,) = seeing.annotate_record(rec)
    truth = {t.location.transcript.transcript_id: t.effect for t in b.transcripts}
    for t in a.transcripts:
        e, f = t.effect, truth[t.location.transcript.transcript_id]
        if not e.rule.startswith("inferred_without_genome"):
            continue
        indel = len(rec.ref) != len(rec.alts[0])
        if e.rule.endswith(":determined"):
            stats["determined"] += 1
            # Amino_acids/Codons of an indel name the codons of the member of its class that was read, which
            # without a genome is the member the known bases reach: only the terms and p. must be equal
            # (an empty HGVSp is no claim: the protein after a lost stop needs the 3' UTR)
            if (_protein(e.consequences) != _protein(f.consequences)
                    or e.hgvs_p and e.hgvs_p != f.hgvs_p and not _same_open_ter(e.hgvs_p, f.hgvs_p)
                    or (not indel and (e.amino_acids != f.amino_acids or e.consequences != f.consequences))):
                mismatches.append((rec.key, (e.consequences, e.hgvs_p, e.amino_acids),
                                   (f.consequences, f.hgvs_p, f.amino_acids)))
        else:
            stats["undetermined"] += 1
            # the truth is one of the possibilities, and the IMPACT is no lower than the truth's
            order = ("HIGH", "MODERATE", "LOW", "MODIFIER")
            if order.index(e.impact) > order.index(f.impact):
                mismatches.append((rec.key, "impact below the truth", e.impact, f.impact, e.possible))
            p = f.hgvs_p.split(":", 1)[-1]
            # a possibility "p.?" claims only its terms (the protein after it needs bases not known)
            if e.possible and p and not any(f":{p}:" in x or _same_open_ter(x.split(":")[1], p)
                                            or (x.split(":")[1] == "p.?" and set(x.split(":")[0].split("&")) == _protein(f.consequences))
                                            for x in e.possible):
                mismatches.append((rec.key, "truth not among the possibilities", p, e.possible))


PROTEIN_TERMS = {"start_lost", "frameshift_variant", "stop_lost", "stop_gained", "missense_variant",
                 "synonymous_variant", "inframe_insertion", "inframe_deletion", "protein_altering_variant",
                 "stop_retained_variant", "start_retained_variant", "coding_sequence_variant"}


def _protein(terms) -> set[str]:
    """The protein-level terms (an indel's splice-region term depends on how far the known bases reach)."""
    return set(terms) & PROTEIN_TERMS


def _same_open_ter(inferred: str, translated: str) -> bool:
    """``…fsTer?)`` / ``…extTer?)`` (the distance to the new stop needs the sequence after it) against the
    translated ``…fsTer12)``: the same up to the unknown number."""
    inferred, translated = inferred.split(":", 1)[-1], translated.split(":", 1)[-1]
    return inferred.endswith("Ter?)") and translated.startswith(inferred[:-2]) and translated[len(inferred) - 2:-1].isdigit()


def test_every_determined_inference_of_a_coding_snv_equals_translation(synthetic):
    contig, seq, model, blind, seeing, _, _ = synthetic
    stats = {"determined": 0, "undetermined": 0}
    mismatches: list = []
    for t in model.transcripts:
        for ex in t.exons:
            for g in range(max(ex.start, t.cds.start), min(ex.end, t.cds.end)):
                for alt in "ACGT":
                    if alt != seq[g]:
                        _compare(blind, seeing, Record(contig, g + 1, ".", seq[g], (alt,), None, (), {}), stats, mismatches)
    assert not mismatches, mismatches[:10]
    assert stats["determined"] > 2500 and stats["undetermined"] > 100, stats


def test_every_determined_inference_of_mnvs_and_deletions_equals_translation(synthetic):
    contig, seq, model, blind, seeing, _, _ = synthetic
    stats = {"determined": 0, "undetermined": 0}
    mismatches: list = []
    swap = {"A": "C", "C": "G", "G": "T", "T": "A"}
    for t in model.transcripts:
        for ex in t.exons:
            for g in range(max(ex.start + 1, t.cds.start), min(ex.end - 3, t.cds.end - 3)):
                recs = [Record(contig, g + 1, ".", seq[g:g + 2], (swap[seq[g]] + swap[seq[g + 1]],), None, (), {})]
                recs += [Record(contig, g, ".", seq[g - 1:g + n], (seq[g - 1],), None, (), {}) for n in (1, 2, 3)]
                for rec in recs:
                    _compare(blind, seeing, rec, stats, mismatches)
    assert not mismatches, mismatches[:10]
    assert stats["determined"] > 1500, stats


def test_with_a_genome_inference_and_translation_agree_and_a_disagreement_is_a_reference_problem(synthetic):
    contig, seq, model, _, _, proteins, ref = synthetic
    g = next(t for t in model.transcripts if t.transcript_id == "SYNT001").cds.start + 3 * 4  # codon 5, 1st base
    rec = Record(contig, g + 1, ".", seq[g], ({"A": "C", "C": "G", "G": "T", "T": "A"}[seq[g]],), None, (), {})
    agree = Annotator(model, reference=ref, ref_mismatch="warn", proteins=proteins)
    (a,) = agree.annotate_record(rec)
    e = next(t.effect for t in a.transcripts if t.location.transcript.transcript_id == "SYNT001")
    assert e.rule.endswith("agrees_with_inference_from_protein"), e.rule
    # a protein that is not this genome's (residue 5 replaced): translation and inference now disagree
    seq1, label = proteins["SYNT001"]
    other = "W" if seq1[4] != "W" else "M"
    wrong = dict(proteins, SYNT001=(seq1[:4] + other + seq1[5:], label))
    (b,) = Annotator(model, reference=ref, ref_mismatch="warn", proteins=wrong).annotate_record(rec)
    f = next(t.effect for t in b.transcripts if t.location.transcript.transcript_id == "SYNT001")
    assert "DISAGREES_with_inference_from_protein" in f.rule
    assert any("REFERENCE/BUILD PROBLEM" in n for n in f.notes) and f.hgvs_p == e.hgvs_p


@pytest.mark.parametrize("pos", [113129613, 113129614])
def test_an_insertion_is_named_whichever_way_written_when_the_protein_fixes_its_neighbours(pos):
    # an A inserted into c.154-155 AA (Asn52 = AAY fixes both; c.156 C is the record's or the protein's
    # neighbour): the 3'-most form is c.155dup, and AA+A = Lys
    txs, model = _mane("GRCh38", pos, "A", "AA")
    e = txs[model.mane.transcript_id].effect
    assert e.hgvs_c == "NM_173842.3:c.155dup" and e.hgvs_g == "NC_000002.12:g.113129614dup"
    assert e.consequences == ("frameshift_variant",) and e.hgvs_p == "NP_776214.1:p.(Asn52LysfsTer?)"
    _parses(e.hgvs_c, e.hgvs_g, e.hgvs_p)
