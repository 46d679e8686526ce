"""Why htslib refused a VCF header, in words: pysam says only "does not have valid header" or "invalid file"
for a missing ``##fileformat`` line, a missing or misspelt ``#CHROM`` line or a sample named twice.

:func:`header_problem` (pure) reads the header lines; :func:`read_header_lines` takes them from a plain or
gzip/bgzip file, stopping at the first record.  Used only after htslib refused the file, to say why.
"""

from __future__ import annotations

import gzip

FIXED = ("#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO")
MAX_HEADER_BYTES = 64 << 20  # a header bigger than this is not read for a diagnosis


def header_problem(lines: list[str]) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for the first problem found in the header lines (each without its
    newline; the first record line, if read, ends the header), or None if none of these checks fails."""
    if not lines or not lines[0].startswith("#"):
        return None  # not a VCF header at all: nothing to say beyond htslib's refusal
    if not lines[0].startswith("##fileformat=VCF"):
        return (f"the first line is not ##fileformat=VCFv4.x (it is {lines[0][:40]!r})",
                "a VCF starts with its ##fileformat line (add it, or check that the file is whole)")
    chrom = next((ln for ln in lines if ln.startswith("#") and not ln.startswith("##")), None)
    if chrom is None:
        return ("the header has no #CHROM line (the column names before the first record)",
                "add the tab-separated #CHROM POS ID REF ALT QUAL FILTER INFO [FORMAT samples] line")
    cols = chrom.split("\t")
    if tuple(cols[:8]) != FIXED:
        got = " ".join(cols[:9]) if len(cols) > 1 else chrom[:60]
        return (f"the #CHROM line does not name the 8 fixed columns, tab-separated (it reads {got!r})",
                "the line must start #CHROM<TAB>POS<TAB>ID<TAB>REF<TAB>ALT<TAB>QUAL<TAB>FILTER<TAB>INFO")
    if len(cols) > 8 and cols[8] != "FORMAT":
        return (f"the 9th column of the #CHROM line is {cols[8]!r}, not FORMAT",
                "sample columns follow a FORMAT column")
    seen: set[str] = set()
    for name in cols[9:]:
        if name in seen:
            return (f"sample {name!r} is named twice in the #CHROM line",
                    "give every sample a name of its own (bcftools reheader -s new_names.txt)")
        seen.add(name)
    return None


def read_header_lines(path: str) -> list[str]:
    """The header lines of a plain or gzip/bgzip text file (and the first record line, if any)."""
    with open(path, "rb") as raw:
        gz = raw.read(2) == b"\x1f\x8b"
    opener = gzip.open if gz else open
    lines: list[str] = []
    size = 0
    with opener(path, "rb") as fh:
        for line in fh:
            lines.append(line.decode("utf-8", "replace").rstrip("\r\n"))
            size += len(line)
            if not line.startswith(b"#") or size > MAX_HEADER_BYTES:
                break
    return lines
