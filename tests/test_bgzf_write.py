"""io/bgzf_write.py must write the bytes htslib's BGZF writer (``BGZFile(path, "wb1")``) writes, and give
the virtual offsets htslib's ``tell()`` gives at the same points, whatever the write sizes (block boundaries
hit exactly, writes larger than a block, many small ones) and whether blocks are compressed on threads."""

from __future__ import annotations

import gzip
import random

import pytest
from pysam.libcbgzf import BGZFile

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


@pytest.mark.parametrize("threads", [0, 1, 3])
@pytest.mark.parametrize("seed", [1, 2])
def test_same_bytes_and_offsets_as_htslib(tmp_path, threads, seed):
    pieces = _pieces(seed)
    ref = BGZFile(str(tmp_path / "h.gz"), "wb1")
    told = [ref.tell()]
    for p in pieces:
        ref.write(p)
        told.append(ref.tell())
    ref.flush()
    end = ref.tell()
    ref.close()
    ours = BgzfWriter(str(tmp_path / "o.gz"), 1, threads=threads)
    mine = [ours.tell()]
    for p in pieces:
        ours.write(p)
        mine.append(ours.tell())
    ours.close()
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
                                                                              queued):
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


def test_empty_file_is_the_eof_block(tmp_path):
    BgzfWriter(str(tmp_path / "o.gz")).close()
    ref = BGZFile(str(tmp_path / "h.gz"), "wb1")
    ref.close()
    assert (tmp_path / "o.gz").read_bytes() == (tmp_path / "h.gz").read_bytes()


def test_index_from_uncompressed_offsets_is_the_index_from_virtual_ones(tmp_path):
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
