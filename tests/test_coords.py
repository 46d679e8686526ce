"""Coordinate scales: genomic <-> n./c., intronic offsets, UTR numbering, both strands."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from il1rn_annot.coords import CPos, TranscriptMapper, closed_to_interval, parse_cpos, parse_region, region_string
from il1rn_annot.model import load_gene_model
from il1rn_annot.types import Interval, Strand, Transcript

# Facts from shared/domain il1rn_mane_NM_173842.3_exon_cdna_map.tsv (GRCh38, 1-based): independent of coords.py
MANE_FACTS_GRCH38 = [
    (113127598, "c.-27"), (113127624, "c.-1"), (113127625, "c.1"), (113127740, "c.116"),
    (113127741, "c.116+1"), (113129575, "c.117-1"), (113129576, "c.117"), (113129664, "c.205"),
    (113129665, "c.205+1"), (113131044, "c.206-1"), (113131045, "c.206"), (113131157, "c.318"),
    (113131159, "c.318+2"), (113132655, "c.319-1"), (113132656, "c.319"), (113132871, "c.534"),
    (113132872, "c.*1"), (113134014, "c.*1143"),
    # issue 2: the real exome's calls
    (113129630, "c.171"), (113132727, "c.390"), (113131216, "c.318+59"),
    # ClinVar 14675 / 97905
    (113131068, "c.229"), (113129615, "c.156"), (113129616, "c.157"),
]


@pytest.mark.parametrize("build,offset", [("GRCh38", 0), ("GRCh37", 757_577)])
@pytest.mark.parametrize("pos1,expected", MANE_FACTS_GRCH38)
def test_mane_c_positions_match_the_published_map(build, offset, pos1, expected):
    mapper = TranscriptMapper(load_gene_model(build).mane)
    assert mapper.hgvs_pos(pos1 + offset - 1) == expected


def test_odd_intron_middle_base_is_numbered_from_the_upstream_exon():
    # intron 1 of MANE: 113127741-113129575 (1835 bp, odd): middle base 113128658 is c.116+918
    mapper = TranscriptMapper(load_gene_model("GRCh38").mane)
    assert mapper.hgvs_pos(113128658 - 1) == "c.116+918"
    assert mapper.hgvs_pos(113128659 - 1) == "c.117-917"


def test_noncoding_transcript_uses_n_numbering():
    model = load_gene_model("GRCh38")
    tx = next(t for t in model.transcripts if not t.is_coding)
    mapper = TranscriptMapper(tx)
    first = tx.exons[0].start
    assert mapper.hgvs_pos(first) == "n.1"
    assert mapper.hgvs_pos(first - 1) == "n.-1"


def _minus_tx() -> Transcript:
    # exons 101-110, 201-220, 301-310 (1-based) on the - strand; CDS 205..305 incl. stop (1-based)
    exons = (closed_to_interval(101, 110), closed_to_interval(201, 220), closed_to_interval(301, 310))
    return Transcript("TX-", "TX-", "G", "c", Strand.MINUS, exons, closed_to_interval(205, 306), "protein_coding")


def test_minus_strand_numbering_runs_from_high_to_low():
    m = TranscriptMapper(_minus_tx())
    # transcript starts at 310 (n.1); CDS first base is 306 -> c.1 ; 310 -> c.-4
    assert m.hgvs_pos(306 - 1) == "c.1"
    assert m.hgvs_pos(310 - 1) == "c.-4"
    assert m.hgvs_pos(301 - 1) == "c.6"
    assert m.hgvs_pos(300 - 1) == "c.6+1"       # intron base after exon 1 in transcript direction
    assert m.hgvs_pos(221 - 1) == "c.7-1"
    assert m.hgvs_pos(220 - 1) == "c.7"
    assert m.hgvs_pos(205 - 1) == "c.22"         # last CDS base (stop codon end)
    assert m.hgvs_pos(204 - 1) == "c.*1"
    assert m.hgvs_pos(101 - 1) == "c.*14"        # last transcript base: n.40, CDS ends at n.26
    assert m.hgvs_pos(100 - 1) == "c.*15"        # downstream of the transcript


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=113_090_000, max_value=113_140_000), st.sampled_from(["GRCh38", "GRCh37"]),
       st.integers(min_value=0, max_value=13))
def test_genomic_c_round_trip_on_every_transcript(pos, build, k):
    model = load_gene_model(build)
    tx = model.transcripts[k % len(model.transcripts)]
    g = pos - 1 + (757_577 if build == "GRCh37" else 0)
    m = TranscriptMapper(tx)
    c = m.genomic_to_c(g)
    assert m.c_to_genomic(c) == g
    assert parse_cpos(str(c)) == c


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=300), st.integers(min_value=0, max_value=1))
def test_minus_strand_round_trip(pos, _):
    m = TranscriptMapper(_minus_tx())
    assert m.c_to_genomic(m.genomic_to_c(pos)) == pos


def test_region_strings_are_one_based_inclusive():
    iv = closed_to_interval(113099315, 113134016)
    assert iv == Interval(113099314, 113134016) and len(iv) == 34702
    assert region_string("chr2", iv) == "chr2:113099315-113134016"
    assert parse_region("chr2:113,099,315-113,134,016") == ("chr2", iv)
    assert str(CPos(318, "", 2)) == "318+2" and str(CPos(27, "-")) == "-27" and str(CPos(75, "*")) == "*75"
