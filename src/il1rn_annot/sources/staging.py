"""Making any input fetchable by region: a readable file on disk, bgzip-compressed, with an index htslib built.

Every input ends up read the same way, through an index (:mod:`il1rn_annot.sources.vcf`):

- a bgzipped VCF or a BCF with an index that is not older than the data: used as it is;
- a bgzipped VCF or BCF without one (or with an older one): indexed into the run's temporary folder with
  ``pysam.tabix_index`` (htslib's indexer, which refuses unsorted records: the error then names the first
  record out of order and the fix);
- a plain-text VCF: bgzipped into the temporary folder with ``pysam.tabix_compress`` (the same bytes, in BGZF
  blocks), then indexed;
- a plain-gzip VCF: decompressed and bgzipped into the temporary folder (htslib cannot seek in plain gzip);
- standard input, a FIFO or ``<(...)``: copied into the temporary folder first, then as above.

Nothing is ever written beside the user's input.  Everything here is I/O; the decisions it reports (which
index, why a temporary one) are returned as notes for the run summary.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import stat
import sys
import zlib

from il1rn_annot.errors import InputError

BGZF_MAGIC = b"\x1f\x8b\x08\x04"
GZIP_MAGIC = b"\x1f\x8b"
BGZF_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")


def is_regular_file(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def stage_stream(path: str, display: str, workdir: str) -> str:
    """Copy standard input (``-``), a FIFO or a device into ``workdir``; returns the copy's path."""
    target = os.path.join(workdir, "input")
    try:
        with open(target, "wb") as out:
            if path == "-":
                shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
            else:
                with open(path, "rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
    except OSError as exc:
        raise InputError(f"cannot read the input stream ({exc.strerror or exc})", file=display,
                         fix="check that the program writing it did not fail") from None
    if os.path.getsize(target) == 0:
        raise InputError("the input is empty", file=display, fix="give a VCF or BCF file")
    return target


def head_bytes(path: str, n: int = 4) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


def has_bgzf_eof(path: str) -> bool:
    """Does the file end with the empty BGZF block that bgzip and htslib write last (a whole file does)?"""
    with open(path, "rb") as fh:
        try:
            fh.seek(-len(BGZF_EOF), os.SEEK_END)
        except OSError:
            return False
        return fh.read() == BGZF_EOF


def ends_with_newline(path: str) -> bool:
    with open(path, "rb") as fh:
        try:
            fh.seek(-1, os.SEEK_END)
        except OSError:
            return False
        return fh.read(1) == b"\n"


def rebgzip_plain_gzip(path: str, display: str, workdir: str) -> str:
    """A plain-gzip file (not BGZF) decompressed and written again in BGZF blocks by htslib."""
    from pysam.libcbgzf import BGZFile

    target = os.path.join(workdir, "input.vcf.gz")
    try:
        with gzip.open(path, "rb") as src, BGZFile(target, "wb") as out:
            while chunk := src.read(1 << 20):
                out.write(chunk)
    except (EOFError, OSError, zlib.error) as exc:
        raise InputError(f"the gzip file is truncated or corrupt ({exc})", file=display,
                         fix="re-create or re-download it") from None
    return target


def bgzip_plain_text(path: str, display: str, workdir: str) -> str:
    """A plain-text VCF bgzipped (same bytes) by htslib.  A file whose last line has no newline was cut off."""
    if not ends_with_newline(path):
        raise InputError("the file ends in the middle of a line: it was cut off (truncated)", file=display,
                         fix="re-create or re-download it; a VCF's last line ends with a newline")
    import pysam

    target = os.path.join(workdir, "input.vcf.gz")
    pysam.tabix_compress(path, target, force=True)
    return target


def raw_sample_names(path: str) -> tuple[str, ...]:
    """The sample names of a header whose names are not all UTF-8, read from the ``#CHROM`` line's bytes with
    htslib's BGZF reader (which reads plain files too; a BCF carries its header as text) and decoded with
    U+FFFD for the bytes that are not UTF-8.  The annotated VCF keeps the original bytes."""
    from pysam.libcbgzf import BGZFile

    with BGZFile(path, "rb") as fh:
        buf = b""
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            buf += chunk
            at = buf.find(b"#CHROM\t")
            if at >= 0 and buf.find(b"\n", at) >= 0:
                line = buf[at:buf.find(b"\n", at)]
                return tuple(x.decode("utf-8", "replace") for x in line.rstrip(b"\r").split(b"\t")[9:])
    raise ValueError("no #CHROM line")


def _indexes_beside(data: str, is_bcf: bool) -> list[str]:
    """The index files beside ``data``, in the order we prefer them (.tbi, then .csi; BCF: .csi)."""
    candidates = [data + ".csi"] if is_bcf else [data + ".tbi", data + ".csi"]
    return [p for p in candidates if is_regular_file(p)]


def usable_index(data: str, is_bcf: bool) -> tuple[str | None, str]:
    """(the index beside ``data`` to use or None, a note on why none or which)."""
    found = _indexes_beside(data, is_bcf)
    if not found:
        return None, "no index beside the file"
    index = found[0]
    if os.path.getmtime(index) < os.path.getmtime(data):
        return None, (f"the index {os.path.basename(index)} is older than the file (the data changed after it "
                      "was built), so it was not trusted")
    return index, f"index {index}"


def only_index(data: str, is_bcf: bool) -> str | None:
    """The index beside ``data`` when exactly one is there (htslib, opening the file, loads that one)."""
    found = _indexes_beside(data, is_bcf)
    return found[0] if len(found) == 1 else None


@contextlib.contextmanager
def quiet_htslib():
    """htslib's own messages off while we probe (it prints an error for every index it does not find)."""
    import pysam

    old = pysam.set_verbosity(0)
    try:
        yield
    finally:
        pysam.set_verbosity(old)


def build_index(data: str, is_bcf: bool, display: str, workdir: str) -> str:
    """Index ``data`` into ``workdir`` with htslib (``.tbi``, or ``.csi`` for BCF and for contigs too long for
    ``.tbi``); an unsorted file is refused with the first record out of order and the fix."""
    import pysam

    attempts = [("bcf", ".csi", True)] if is_bcf else [("vcf", ".tbi", False), ("vcf", ".csi", True)]
    for preset, ext, csi in attempts:
        target = os.path.join(workdir, "input" + ext)
        try:
            with quiet_htslib():
                pysam.tabix_index(data, preset=preset, index=target, force=True, csi=csi, keep_original=True)
            return target
        except (OSError, ValueError):
            continue
    raise _why_unindexable(data, display)


def _why_unindexable(data: str, display: str) -> InputError:
    """htslib could not index the file: find the first record out of order (the usual cause), else say so."""
    import pysam

    seen: set[str] = set()
    last_contig, last_pos, n = None, -1, 0
    try:
        with quiet_htslib():
            vf = pysam.VariantFile(data)
        with vf:
            vf.subset_samples([])
            for rec in vf:
                n += 1
                c, p = rec.contig, rec.pos
                if c != last_contig:
                    if c in seen:
                        return InputError(f"records are not sorted: contig {c} comes back after {last_contig}",
                                          file=display, record=f"record {n} {c}:{p}", fix=SORT_FIX)
                    seen.add(c)
                    last_contig, last_pos = c, -1
                if p < last_pos:
                    return InputError(f"records are not sorted: position {p} comes after {last_pos}", file=display,
                                      record=f"record {n} {c}:{p}", fix=SORT_FIX)
                last_pos = p
    except (OSError, ValueError) as exc:
        return unreadable_record(display, n, last_contig, last_pos, exc)
    except UnicodeDecodeError as exc:
        return not_utf8(display, f"record {n + 1}", exc)
    return InputError("htslib could not index the file", file=display,
                      fix="check it with `bcftools view FILE > /dev/null`, then sort and index it: " + SORT_FIX)


SORT_FIX = "bcftools sort IN -Oz -o sorted.vcf.gz && tabix -p vcf sorted.vcf.gz"


def unreadable_record(display: str, n: int, contig: str | None, pos: int, exc: Exception) -> InputError:
    """htslib refused a record or met a damaged block: one line naming where it stopped."""
    where = f"the record after {contig}:{pos} (record {n + 1})" if contig else "the first record"
    return InputError(f"htslib cannot read {where}: it cannot parse it or its compressed block is damaged "
                      "(htslib's own message above names the field or block)",
                      file=display, fix="correct or remove that record (`bcftools view FILE > /dev/null` stops at "
                      "it too); if the file was damaged in a copy, copy or download it again")


def not_utf8(display: str, where: str, exc: UnicodeDecodeError) -> InputError:
    bad = exc.object[max(0, exc.start - 20):exc.end + 20] if isinstance(exc.object, bytes) else b""
    return InputError(f"{where} holds text that is not UTF-8 (byte 0x{exc.object[exc.start]:02x} in {bad!r})",
                      file=display, fix="convert the file to UTF-8, e.g. `iconv -f latin1 -t utf-8`, or rename the "
                      "sample with `bcftools reheader -s`")
