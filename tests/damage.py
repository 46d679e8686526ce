"""Build damaged, unusual and big inputs from the project's OWN files at test time, run the real command line
and read its verdicts -- for the acceptance tests of bad inputs and odd output paths (test_bad_inputs.py,
test_outputs_paths.py).

Everything here goes through the command-line contract only (``python -m il1rn_annot annotate ...``, exit
codes, stderr, the samples TSV read by header name, FORMAT/IL1RN_DIRA), never through internal module
names, so the tests stay valid while the I/O layer is rebuilt.

Reference bases: IL1RN records are only ever the example's own five records
(examples/il1rn_example_GRCh38.vcf, REF/ALT known), moved, copied, renamed or damaged.  Padding records on
chr1 (far from IL1RN, another chromosome) use arbitrary bases: they are filler, never annotated.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import pysam

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
EXAMPLE = REPO / "examples" / "il1rn_example_GRCh38.vcf"
FIXTURES = TESTS / "fixtures"
SCENARIOS = FIXTURES / "dira" / "scenarios_GRCh38.vcf"  # 37 samples named NAME__EXPECT_VERDICT, 20 records

# the example's verdicts (README.md, examples/README.md)
PATIENT, CARRIER, NOVAR = "PATIENT_E77X_HOM", "CARRIER_DEL_CA", "NO_VARIANT"
EXPECTED = {PATIENT: "BIALLELIC", CARRIER: "CARRIER", NOVAR: "NO_QUALIFYING_VARIANT"}
E77X_POS = 113131068
CHR2_LEN_GRCH38 = 242_193_529
CHR1_LEN_GRCH38 = 248_956_422
TRACEBACK = "Traceback (most recent call last)"
ERROR_PREFIX = "il1rn-annot: error:"


# ---------------------------------------------------------------- the example, taken apart and rebuilt

@dataclass
class Vcf:
    """A VCF as lines: meta (``##`` lines), the ``#CHROM`` columns, records (each a list of columns)."""
    meta: list[str]
    columns: list[str]
    records: list[list[str]]

    @property
    def samples(self) -> list[str]:
        return self.columns[9:]

    def text(self) -> str:
        return "".join(m + "\n" for m in self.meta) + "\t".join(self.columns) + "\n" + \
            "".join("\t".join(r) + "\n" for r in self.records)

    def data(self) -> bytes:
        return self.text().encode()

    def copy(self) -> "Vcf":
        return Vcf(list(self.meta), list(self.columns), [list(r) for r in self.records])


def example() -> Vcf:
    return load(EXAMPLE)


def load(path: Path) -> Vcf:
    """A plain-text VCF of the project (the example, a fixture) as a :class:`Vcf`."""
    meta, columns, records = [], [], []
    for line in path.read_text().splitlines():
        if line.startswith("##"):
            meta.append(line)
        elif line.startswith("#CHROM"):
            columns = line.split("\t")
        elif line:
            records.append(line.split("\t"))
    return Vcf(meta, columns, records)


def widen(vcf: Vcf, n_samples: int) -> tuple[Vcf, dict[str, str]]:
    """``n_samples`` sample columns: the example's three repeated in turn (copies named ``NAME_i``);
    returns the VCF and the expected verdict of every sample."""
    base = vcf.samples
    names, expected = [], {}
    for i in range(n_samples):
        orig = base[i % len(base)]
        name = orig if i < len(base) else f"{orig}_{i}"
        names.append(name)
        expected[name] = EXPECTED[orig]
    out = vcf.copy()
    out.columns = vcf.columns[:9] + names
    k = len(base)
    for rec in out.records:
        calls = rec[9:]
        rec[9:] = [calls[i % k] for i in range(n_samples)]
    return out, expected


def add_contig(vcf: Vcf, line: str, first: bool = True) -> Vcf:
    out = vcf.copy()
    at = next(i for i, m in enumerate(out.meta) if m.startswith("##contig"))
    out.meta.insert(at if first else at + 1, line)
    return out


def chr1_padding(n: int, n_samples: int, start: int = 1_000_000, step: int = 10) -> list[list[str]]:
    """``n`` filler records on chr1 (arbitrary bases: chr1 is not IL1RN and they are never annotated)."""
    calls = ["0/1:50:30"] * n_samples
    return [["chr1", str(start + i * step), ".", "A", "G", "50", "PASS", ".", "GT:GQ:DP", *calls] for i in range(n)]


def padded(vcf: Vcf, n: int) -> Vcf:
    """The example with ``n`` chr1 records before the IL1RN ones (chr1 declared before chr2)."""
    out = add_contig(vcf, f"##contig=<ID=chr1,length={CHR1_LEN_GRCH38},assembly=GRCh38>")
    out.records = chr1_padding(n, len(vcf.samples)) + out.records
    return out


def big_header(vcf: Vcf, n_contigs: int = 3000) -> Vcf:
    """A GATK/DRAGEN-like header: command-line lines and thousands of ##contig lines (ALT/decoy contigs) after
    chr2's, so the header is well over 64 KB."""
    out = add_contig(vcf, f"##contig=<ID=chr1,length={CHR1_LEN_GRCH38},assembly=GRCh38>")
    at = max(i for i, m in enumerate(out.meta) if m.startswith("##contig")) + 1
    extra = [f"##contig=<ID=chrUn_JTFH0100{i:05d}v1_decoy,length={1000 + i},assembly=GRCh38>" for i in range(n_contigs)]
    out.meta[at:at] = extra
    out.meta[1:1] = [
        "##source=DRAGEN 4.2.4",
        '##DRAGENCommandLine=<ID=dragen,Version="SW: 07.021.645.4.2.4, HW: 07.021.645",'
        'Date="Mon Jan 01 00:00:00 UTC 2024",'
        'CommandLineOptions="-r /staging/ref/hg38 --enable-variant-caller true --vc-emit-ref-confidence GVCF">',
        '##GATKCommandLine=<ID=HaplotypeCaller,CommandLine="HaplotypeCaller --emit-ref-confidence NONE '
        '--output out.vcf.gz --input in.bam --reference Homo_sapiens_assembly38.fasta",Version="4.5.0.0",'
        'Date="January 1, 2024 0:00:00 AM UTC">',
        "##reference=file:///ref/Homo_sapiens_assembly38.fasta",
    ]
    return out


def with_pos_swapped(vcf: Vcf, i: int, j: int) -> Vcf:
    out = vcf.copy()
    out.records[i], out.records[j] = out.records[j], out.records[i]
    return out


def renamed_records(vcf: Vcf, name: str) -> Vcf:
    out = vcf.copy()
    for r in out.records:
        r[0] = name
    return out


def renamed_header_contig(vcf: Vcf, old: str, new: str) -> Vcf:
    out = vcf.copy()
    out.meta = [m.replace(f"##contig=<ID={old},", f"##contig=<ID={new},") for m in out.meta]
    return out


# ---------------------------------------------------------------- bytes-level damage

def insert_byte(data: bytes, anchor: bytes, new: bytes, occurrence: int = 0) -> bytes:
    """Replace the ``occurrence``-th ``anchor`` in ``data`` by ``new`` (fails loudly if absent)."""
    at = -1
    for _ in range(occurrence + 1):
        at = data.index(anchor, at + 1)
    return data[:at] + new + data[at + len(anchor):]


def cut_mid_line(data: bytes, line_no: int, keep: int) -> bytes:
    """Keep lines before ``line_no`` (0-based, whole lines) and the first ``keep`` bytes of that line."""
    lines = data.split(b"\n")
    assert 0 < keep < len(lines[line_no])
    return b"\n".join(lines[:line_no]) + b"\n" + lines[line_no][:keep]


def cut_at_line_end(data: bytes, line_no: int) -> bytes:
    """Keep lines ``0 .. line_no-1``, each with its newline."""
    lines = data.split(b"\n")
    return b"\n".join(lines[:line_no]) + b"\n"


# ---------------------------------------------------------------- BGZF

BGZF_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")


def bgzf_block(payload: bytes) -> bytes:
    """One BGZF block (gzip member with the BC extra field) holding ``payload`` (< 64 KB)."""
    assert len(payload) <= 0xFF00
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    cdata = c.compress(payload) + c.flush()
    bsize = 18 + len(cdata) + 8 - 1
    head = b"\x1f\x8b\x08\x04\x00\x00\x00\x00\x00\xff\x06\x00BC\x02\x00" + bsize.to_bytes(2, "little")
    return head + cdata + zlib.crc32(payload).to_bytes(4, "little") + len(payload).to_bytes(4, "little")


def bgzf(chunks: list[bytes]) -> bytes:
    """BGZF data with one block per chunk (chunks over 64 KB are split) and the EOF marker."""
    out = []
    for chunk in chunks:
        for i in range(0, max(len(chunk), 1), 0xFF00):
            out.append(bgzf_block(chunk[i:i + 0xFF00]))
    return b"".join(out) + BGZF_EOF


def bgzf_vcf(vcf: Vcf) -> bytes:
    """The VCF as BGZF: the header in its own block(s), then records in blocks of whole lines, the IL1RN ones
    (chr2) in a block of their own -- so a damaged block can be chosen by what it holds."""
    head = "".join(m + "\n" for m in vcf.meta) + "\t".join(vcf.columns) + "\n"
    chunks, cur, cur_chr2 = [head.encode()], b"", None
    for r in vcf.records:
        line = ("\t".join(r) + "\n").encode()
        is_chr2 = r[0] in ("chr2", "2")
        if cur and (len(cur) + len(line) > 0xFF00 or is_chr2 != cur_chr2):
            chunks.append(cur)
            cur = b""
        cur += line
        cur_chr2 = is_chr2
    if cur:
        chunks.append(cur)
    return bgzf(chunks)


def bgzf_blocks(data: bytes) -> list[tuple[int, int]]:
    """(offset, size) of every BGZF block, the EOF block included."""
    out, at = [], 0
    while at < len(data):
        assert data[at:at + 4] == b"\x1f\x8b\x08\x04", f"not a BGZF block at {at}"
        bsize = int.from_bytes(data[at + 16:at + 18], "little") + 1
        out.append((at, bsize))
        at += bsize
    return out


def block_payload(data: bytes, index: int) -> bytes:
    off, size = bgzf_blocks(data)[index]
    return zlib.decompress(data[off + 18:off + size - 8], -15)


def block_holding(data: bytes, needle: bytes) -> int:
    """Index of the first block whose uncompressed payload contains ``needle``."""
    for i in range(len(bgzf_blocks(data))):
        if needle in block_payload(data, i):
            return i
    raise AssertionError(f"{needle!r} is in no block")


def flip_bit(data: bytes, at: int, bit: int = 0) -> bytes:
    b = bytearray(data)
    b[at] ^= 1 << bit
    return bytes(b)


def flip_crc_bit(data: bytes, index: int, bit: int = 3) -> bytes:
    """One flipped bit in the CRC32 footer of block ``index``."""
    off, size = bgzf_blocks(data)[index]
    return flip_bit(data, off + size - 8, bit)


def flip_isize_bit(data: bytes, index: int, bit: int = 4) -> bytes:
    """One flipped bit in the ISIZE (uncompressed size) footer of block ``index``."""
    off, size = bgzf_blocks(data)[index]
    return flip_bit(data, off + size - 4, bit)


def garble_deflate(data: bytes, index: int) -> bytes:
    """Overwrite 16 bytes in the middle of block ``index``'s deflate stream (the header is kept)."""
    off, size = bgzf_blocks(data)[index]
    mid = off + 18 + (size - 26) // 2
    return data[:mid] + b"\xff\x00" * 8 + data[mid + 16:]


def gzip_crc_ok(data: bytes) -> bool:
    import gzip

    try:
        gzip.decompress(data)
        return True
    except (OSError, EOFError, zlib.error):
        return False


# ---------------------------------------------------------------- tools

def tabix(path: Path) -> Path:
    """A .tbi index of the bgzipped VCF ``path`` (htslib's tabix indexer through pysam, as ``tabix -f -p vcf``:
    the damage tests need an index, not the Debian program, so they run on a machine without it)."""
    pysam.tabix_index(str(path), preset="vcf", force=True)
    return Path(str(path) + ".tbi")


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# ---------------------------------------------------------------- running the command line

@dataclass(repr=False)
class Run:
    rc: int
    stdout: bytes
    stderr: str
    args: list[str]

    def __str__(self) -> str:
        return f"exit {self.rc} for {' '.join(self.args)}\n--- stderr ---\n{self.stderr[-4000:]}"

    __repr__ = __str__

    @property
    def error_lines(self) -> list[str]:
        return [ln for ln in self.stderr.splitlines() if ln.startswith(ERROR_PREFIX)]


def cli(*args) -> list[str]:
    return [sys.executable, "-m", "il1rn_annot", "annotate", *map(str, args)]


def run(*args, cwd=None, env=None, stdin: bytes | None = None, timeout: float = 120, wrap=None) -> Run:
    """The real CLI in a subprocess: ``python -m il1rn_annot annotate ARGS`` (``wrap(argv)`` -> the argv run)."""
    argv = cli(*args)
    if wrap is not None:
        argv = wrap(argv)
    try:
        res = subprocess.run(argv, capture_output=True, text=False, cwd=cwd, env=env, timeout=timeout,
                             input=stdin if stdin is not None else b"")
    except subprocess.TimeoutExpired as exc:  # subprocess.run has killed it
        import pytest

        err = (exc.stderr or b"").decode("utf-8", errors="replace")
        pytest.fail(f"the CLI hung: no exit within {timeout} s (killed) for {' '.join(map(str, args))}\n{err[-2000:]}")
    return Run(res.returncode, res.stdout, res.stderr.decode("utf-8", errors="replace"), [str(a) for a in args])


def snapshot(folder: Path) -> dict[str, int]:
    """Every path under ``folder`` (hidden ones included), recursively, with its size (-1 for folders)."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for d in dirs:
            out[os.path.relpath(os.path.join(root, d), folder)] = -1
        for f in files:
            p = os.path.join(root, f)
            try:
                out[os.path.relpath(p, folder)] = os.lstat(p).st_size
            except FileNotFoundError:
                pass
    return out


def assert_no_traceback(res: Run) -> None:
    assert TRACEBACK not in res.stderr, f"a Python traceback on stderr without -v:\n{res}"


def assert_one_line_failure(res: Run, path, *, must: tuple[str, ...] = ()) -> str:
    """Exit 1, exactly one ``il1rn-annot: error:`` line, naming ``path`` and giving ``(fix: ...)``; no traceback."""
    assert_no_traceback(res)
    assert res.rc == 1, f"expected exit 1 (bad input / unwritable output):\n{res}"
    lines = res.error_lines
    assert len(lines) == 1, f"expected ONE line starting {ERROR_PREFIX!r}, got {len(lines)}:\n{res}"
    line = lines[0]
    assert str(path) in line, f"the error line does not name {path}:\n{line}"
    assert "(fix:" in line, f"the error line gives no '(fix: ...)':\n{line}"
    for word in must:
        assert word.lower() in line.lower(), f"the error line does not mention {word!r}:\n{line}"
    return line


# ---------------------------------------------------------------- reading verdicts

def verdict_column(header: list[str]) -> int:
    """The samples TSV's DIRA verdict column, by name (``dira.verdict`` today)."""
    for name in ("dira.verdict", "dira_verdict", "DIRA_verdict", "verdict"):
        if name in header:
            return header.index(name)
    cands = [i for i, h in enumerate(header) if "verdict" in h.lower() and "dira" in h.lower()]
    assert len(cands) == 1, f"no single DIRA verdict column in the samples TSV header: {header}"
    return cands[0]


def samples_tsv_verdicts(path: Path) -> dict[str, str]:
    """sample -> DIRA verdict from ``--samples-tsv`` (undecodable bytes replaced)."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("##")]
    header = lines[0].lstrip("#").split("\t")
    col = verdict_column(header)
    scol = header.index("sample") if "sample" in header else 0
    out = {}
    for ln in lines[1:]:
        cells = ln.split("\t")
        assert cells[scol] not in out, f"sample {cells[scol]} twice in {path}"
        out[cells[scol]] = cells[col]
    return out


def vcf_dira_verdicts(text: str) -> dict[str, str]:
    """sample -> FORMAT/IL1RN_DIRA verdict (the first ``|``/``,``-separated word) of the first annotated
    record of an annotated VCF's text."""
    samples: list[str] = []
    for ln in text.splitlines():
        if ln.startswith("#CHROM"):
            samples = ln.split("\t")[9:]
        elif ln and not ln.startswith("#"):
            cols = ln.split("\t")
            keys = cols[8].split(":")
            if "IL1RN_DIRA" not in keys:
                continue
            k = keys.index("IL1RN_DIRA")
            out = {}
            for name, call in zip(samples, cols[9:]):
                vals = call.split(":")
                out[name] = re.split(r"[|,;]", vals[k])[0] if k < len(vals) else "."
            return out
    raise AssertionError("no record carries FORMAT/IL1RN_DIRA")


def assert_right_verdicts(got: dict[str, str], expected: dict[str, str] | None = None, what: str = "") -> None:
    expected = EXPECTED if expected is None else expected
    assert got.get(PATIENT) == "BIALLELIC", f"{what}: {PATIENT} is {got.get(PATIENT)!r}, not BIALLELIC (E77X 1/1 lost?)"
    wrong = {s: (got.get(s), v) for s, v in expected.items() if got.get(s) != v}
    assert not wrong, f"{what}: wrong verdicts (got, expected), {len(wrong)} of {len(expected)}: " \
                      f"{dict(list(wrong.items())[:5])}"
    assert len(got) == len(expected), f"{what}: {len(got)} samples in the output, {len(expected)} in the input"
