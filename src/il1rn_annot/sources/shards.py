"""Region-sharded inputs: many VCF/BCF shards of one callset (a UK Biobank pVCF release), of which only the
shard(s) holding the IL1RN window are read.

How the shards are chosen (nothing is decompressed but the indexes until a shard is chosen):

1. Every shard must be bgzipped (or BCF) with its own index (``.tbi`` or ``.csi``) that is not older than the
   data.  A shard without one is refused, all of them named in one line with the fix (``tabix -p vcf``):
   indexing a pVCF shard means reading it whole, which is exactly what sharding is there to avoid, and a
   shard that cannot be searched cannot be ruled out either.
2. Each index is read (:mod:`il1rn_annot.sources.hts_index`): the bins holding records give, per contig, the
   span of the shard's records to 16,384 bases.  The build comes from the header of the first shard whose index
   has chromosome-2 records (or ``build``), and with it the window.
3. A shard whose chromosome-2 span reaches the window is a candidate; a candidate holds the window when a
   fetch of the window through its index finds a record.  The others are skipped, each with its reason.
4. One shard holds the window: it is read as any indexed input is (:class:`VcfSource`).  Two or more (the window
   crosses a shard boundary): they must have the same samples in the same order and compatible declarations;
   the window's records of each are joined, in position order, into one BCF in the run's temporary folder
   (a record found in two shards, as when shards were cut with overlapping regions, is kept once), which is then
   read as any input is.  No shard holds the window: when a candidate spans it, or the window lies between two
   shards, the run reads that shard and finds no record (every verdict says NO_IL1RN_RECORDS); when no shard
   reaches chromosome 2 near IL1RN the run is refused, naming where the shards are.

The choices are kept as :class:`ShardChoice` (``RunSummary.shards``) and in the read notes.
"""

from __future__ import annotations

import heapq
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from il1rn_annot.errors import InputError
from il1rn_annot.model.builds import detect_build, is_chr2_name
from il1rn_annot.sources import staging
from il1rn_annot.sources.hts_index import IndexSpans, read_index_spans
from il1rn_annot.types import Interval

log = logging.getLogger(__name__)

INDEX_FIX = "index every shard: tabix -p vcf SHARD.vcf.gz (bcftools index SHARD.bcf for a BCF)"
LISTED = 5  # names listed per reason in a note; the rest are counted


@dataclass(frozen=True, slots=True)
class ShardChoice:
    """One shard and whether it was read: ``why`` says what its index (and a fetch of the window) showed."""

    path: str
    read: bool
    why: str


@dataclass(frozen=True)
class _Shard:
    path: str
    index: str
    is_bcf: bool
    spans: IndexSpans

    @property
    def chr2(self) -> list[str]:
        return [c for c in self.spans.contigs if is_chr2_name(c)]


def read_shard_list(path: str | os.PathLike) -> tuple[str, ...]:
    """The shard paths listed in a text file, one per line (blank lines and ``#`` comments skipped); a relative
    path is taken from the list file's folder."""
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except FileNotFoundError:
        raise InputError("the shard list does not exist", file=path, fix="check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"the shard list cannot be read ({exc})", file=path,
                         fix="give a text file with one VCF/BCF path per line") from None
    folder = os.path.dirname(os.path.abspath(path))
    out = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        out.append(line if os.path.isabs(line) else os.path.normpath(os.path.join(folder, line)))
    if not out:
        raise InputError("the shard list names no file", file=path, fix="list one VCF/BCF shard path per line")
    return tuple(out)


def input_display(inp) -> str:
    if isinstance(inp, tuple):
        return inp[0] if len(inp) == 1 else f"{len(inp)} shards ({inp[0]}, ...)"
    return "<stdin>" if inp == "-" else inp


def open_input(inp, *, build: str | None, window_for: Callable[[object, tuple[str, ...]], Interval],
               display: str | None = None):
    """A :class:`~il1rn_annot.sources.vcf.VcfSource` for ``inp``: one path (or a one-element tuple) as always
    (named ``display`` in messages, if given), several paths as shards (``window_for(build, chr2_names)``
    gives the window they are chosen for)."""
    from il1rn_annot.sources.vcf import VcfSource

    if isinstance(inp, tuple):
        if len(inp) == 1:
            return VcfSource.open(inp[0], build=build, display=display)
        return open_shards(inp, build=build, window_for=window_for)
    return VcfSource.open(inp, build=build, display=display)


def open_shards(paths: Sequence[str], *, build: str | None,
                window_for: Callable[[object, tuple[str, ...]], Interval]):
    """Choose and open the shard(s) holding the window (see the module's description)."""
    shards = _indexed_shards(paths)
    with_chr2 = [s for s in shards if s.chr2]
    if not with_chr2:
        seen = sorted({c for s in shards for c in s.spans.contigs})
        raise InputError(f"none of the {len(shards)} shards has a chromosome-2 record by its index (their "
                         f"indexes hold {'contigs ' + _few(seen) if seen else 'no record at all'})",
                         file=_files(paths), fix="give the shards of chromosome 2: IL1RN lies at GRCh38 chr2:113.1 "
                         "Mb, GRCh37 chr2:113.9 Mb")
    evidence = _build(with_chr2[0], build)
    chr2_names = tuple(dict.fromkeys(c for s in with_chr2 for c in s.chr2))
    window = window_for(evidence.build, chr2_names)
    region = f"{evidence.build.name} chr2:{window.start + 1:,}-{window.end:,}"
    choices: dict[str, str] = {}
    candidates, before, after, extents = [], [], [], []
    for s in shards:
        if not s.chr2:
            held = _few(sorted(s.spans.contigs))
            choices[s.path] = f"its index has no chromosome-2 record, {'only contigs ' + held if held else 'no record'}"
            continue
        lo = min(s.spans.contigs[c].start for c in s.chr2)
        hi = max(s.spans.contigs[c].end for c in s.chr2)
        extents.append((lo, hi))
        if hi <= window.start:
            before.append(s)
            choices[s.path] = f"by its index its chromosome-2 records end before the window, at about {hi:,}"
        elif lo >= window.end:
            after.append(s)
            choices[s.path] = f"by its index its chromosome-2 records start after the window, at about {lo + 1:,}"
        else:
            candidates.append(s)
    holders = []
    for s in candidates:
        if _has_record(s, window):
            holders.append(s)
            choices[s.path] = "holds records in the window"
        else:
            choices[s.path] = "its index reaches the window but none of its records falls in it"
    gaps = _uncovered(window, extents)
    gap_text = ", ".join(f"chr2:{a + 1:,}-{b:,}" for a, b in gaps)
    extra_notes = []
    if not holders:
        if candidates and not gaps:
            holders = candidates[:1]
            extra_notes.append(f"no shard has a record in the window {region}, which lies within the shards' "
                               f"regions: {holders[0].path} was read for its samples (every verdict is "
                               "NO_IL1RN_RECORDS)")
        elif candidates or (before and after):
            where = ("it lies between the shards' regions" if gaps == [(window.start, window.end)]
                     else f"{gap_text} lies in no shard's region")
            raise InputError(f"no shard has a record in the IL1RN window {region}, and {where}: a shard seems to "
                             "be missing from the list", file=_files(paths),
                             fix="add the shard whose region covers the window; if the callset truly has no record "
                             "there, annotate the nearest shard alone to get NO_IL1RN_RECORDS verdicts")
        else:
            raise InputError(f"no shard reaches the IL1RN window {region}: the chromosome-2 records of every shard "
                             f"lie {'before' if before else 'after'} it", file=_files(paths),
                             fix="give the shard whose region covers the window; a UK Biobank block list names "
                             "each shard's region and `il1rn-annot region` prints the window")
    elif gaps:
        note = (f"part of the window ({gap_text}) lies in no given shard's region: if the callset has records "
                "there, a shard is missing from the list")
        log.warning("%s", note)
        extra_notes.append(note)
    read = {s.path for s in holders}
    summary = tuple(ShardChoice(s.path, s.path in read, choices[s.path]) for s in shards)
    notes = shard_notes(summary, region) + extra_notes
    if len(holders) == 1:
        src = _open_one(holders[0], build)
    else:
        src = _open_joined(holders, window, build, region)
    try:
        if src.build.build is not evidence.build:
            raise InputError(f"the shards are of different builds: {with_chr2[0].path} is {evidence.build.name}, "
                             f"{src.display} is {src.build.build.name}", file=src.display,
                             fix="give the shards of one release")
        src.notes[:0] = notes
        src.shards = summary
        src.recheck_empty = False  # a shard's index is trusted (re-indexing a pVCF shard reads it whole)
    except BaseException:
        src.close()
        raise
    return src


def shard_notes(choices: Sequence[ShardChoice], region: str) -> list[str]:
    """Read notes: which shards were read for the window ``region`` and why, and the skipped ones grouped by
    reason (each named with its reason when there are few, else named up to five per reason and counted)."""
    read = [c for c in choices if c.read]
    notes = [f"shards: {len(read)} of {len(choices)} read for the window {region}: "
             + "; ".join(f"{c.path} ({c.why})" for c in read)]
    skipped: dict[str, list[str]] = {}
    for c in choices:
        if not c.read:
            skipped.setdefault(_reason_kind(c.why), []).append(f"{c.path} ({c.why})" if len(choices) <= 3 * LISTED
                                                               else c.path)
    for kind, names in skipped.items():
        shown = names[:LISTED] + ([f"and {len(names) - LISTED} more"] if len(names) > LISTED else [])
        notes.append(f"shards skipped, {kind}: {len(names)}: " + ", ".join(shown))
    return notes


def _uncovered(window: Interval, extents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``window`` that no shard's chromosome-2 span (from its index bins) covers."""
    gaps, at = [], window.start
    for lo, hi in sorted(extents):
        if hi <= at:
            continue
        if lo >= window.end:
            break
        if lo > at:
            gaps.append((at, lo))
        at = max(at, hi)
        if at >= window.end:
            break
    if at < window.end:
        gaps.append((at, window.end))
    return gaps


def _reason_kind(why: str) -> str:
    if "no chromosome-2" in why:
        return "no chromosome-2 record"
    if "before the window" in why:
        return "before the window"
    if "after the window" in why:
        return "after the window"
    return "no record in the window"


def _few(names: Sequence[str], n: int = 6) -> str:
    return ", ".join(names[:n]) + (f" and {len(names) - n} more" if len(names) > n else "")


def _files(paths: Sequence[str]) -> str:
    return f"{len(paths)} shards ({_few(list(paths), 3)})"


def _indexed_shards(paths: Sequence[str]) -> list[_Shard]:
    """Each shard with its index read; every refusal names the shard(s) and the fix."""
    from il1rn_annot.sources.vcf import _is_bgzf

    seen: set[str] = set()
    for p in paths:
        if p == "-":
            raise InputError("standard input cannot be one of several shards", file="-",
                             fix="give the shards as files, each with its index")
        if not os.path.exists(p):
            raise InputError("file not found", file=p, fix="check the path and the shard list")
        if not staging.is_regular_file(p):
            raise InputError("a shard must be a file on disk with its index", file=p,
                             fix="write it to a file, bgzip and index it")
        key = os.path.realpath(p)
        if key in seen:
            raise InputError("the same shard is given twice", file=p, fix="give each shard once")
        seen.add(key)
    out, unindexed = [], []
    for p in paths:
        if staging.head_bytes(p, 2) != staging.GZIP_MAGIC or not _is_bgzf(p):
            raise InputError("a shard must be bgzipped (or BCF) so that its index can find IL1RN in it", file=p,
                             fix="bgzip it and index it: bgzip FILE && tabix -p vcf FILE.gz")
        is_bcf = _is_bcf(p)
        index, why = staging.usable_index(p, is_bcf)
        if index is None:
            unindexed.append((p, why))
            continue
        out.append((p, index, is_bcf))
    if unindexed:
        names = ", ".join(f"{p} ({why})" for p, why in unindexed[:LISTED])
        more = f" and {len(unindexed) - LISTED} more" if len(unindexed) > LISTED else ""
        raise InputError(f"{len(unindexed)} of {len(paths)} shards cannot be searched: {names}{more}",
                         file=unindexed[0][0], fix=INDEX_FIX + "; a shard is found through its index, never read whole")
    return [_Shard(p, index, is_bcf, read_index_spans(index, bcf=p if is_bcf else None)) for p, index, is_bcf in out]


def _is_bcf(path: str) -> bool:
    from pysam.libcbgzf import BGZFile

    try:
        with BGZFile(path, "rb") as fh:
            return fh.read(3) == b"BCF"
    except (OSError, EOFError, ValueError) as exc:
        raise InputError(f"the bgzip file cannot be read ({exc})", file=path, fix="re-create or re-download it") \
            from None


def _build(shard: _Shard, forced: str | None):
    """The build told by ``shard``'s header (the first shard holding chromosome-2 records), or ``forced``."""
    from il1rn_annot.sources.vcf import _probe

    _, _, header = _probe(shard.path, shard.path)
    return detect_build(file=shard.path, chr2_contig=header.chr2, chr2_length=header.chr2_length,
                        chr2_assembly=header.chr2_assembly, reference_line=header.reference_line, forced=forced)


def _has_record(shard: _Shard, window: Interval) -> bool:
    """Does a fetch of the window through the shard's index find a record (samples not parsed)?"""
    import pysam

    try:
        with staging.quiet_htslib():
            vf = pysam.VariantFile(shard.path, index_filename=shard.index)
        with vf:
            try:
                vf.subset_samples([])
            except UnicodeDecodeError:
                pass
            for name in shard.chr2:
                for _ in vf.fetch(name, window.start, window.end):
                    return True
    except (OSError, ValueError) as exc:
        raise InputError(f"htslib cannot read the shard through its index ({exc})", file=shard.path,
                         fix="re-create the index: tabix -f -p vcf FILE (bcftools index -f FILE)") from None
    return False


def _open_one(shard: _Shard, build: str | None):
    from il1rn_annot.sources.vcf import VcfSource

    return VcfSource.open(shard.path, build=build)


def _open_joined(shards: list[_Shard], window: Interval, build: str | None, region: str):
    """The window's records of several shards joined into one BCF in a temporary folder, opened as a source."""
    from il1rn_annot.sources.vcf import VcfSource

    display = " + ".join(s.path for s in shards)
    work = tempfile.TemporaryDirectory(prefix="il1rn-annot-shards-")
    try:
        target = os.path.join(work.name, "window.bcf")
        n, twice, added = _join_window(shards, window, target)
        src = VcfSource._open(target, display, build, work)
    except BaseException:
        work.cleanup()
        raise
    src.notes[:] = [f"the {n} records of {region} in {len(shards)} shards were joined in position order into a "
                    "temporary BCF, indexed there and read"]
    if twice:
        src.notes.append(f"{twice} record(s) found in two shards (shards cut with overlapping regions) were read once")
    src.notes += added
    src.index_is_users = False
    return src


def _join_window(shards: list[_Shard], window: Interval, target: str) -> tuple[int, int, list[str]]:
    """Write the window's records of ``shards`` into ``target`` (BCF), in position order.  Returns (records
    written, records dropped as seen in an earlier shard, notes on declarations added)."""
    import pysam

    readers = []
    try:
        for s in shards:
            try:
                with staging.quiet_htslib():
                    readers.append(pysam.VariantFile(s.path, index_filename=s.index))
            except (OSError, ValueError) as exc:
                raise InputError(f"htslib cannot open the shard with its index ({exc})", file=s.path,
                                 fix="re-create the index: tabix -f -p vcf FILE (bcftools index -f FILE)") from None
        _same_samples(shards, readers)
        header, added = _joined_header(shards, readers)
        contigs = list(header.contigs)
        rank = {name: i for i, name in enumerate(contigs)}

        def stream(k: int):
            for name in shards[k].chr2:
                try:
                    for rec in readers[k].fetch(name, window.start, window.end):
                        yield (rank.get(rec.contig, len(rank)), rec.pos, k), rec
                except (OSError, ValueError) as exc:
                    raise InputError(f"htslib cannot read the shard's records in the window ({exc})",
                                     file=shards[k].path, fix="check it with `bcftools view FILE > /dev/null`; "
                                     "copy or download it again if it was damaged") from None

        n = twice = 0
        origin: dict[tuple, int] = {}
        with pysam.VariantFile(target, "wb", header=header) as out:
            for (_, _, k), rec in heapq.merge(*(stream(k) for k in range(len(shards))), key=lambda x: x[0]):
                key = (rec.contig, rec.pos, rec.ref, rec.alts)
                if origin.setdefault(key, k) != k:
                    twice += 1
                    continue
                try:
                    rec.translate(header)
                    out.write(rec)
                except (OSError, ValueError) as exc:
                    raise InputError(f"a record cannot be joined with the other shards' records ({exc})",
                                     file=shards[k].path, record=f"{rec.contig}:{rec.pos}",
                                     fix="declare every INFO/FORMAT key in the shard's header") from None
                n += 1
        return n, twice, added
    finally:
        for r in readers:
            r.close()


def _same_samples(shards: list[_Shard], readers) -> None:
    first = tuple(readers[0].header.samples)
    for s, r in zip(shards[1:], readers[1:]):
        other = tuple(r.header.samples)
        if other == first:
            continue
        if sorted(other) == sorted(first):
            what = "the same samples in another order"
        else:
            diff = next((i for i, (a, b) in enumerate(zip(first, other)) if a != b), min(len(first), len(other)))
            show = (f"sample {diff + 1} is {other[diff]!r} there, {first[diff]!r} in {shards[0].path}"
                    if diff < min(len(first), len(other)) else f"{len(other)} samples there, {len(first)} in "
                    f"{shards[0].path}")
            what = f"other samples ({show})"
        raise InputError(f"the IL1RN window crosses two shards, but this one has {what}", file=s.path,
                         fix="shards of one callset carry the same samples in the same order: give shards of one "
                         "release (to combine different samples, bcftools merge them first, then annotate the "
                         "merged file)")


def _joined_header(shards: list[_Shard], readers):
    """The first shard's header, with the declarations other shards add; a key declared two ways is refused."""
    header = readers[0].header.copy()
    declared = {(r.type, r.get("ID")): r for r in header.records if r.type in ("INFO", "FORMAT", "FILTER", "CONTIG")}
    added = []
    for s, reader in zip(shards[1:], readers[1:]):
        for rec in reader.header.records:
            if rec.type not in ("INFO", "FORMAT", "FILTER", "CONTIG"):
                continue
            key = (rec.type, rec.get("ID"))
            mine = declared.get(key)
            if mine is None:
                header.add_record(rec)
                declared[key] = rec
                added.append(f"{s.path} declares {rec.type}/{key[1]}, which {shards[0].path} does not: added")
            elif rec.type in ("INFO", "FORMAT") and (mine.get("Number"), mine.get("Type")) != (rec.get("Number"),
                                                                                            rec.get("Type")):
                raise InputError(f"{rec.type}/{key[1]} is declared Number={rec.get('Number')},Type={rec.get('Type')} "
                                 f"here but Number={mine.get('Number')},Type={mine.get('Type')} in {shards[0].path}",
                                 file=s.path, fix="give shards of one release (their headers declare every key "
                                 "the same way)")
    for name in dict.fromkeys(c for s in shards for c in s.chr2):
        if name not in header.contigs:
            header.add_line(f"##contig=<ID={name}>")
    return header, added
