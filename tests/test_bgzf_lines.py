"""io/bgzf_lines.py (the raw-text reader's lines, inflated on a worker thread) must give the lines htslib's
``BGZFile.readline`` gives from the same virtual offset: long lines across many blocks, CRLF endings, a
last line without newline; and a truncated file must be an error, never a short read taken as the end.
With either deflate backend (io/deflate.py: zlib, ISA-L)."""

from __future__ import annotations

import random

import pytest
from pysam.libcbgzf import BGZFile

from il1rn_annot.io.bgzf_lines import bgzf_lines
from il1rn_annot.io.bgzf_write import BLOCK


def _htslib_lines(path: str, voffset: int) -> list[bytes]:
    fh = BGZFile(path, "rb")
    fh.seek(voffset)
    out = []
    while True:
        line = fh.readline()
        if not line:
            return out
        out.append(line)


@pytest.fixture
def bgzipped(tmp_path):
    rng = random.Random(5)
    lines = []
    for i in range(400):
        width = rng.choice([1, 30, 500, BLOCK - 3, BLOCK, 3 * BLOCK + 7])
        unit = bytes(rng.choice(b"0/1|.:") for _ in range(61))
        lines.append(f"chr2\t{1000 + i}\t".encode() + (unit * (width // 61 + 1))[:width])
    text = b"".join(x + (b"\r\n" if i % 7 == 3 else b"\n") for i, x in enumerate(lines)) + b"chr2\t9999\tlast"
    path = tmp_path / "f.gz"
    w = BGZFile(str(path), "wb1")
    offsets = []
    for piece in text.split(b"\n"):
        offsets.append(w.tell())
        w.write(piece + b"\n" if piece != b"chr2\t9999\tlast" else piece)
    w.close()
    return str(path), offsets, lines + [b"chr2\t9999\tlast"]


@pytest.mark.parametrize("threads", [0, 1, 2])
def test_lines_equal_htslib_readline_from_any_record(bgzipped, threads, deflate_backend):
    path, offsets, lines = bgzipped
    for k in (0, 1, 3, 57, 200, len(offsets) - 2, len(offsets) - 1):
        ours = list(bgzf_lines(path, offsets[k], threads=threads))
        assert ours == _htslib_lines(path, offsets[k]) == lines[k:], k


def test_a_truncated_file_is_an_error(bgzipped, tmp_path, deflate_backend):
    path, offsets, _ = bgzipped
    data = open(path, "rb").read()
    cut = tmp_path / "cut.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="truncated|corrupt"):
        list(bgzf_lines(str(cut), offsets[0], threads=1))
    bad = bytearray(data)
    bad[len(data) // 3] ^= 0xFF  # inside some block's deflate data or header
    (tmp_path / "bad.gz").write_bytes(bytes(bad))
    with pytest.raises(ValueError):
        list(bgzf_lines(str(tmp_path / "bad.gz"), offsets[0], threads=0))
