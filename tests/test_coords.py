"""Coordinate scales: genomic <-> n./c., intronic offsets, UTR numbering, both strands."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from il1rn_annot.coords import CPos, TranscriptMapper, closed_to_interval, parse_cpos, parse_region, region_string
from il1rn_annot.model.gene_model import load_gene_model
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


def _oracle_tx(tx: Transcript, g: int) -> tuple[int, int]:
    """(n, offset) of genomic ``g`` by the definition, base by base: exonic bases numbered 1.. in transcript
    direction; outside, the nearer exon base (the upstream one on a tie) and the signed distance to it."""
    step = 1 if tx.strand is Strand.PLUS else -1
    exons = tx.exons if step == 1 else tx.exons[::-1]
    bases = [b for ex in exons for b in (range(ex.start, ex.end) if step == 1 else range(ex.end - 1, ex.start - 1, -1))]
    n_of = {b: i + 1 for i, b in enumerate(bases)}
    if g in n_of:
        return n_of[g], 0
    d_first = (bases[0] - g) * step  # > 0: upstream of the first base
    if d_first > 0:
        return 1 - d_first, 0
    d_last = (g - bases[-1]) * step
    if d_last > 0:
        return len(bases) + d_last, 0
    up = max((b for b in bases if (g - b) * step > 0), key=lambda b: -abs(g - b))
    down = max((b for b in bases if (b - g) * step > 0), key=lambda b: -abs(g - b))
    return (n_of[up], abs(g - up)) if abs(g - up) <= abs(g - down) else (n_of[down], -abs(g - down))


@pytest.mark.parametrize("build", ["GRCh38", "GRCh37"])
def test_exon_lookup_agrees_with_the_base_by_base_definition(build):
    """genomic_to_tx finds the exon by bisection: every transcript, every exon edge +-3, each intron's middle
    +-1, both transcript ends +-3 and every 97th base across the span +-6 kb agree with the definition."""
    odd = Transcript("TXo-", "TXo-", "G", "c", Strand.MINUS,  # - strand, odd introns (91 and 79 bp)
                     (closed_to_interval(101, 110), closed_to_interval(202, 220), closed_to_interval(300, 310)),
                     closed_to_interval(205, 306), "protein_coding")
    txs = list(load_gene_model(build).transcripts) + [_minus_tx(), odd]
    for tx in txs:
        m = TranscriptMapper(tx)
        probes = set(range(tx.span.start - 6000, tx.span.end + 6000, 97))
        for ex in tx.exons:
            probes.update(range(ex.start - 3, ex.start + 4))
            probes.update(range(ex.end - 4, ex.end + 3))
        for a, b in zip(tx.exons, tx.exons[1:]):
            mid = (a.end + b.start) // 2
            probes.update((mid - 1, mid, mid + 1))
        for g in sorted(probes):
            p = m.genomic_to_tx(g)
            assert (p.n, p.offset) == _oracle_tx(tx, g), (tx.transcript_id, g)
