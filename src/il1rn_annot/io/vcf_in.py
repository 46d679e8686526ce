"""Reading VCF/BCF with pysam: open, detect the build, find chr2, fetch the IL1RN window or stream.

Records leave this module as :class:`~il1rn_annot.types.Record` values (plus the raw pysam record for
writers that pass records through).  Every failure becomes an :class:`InputError` naming the file and
the record.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from ..builds import BuildEvidence, chr2_names, detect_build, is_chr2_name
from ..errors import InputError
from ..types import Interval, Record, SampleCall

QUALITY_FORMAT_KEYS = ("PS", "GQ", "DP", "FT", "CN")


def _pysam():
    import pysam  # lazy: keeps `il1rn-annot region` and `--help` fast

    return pysam


@dataclass
class VcfInput:
    path: str
    vf: object  # pysam.VariantFile
    build: BuildEvidence
    chr2: str | None  # the name chr2 has in this file
    samples: tuple[str, ...]
    indexed: bool

    @property
    def display(self) -> str:
        return "<stdin>" if self.path == "-" else self.path

    def close(self) -> None:
        self.vf.close()


def _has_index(path: str) -> bool:
    return path != "-" and any(os.path.exists(path + ext) for ext in (".tbi", ".csi"))


def open_vcf(path: str, *, build: str | None = None) -> VcfInput:
    pysam = _pysam()
    display = "<stdin>" if path == "-" else path
    if path != "-" and not os.path.exists(path):
        raise InputError("file not found", file=display, fix="check the path")
    try:
        vf = pysam.VariantFile(path)
    except (ValueError, OSError) as exc:
        text = str(exc).lower()
        if "truncated" in text or "eof marker" in text:
            raise InputError(f"the bgzip file is truncated or corrupt ({str(exc).splitlines()[0]})", file=display,
                             fix="re-create or re-download it; bgzip output is only complete after bgzip exits") from None
        raise InputError(f"not a readable VCF/BCF ({exc.__class__.__name__}: {str(exc).splitlines()[0]})",
                         file=display, fix="give a VCF (.vcf), bgzipped VCF (.vcf.gz) or BCF file") from None
    header = vf.header
    contigs = list(header.contigs)
    chr2 = next((c for c in contigs if is_chr2_name(c)), None)
    if contigs and chr2 is None:
        vf.close()
        raise InputError("the header declares no chr2 contig (looked for chr2, 2, NC_000002.12, NC_000002.11)",
                         file=display, fix="IL1RN lies on chr2; give a VCF that covers chromosome 2")
    length = assembly = None
    if chr2 is not None:
        c = header.contigs[chr2]
        length = c.length
        try:
            assembly = c.header_record.get("assembly")
        except (AttributeError, KeyError):
            assembly = None
    reference = next((rec.value for rec in header.records if rec.key == "reference"), None)
    try:
        evidence = detect_build(file=display, chr2_contig=chr2, chr2_length=length, chr2_assembly=assembly,
                                reference_line=reference, forced=build)
    except InputError:
        vf.close()
        raise
    indexed = _has_index(path) and chr2 is not None
    return VcfInput(path=path, vf=vf, build=evidence, chr2=chr2, samples=tuple(header.samples), indexed=indexed)


def _first(value):
    if isinstance(value, tuple):
        return value[0] if value else None
    return value


def to_record(raw, samples: tuple[str, ...], index: int) -> Record:
    """Convert a pysam record (pure data out, nothing bound to the file)."""
    calls = []
    if samples:
        for name, s in zip(samples, raw.samples.values()):
            gt = s.get("GT") if "GT" in s else None
            extras = {}
            for k in QUALITY_FORMAT_KEYS:
                if k in s:
                    try:
                        extras[k] = _first(s[k])
                    except (ValueError, KeyError):
                        extras[k] = None
            calls.append(SampleCall(sample=name, alleles=tuple(gt) if gt else (), phased=bool(s.phased),
                                    phase_set=extras.get("PS"), gq=extras.get("GQ"), dp=extras.get("DP"),
                                    ft=extras.get("FT"), cn=extras.get("CN")))
    info = {}
    for k in raw.info.keys():
        try:
            info[k] = raw.info[k]
        except (ValueError, KeyError):  # a key declared with a bad Number/Type: keep the record, skip the key
            continue
    # pysam folds INFO/END into rec.stop and hides it from rec.info: put it back
    if "END" not in info and raw.stop != raw.pos - 1 + len(raw.ref or ""):
        info["END"] = raw.stop
    return Record(contig=raw.chrom, pos=raw.pos, id=raw.id or ".", ref=raw.ref or "", alts=tuple(raw.alts or ()),
                  qual=raw.qual, filters=tuple(raw.filter.keys()), info=info, calls=tuple(calls), index=index)


def iter_raw(vin: VcfInput, window: Interval | None) -> Iterator[tuple[int, object]]:
    """Yield (ordinal, pysam record).  With an index and a window: only records overlapping the window.
    Otherwise stream the whole file, checking sort order on the way (positions must not decrease
    within a contig, and a contig must not come back after another)."""
    vf = vin.vf
    n = 0
    last_contig, last_pos = None, -1
    seen: set[str] = set()
    try:
        if vin.indexed and window is not None:
            for raw in vf.fetch(vin.chr2, window.start, window.end):
                yield n, raw
                n += 1
            return
        for raw in vf:
            c, p = raw.chrom, raw.pos
            if c != last_contig:
                if c in seen:
                    raise InputError(f"records of contig {c} are not together (file is not sorted)",
                                     file=vin.display, record=f"record {n + 1} {c}:{p}",
                                     fix="sort it: bcftools sort in.vcf -Oz -o sorted.vcf.gz && tabix sorted.vcf.gz")
                seen.add(c)
                last_contig, last_pos = c, -1
            if p < last_pos:
                raise InputError(f"position {p} comes after {last_pos} (file is not sorted)",
                                 file=vin.display, record=f"record {n + 1} {c}:{p}",
                                 fix="sort it: bcftools sort in.vcf -Oz -o sorted.vcf.gz && tabix sorted.vcf.gz")
            last_pos = p
            yield n, raw
            n += 1
    except (OSError, ValueError) as exc:
        where = f"after record {n} ({last_contig}:{last_pos})" if n else "at the first record"
        raise InputError(f"cannot read the file {where}: {str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__}",
                         file=vin.display, fix="the file is truncated or corrupt; re-create or re-download it") from None


def window_contig_names(vin: VcfInput) -> tuple[str, ...]:
    return (vin.chr2,) if vin.chr2 else chr2_names(vin.build.build)
