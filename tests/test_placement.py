"""Placement of variants on IL1RN transcripts, read end-to-end from VCFs made here.

REF bases are ``N`` (unknown) except where a real record or published HGVS names the base.  Expected
values come from the MANE exon map in shared/domain, written out by hand below, not from the code.
"""

from __future__ import annotations

import pytest

from il1rn_annot import annotate_variants
from il1rn_annot.types import RegionClass as R

from vcf_text import GRCH37_LEN, GRCH38_LEN, OFFSET37, header, record, write

# (GRCh38 1-based position, MANE c./HGVS position, region classes on MANE, exon label, intron label)
MANE_EDGES = [
    # exon 1: 113127598-113127740 (transcript start; c.-27..c.116)
    (113127597, "c.-28", {R.UPSTREAM}, "", ""),
    (113127598, "c.-27", {R.EXON, R.FIVE_PRIME_UTR}, "1/4", ""),
    (113127599, "c.-26", {R.EXON, R.FIVE_PRIME_UTR}, "1/4", ""),
    (113127739, "c.115", {R.EXON, R.CDS, R.SPLICE_REGION}, "1/4", ""),
    (113127740, "c.116", {R.EXON, R.CDS, R.SPLICE_REGION}, "1/4", ""),
    (113127741, "c.116+1", {R.INTRON, R.SPLICE_DONOR}, "", "1/3"),
    # exon 2: 113129576-113129664 (c.117-205)
    (113129575, "c.117-1", {R.INTRON, R.SPLICE_ACCEPTOR}, "", "1/3"),
    (113129576, "c.117", {R.EXON, R.CDS, R.SPLICE_REGION}, "2/4", ""),
    (113129577, "c.118", {R.EXON, R.CDS, R.SPLICE_REGION}, "2/4", ""),
    (113129663, "c.204", {R.EXON, R.CDS, R.SPLICE_REGION}, "2/4", ""),
    (113129664, "c.205", {R.EXON, R.CDS, R.SPLICE_REGION}, "2/4", ""),
    (113129665, "c.205+1", {R.INTRON, R.SPLICE_DONOR}, "", "2/3"),
    # exon 3: 113131045-113131157 (c.206-318)
    (113131044, "c.206-1", {R.INTRON, R.SPLICE_ACCEPTOR}, "", "2/3"),
    (113131045, "c.206", {R.EXON, R.CDS, R.SPLICE_REGION}, "3/4", ""),
    (113131046, "c.207", {R.EXON, R.CDS, R.SPLICE_REGION}, "3/4", ""),
    (113131156, "c.317", {R.EXON, R.CDS, R.SPLICE_REGION}, "3/4", ""),
    (113131157, "c.318", {R.EXON, R.CDS, R.SPLICE_REGION}, "3/4", ""),
    (113131158, "c.318+1", {R.INTRON, R.SPLICE_DONOR}, "", "3/3"),
    # exon 4: 113132656-113134014 (c.319-534, then 3'UTR c.*1-*1143; transcript end)
    (113132655, "c.319-1", {R.INTRON, R.SPLICE_ACCEPTOR}, "", "3/3"),
    (113132656, "c.319", {R.EXON, R.CDS, R.SPLICE_REGION}, "4/4", ""),
    (113132657, "c.320", {R.EXON, R.CDS, R.SPLICE_REGION}, "4/4", ""),
    (113134013, "c.*1142", {R.EXON, R.THREE_PRIME_UTR}, "4/4", ""),
    (113134014, "c.*1143", {R.EXON, R.THREE_PRIME_UTR}, "4/4", ""),
    (113134015, "c.*1144", {R.DOWNSTREAM}, "", ""),
    # other location classes
    (113132871, "c.534", {R.EXON, R.CDS}, "4/4", ""),                       # last base of the stop codon
    (113132872, "c.*1", {R.EXON, R.THREE_PRIME_UTR}, "4/4", ""),
    (113127743, "c.116+3", {R.INTRON, R.SPLICE_REGION, R.SPLICE_DONOR_REGION}, "", "1/3"),
    (113129669, "c.205+5", {R.INTRON, R.SPLICE_REGION, R.SPLICE_DONOR_REGION, R.SPLICE_DONOR_5TH_BASE}, "", "2/3"),
    (113129572, "c.117-4", {R.INTRON, R.SPLICE_REGION, R.SPLICE_POLYPYRIMIDINE_TRACT}, "", "1/3"),
    (113129566, "c.117-10", {R.INTRON, R.SPLICE_POLYPYRIMIDINE_TRACT}, "", "1/3"),
    (113130600, "c.206-445", {R.INTRON, R.VNTR}, "", "2/3"),
    (113131216, "c.318+59", {R.INTRON}, "", "3/3"),
    (113122598, "c.-5027", {R.UPSTREAM}, "", ""),  # exactly 5,000 bp upstream: still upstream (VEP)
    (113122597, "c.-5028", set(), "", ""),  # 5,001 bp upstream: MANE not reported
]

STYLES = [("GRCh38", "chr2", GRCH38_LEN, 0), ("GRCh38", "NC_000002.12", GRCH38_LEN, 0),
          ("GRCh37", "2", GRCH37_LEN, OFFSET37), ("GRCh37", "chr2", GRCH37_LEN, OFFSET37)]


def _mane_rows(annotations):
    return {a.record.pos: next((t.location for t in a.transcripts if t.location.transcript.mane_select), None)
            for a in annotations}


@pytest.mark.parametrize("build,contig,length,offset", STYLES)
def test_every_mane_exon_edge_and_location_class(tmp_path, build, contig, length, offset):
    text = header(contig, length) + "".join(record(contig, p + offset, "N", "A") for p in sorted(p for p, *_ in MANE_EDGES))
    vcf = write(tmp_path / "edges.vcf", text)
    got = _mane_rows(annotate_variants(str(vcf)))
    for pos, hgvs, regions, exon, intron in MANE_EDGES:
        loc = got[pos + offset]
        if not regions:
            assert loc is None, pos
            continue
        assert loc is not None, pos
        assert loc.hgvs_position == hgvs, pos
        assert set(loc.regions) == regions, (pos, sorted(r.value for r in loc.regions))
        assert loc.exon_label == exon and loc.intron_label == intron, pos


def test_multiallelic_records_are_split_keeping_the_allele_index(tmp_path):
    # c.229 (E77X) site: REF G known (ClinVar 14675); two ALTs
    text = header("chr2", GRCH38_LEN, samples=("S1",)) + record("chr2", 113131068, "G", "T,A", gts=("1/2",))
    anns = list(annotate_variants(str(write(tmp_path / "m.vcf", text))))
    assert [(a.variant.allele_index, a.variant.alt) for a in anns] == [(1, "T"), (2, "A")]
    for a in anns:
        mane = next(t.location for t in a.transcripts if t.location.transcript.mane_select)
        assert mane.hgvs_position == "c.229"


def test_deletion_across_the_exon3_donor_touches_exon_and_intron(tmp_path):
    # deletes c.317..c.318+2 (113131156-113131159); padding base 113131155 unknown -> N
    text = header() + record("chr2", 113131155, "NNNNN", "N")
    (a,) = annotate_variants(str(write(tmp_path / "d.vcf", text)))
    mane = next(t.location for t in a.transcripts if t.location.transcript.mane_select)
    assert a.variant.start + 1 == 113131156 and a.variant.end == 113131159
    assert {R.EXON, R.CDS, R.INTRON, R.SPLICE_DONOR} <= set(mane.regions)
    assert R.SPLICE_REGION not in mane.regions  # VEP never pairs splice_region with splice_donor/acceptor
    assert mane.hgvs_position == "c.317_318+2"
    assert mane.exon_label == "3/4" and mane.intron_label == "3/3"


def test_known_frameshift_deletion_is_placed_in_exon2_whichever_way_the_vcf_writes_it(tmp_path):
    # c.156_157delCA (ClinVar 97905), left-aligned form (deletes c.155_156 AC) and right-padded form (c.156_157
    # CA): c.155 = A from the record, c.154/c.158 = A from Asn52/Asn53 (AAY) close the class without a genome,
    # so both are read at the 3'-most member, the ClinVar position
    text = header() + record("chr2", 113129613, "AAC", "A") + record("chr2", 113129614, "ACA", "A")
    anns = list(annotate_variants(str(write(tmp_path / "fs.vcf", text))))
    pos = [next(t.location for t in a.transcripts if t.location.transcript.mane_select).hgvs_position for a in anns]
    assert pos == ["c.156_157", "c.156_157"]


def test_insertion_between_exon_and_intron_reports_both(tmp_path):
    text = header() + record("chr2", 113131157, "N", "NT")  # after c.318, before c.318+1
    (a,) = annotate_variants(str(write(tmp_path / "i.vcf", text)))
    mane = next(t.location for t in a.transcripts if t.location.transcript.mane_select)
    assert mane.hgvs_position == "c.318_318+1"
    assert {R.EXON, R.INTRON} <= set(mane.regions)
    assert R.SPLICE_DONOR not in mane.regions  # GT dinucleotide itself is not changed


def test_symbolic_whole_gene_deletion_reaches_every_transcript(tmp_path):
    text = header() + record("chr2", 113090000, "N", "<DEL>", info="SVTYPE=DEL;END=113140000", gts=("1/1",))
    (a,) = annotate_variants(str(write(tmp_path / "sv.vcf", text)))
    assert len(a.transcripts) == 14
    assert all(R.TRANSCRIPT_ABLATION in t.location.regions for t in a.transcripts)


def test_spanning_deletion_allele_is_kept_with_a_reason(tmp_path):
    text = header() + record("chr2", 113131068, "G", "T,*", gts=("1/2",))
    anns = list(annotate_variants(str(write(tmp_path / "s.vcf", text))))
    star = anns[1]
    assert star.variant.kind.value == "spanning_deletion" and "spanning" in star.variant.note
