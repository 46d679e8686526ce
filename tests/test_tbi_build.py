"""The .tbi built while writing (io/tbi_build.py) must be the bytes ``pysam.tabix_index(preset="vcf")`` writes
for the same file, and answer the same queries.  Synthetic records only: REF is ``N``."""

from __future__ import annotations

import gzip
import random
import shutil
from pathlib import Path

import pysam
import pytest
from pysam.libcbgzf import BGZFile

from il1rn_annot import annotate_vcf
from il1rn_annot.io.bgzf_write import BgzfWriter
from il1rn_annot.io.tbi_build import TbiBuilder, TbiUnbuildable, line_span, span_from_cols, vcf_span
from il1rn_annot.io.vcf_out import VcfWriter
from conftest import FIXTURES, KG38, SLICE37, need_shared

BLOCK = 0xFF00  # BGZF_BLOCK_SIZE: bytes of text per block
HEADER = "".join([
    "##fileformat=VCFv4.2\n",
    '##INFO=<ID=END,Number=1,Type=Integer,Description="End position">\n',
    '##INFO=<ID=SVLEN,Number=A,Type=Integer,Description="SV length">\n',
    '##INFO=<ID=X,Number=1,Type=String,Description="Padding">\n',
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n',
    '##FORMAT=<ID=LEN,Number=1,Type=Integer,Description="Block length">\n',
    "##contig=<ID=chr1,length=248956422>\n",
    "##contig=<ID=chr2,length=242193529>\n",
    "##contig=<ID=chrEmpty,length=1000000>\n",  # declared, no record
    "##contig=<ID=chr3,length=198295559>\n",
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\n",
]).encode()


def rec(contig: str, pos: int, ref: str = "N", alt: str = "A", info: str = ".", fmt: str = "GT",
        s1: str = "0/1", s2: str = "0/0") -> bytes:
    return f"{contig}\t{pos}\t.\t{ref}\t{alt}\t.\tPASS\t{info}\t{fmt}\t{s1}\t{s2}\n".encode()


def write_indexed(path: Path, lines: list[bytes], header: bytes = HEADER,
                  htslib: bool = False) -> tuple[TbiBuilder, list[int]]:
    """Write a bgzipped VCF line by line as the writer does (io/bgzf_write.py, threaded; ``htslib``: htslib's
    writer, whose ``tell()`` gives virtual offsets at once); returns the builder and the virtual offsets after
    each line (the index is written to ``path + .tbi``)."""
    builder = TbiBuilder()
    out = BGZFile(str(path), "wb1") if htslib else BgzfWriter(str(path), 1, threads=2)
    out.write(header)
    ends = []
    for line in lines:
        start = out.tell()
        out.write(line)
        ends.append(out.tell())
        builder.add(*line_span(line), start, ends[-1])
    if htslib:
        out.flush()  # the last block: the end of the data as htslib's reader sees it
        builder.write(str(path) + ".tbi", out.tell())
        out.close()
        return builder, ends
    out.close()
    builder.write(str(path) + ".tbi", out.end_voffset, out.voffset)
    return builder, [out.voffset(u) for u in ends]


def tabix_reference(path: Path) -> Path:
    """The same file indexed by htslib (on a copy)."""
    ref = path.with_name("ref_" + path.name)
    shutil.copy(path, ref)
    pysam.tabix_index(str(ref), preset="vcf", force=True, keep_original=True)
    return ref


def assert_same_index(tmp_path: Path, lines: list[bytes], header: bytes = HEADER) -> tuple[Path, Path]:
    path = tmp_path / "out.vcf.gz"
    write_indexed(path, lines, header)
    ref = tabix_reference(path)
    mine, theirs = (Path(str(p) + ".tbi").read_bytes() for p in (path, ref))
    assert gzip.decompress(mine) == gzip.decompress(theirs)
    assert mine == theirs  # compressed too: the same htslib BGZF writer at the same level
    return path, ref


def test_small_records_on_several_contigs(tmp_path):
    rng = random.Random(7)
    lines, pos = [], 0
    for contig in ("chr1", "chr2", "chr3"):
        pos = 0
        for _ in range(1500):  # a few thousand records, several per 16 kb tile, bins at level 5
            pos += rng.randint(1, 4000)
            lines.append(rec(contig, pos))
    lines[0] = rec("chr1", 1)  # the first record at POS 1
    assert_same_index(tmp_path, lines)


def test_wide_lines_fill_many_blocks(tmp_path):
    """~3 kb lines: every block holds ~20 records, chunks span blocks, bins get merged or kept."""
    rng = random.Random(3)
    lines, pos = [], 1
    for _ in range(600):
        lines.append(rec("chr1", pos, info="X=" + "N" * rng.randint(2500, 3500)))
        pos += rng.choice((5, 300, 9000, 40000))
    assert_same_index(tmp_path, lines)


# (ALT, INFO, FORMAT, S1, S2, REF length, span length tabix gives the record)
SPAN_CASES = [
    ("<DEL>", "SVTYPE=DEL;END={p299999}", "GT", "0/1", "0/0", 1, 300000),  # 19 tiles, a level-3 bin
    ("A", ".", "GT", "0/1", "0/0", 40000, 40000),  # a long REF across 3 tiles
    ("<DEL>", "SVLEN=-150000", "GT", "0/1", "0/0", 1, 150000),  # SVLEN of a <DEL>
    ("<DUP:TANDEM>", "END={p299};SVLEN=70000", "GT", "0/1", "0/0", 1, 70000),  # END shorter than SVLEN
    ("A", "SVLEN=90000", "GT", "0/1", "0/0", 1, 1),  # not symbolic: SVLEN counts 1
    ("<INS>", "SVLEN=90000", "GT", "0/1", "0/0", 1, 1),  # not <DEL>/<DUP>/<CNV>/<INV>: 1 too
    ("<INV>", "SVLEN=30000", "GT", "0/1", "0/0", 1, 30000),
    ("<CNV:TR>", "SVLEN=-25000", "GT", "0/1", "0/0", 1, 25000),  # a subtype
    ("<DELETION>", "SVLEN=-25000", "GT", "0/1", "0/0", 1, 1),  # not <DEL> nor <DEL:...>
    ("<DEL>,<DUP>", "SVLEN=-5000;X=a,90000", "GT", "0/1", "0/2", 1, 90000),  # htslib cuts at any ','
    ("A", "END=.", "GT", "0/1", "0/0", 1, 1),
    ("A", "X=1;END={m100}", "GT", "0/1", "0/0", 1, 1),  # END before POS: ignored
    ("A", "XEND=9;END={p49999}", "GT", "0/1", "0/0", 1, 50000),  # ;END= after an XEND=
    ("A", "END={hex}", "GT", "0/1", "0/0", 1, 0x10000),  # strtoll base 0: hexadecimal
    ("<*>", "END={p399}", "GT:LEN", "0/0:120000", "0/0:3", 1, 120000),  # gVCF: FORMAT/LEN
    ("<NON_REF>", ".", "GT:DP", "0/0:5", "0/0:6", 1, 1),  # no LEN
]


@pytest.mark.parametrize("case", range(len(SPAN_CASES)))
def test_span_rules_match_tabix(tmp_path, case):
    """Each record alone in its megabase, followed by a record starting on its last base: the tile of that
    base is first touched by the long record only if tabix gives it the same span (a shorter span would give
    the tile the next record's offset)."""
    alt, info, fmt, s1, s2, reflen, length = SPAN_CASES[case]
    pos = 1_000_001
    info = info.format(p299999=pos + 299999, p299=pos + 299, m100=pos - 100, p49999=pos + 49999,
                       hex=hex(pos - 1 + 0x10000), p399=pos + 399)
    line = rec("chr1", pos, ref="N" * reflen, alt=alt, info=info, fmt=fmt, s1=s1, s2=s2)
    assert line_span(line) == (b"chr1", pos - 1, pos - 1 + length)
    lines = [rec("chr1", 1), *(rec("chr1", 1000 * k) for k in range(1, 50)), line,
             rec("chr1", pos - 1 + length), rec("chr1", pos + 1_000_000)]
    assert_same_index(tmp_path, lines)


def test_long_spans_at_every_bin_level(tmp_path):
    lines = [
        rec("chr1", 1),
        rec("chr1", 100, alt="<DEL>", info="SVTYPE=DEL;END=300000"),
        rec("chr1", 150, ref="N" * 40000),
        rec("chr1", 200, alt="<DEL>", info="SVLEN=-2000000"),  # a level-1 bin
    ] + [rec("chr1", 1000 + 37 * i) for i in range(3000)] + [
        rec("chr2", 5, alt="<DEL>", info=f"END={(1 << 29) - 10}"),  # bin 0
        rec("chr2", 16384), rec("chr2", 16385), rec("chr2", 1 << 28),
        rec("chr3", 1 << 20, alt="<CNV>", info="SVLEN=-1"),
    ]
    assert_same_index(tmp_path, lines)


def test_lines_ending_exactly_at_block_ends(tmp_path):
    """A line ending where a block is full: tell() points at the next block (offset 0) as htslib's reader."""
    first = rec("chr1", 1)
    pad = BLOCK - len(HEADER) - len(first)  # header + first + second fill block 0 exactly
    second = rec("chr1", 2, info="X=" + "N" * (pad - len(rec("chr1", 2, info="X="))))
    full = [rec("chr1", 20000 * k, info="X=" + "N" * (BLOCK - len(rec("chr1", 20000 * k, info="X="))))
            for k in range(1, 5)]  # one block each
    lines = [first, second, *full, rec("chr1", 200000), rec("chr2", 1)]
    assert len(second) == pad and all(len(x) == BLOCK for x in full)
    assert_same_index(tmp_path, lines)
    _, ends = write_indexed(tmp_path / "again.vcf.gz", lines)
    assert [e & 0xFFFF for e in ends[1:6]] == [0] * 5 and ends[1] >> 16 > 0


def test_header_only_and_single_record(tmp_path):
    assert_same_index(tmp_path, [])
    assert_same_index(tmp_path, [rec("chr2", 113131068)])


def test_queries_give_the_same_lines(tmp_path):
    """The proof for users: htslib fetches the same records with either index."""
    rng = random.Random(11)
    lines = []
    for contig in ("chr1", "chr2"):
        pos = 1
        for _ in range(2000):
            pos += rng.choice((1, 50, 700, 16000))
            if rng.random() < 0.02:
                lines.append(rec(contig, pos, alt="<DEL>", info=f"END={pos + rng.randint(1000, 200000)}"))
            else:
                lines.append(rec(contig, pos, info="X=" + "N" * rng.randint(0, 2000)))
    path, ref = assert_same_index(tmp_path, lines)
    mine = pysam.TabixFile(str(path), index=str(path) + ".tbi")
    theirs = pysam.TabixFile(str(ref))
    assert mine.contigs == theirs.contigs == ["chr1", "chr2"]
    span = max(int(x.split(b"\t")[1]) for x in lines) + 300000
    for _ in range(300):
        contig = rng.choice(("chr1", "chr2"))
        start = rng.randrange(0, span)
        end = start + rng.choice((1, 100, 20000, 500000))
        got = list(mine.fetch(contig, start, end))
        assert got == list(theirs.fetch(contig, start, end))
    assert len(list(mine.fetch("chr1"))) == sum(x.startswith(b"chr1\t") for x in lines)
    mine.close()
    theirs.close()


def test_spans_follow_the_vcf_preset():
    assert vcf_span(1, "N") == (0, 1)
    assert vcf_span(100, "NNN") == (99, 102)
    assert vcf_span(100, "N", info_end=50) == (99, 100)  # END before POS is ignored
    assert vcf_span(100, "NNNNN", info_end=101) == (99, 104)  # END never shortens REF
    assert vcf_span(100, "N", info_end=500, svlen=1000) == (99, 1099)
    assert span_from_cols(rec("chr1", 10, alt="<DEL>", info="SVLEN=-20").rstrip(b"\n").split(b"\t", 9)) == (b"chr1", 9, 29)
    assert line_span(rec("chr1", 10, alt="<*>", fmt="GT:LEN", s1="0/0:7", s2="0/0:3")) == (b"chr1", 9, 16)
    assert line_span(b"chr1\t10\t.\tN\tA\t.\tPASS\tEND=40\r\n") == (b"chr1", 9, 40)  # sites only, CRLF


def test_unsorted_input_is_refused_like_tabix(tmp_path):
    for lines in ([rec("chr1", 500), rec("chr1", 100)],
                  [rec("chr1", 1), rec("chr2", 1), rec("chr1", 5)]):  # a contig in two blocks
        path = tmp_path / "bad.vcf.gz"
        with BGZFile(str(path), "wb1") as out:
            out.write(HEADER + b"".join(lines))
        builder = TbiBuilder()
        with pytest.raises(TbiUnbuildable):
            for k, line in enumerate(lines):
                builder.add(*line_span(line), k, k + 1)
        with pytest.raises(OSError, match="building of index"):
            tabix_reference(path)


@pytest.mark.parametrize("src, kw", [
    (FIXTURES / "dira" / "scenarios_GRCh38.vcf", {}),
    (SLICE37, {"keep_all": True}),  # every record written, annotated or not
    (KG38, {}),  # 2504 samples: ~25 kb records
], ids=["fixture", "keep_all", "1kg"])
def test_the_writer_indexes_its_output_like_tabix(src, kw, tmp_path, monkeypatch):
    """-O z: the index VcfWriter wrote at close() is tabix's index of the final output."""
    if src != FIXTURES / "dira" / "scenarios_GRCh38.vcf":
        need_shared(src)
    written = []
    close = VcfWriter.close

    def close_and_keep(self):
        close(self)
        written.append(Path(self.index_path).read_bytes() if self.index_path else None)

    monkeypatch.setattr(VcfWriter, "close", close_and_keep)
    out = tmp_path / "out.vcf.gz"
    annotate_vcf(str(src), str(out), table="", genotypes="", **kw)
    assert written and written[0] is not None
    ref = tabix_reference(out)
    assert written[0] == Path(str(ref) + ".tbi").read_bytes()
    assert Path(str(out) + ".tbi").read_bytes() == written[0]  # whichever index the run kept


def test_the_pysam_path_leaves_the_index_to_tabix(tmp_path, monkeypatch):
    monkeypatch.setattr(VcfWriter, "TEXT_PATH", False)
    seen = []
    close = VcfWriter.close
    monkeypatch.setattr(VcfWriter, "close", lambda self: (close(self), seen.append(self.index_path)))
    out = tmp_path / "out.vcf.gz"
    annotate_vcf(str(FIXTURES / "dira" / "scenarios_GRCh38.vcf"), str(out), table="", genotypes="")
    assert seen == [None] and Path(str(out) + ".tbi").exists()


def _wide_cohort(path: Path, n_samples: int = 12_000) -> None:
    """The scenario records (known reference bases) with 12,000 samples: ~50 kb-100 kb lines, so that a
    record's sample columns fill whole BGZF blocks."""
    text = (FIXTURES / "dira" / "scenarios_GRCh38.vcf").read_text().splitlines()
    head = [x for x in text if x.startswith("##")]
    rows = [x.split("\t")[:9] for x in text if not x.startswith("#")]
    rng = random.Random(11)
    lines = ["\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"]
                       + [f"S{i}" for i in range(n_samples)])]
    for r in rows:  # every sample carries every FORMAT field (else htslib parses the line: not this path)
        calls = rng.choices(["0/0:.:99", "0/0:.:45", "0/1:.:50", "./.:.:.", "0|1:77:30", "1/1:.:8"],
                            weights=[80, 10, 4, 3, 2, 1], k=n_samples)
        lines.append("\t".join(r[:8] + ["GT:PS:GQ"] + calls))
    path.write_bytes(b"".join(x.encode() + b"\n" for x in head + lines))
    import pysam as _pysam
    _pysam.tabix_compress(str(path), str(path) + ".gz", force=True)


@pytest.mark.parametrize("in_flight", [4, 1, 0], ids=["default", "caller-helps", "caller-compresses-all"])
def test_sample_columns_compressed_ahead_give_the_same_records_and_tabix_index(tmp_path, monkeypatch, in_flight):
    """--sample-format none, -O z: the FORMAT and sample columns are compressed while the input is read
    (VcfWriter.precompress) and placed as their own blocks at the end.  The records must be those written
    without it, byte for byte, and the index the writer built must be tabix's index of that file.  With the
    workers behind (_MAX_PENDING batches in flight) the caller compresses the next batches itself."""
    import il1rn_annot.io.bgzf_write as bw

    monkeypatch.setattr(bw, "_MAX_PENDING", in_flight)
    monkeypatch.setattr(bw, "_BATCH", 1)  # a batch per block: a record's columns are several batches
    _wide_cohort(tmp_path / "c.vcf")
    src = str(tmp_path / "c.vcf.gz")
    calls = []
    precompress = VcfWriter.precompress
    monkeypatch.setattr(VcfWriter, "precompress", lambda self, k, line: (calls.append(k), precompress(self, k, line)))
    out = tmp_path / "a.vcf.gz"
    annotate_vcf(src, str(out), table="", genotypes="", sample_format="none")
    assert len(calls) >= 15
    monkeypatch.setattr(VcfWriter, "precompress", lambda self, k, line: None)
    plain = tmp_path / "b.vcf.gz"
    annotate_vcf(src, str(plain), table="", genotypes="", sample_format="none")
    assert gzip.decompress(out.read_bytes()) == gzip.decompress(plain.read_bytes())
    assert out.read_bytes() != plain.read_bytes()  # really other block boundaries
    ref = tabix_reference(out)
    assert Path(str(out) + ".tbi").read_bytes() == Path(str(ref) + ".tbi").read_bytes()
    with pysam.TabixFile(str(out)) as tf, pysam.TabixFile(str(plain)) as tp:
        for beg, end in [(113_127_000, 113_127_700), (113_129_600, 113_129_620), (113_131_000, 113_131_200)]:
            got = list(tf.fetch("chr2", beg, end))
            assert got and got == list(tp.fetch("chr2", beg, end))
