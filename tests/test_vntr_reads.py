"""The VNTR from aligned reads: fixture BAMs and a CRAM built with pysam from the labelled motif and flanks
(tests/fixtures/reads/make_read_fixtures.py, each scenario with its expected answer), the pure read logic on
hand-made alignments, and reads beside a VCF through the real pipeline and the CLI."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES
from vcf_text import header, record

from il1rn_annot import api
from il1rn_annot.errors import InputError
from il1rn_annot.sources.reads import read_vntr_reads
from il1rn_annot.vntr.definition import load_vntr_definition
from il1rn_annot.vntr.reads import (
    AlignedRead,
    ReadLocus,
    ReadsOptions,
    SampleReads,
    call_reads,
    count_motif_copies,
    observe_read,
)

sys.path.insert(0, str(FIXTURES / "reads"))
import make_read_fixtures as mk

D38 = load_vntr_definition("GRCh38")
LOCUS = ReadLocus.of(D38)
LONG = [name for name in mk.EXPECTED if name.startswith("lr_")]
SHORT = [name for name in mk.EXPECTED if name.startswith("sr_")]


@pytest.fixture(scope="session")
def reads(tmp_path_factory) -> dict[str, Path]:
    return mk.build_all(tmp_path_factory.mktemp("read_fixtures"))


def _one(evidence):
    (call,) = evidence.calls.values()
    return call


# --- fixture scenarios ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", LONG)
def test_long_read_scenarios_give_the_expected_diplotype_support_and_confidence(reads, name):
    exp = mk.EXPECTED[name]
    ctx = api.vntr_context(reads=[reads[name]])
    (r,) = ctx.per_sample.values()
    assert r.method == "long_reads" and r.diplotype == exp["diplotype"]
    assert r.confidence == exp["confidence"] and r.star2_dosage == exp["star2"]
    call = r.reads
    assert sorted(a.support for a in call.alleles) == sorted(exp["support"])
    if "lengths" in exp:
        assert sorted(a.length_bp for a in call.alleles) == exp["lengths"]
    assert "spanning long reads" in r.derived_from and any(n.startswith(f"confidence {exp['confidence']}:") for n in r.notes)


def test_non_spanning_and_filtered_reads_are_counted_and_not_used(reads):
    call = _one(read_vntr_reads([reads["lr_non_spanning"]]))
    exp = mk.EXPECTED["lr_non_spanning"]
    assert call.spanning == 20 and sum(n for _, n in call.not_spanning) == exp["not_spanning"]
    assert dict(call.filtered) == {"secondary alignment": 1, "duplicate": 1, "supplementary alignment": 1,
                                   "mapping quality < 20": 2}
    assert {k.split(" (")[0] for k, _ in call.not_spanning} == {"does not reach the left flank",
                                                                 "does not reach the right flank"}


def test_a_length_between_units_is_reported_not_rounded(reads):
    r = next(iter(api.vntr_context(reads=[reads["lr_non_unit"]]).per_sample.values()))
    odd = next(a for a in r.reads.alleles if a.haplotype.copies is None)
    assert odd.label == "non_unit_change(-43bp)" and odd.length_bp == 301 and round(odd.copies_exact, 2) == 3.5
    assert any("not a whole number" in n for n in r.notes) and r.star2_dosage == "0"


def test_the_indel_may_sit_anywhere_in_the_repeat(reads):
    call = _one(read_vntr_reads([reads["lr_indel_places"]]))
    star2 = next(a for a in call.alleles if a.label == "*2")
    assert star2.support == 12 and star2.length_min == star2.length_max == 172


def test_sequencing_errors_spread_the_lengths_but_not_the_call(reads):
    call = _one(read_vntr_reads([reads["lr_errors"]]))
    assert call.label == "IL1RN*1/*2" and call.confidence == "high"
    assert any(a.length_max - a.length_min > 0 for a in call.alleles)  # the errors show as spread
    assert any("motif check inconclusive" in n for n in call.notes)  # indel errors break the in-phase windows


def test_the_flank_snvs_in_long_reads_sit_on_the_star2_allele(reads):
    call = _one(read_vntr_reads([reads["lr_1_2"]]))
    by = {a.label: {n: (alt, cov) for n, alt, cov in a.snv_alt} for a in call.alleles}
    assert by["*2"]["star2_flank_snv_a"] == (15, 15) and by["*1"]["star2_flank_snv_a"] == (0, 15)
    assert not any("tag table does not describe" in n for n in call.notes)
    assert [s.genotype for s in call.snvs] == ["0/1", "0/1"]


@pytest.mark.parametrize("name", SHORT)
def test_short_reads_give_tag_evidence_never_a_measurement(reads, name):
    exp = mk.EXPECTED[name]
    (r,) = api.vntr_context(reads=[reads[name]]).per_sample.values()
    assert r.method == exp["method"] and r.star2_dosage == exp["star2"]
    assert not r.reads.alleles and any("no long-read file" in n for n in r.reads.notes)
    assert {s.genotype for s in r.reads.snvs} == {exp["snvs"]}
    if r.method == "inferred":
        assert r.statement == exp["statement"] and r.tag_source == "reads" and r.confidence == "moderate"
        assert "genotyped from the reads" in r.derived_from
        used = [m for m in r.markers if m.state.value == "used"]
        assert {m.rsid for m in used} == {"star2_flank_snv_a", "star2_flank_snv_b"} and all(m.caveat for m in used)
    else:
        assert all("not called" in s.reason for s in r.reads.snvs)


def test_soft_clipped_reads_count_at_the_flank_snvs(reads):
    import pysam

    with pysam.AlignmentFile(str(reads["sr_softclip_hom"])) as f:
        clipped = [r for r in f if r.cigartuples[0][0] == 4 and r.reference_start <= 113130887 < r.reference_end]
    assert clipped
    call = _one(read_vntr_reads([reads["sr_softclip_hom"]]))
    snv_a = next(s for s in call.snvs if s.name == "star2_flank_snv_a")
    assert snv_a.alt_reads >= len(clipped) and snv_a.ref_reads == 0


def test_cram_needs_its_reference_and_then_reads_like_the_bam(reads):
    with pytest.raises(InputError, match="reference FASTA it was compressed against"):
        read_vntr_reads([reads["lr_1_2_cram"]])
    before = os.environ.get("REF_PATH")
    cram = _one(read_vntr_reads([reads["lr_1_2_cram"]], reference=str(reads["reference"])))
    assert os.environ.get("REF_PATH") == before  # the no-network REF_PATH is not left behind
    bam = _one(read_vntr_reads([reads["lr_1_2"]]))
    assert cram.label == bam.label == "IL1RN*1/*2" and cram.length_counts == bam.length_counts


def test_grch37_reads_are_recognised_from_the_sq_line(reads):
    ev = read_vntr_reads([reads["lr_1_2_37"]])
    assert ev.build == "GRCh37" and "@SQ 2 length=243199373" in ev.build_evidence[0]
    assert _one(ev).label == "IL1RN*1/*2"
    with pytest.raises(InputError, match="mix builds"):
        read_vntr_reads([reads["lr_1_2"], reads["lr_1_2_37"]])
    with pytest.raises(InputError, match="the reads are GRCh37 .*, the VCF or --build GRCh38"):
        read_vntr_reads([reads["lr_1_2_37"]], build="GRCh38")


def test_one_index_query_per_file(reads, monkeypatch):
    from il1rn_annot.sources import reads as source

    queries = []
    real_open = source._open

    class Counting:
        def __init__(self, af):
            self.af = af

        def fetch(self, *args, **kw):
            queries.append(args)
            return self.af.fetch(*args, **kw)

        def __getattr__(self, name):
            return getattr(self.af, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.af.close()

    monkeypatch.setattr(source, "_open", lambda path, ref: Counting(real_open(path, ref)))
    read_vntr_reads([reads["lr_1_2"], reads["sr_het"], reads["lr_3_4"]])
    assert len(queries) == 3
    assert all(q == ("chr2", LOCUS.fetch.start, LOCUS.fetch.end) for q in queries)


def test_files_without_index_or_sample_name_are_refused_with_the_fix(reads, tmp_path):
    import shutil

    import pysam

    no_index = tmp_path / "no_index.bam"
    shutil.copy(reads["lr_1_1"], no_index)
    with pytest.raises(InputError, match="samtools index"):
        read_vntr_reads([no_index])
    s = mk.scenarios()[0]
    no_sm = tmp_path / "no_sm.bam"
    with pysam.AlignmentFile(str(no_sm), "wb", header={"SQ": [{"SN": "chr2", "LN": 242193529}]}) as out:
        a = pysam.AlignedSegment(out.header)
        a.query_name, a.reference_id, a.reference_start, a.mapping_quality = "r", 0, s.reads[0][0], 60
        a.cigartuples, a.query_sequence = s.reads[0][1], s.reads[0][2]
        out.write(a)
    pysam.index(str(no_sm))
    with pytest.raises(InputError, match="@RG SM.*addreplacerg"):
        read_vntr_reads([no_sm])


def test_two_samples_in_one_file_and_one_sample_in_two_files(reads, tmp_path):
    import pysam

    both = tmp_path / "two_samples.bam"
    hdr = mk.header("A", "PACBIO", extra_rg=[{"ID": "B.1", "SM": "B", "PL": "PACBIO"}])
    s12 = next(s for s in mk.scenarios() if s.name == "lr_1_2")
    s11 = next(s for s in mk.scenarios() if s.name == "lr_1_1")
    rows = [(r, "A.1") for r in s12.reads] + [(r, "B.1") for r in s11.reads]
    with pysam.AlignmentFile(str(both), "wb", header=hdr) as out:
        for k, ((start, cigar, seq, flag, mapq, qual), rg) in enumerate(sorted(rows, key=lambda x: x[0][0])):
            a = pysam.AlignedSegment(out.header)
            a.query_name, a.flag, a.reference_id, a.reference_start, a.mapping_quality = f"r{k}", flag, 0, start, mapq
            a.cigartuples, a.query_sequence = cigar, seq
            a.query_qualities = pysam.qualitystring_to_array(chr(33 + qual) * len(seq))
            a.set_tag("RG", rg)
            out.write(a)
    pysam.index(str(both))
    calls = read_vntr_reads([both]).calls
    assert {s: c.label for s, c in calls.items()} == {"A": "IL1RN*1/*2", "B": "IL1RN*1/*1"}
    pooled = read_vntr_reads([reads["lr_low_coverage"], reads["lr_low_coverage"]]).calls["LR_LOW_COVERAGE"]
    assert pooled.spanning == 8 and len(pooled.files) == 1  # one path given twice: its reads counted twice


def test_read_type_comes_from_the_platform_else_the_read_length(reads, tmp_path):
    import pysam

    path = tmp_path / "no_pl.bam"
    s = next(s for s in mk.scenarios() if s.name == "lr_1_2")
    hdr = mk.header("NO_PL", "")
    hdr["RG"][0].pop("PL")
    with pysam.AlignmentFile(str(path), "wb", header=hdr) as out:
        for k, (start, cigar, seq, flag, mapq, qual) in enumerate(sorted(s.reads, key=lambda x: x[0])):
            a = pysam.AlignedSegment(out.header)
            a.query_name, a.reference_id, a.reference_start, a.mapping_quality = f"r{k}", 0, start, mapq
            a.cigartuples, a.query_sequence = cigar, seq
            a.set_tag("RG", "NO_PL.1")
            out.write(a)
    pysam.index(str(path))
    auto = _one(read_vntr_reads([path]))
    assert not auto.measured and "longest read at the locus 544 bp (< 1000)" in auto.read_types[0]
    forced = _one(read_vntr_reads([path], options=ReadsOptions(read_type="long")))
    assert forced.label == "IL1RN*1/*2" and "--read-type long" in forced.read_types[0]


# --- the pure read logic on hand-made alignments ------------------------------------------------------

def _read(cigar, seq, start=None, **kw) -> AlignedRead:
    return AlignedRead("r", "S", LOCUS.fetch.start if start is None else start, tuple(cigar), seq,
                       bytes([30] * len(seq)), kw.get("mapq", 60), kw.get("flag", 0))


def _haplotype(copies: int) -> str:
    s = D38.sequence
    return s.left_flank + s.motif * copies + s.right_flank


def test_allele_length_is_read_between_the_flank_anchors_whatever_the_cigar_inside():
    seq = _haplotype(2)  # *2: 172 bp between the flanks
    variants = [
        [(0, 100), (2, 172), (0, 272)],           # deletion right after the left flank
        [(0, 272), (2, 172), (0, 100)],           # deletion right before the right flank
        [(0, 150), (1, 10), (2, 182), (0, 212)],  # an aligner's ragged guess: insertion and a longer deletion
    ]
    for cigar in variants:
        obs = observe_read(_read(cigar, seq), LOCUS)
        assert obs.status == "spanning" and obs.allele_length == 172 and obs.motif_copies == 2, cigar


def test_a_deleted_anchor_base_is_replaced_by_the_nearest_aligned_base():
    s = D38.sequence
    seq = s.left_flank[:-1] + s.motif * 4 + s.right_flank  # the last left-flank base deleted in the read
    obs = observe_read(_read([(0, 99), (2, 1), (0, 444)], seq), LOCUS)
    assert obs.status == "spanning" and obs.allele_length == 344


def test_soft_clips_are_not_anchors():
    seq = _haplotype(4)
    obs = observe_read(_read([(4, 100), (0, 444)], seq, start=D38.interval.start), LOCUS)
    assert obs.status == "not_spanning" and "left flank" in obs.reason


def _hap_read(copies: int) -> AlignedRead:
    """A read of a haplotype of ``copies`` motifs (no flank SNVs), aligned with one indel at the repeat's end."""
    if copies == 4:
        return _read([(0, 544)], _haplotype(4))
    if copies < 4:
        return _read([(0, 100 + copies * 86), (2, (4 - copies) * 86), (0, 100)], _haplotype(copies))
    return _read([(0, 444), (1, (copies - 4) * 86), (0, 100)], _haplotype(copies))


def _tally(*groups: tuple[int, int]) -> SampleReads:
    tally = SampleReads("S", read_types={"f": "long (test)"})
    for copies, n in groups:
        for _ in range(n):
            tally.add(observe_read(_hap_read(copies), LOCUS), LOCUS, True, ReadsOptions())
    return tally


def test_clusters_more_than_two_length_groups_into_two_alleles_and_outliers():
    call = call_reads(_tally((4, 12), (2, 10), (5, 1)), LOCUS)
    assert call.label == "IL1RN*1/*2" and call.outlier_reads == 1 and call.confidence == "high"
    assert any("outside the allele clusters" in n and "430" in n for n in call.notes)
    third = call_reads(_tally((4, 12), (2, 10), (5, 5)), LOCUS)  # a real third cluster: mosaic, contaminated?
    assert third.confidence == "low" and "a third length cluster holds 5 read(s)" in third.confidence_basis


def test_homozygous_confidence_states_the_chance_of_a_missed_allele():
    call = call_reads(_tally((4, 7)), LOCUS)
    assert call.label == "IL1RN*1/*1" and call.confidence == "medium"  # 7 reads: >= 6, < 10
    assert "2 x 0.5^7 = 0.016" in call.confidence_basis


def test_a_star2_length_allele_without_the_tag_snvs_is_flagged():
    call = call_reads(_tally((2, 6), (4, 6)), LOCUS)
    assert call.label == "IL1RN*1/*2"
    assert any("*2: star2_flank_snv_a ALT in 0/6" in n and "tag table does not describe" in n for n in call.notes)


def test_motif_count_allows_a_few_mismatches_in_phase():
    m = D38.sequence.motif

    def substitute(seq: str, positions) -> str:
        out = list(seq)
        for i in positions:
            out[i] = "A" if out[i] != "A" else "C"
        return "".join(out)

    eight = substitute(m, range(0, 80, 10))  # 8 mismatches: still a copy
    nine = substitute(m, range(0, 81, 10))  # 9: not
    assert count_motif_copies(m * 3, m) == 3 and count_motif_copies(m + eight + m, m) == 3
    assert count_motif_copies(m + nine + m, m) == 2
    assert count_motif_copies(m[:43] + m * 2, m) == 2


# --- reads beside a VCF -------------------------------------------------------------------------------------

def _vcf(tmp_path, samples, gts, pos=113_129_630, ref="T", alt="C", id_="rs419598") -> Path:
    path = tmp_path / "in.vcf"
    path.write_text(header(samples=samples) + record("chr2", pos, ref, alt, id_=id_, gts=gts))
    return path


def test_annotate_with_reads_fills_the_per_sample_outputs_and_the_cohort_tables(reads, tmp_path, caplog):
    import json

    import pysam

    vcf = _vcf(tmp_path, ("LR_1_2", "SR_HET", "VCF_ONLY"), ("0/1", "0/0", "0/1"))
    out = tmp_path / "out.vcf"
    summary = api.annotate_vcf(vcf, str(out), reads=(str(reads["lr_1_2"]), str(reads["sr_het"]), str(reads["lr_2_2"])),
                               json_dir=str(tmp_path / "json"), samples_tsv=str(tmp_path / "s.tsv"),
                               vntr_tables=str(tmp_path / "cohort"), html=str(tmp_path / "r.html"))
    assert "LR_2_2" in caplog.text and "not in the VCF" in caplog.text
    with pysam.VariantFile(str(out)) as vf:
        rec = next(iter(vf))
        got = {s: (rec.samples[s]["IL1RN_VNTR"], rec.samples[s]["IL1RN_VNTR_METHOD"], rec.samples[s]["IL1RN_VNTR_STAR2"])
               for s in rec.samples}
    assert got == {"LR_1_2": ("IL1RN*1/*2", "long_reads", "1"),
                   "SR_HET": ("IL1RN*1/*2|IL1RN*2/*3|IL1RN*2/*4|IL1RN*2/*5", "inferred", "1"),
                   "VCF_ONLY": (".", "unknown", "0-2")}
    with open(tmp_path / "s.tsv") as fh:
        table = {r["sample"]: r for r in csv.DictReader(fh, delimiter="\t")}
    assert table["LR_1_2"]["vntr.star2_dosage"] == "1" and table["VCF_ONLY"]["vntr.star2_dosage"] == "NA"
    # the read columns of the per-sample table (filled only from reads; tests/test_samples_table.py counts on this)
    lr_row = table["LR_1_2"]
    assert (lr_row["vntr.reads.diplotype"], lr_row["vntr.reads.confidence"]) == ("IL1RN*1/*2", "high")
    assert int(lr_row["vntr.reads.spanning_reads"]) > 0
    assert lr_row["vntr.reads.flank_snvs"].startswith("star2_flank_snv_a|")
    assert table["VCF_ONLY"]["vntr.reads.diplotype"] == ""
    lr = json.loads((tmp_path / "json" / "LR_1_2.json").read_text())["analyses"]["vntr"]["vntr"]
    assert lr["reads"]["alleles"][0]["support"] == 15 and lr["derived_from"].startswith("measured here")
    with open(tmp_path / "cohort.vntr_dosage.tsv") as fh:
        dosage = list(csv.DictReader(fh, delimiter="\t"))
    assert [(r["sample"], r["star2_dosage"], r["method"]) for r in dosage] == \
        [("LR_1_2", "1", "long_reads"), ("SR_HET", "1", "inferred"), ("VCF_ONLY", "NA", "unknown")]
    assert "no European or South Asian" in dosage[1]["note"] and "star2_flank_snv_a" in dosage[2]["note"]
    vntr = next(r for r in summary.analyses if r.name == "vntr")
    assert vntr.cohort["reads"]["length_histogram"] == {"172": 15, "344": 15}
    html = (tmp_path / "r.html").read_text()
    assert 'id="vntr"' in html and "allele lengths of spanning long reads" in html and "Wilson" in html


def test_a_measurement_from_reads_and_one_from_the_vcf_are_weighed_by_confidence(reads, tmp_path):
    vcf = tmp_path / "vntr.vcf"
    text = (FIXTURES / "vntr" / "het_del172.GRCh38.vcf").read_text().replace("HET_DEL172", "LR_1_1")
    vcf.write_text(text)
    ctx = api.vntr_context(str(vcf), reads=[reads["lr_1_1"]])  # VCF: *1/*2 (medium); reads: *1/*1 (high)
    r = ctx.per_sample["LR_1_1"]
    assert r.method == "long_reads" and r.diplotype == "IL1RN*1/*1"
    assert any("the VCF's VNTR record(s) give IL1RN*1/*2 (medium): they disagree" in n for n in r.notes)
    low = api.vntr_context(str(vcf), reads=[reads["lr_low_coverage"]])  # low-confidence reads: the VCF's call
    assert low.per_sample["LR_1_1"].method == "direct" and low.per_sample["LR_1_1"].diplotype == "IL1RN*1/*2"
    assert low.per_sample["LR_LOW_COVERAGE"].method == "long_reads"  # a reads sample not in the VCF: its own row


def test_vcf_tags_answer_first_and_reads_tags_that_disagree_are_named(reads, tmp_path):
    vcf = _vcf(tmp_path, ("SR_REF",), ("0/1",), pos=113_130_888, ref="A", alt="G", id_=".")
    vcf.write_text(vcf.read_text() + record("chr2", 113_130_893, "C", "G", gts=("0/1",)))
    r = api.vntr_context(str(vcf), reads=[reads["sr_ref"]]).per_sample["SR_REF"]
    assert r.method == "inferred" and r.tag_source == "vcf" and r.star2_dosage == "1"
    assert any("genotyped from the reads say no evidence of the *2 tag haplotype" in n for n in r.notes)
    names = [m.rsid for m in r.markers]
    assert len(names) == len(set(names)) and "star2_flank_snv_a" in names  # one entry per marker: the VCF's


# --- the CLI ---------------------------------------------------------------------------------------------

def test_cli_vntr_reads_without_a_vcf_and_cohort_tables_with_populations(reads, tmp_path, capsys):
    from il1rn_annot.cli import main

    assert main(["vntr", "--reads", str(reads["lr_1_2"]), str(reads["sr_het"])]) == 0
    out = capsys.readouterr().out
    assert "LR_1_2: IL1RN*1/*2 [long_reads, high; *2 copies 1]" in out
    assert "SR_HET: one *2 copy likely (tag SNVs) [inferred, moderate; *2 copies 1]" in out
    pops = tmp_path / "pops.tsv"
    pops.write_text("sample\tpop\tsuper_pop\nLR_1_2\tXA\tX\nSR_HET\tXB\tX\nLR_2_2\tXA\tX\n")
    prefix = tmp_path / "c"
    assert main(["cohort", "-o", str(prefix), "--populations", str(pops), "--population-column", "pop", "--reads",
                 str(reads["lr_1_2"]), str(reads["sr_het"]), str(reads["lr_2_2"]), str(reads["lr_1_1"])]) == 0
    with open(f"{prefix}.vntr_dosage.tsv") as fh:
        dosage = {r["sample"]: r for r in csv.DictReader(fh, delimiter="\t")}
    assert dosage["LR_1_1"]["population"] == "unassigned" and dosage["LR_2_2"]["star2_dosage"] == "2"
    with open(f"{prefix}.vntr_frequencies.tsv") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t")]
    xa = next(r for r in rows if r["population"] == "XA" and r["allele"] == "*2" and r["basis"] == "measured + tag SNVs")
    assert (xa["allele_count"], xa["allele_number"], xa["genotypes_0_1_2"]) == ("3", "4", "0/1/1")
    assert xa["af_ci95_low"] and xa["hwe_exact_p"] == "1"
    every = next(r for r in rows if r["population"] == "all" and r["basis"] == "measured + tag SNVs")
    assert every["n_called"] == "4" and every["methods"] == "inferred 1; long_reads 3"
    assert any(r["basis"] == "published" and r["population"] == "spanish_healthy_controls" for r in rows)
    assert main(["vntr", "--reads", str(reads["lr_1_2_cram"])]) == 1
    assert "--reads-reference" in capsys.readouterr().err


def test_cli_region_prints_the_trgt_repeat_definition(capsys):
    from il1rn_annot.cli import main

    assert main(["region", "--trgt"]) == 0
    chrom, start, end, info = capsys.readouterr().out.strip().split("\t")
    assert (chrom, int(start), int(end)) == ("chr2", D38.interval.start, D38.interval.end)
    fields = dict(x.split("=", 1) for x in info.split(";"))
    assert fields["ID"] == "IL1RN_VNTR_rs2234663" and fields["MOTIFS"] == D38.sequence.motif
    assert fields["STRUC"] == f"({D38.sequence.motif})n"
    assert main(["region", "--trgt", "--build", "GRCh37", "--style", "plain"]) == 0
    assert capsys.readouterr().out.startswith(f"2\t{D38.interval.start + 757_577}\t")
