"""BAM/CRAM reading for the VNTR (pysam): one index query per file over the labelled locus, each read handed
to the pure read logic of :mod:`il1rn_annot.vntr.reads` and reduced at once (no read is kept).

* The sample name is each read group's ``@RG SM`` (a read without an RG tag belongs to the file's only
  sample; a file with several samples needs the tags).  Several files of one sample are pooled.
* The build comes from the chr2 ``@SQ`` line (name, length ``LN``, ``AS``, the ``UR`` file name), as for VCFs.
* Long or short reads: ``@RG PL`` (PACBIO/ONT long; ILLUMINA and the like short), else the longest read at the
  locus (>= 1,000 bp: long), or ``read_type`` when forced.
* CRAM needs the FASTA it was compressed against (``reference``); without it the file is refused before it
  is opened, so that htslib never tries to fetch a reference over the network.  Every file needs its index.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from il1rn_annot.errors import InputError
from il1rn_annot.model.builds import Build, detect_build, get_build, is_chr2_name
from il1rn_annot.vntr.definition import TagMarker, load_vntr_definition
from il1rn_annot.vntr.reads import (
    AlignedRead,
    ReadLocus,
    ReadsEvidence,
    ReadsOptions,
    SampleReads,
    call_reads,
    observe_read,
    read_type_of,
)

_NO_NETWORK_REF_PATH = os.devnull + "/%s"  # htslib's REF_PATH when a CRAM is read: never the EBI server


@dataclass(frozen=True)
class _Header:
    contig: str
    build: Build
    build_how: str
    samples_by_rg: dict[str, str]
    platform_by_rg: dict[str, str]


def _is_cram(path: str) -> bool:
    if path.lower().endswith(".cram"):
        return True
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"CRAM"
    except OSError:
        return False


def _open(path: str, reference: str | None):
    import pysam

    if not os.path.exists(path):
        raise InputError("file not found", file=path, fix="check the --reads path")
    cram = _is_cram(path)
    if cram and not reference:
        raise InputError("a CRAM file can only be decoded with the reference FASTA it was compressed against",
                         file=path, fix="give that FASTA with --reads-reference FASTA (API: reads_reference=)")
    if reference and not os.path.exists(reference):
        raise InputError("reference FASTA not found", file=reference, fix="check the --reads-reference path")
    try:
        af = pysam.AlignmentFile(path, "rc" if cram else "rb", reference_filename=reference if cram else None)
    except (OSError, ValueError) as exc:
        raise InputError(f"not a readable BAM/CRAM ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})",
                         file=path, fix="give a coordinate-sorted, indexed BAM or CRAM") from None
    if not af.has_index():
        af.close()
        raise InputError("no index (.bai/.csi/.crai) beside the file", file=path,
                         fix=f"run: samtools index {path}")
    return af


def _header(af, path: str, build: str | None) -> _Header:
    h = af.header.to_dict()
    sq = [s for s in h.get("SQ", []) if is_chr2_name(s.get("SN", ""))]
    if not sq:
        raise InputError("no chr2 in the @SQ lines (chr2, 2 or NC_000002.x)", file=path,
                         fix="give reads aligned to GRCh38 or GRCh37")
    s = sq[0]
    evidence = detect_build(file=path, chr2_contig=s["SN"], chr2_length=s.get("LN"), chr2_assembly=s.get("AS"),
                            reference_line=s.get("UR"), forced=None)
    if build and evidence.build.name != get_build(build).name:
        raise InputError(f"the reads are {evidence.build.name} ({evidence.how.replace('##contig', '@SQ')}), the VCF "
                         f"or --build {get_build(build).name}", file=path,
                         fix="give reads aligned to the same build as the VCF")
    rgs = h.get("RG", [])
    samples = {rg["ID"]: rg["SM"] for rg in rgs if rg.get("ID") and rg.get("SM")}
    if not samples:
        raise InputError("no @RG line with SM: the sample name is read from @RG SM", file=path,
                         fix=f"add one: samtools addreplacerg -r 'ID:rg1' -r 'SM:SAMPLE' -o fixed.bam {path}")
    platforms = {rg["ID"]: rg.get("PL", "") for rg in rgs if rg.get("ID")}
    return _Header(s["SN"], evidence.build, evidence.how, samples, platforms)


def read_vntr_reads(paths: Iterable[str], *, reference: str | None = None, build: str | None = None,
                    options: ReadsOptions | None = None, markers: tuple[TagMarker, ...] | None = None
                    ) -> ReadsEvidence:
    """Read the VNTR locus of every file (one index query each) and call each sample."""
    options = options or ReadsOptions()
    paths = [os.fspath(p) for p in paths]
    if not paths:
        raise InputError("no read file given", fix="give one or more BAM/CRAM files with --reads")
    tallies: dict[str, SampleReads] = {}
    builds: dict[str, str] = {}
    locus: ReadLocus | None = None
    notes: list[str] = []
    saved = os.environ.get("REF_PATH")
    try:
        if "REF_PATH" not in os.environ:
            os.environ["REF_PATH"] = _NO_NETWORK_REF_PATH
        for path in paths:
            with _open(path, reference) as af:
                head = _header(af, path, build)
                if locus is None:
                    locus = ReadLocus.of(load_vntr_definition(head.build.name), markers)
                elif head.build.name != locus.defn.build:
                    raise InputError(f"the read files mix builds: {head.build.name} here, {locus.defn.build} in "
                                     f"{next(iter(builds))}", file=path, fix="give files of one build")
                builds[path] = f"{head.build.name} ({head.build_how})"
                _read_file(af, path, head, locus, options, tallies, notes)
    finally:
        if saved is None:
            os.environ.pop("REF_PATH", None)
    assert locus is not None
    calls = {s: call_reads(t, locus, options) for s, t in tallies.items()}
    return ReadsEvidence(locus.defn.build, calls, tuple(paths), tuple(notes),
                         tuple(f"{p}: {b}".replace("##contig ", "@SQ ").replace("##contig assembly=", "@SQ AS:")
                               .replace("##reference=", "@SQ UR:") for p, b in builds.items()))


def _read_file(af, path: str, head: _Header, locus: ReadLocus, options: ReadsOptions,
               tallies: dict[str, SampleReads], notes: list[str]) -> None:
    only = next(iter(head.samples_by_rg.values())) if len(set(head.samples_by_rg.values())) == 1 else None
    seen = []  # (read group, observation) of this file: its read type may depend on its longest read
    longest: dict[str, int] = {}
    untagged = 0
    try:
        reads = af.fetch(head.contig, locus.fetch.start, locus.fetch.end)
        for r in reads:
            rg = r.get_tag("RG") if r.has_tag("RG") else None
            sample = head.samples_by_rg.get(rg) if rg is not None else only
            if sample is None:
                untagged += 1
                continue
            quals = r.query_qualities
            read = AlignedRead(r.query_name or "", sample, r.reference_start, tuple(r.cigartuples or ()),
                               r.query_sequence or "", bytes(quals) if quals is not None else b"",
                               r.mapping_quality, r.flag)
            key = rg or ""
            longest[key] = max(longest.get(key, 0), read.length)
            seen.append((key, sample, observe_read(read, locus, options)))
    except (OSError, ValueError) as exc:
        raise InputError(f"reading the reads failed ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})",
                         file=path, fix="check the file (samtools quickcheck) and, for a CRAM, its reference") from None
    if untagged:
        notes.append(f"{path}: {untagged} read(s) without an RG tag in a file of several samples: not used")
    kinds = {}
    for key, length in longest.items():
        platform = head.platform_by_rg.get(key) if key else next(iter(head.platform_by_rg.values()), "")
        kinds[key] = read_type_of(platform, length, options.read_type)
    for key, sample, obs in seen:
        tally = tallies.setdefault(sample, SampleReads(sample))
        if path not in tally.files:
            tally.files.append(path)
        kind, how = kinds[key]
        tally.read_types.setdefault(path, f"{kind} ({how})")
        tally.add(obs, locus, kind == "long", options)
    for sample in set(head.samples_by_rg.values()) - {s for _, s, _ in seen}:
        tally = tallies.setdefault(sample, SampleReads(sample))  # a sample with no read at the locus is reported
        if path not in tally.files:
            tally.files.append(path)
