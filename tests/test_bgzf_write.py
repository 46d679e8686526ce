"""io/bgzf_write.py must write the bytes htslib's BGZF writer (``BGZFile(path, "wb1")``) writes, and give
the virtual offsets htslib's ``tell()`` gives at the same points, whatever the write sizes (block boundaries
hit exactly, writes larger than a block, many small ones) and whether blocks are compressed on threads:
with zlib (``IL1RN_ANNOT_DEFLATE=zlib``).  With ISA-L (io/deflate.py) the compressed bytes differ; the text,
the pieces of text in each block and what every virtual offset points at must not."""

from __future__ import annotations

import gzip
import random

import pytest
from pysam.libcbgzf import BGZFile

from il1rn_annot.errors import UsageError
from il1rn_annot.io import deflate
from il1rn_annot.io.bgzf_write import BLOCK, BgzfWriter
from il1rn_annot.io.tbi_build import TbiBuilder, line_span


def _pieces(seed: int) -> list[bytes]:
    rng = random.Random(seed)
    sizes = [0, 1, 7, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK, 200_000, 55, BLOCK - 55, 5]
    out = []
    # first: writes that end exactly where a block is full (one block, then a piece completing the next)
    for n in [BLOCK, 1, BLOCK - 1, 2 * BLOCK, *(rng.choice(sizes) for _ in range(120))]:
        # text a little like VCF (compressible, not constant) so that block sizes vary
        out.append(bytes(rng.choice(b"0/1|.\t:ACGT") for _ in range(min(n, 97))) * (n // 97) + b"\n" * (n % 97))
    return out


def _write_ours(path, pieces: list[bytes], threads: int) -> tuple[BgzfWriter, list[int]]:
    """BgzfWriter over ``pieces`` (closed), with its tell() before the first and after each piece."""
    ours = BgzfWriter(str(path), 1, threads=threads)
    told = [ours.tell()]
    for p in pieces:
        ours.write(p)
        told.append(ours.tell())
    ours.close()
    return ours, told


@pytest.mark.parametrize("threads", [0, 1, 3])
@pytest.mark.parametrize("seed", [1, 2])
def test_same_bytes_and_offsets_as_htslib(tmp_path, threads, seed, zlib_backend):
    pieces = _pieces(seed)
    ref = BGZFile(str(tmp_path / "h.gz"), "wb1")
    told = [ref.tell()]
    for p in pieces:
        ref.write(p)
        told.append(ref.tell())
    ref.flush()
    end = ref.tell()
    ref.close()
    ours, mine = _write_ours(tmp_path / "o.gz", pieces, threads)
    data = (tmp_path / "h.gz").read_bytes()
    assert (tmp_path / "o.gz").read_bytes() == data and len(data) > 10 * BLOCK // 100
    assert gzip.decompress(data) == b"".join(pieces)
    # every offset but the last as htslib's tell(); the last is where the data ends once the final, partial
    # block is flushed (a reader's view: a block's end is the next block's start)
    assert [ours.voffset(u) for u in mine[:-1]] == told[:-1]
    assert ours.voffset(mine[-1]) == ours.end_voffset == end
    # a boundary case really happened: some write left htslib at the start of a new block
    assert any(v & 0xFFFF == 0 for v in told[1:])


@pytest.mark.parametrize("in_flight,queued", [(0, 16), (1, 2), (1, 1)])
def test_blocks_the_caller_compresses_while_workers_are_behind_keep_the_bytes(tmp_path, monkeypatch, in_flight,
                                                                              queued, zlib_backend):
    """When the batches in flight reach _MAX_PENDING the caller compresses the next batch itself (0: always);
    the queue of batches (compressed or not) is written in order, waiting only past _MAX_QUEUED."""
    import threading

    import il1rn_annot.io.bgzf_write as bw

    monkeypatch.setattr(bw, "_MAX_PENDING", in_flight)
    monkeypatch.setattr(bw, "_MAX_QUEUED", queued)
    where = []
    real = bw.compress_blocks

    def spy(blocks, level):
        where.append(threading.current_thread() is threading.main_thread())
        return real(blocks, level)

    monkeypatch.setattr(bw, "compress_blocks", spy)
    pieces = _pieces(3) * 3
    ref = BGZFile(str(tmp_path / "h.gz"), "wb1")
    ours = BgzfWriter(str(tmp_path / "o.gz"), 1, threads=1)
    told, mine = [], []
    for p in pieces:
        ref.write(p)
        ours.write(p)
        told.append(ref.tell())
        mine.append(ours.tell())
    ref.close()
    ours.close()
    assert (tmp_path / "o.gz").read_bytes() == (tmp_path / "h.gz").read_bytes()
    assert [ours.voffset(u) for u in mine[:-1]] == told[:-1]
    assert any(where)  # the caller compressed some batches
    assert all(where) if in_flight == 0 else not all(where)  # and the worker the others


def test_empty_file_is_the_eof_block(tmp_path, zlib_backend):
    BgzfWriter(str(tmp_path / "o.gz")).close()
    ref = BGZFile(str(tmp_path / "h.gz"), "wb1")
    ref.close()
    assert (tmp_path / "o.gz").read_bytes() == (tmp_path / "h.gz").read_bytes()


def test_index_from_uncompressed_offsets_is_the_index_from_virtual_ones(tmp_path, zlib_backend):
    """TbiBuilder fed BgzfWriter's uncompressed offsets and remapped at the end = fed htslib's tell()."""
    header = b"##fileformat=VCFv4.2\n##contig=<ID=chr2,length=242193529>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
    rng = random.Random(3)
    lines, pos = [], 1000
    for i in range(3000):
        pos += rng.choice([1, 5, 300, 20_000])
        pad = "X" * rng.choice([10, 1000, BLOCK // 3])
        lines.append(f"chr2\t{pos}\t.\tN\tA\t.\tPASS\tP={pad}\n".encode())
    built = []
    for htslib in (True, False):
        b = TbiBuilder()
        out = BGZFile(str(tmp_path / "h.gz"), "wb1") if htslib else BgzfWriter(str(tmp_path / "o.gz"), 1, threads=2)
        out.write(header)
        for line in lines:
            start = out.tell()
            out.write(line)
            b.add(*line_span(line), start, out.tell())
        if htslib:
            out.flush()
            built.append(b.finish(out.tell()))
            out.close()
        else:
            out.close()
            built.append(b.finish(out.end_voffset, out.voffset))
    assert built[0] == built[1]
    assert (tmp_path / "h.gz").read_bytes() == (tmp_path / "o.gz").read_bytes()


@pytest.mark.parametrize("threads", [0, 2])
def test_isal_blocks_hold_the_same_text_and_offsets_point_at_the_same_places(tmp_path, threads, isal_backend):
    """ISA-L's blocks: other compressed bytes, but the same pieces of text per block as htslib's writer, read
    back by htslib and by gzip to the same text, and every virtual offset we report (mapped from the
    uncompressed offsets after close) is where htslib finds the text that followed it."""
    pieces = _pieces(4)
    ref = BGZFile(str(tmp_path / "h.gz"), "wb1")
    for p in pieces:
        ref.write(p)
    ref.close()
    ours, mine = _write_ours(tmp_path / "o.gz", pieces, threads)
    data, href = (tmp_path / "o.gz").read_bytes(), (tmp_path / "h.gz").read_bytes()
    assert data != href  # another deflate stream ...
    text = b"".join(pieces)
    assert gzip.decompress(data) == gzip.decompress(href) == text  # ... of the same text
    assert _block_text_sizes(data) == _block_text_sizes(href)  # cut at the same places
    f = BGZFile(str(tmp_path / "o.gz"), "rb")
    try:
        for u in sorted(set(mine[:-1]))[::7]:
            f.seek(ours.voffset(u))
            assert f.read(50) == text[u:u + 50]
    finally:
        f.close()


def _block_text_sizes(data: bytes) -> list[int]:
    import struct

    sizes, pos = [], 0
    while pos < len(data):
        bsize = struct.unpack_from("<H", data, pos + 16)[0] + 1
        sizes.append(struct.unpack_from("<I", data, pos + bsize - 4)[0])
        pos += bsize
    return sizes


def test_backend_choice_is_explained_when_it_cannot_be_had(monkeypatch):
    monkeypatch.setenv(deflate.ENV, "lz4")
    deflate.reset()
    try:
        with pytest.raises(UsageError, match="use zlib, isal or auto"):
            deflate.backend_name()
    finally:
        monkeypatch.undo()
        deflate.reset()
