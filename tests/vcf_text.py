"""Tiny helpers to write test VCFs.  Reference bases: only known ones, else ``N`` (VCF's unknown base)."""

from __future__ import annotations

from pathlib import Path

GRCH38_LEN, GRCH37_LEN = 242_193_529, 243_199_373
OFFSET37 = 757_577  # GRCh37 = GRCh38 + offset inside the IL1RN window (shared/domain)


def header(contig: str = "chr2", length: int | None = GRCH38_LEN, samples=("S1",), extra: str = "",
           assembly: str | None = None) -> str:
    ln = f",length={length}" if length else ""
    asm = f",assembly={assembly}" if assembly else ""
    lines = [
        "##fileformat=VCFv4.2",
        '##FILTER=<ID=PASS,Description="All filters passed">',
        f"##contig=<ID={contig}{ln}{asm}>",
        '##INFO=<ID=EXPECT,Number=1,Type=String,Description="Expected annotation (test fixture)">',
        '##INFO=<ID=END,Number=1,Type=Integer,Description="End position">',
        '##INFO=<ID=SVLEN,Number=A,Type=Integer,Description="SV length">',
        '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="SV type">',
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    ]
    if extra:
        lines.append(extra.rstrip("\n"))
    lines.append("\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples]))
    return "\n".join(lines) + "\n"


def record(contig: str, pos: int, ref: str, alt: str, *, id_: str = ".", info: str = ".", gts=("0/1",)) -> str:
    return "\t".join([contig, str(pos), id_, ref, alt, ".", "PASS", info, "GT", *gts]) + "\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path
