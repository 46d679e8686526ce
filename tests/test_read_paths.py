"""The three read paths (tabix index, BGZF bisection without index, whole-file stream) give identical output.

The files are made here: sorted, bgzipped with pysam (BGZF), indexed with ``tabix`` for the indexed copy.
REF bases are ``N`` away from IL1RN; inside IL1RN only bases pinned by real records are used
(shared/domain/README.md "Sequence": GRCh38 chr2:113,129,615-6 = CA, 113,129,630 = T, 113,131,068 = G,
113,131,216 = A, 113,132,727 = T).
"""

from __future__ import annotations

import logging
import shutil
import subprocess

import pysam
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import need_tool
from il1rn_annot.api import annotate_vcf
from il1rn_annot.io import bgzf_bisect
from il1rn_annot.model import load_gene_model

SAMPLES = ["S1", "S2", "S3"]
CONTIGS = [("chr1", 2_000_000), ("chr2", 242_193_529), ("chr3", 2_000_000)]
WINDOW = load_gene_model("GRCh38").window()  # 0-based half-open

# (pos, ref, alt, info, genotypes) inside IL1RN, pinned REF bases only
IL1RN_RECORDS = [
    (113129615, "CA", "C", ".", ["0/1", "0/0", "./."]),
    (113129630, "T", "C", ".", ["1/1", "0|1", "0/0"]),
    (113131068, "G", "A,T", ".", ["1/2", "0/2", "1/1"]),
    (113131216, "A", "T", ".", ["0/1", "1", "0/0"]),
    (113132727, "T", "C", ".", ["0/0", "0/1", "1|1"]),
]


def header(contigs=CONTIGS) -> str:
    lines = ["##fileformat=VCFv4.2",
             '##INFO=<ID=END,Number=1,Type=Integer,Description="End position">',
             '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="SV type">',
             '##ALT=<ID=DEL,Description="Deletion">',
             '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
             '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">',
             '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">']
    lines += [f"##contig=<ID={c},length={n},assembly=GRCh38>" for c, n in contigs]
    lines.append("\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"] + SAMPLES))
    return "\n".join(lines) + "\n"


def line(contig, pos, ref, alt, info=".", gts=("0/1", "0/0", "0/0")) -> str:
    calls = [f"{g}:{30 + i}:{10 + i}" for i, g in enumerate(gts)]
    return "\t".join([contig, str(pos), ".", ref, alt, "50", "PASS", info, "GT:GQ:DP", *calls])


def records() -> list[tuple[str, int, str]]:
    """(contig, pos, line): thousands of filler records so the file has many BGZF blocks, plus the IL1RN ones
    and a symbolic deletion that starts 5 kb before the window and ends inside it."""
    out = []
    for p in range(1000, 1_800_000, 15):
        out.append(("chr1", p, line("chr1", p, "N", "A")))
    for p in range(WINDOW.start - 600_000, WINDOW.start - 6000, 97):
        out.append(("chr2", p, line("chr2", p, "N", "T")))
    sv = WINDOW.start - 5000
    out.append(("chr2", sv, line("chr2", sv, "N", "<DEL>", f"SVTYPE=DEL;END={WINDOW.start + 200}")))
    for pos, ref, alt, info, gts in IL1RN_RECORDS:
        out.append(("chr2", pos, line("chr2", pos, ref, alt, info, gts)))
    for p in range(WINDOW.end + 1000, WINDOW.end + 400_000, 97):
        out.append(("chr2", p, line("chr2", p, "N", "G")))
    for p in range(500, 1_000_000, 113):
        out.append(("chr3", p, line("chr3", p, "N", "C")))
    return out


def write_bgzf(path, text: str) -> None:
    plain = str(path) + ".txt"
    with open(plain, "w") as fh:
        fh.write(text)
    pysam.tabix_compress(plain, str(path), force=True)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    need_tool("tabix")
    d = tmp_path_factory.mktemp("read_paths")
    text = header() + "\n".join(r[2] for r in sorted(records(), key=lambda r: (r[0], r[1]))) + "\n"
    plain = d / "plain.vcf"
    plain.write_text(text)
    indexed = d / "indexed.vcf.gz"
    write_bgzf(indexed, text)
    subprocess.run(["tabix", "-p", "vcf", str(indexed)], check=True)
    noindex = d / "noindex.vcf.gz"
    shutil.copyfile(indexed, noindex)
    return {"plain": plain, "indexed": indexed, "noindex": noindex, "dir": d}


class _Catch(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.caught: list[str] = []

    def emit(self, record):
        self.caught.append(record.getMessage())


def run(path, out_dir, name):
    out = out_dir / f"{name}.vcf"
    catch = _Catch()
    logger = logging.getLogger("il1rn_annot")
    logger.addHandler(catch)
    try:
        summary = annotate_vcf(str(path), str(out))
    finally:
        logger.removeHandler(catch)
    body = [ln for ln in out.read_text().splitlines() if not ln.startswith("##il1rn_annot_command")]
    tables = (out_dir / f"{name}.tsv").read_text(), (out_dir / f"{name}.genotypes.tsv").read_text()
    return summary, body, tables, [m for m in catch.caught if "reading the whole file" in m]


def test_the_file_really_has_many_blocks(files):
    r = bgzf_bisect.BgzfReader(str(files["noindex"]))
    try:
        n, b = 0, r.block_at(0)
        while b is not None and b.end < r.size:
            n += 1
            b = r.block_at(b.end)
    finally:
        r.close()
    assert n > 120  # bisection has something to bisect


def test_indexed_bisect_and_stream_agree(files, tmp_path):
    s_idx, vcf_idx, tab_idx, w_idx = run(files["indexed"], tmp_path, "idx")
    s_bis, vcf_bis, tab_bis, w_bis = run(files["noindex"], tmp_path, "bis")
    s_str, vcf_str, tab_str, w_str = run(files["plain"], tmp_path, "str")
    assert (s_idx.mode, s_bis.mode, s_str.mode) == ("indexed", "bisect", "stream")
    assert not w_idx and not w_bis and not w_str  # a small plain file is streamed without a warning
    # 5 IL1RN records + the deletion reaching into the window
    assert s_idx.records_in_window == s_bis.records_in_window == s_str.records_in_window == len(IL1RN_RECORDS) + 1
    assert vcf_idx == vcf_bis == vcf_str
    assert tab_idx == tab_bis == tab_str
    assert any("<DEL>" in ln for ln in vcf_bis)
    # bisection read a few hundred records at most, not the ~40k of the file
    assert s_bis.records_read < 200 < s_str.records_read
    assert any("probes" in n for n in s_bis.read_notes)


def test_bisection_is_logarithmic(files):
    vf = pysam.VariantFile(str(files["noindex"]))
    hv = vf.tell()
    vf.close()
    res = bgzf_bisect.find_window_start(str(files["noindex"]), hv, [c for c, _ in CONTIGS], "chr2",
                                        WINDOW.start + 1, WINDOW.end, lookback=bgzf_bisect.LOOKBACK_SMALL)
    assert res.voffset is not None
    assert res.blocks_read <= 60  # of > 120 blocks: sort samples + ~2 per halving + the lookback walk
    vf = pysam.VariantFile(str(files["noindex"]))
    vf.seek(res.voffset)
    first = next(vf)
    vf.close()
    # the first record offered is the SV starting before the window (its END reaches into it)
    assert (first.chrom, first.pos, first.alts) == ("chr2", WINDOW.start - 5000, ("<DEL>",))


def test_window_absent_gives_empty_output_on_every_path(tmp_path):
    recs = [r for r in records() if not (r[0] == "chr2" and WINDOW.start - 10_000 < r[1] < WINDOW.end + 10_000)]
    text = header() + "\n".join(r[2] for r in recs) + "\n"
    gz = tmp_path / "gap.vcf.gz"
    write_bgzf(gz, text)
    s, vcf, tables, w = run(gz, tmp_path, "gap")
    assert s.mode == "bisect" and s.records_in_window == 0 and not w
    assert not [ln for ln in vcf if not ln.startswith("#")]


def test_contigs_in_another_order_than_the_header_fall_back_to_stream(tmp_path):
    # file order chr1, chr3, chr2 while the header says chr1, chr2, chr3: bisection must not trust it
    order = {"chr1": 0, "chr3": 1, "chr2": 2}
    text = header() + "\n".join(r[2] for r in sorted(records(), key=lambda r: (order[r[0]], r[1]))) + "\n"
    gz = tmp_path / "order.vcf.gz"
    write_bgzf(gz, text)
    s, vcf, tables, w = run(gz, tmp_path, "order")
    assert s.mode == "stream" and w and "not sorted" in w[0]
    assert s.records_in_window == len(IL1RN_RECORDS) + 1


def test_unsorted_positions_are_an_input_error_on_the_stream_fallback(tmp_path):
    recs = records()
    recs[10], recs[20] = recs[20], recs[10]  # chr1 positions out of order near the start
    text = header() + "\n".join(r[2] for r in recs) + "\n"
    plain = tmp_path / "unsorted.vcf"
    plain.write_text(text)
    from il1rn_annot.errors import InputError

    with pytest.raises(InputError, match="not sorted"):
        annotate_vcf(str(plain), str(tmp_path / "u.vcf"))
    assert not (tmp_path / "u.vcf").exists()


def test_plain_gzip_is_not_bisected(tmp_path):
    import gzip

    text = header() + "\n".join(r[2] for r in records()) + "\n"
    gz = tmp_path / "plain_gzip.vcf.gz"
    with gzip.open(gz, "wt") as fh:
        fh.write(text)
    assert not bgzf_bisect.is_bgzf(str(gz))
    s, vcf, tables, w = run(gz, tmp_path, "pg")
    assert s.mode == "stream"
    assert s.records_in_window == len(IL1RN_RECORDS) + 1


def test_stdin_streams(files, tmp_path, monkeypatch):
    import os

    fd = os.open(files["plain"], os.O_RDONLY)
    saved = os.dup(0)
    os.dup2(fd, 0)
    try:
        s, vcf, tables, w = run("-", tmp_path, "stdin")
    finally:
        os.dup2(saved, 0)
        os.close(fd)
        os.close(saved)
    assert s.mode == "stream"
    assert s.records_in_window == len(IL1RN_RECORDS) + 1


# --- the indexed path reads the .tbi itself (io/tabix_index.py) -------------------------------------------

def _fetch_positions(path, contig, beg, end):
    vf = pysam.VariantFile(str(path))
    try:
        return [(r.chrom, r.pos, r.alts) for r in vf.fetch(contig, beg, end)]
    finally:
        vf.close()


def _read_from_offset(indexed, contig, beg, end):
    """(records our .tbi offset leads to that overlap [beg, end) the way htslib's fetch counts overlap, BGZF
    blocks of the index read); the records are read from a copy without index, so only our offset is used."""
    from il1rn_annot.io.tabix_index import window_start_voffset

    voffset, blocks = window_start_voffset(str(indexed) + ".tbi", contig, beg)
    assert voffset is not None
    plain_copy = str(indexed) + ".noidx.vcf.gz"
    shutil.copyfile(indexed, plain_copy)
    vf = pysam.VariantFile(plain_copy)
    vf.seek(voffset)
    read = []
    for r in vf:
        if r.chrom != contig or r.pos > end:
            break
        if r.stop > beg:  # htslib's overlap rule: 0-based [beg, end) against [pos-1, stop)
            read.append((r.chrom, r.pos, r.alts))
    vf.close()
    return read, blocks


def test_tbi_start_offset_precedes_every_record_htslib_fetches(files):
    for contig, beg, end in [("chr2", WINDOW.start, WINDOW.end), ("chr1", 0, 50_000), ("chr1", 900_000, 901_000),
                             ("chr3", 999_000, 1_200_000), ("chr2", WINDOW.start - 4000, WINDOW.start - 3000)]:
        fetched = _fetch_positions(files["indexed"], contig, beg, end)
        read, blocks = _read_from_offset(files["indexed"], contig, beg, end)
        assert fetched and blocks >= 1
        assert read == fetched, (contig, beg)


@pytest.mark.parametrize("byteorder", ["little", "big"])
def test_tbi_offset_when_the_index_spans_several_bgzf_blocks(tmp_path, monkeypatch, byteorder):
    """A genome-like index: chr1 with a record in each of 7,000 16-kb tiles (7,000 bins, ~170 KB of index, three
    64-KB BGZF blocks) before chr2, so reading chr1's bins crosses block boundaries.  ``big``: the bin walk a
    big-endian machine takes (struct, not native words) gives the same offsets."""
    import types

    from il1rn_annot.io import tabix_index

    need_tool("tabix")
    monkeypatch.setattr(tabix_index, "sys", types.SimpleNamespace(byteorder=byteorder))
    contigs = [("chr1", 248_956_422), ("chr2", 242_193_529)]
    lines = [line("chr1", 1 + 16_384 * i, "N", "A") for i in range(7000)]
    lines += [line("chr2", p, "N", "T") for p in range(WINDOW.start - 200_000, WINDOW.end + 200_000, 211)]
    gz = tmp_path / "genome.vcf.gz"
    write_bgzf(gz, header(contigs) + "\n".join(lines) + "\n")
    subprocess.run(["tabix", "-p", "vcf", str(gz)], check=True)
    for contig, beg, end in [("chr2", WINDOW.start, WINDOW.end), ("chr1", 100_000_000, 100_100_000),
                             ("chr1", 16_384 * 6990, 16_384 * 7000), ("chr2", WINDOW.start - 200_000, WINDOW.start)]:
        fetched = _fetch_positions(gz, contig, beg, end)
        read, blocks = _read_from_offset(gz, contig, beg, end)
        assert fetched and read == fetched, (contig, beg)
        assert blocks >= (3 if contig == "chr2" else 2), (contig, blocks)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([1] * 12 + [0, 2, 3, 7]), max_size=400), st.lists(st.integers(1, 300), min_size=1),
       st.integers(0, 40))
def test_tbi_bin_walk_equals_stepping_each_bin(chunks, steps, trailer):
    """Bins of any chunk counts (runs of one-chunk bins broken by 0, 2, 3, 7 chunks), the index decompressed
    in pieces of any size (BGZF blocks): the walk that compares the counts of a run of one-chunk bins at once
    ends where stepping over each bin with struct ends, and reads no further."""
    import struct
    import types

    from il1rn_annot.io import tabix_index

    data = b"".join(struct.pack("<Ii", 4681 + i, n) + bytes(range(16)) * n for i, n in enumerate(chunks))
    data += bytes([0xEE]) * trailer  # what follows the bins (n_intv, ...)

    class Pieces:  # tabix_index._Inflated over ``data``, grown ``steps`` bytes at a time (cycled)
        def __init__(self):
            self.buf, self.k = bytearray(), 0

        def need(self, end):
            while len(self.buf) < end:
                if len(self.buf) >= len(data):
                    raise tabix_index.IndexUnusable("the index ends early (truncated)")
                self.buf += data[len(self.buf):len(self.buf) + steps[self.k % len(steps)]]
                self.k += 1

    words = tabix_index._skip_bins(Pieces(), 0, len(chunks))
    real_sys = tabix_index.sys
    try:
        tabix_index.sys = types.SimpleNamespace(byteorder="big")
        stepped = tabix_index._skip_bins(Pieces(), 0, len(chunks))
    finally:
        tabix_index.sys = real_sys
    assert words == stepped == len(data) - trailer


def test_tbi_says_nothing_is_there(files):
    from il1rn_annot.io.tabix_index import window_start_voffset

    tbi = str(files["indexed"]) + ".tbi"
    assert window_start_voffset(tbi, "chr3", 1_500_000)[0] is None  # past the last chr3 record's tile
    assert window_start_voffset(tbi, "chrX", 0)[0] is None  # not in the index
    assert _fetch_positions(files["indexed"], "chr3", 1_500_000, 1_600_000) == []


def test_indexed_run_reads_the_tbi_itself_and_htslib_reads_a_csi(files, tmp_path):
    s_tbi, vcf_tbi, tab_tbi, _ = run(files["indexed"], tmp_path, "tbi")
    assert s_tbi.mode == "indexed" and any(n.startswith("tabix index:") for n in s_tbi.read_notes)
    csi = tmp_path / "csi.vcf.gz"
    shutil.copyfile(files["indexed"], csi)
    pysam.tabix_index(str(csi), preset="vcf", csi=True, force=True, keep_original=True)
    assert (tmp_path / "csi.vcf.gz.csi").exists() and not (tmp_path / "csi.vcf.gz.tbi").exists()
    s_csi, vcf_csi, tab_csi, _ = run(csi, tmp_path, "csi")
    assert s_csi.mode == "indexed" and not any(n.startswith("tabix index") for n in s_csi.read_notes)
    assert vcf_tbi == vcf_csi and tab_tbi == tab_csi
    assert s_tbi.records_in_window == s_csi.records_in_window == len(IL1RN_RECORDS) + 1


def test_a_tbi_we_cannot_read_is_left_to_htslib(files, tmp_path):
    """A .tbi that is valid BGZF but not a tabix index (here: a BGZF copy of the VCF itself) is handed to
    htslib, which rejects it too: a one-line input error, no output file."""
    from il1rn_annot.errors import InputError

    gz = tmp_path / "badidx.vcf.gz"
    shutil.copyfile(files["indexed"], gz)
    shutil.copyfile(files["indexed"], str(gz) + ".tbi")
    with pytest.raises(InputError) as err:
        annotate_vcf(str(gz), str(tmp_path / "bad.vcf"))
    assert "badidx.vcf.gz" in str(err.value) and "\n" not in str(err.value)
    assert not (tmp_path / "bad.vcf").exists()


def _wide_text(edit=None) -> str:
    """9 samples (each of S1..S3 three times) on chr2 around the window; ``edit(pos, cols)`` may change a line."""
    names = [f"W{i}" for i in range(9)]
    head = header().replace("\t".join(SAMPLES), "\t".join(names))
    wide = []
    for c, p, ln in sorted(records(), key=lambda r: (r[0], r[1])):
        if c == "chr2" and WINDOW.start - 40_000 < p < WINDOW.end + 20_000:
            cols = ln.split("\t")
            cols = cols[:9] + [cols[9], cols[10], cols[11]] * 3
            wide.append("\t".join(edit(p, cols) if edit else cols))
    return head + "\n".join(wide) + "\n"


def _wide_files(tmp_path, text: str, name: str):
    plain = tmp_path / f"{name}.vcf"
    plain.write_text(text)
    gz = tmp_path / f"{name}.vcf.gz"
    write_bgzf(gz, text)
    noindex = tmp_path / f"{name}.noindex.vcf.gz"
    shutil.copyfile(gz, noindex)
    pysam.tabix_index(str(gz), preset="vcf", force=True, keep_original=True)
    return plain, gz, noindex


def _htslib_only(monkeypatch):
    """Runs as before raw-text mode: htslib parses and renders every sample column."""
    from il1rn_annot import api
    from il1rn_annot.io import vcf_in

    monkeypatch.setattr(api, "open_vcf", lambda path, build=None, raw_text=False: vcf_in.open_vcf(path, build=build))


def test_wide_records_are_read_as_text_on_every_path(tmp_path, monkeypatch):
    """From 8 samples on, htslib parses the first 8 columns only and each line is taken as the file has it
    (raw-text mode): through our .tbi read, by bisection and streamed.  The three outputs are identical and
    equal the output of htslib parsing every sample.  One record leaves trailing FORMAT fields out for two
    samples ("0/1" for GT:GQ:DP): the vectorised parser refuses it, htslib parses it (padding the fields) and
    its text is what the writer appends to, as before."""
    def drop_trailing(p, cols):
        if p == IL1RN_RECORDS[0][0]:
            cols[9] = cols[9].split(":")[0]
            cols[13] = cols[13].split(":")[0]
        return cols

    plain, gz, noindex = _wide_files(tmp_path, _wide_text(drop_trailing), "wide")
    assert "\t0/1\t" in plain.read_text()  # the record really lacks the fields
    s_idx, vcf_idx, tab_idx, _ = run(gz, tmp_path, "wide_idx")
    s_bis, vcf_bis, tab_bis, _ = run(noindex, tmp_path, "wide_bis")
    s_str, vcf_str, tab_str, _ = run(plain, tmp_path, "wide_str")
    assert (s_idx.mode, s_bis.mode, s_str.mode) == ("indexed", "bisect", "stream")
    for s in (s_idx, s_bis, s_str):
        assert any("text read as in the file" in n for n in s.read_notes), s.read_notes
    assert s_idx.records_in_window == len(IL1RN_RECORDS) + 1
    assert vcf_idx == vcf_bis == vcf_str and tab_idx == tab_bis == tab_str
    _htslib_only(monkeypatch)
    s_old, vcf_old, tab_old, _ = run(gz, tmp_path, "wide_old")
    assert not any("text read as in the file" in n for n in s_old.read_notes)
    assert vcf_old == vcf_idx and tab_old == tab_idx
    padded = next(ln for ln in vcf_idx if ln.startswith(f"chr2\t{IL1RN_RECORDS[0][0]}\t"))
    assert padded.split("\t")[9].startswith("0/1:.:.:")  # htslib's padding, then our FORMAT values


def test_wide_records_keep_the_files_text(tmp_path, monkeypatch):
    """Raw-text mode writes a record's columns as the file has them (htslib would render GQ 030 as 30 and
    QUAL 50.0 as 50); the values read are htslib's either way."""
    pos = IL1RN_RECORDS[1][0]

    def odd(p, cols):
        if p == pos:
            cols[5] = "50.0"
            cols[9] = cols[9].replace(":30:", ":030:")
        return cols

    _, gz, _ = _wide_files(tmp_path, _wide_text(odd), "odd")
    _, vcf_new, tab_new, _ = run(gz, tmp_path, "odd_new")
    new = next(ln for ln in vcf_new if ln.startswith(f"chr2\t{pos}\t")).split("\t")
    assert new[5] == "50.0" and new[9].startswith("1/1:030:10:")
    _htslib_only(monkeypatch)
    _, vcf_old, tab_old, _ = run(gz, tmp_path, "odd_old")
    old = next(ln for ln in vcf_old if ln.startswith(f"chr2\t{pos}\t")).split("\t")
    assert old[5] == "50" and old[9].startswith("1/1:30:10:")
    assert tab_new == tab_old  # the tables hold the values, not the text
    assert [ln for ln in vcf_new if not ln.startswith(f"chr2\t{pos}\t")] == \
        [ln for ln in vcf_old if not ln.startswith(f"chr2\t{pos}\t")]


def test_wide_record_with_a_non_number_in_an_integer_field_is_an_input_error(tmp_path):
    """htslib refuses GQ=B in an Integer field; read as text, our parser must refuse it too (not treat it
    as missing): a one-line error naming the file, the record and the sample, and no output."""
    from il1rn_annot.errors import InputError

    pos = IL1RN_RECORDS[1][0]

    def bad(p, cols):
        if p == pos:
            cols[11] = cols[11].replace(":32:", ":B:")
        return cols

    text = _wide_text(bad)
    assert ":B:" in text
    _, gz, _ = _wide_files(tmp_path, text, "bad")
    with pytest.raises(InputError) as err:
        annotate_vcf(str(gz), str(tmp_path / "bad_out.vcf"))
    msg = str(err.value)
    assert "bad.vcf.gz" in msg and f"chr2:{pos}" in msg and "W2" in msg and "GQ" in msg and "\n" not in msg
    assert not (tmp_path / "bad_out.vcf").exists() and not (tmp_path / "bad_out.tsv").exists()


def test_json_provenance_says_how_the_window_was_found(files, tmp_path):
    import json

    annotate_vcf(str(files["indexed"]), str(tmp_path / "j.vcf"), json_dir=str(tmp_path / "json"))
    annotate_vcf(str(files["noindex"]), str(tmp_path / "k.vcf"), json_dir=str(tmp_path / "json2"))
    idx = json.loads((tmp_path / "json" / "cohort.json").read_text())["provenance"]["input"]
    bis = json.loads((tmp_path / "json2" / "cohort.json").read_text())["provenance"]["input"]
    assert idx["mode"] == "indexed" and any(n.startswith("tabix index:") for n in idx["read_notes"])
    assert bis["mode"] == "bisect" and any("probes" in n for n in bis["read_notes"])
    # every report of both runs validates (the schema lacked the bisect mode before 1.1.0)
    jsonschema = pytest.importorskip("jsonschema")
    from il1rn_annot.io.json_report import load_schema

    v = jsonschema.Draft202012Validator(load_schema())
    for d in ("json", "json2"):
        for f in sorted((tmp_path / d).iterdir()):
            errors = sorted(v.iter_errors(json.loads(f.read_text())), key=str)
            assert not errors, f"{d}/{f.name}: {errors[0].message}"
