"""Reading VCF/BCF with pysam: open, detect the build, find chr2, fetch the IL1RN window or stream.

Records leave this module as :class:`~il1rn_annot.types.Record` values (plus the raw pysam record for
writers that pass records through).  Every failure becomes an :class:`InputError` naming the file and
the record.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from .. import log
from ..builds import BuildEvidence, chr2_names, detect_build, is_chr2_name
from ..errors import InputError
from ..frozen import field, mutable
from ..types import Interval, Record, SampleCall

QUALITY_FORMAT_KEYS = ("PS", "GQ", "DP", "FT", "CN")
COLUMNAR_MIN_SAMPLES = 8  # from this many samples, genotypes are parsed into numpy arrays (gtmatrix.py)
STREAM_WARN_BYTES = 64 << 20  # a file this big read whole (no index, no bisection) gets a warning


def _size(path: str) -> int:
    try:
        return os.path.getsize(path) if path != "-" else 0
    except OSError:
        return 0


# repeat-genotyper FORMAT fields kept whole in SampleCall.extra (ExpansionHunter REPCN, TRGT AL)
REPEAT_FORMAT_KEYS = ("REPCN", "AL")


def _pysam():
    import pysam  # lazy: keeps `il1rn-annot region` and `--help` fast

    return pysam


@mutable
class VcfInput:
    """An opened input VCF: its reader, build, samples and how it will be read (indexed, bisect or stream)."""
    path: str
    vf: object  # pysam.VariantFile
    build: BuildEvidence
    chr2: str | None  # the name chr2 has in this file
    samples: tuple[str, ...]
    indexed: bool
    bgzf_vcf: bool = False  # a bgzipped text VCF on disk: searchable by bisection when sorted
    header_voffset: int = 0  # BGZF virtual offset of the first record line
    tbi: str | None = None  # a .tbi read by io/tabix_index.py (htslib did not load it: vf cannot fetch)
    mode: str = ""  # how the last iter_raw read the file: "indexed", "bisect" or "stream"
    read_notes: list[str] = field(default_factory=list)
    # Raw-text mode (wide records of a VCF text file on disk, see open_vcf): htslib parses the first 8
    # columns only (its header has no samples) and each record's line is read as the file has it.  The
    # header's text is kept, not a copy of htslib's header: at 100,000 samples each copy is ~15 MB of RSS.
    full_text: str | None = None  # the header as text, samples included (vf.header has none in raw-text mode)
    reader: Iterator | None = None  # records read ahead on a thread (iter_raw, io/prefetch.py): vf.tell() races

    @property
    def raw_text(self) -> bool:
        return self.full_text is not None

    @property
    def header_text(self) -> str:
        """The file's header as text, samples included (what the spool is written with)."""
        return self.full_text if self.full_text is not None else str(self.vf.header)

    @property
    def display(self) -> str:
        return "<stdin>" if self.path == "-" else self.path

    def close(self) -> None:
        if self.reader is not None:  # stop the thread reading ahead before htslib's file goes
            self.reader.close()
            self.reader = None
        self.vf.close()


def _header_problem(path: str) -> tuple[str, str] | None:
    """Why htslib refused the header of a text VCF (io/header_check.py), if one of its checks says; None
    for a file whose first line is not a header line (a BCF, not a VCF), one that cannot be read, or a
    header those checks find nothing wrong with."""
    from .header_check import header_problem, read_header_lines

    try:
        return header_problem(read_header_lines(path))
    except (OSError, EOFError, ValueError):
        return None


def _has_index(path: str) -> bool:
    return path != "-" and any(os.path.exists(path + ext) for ext in (".tbi", ".csi"))


def open_vcf(path: str, *, build: str | None = None, raw_text: bool = False) -> VcfInput:
    """``raw_text``: the caller can take each record's line as the file has it (``iter_raw`` yields it) with
    a pysam record of its first 8 columns only.  Used for records of 8 samples or more in a VCF text file
    (bgzipped or plain) on disk: htslib then skips the sample columns, which are most of the cost of a wide
    record (parsing them and rendering them back to text).  Not for stdin, BCF, plain gzip or a file with a
    .csi only (read through htslib's fetch, as its index is not read here)."""
    pysam = _pysam()
    display = "<stdin>" if path == "-" else path
    if path != "-" and not os.path.exists(path):
        raise InputError("file not found", file=display, fix="check the path")
    indexed_file = _has_index(path)
    # A bgzipped VCF with a .tbi: we read the one linear-index entry the window needs ourselves
    # (io/tabix_index.py), so htslib is kept from loading the whole index: it opens the file through
    # /dev/fd, where it finds no index beside it.  Elsewhere (no /dev/fd, .csi, BCF, 8+ samples) htslib loads it.
    tbi = path + ".tbi" if indexed_file and os.path.exists(path + ".tbi") else None
    fd_path = fd = None
    notes: list[str] = []
    if tbi is not None:
        from .bgzf_bisect import is_bgzf

        fd = os.open(path, os.O_RDONLY) if is_bgzf(path) else None
        if fd is not None and os.path.exists(f"/dev/fd/{fd}"):
            fd_path = f"/dev/fd/{fd}"
    quiet = path != "-" and (not indexed_file or fd_path is not None)  # else htslib prints "Could not retrieve index file"
    try:
        if quiet:
            old = pysam.set_verbosity(0)
        try:
            try:
                vf = pysam.VariantFile(fd_path or path)
                wide = fd_path is not None and len(vf.header.samples) >= COLUMNAR_MIN_SAMPLES
                if wide and raw_text and vf.format == "VCF":  # samples not parsed: our sequential read is cheap
                    wide = False
                if fd_path is not None and (vf.format != "VCF" or wide):
                    # a BCF named with a .tbi beside it, or wide records (a cohort): htslib's fetch skips the
                    # lines before the window without parsing their samples, where our sequential read from
                    # the tile start would parse each in full
                    if wide:
                        notes.append(f"tabix index loaded by htslib ({len(vf.header.samples)} samples: its fetch "
                                     "skips the lines before the window without parsing them)")
                    vf.close()
                    fd_path = None
                    vf = pysam.VariantFile(path)
            except NotImplementedError:  # plain gzip (not bgzip): htslib cannot seek it; read it as a stream
                vf = pysam.VariantFile(open(path, "rb"))
        finally:
            if quiet:
                pysam.set_verbosity(old)
            if fd is not None:
                os.close(fd)  # htslib opened /dev/fd/N anew: its own descriptor
    except (ValueError, OSError) as exc:
        text = str(exc).lower()
        if "truncated" in text or "eof marker" in text:
            raise InputError(f"the bgzip file is truncated or corrupt ({str(exc).splitlines()[0]})", file=display,
                             fix="re-create or re-download it; bgzip output is only complete after bgzip exits") from None
        problem = _header_problem(path) if path != "-" else None
        if problem is not None:
            raise InputError(f"htslib refuses the header: {problem[0]}", file=display, fix=problem[1]) from None
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
    indexed = indexed_file and chr2 is not None
    bgzf_vcf = False
    header_voffset = 0
    if path != "-" and not indexed and getattr(vf, "format", "") == "VCF" and getattr(vf, "compression", "") == "BGZF":
        from .bgzf_bisect import is_bgzf

        bgzf_vcf = is_bgzf(path)
        if bgzf_vcf:
            header_voffset = vf.tell()
    if fd_path is not None:
        header_voffset = vf.tell()
    samples = tuple(header.samples)
    full_text = None
    use_raw = (raw_text and path != "-" and len(samples) >= COLUMNAR_MIN_SAMPLES and getattr(vf, "format", "") == "VCF"
               and getattr(vf, "compression", "") in ("BGZF", "NONE") and not (indexed and fd_path is None))
    if use_raw:
        full_text = str(header)
        if not (indexed or bgzf_vcf):
            header_voffset = vf.tell()  # streamed: the text is read from the first record line
        vf.subset_samples([])  # htslib: no sample is kept, so the FORMAT and sample columns are not parsed
        notes.append(f"records' text read as in the file; htslib parses their first 8 columns ({len(samples)} samples)")
    return VcfInput(path=path, vf=vf, build=evidence, chr2=chr2, samples=samples, indexed=indexed,
                    bgzf_vcf=bgzf_vcf, header_voffset=header_voffset, tbi=tbi if fd_path is not None else None,
                    read_notes=notes, full_text=full_text)


def _first(value):
    if isinstance(value, tuple):
        return value[0] if value else None
    return value


class RecordFields:
    """What is read of a pysam record outside its samples, taken on the thread that read the record
    (:func:`_read_ahead`): htslib changes the file's header while it reads a record that uses a key the
    header does not declare (it adds the key), so no other thread may read through htslib meanwhile.
    :func:`to_record` takes it in place of the pysam record."""

    __slots__ = ("chrom", "pos", "stop", "fields")

    def __init__(self, raw):
        self.chrom, self.pos, self.stop = raw.chrom, raw.pos, raw.stop
        self.fields = _fields(raw)


def _fields(raw) -> tuple:
    """(contig, pos, id, ref, alts, qual, filters, info) of a pysam record."""
    info = {}
    for k in raw.info.keys():
        try:
            info[k] = raw.info[k]
        except (ValueError, KeyError):  # a key declared with a bad Number/Type: keep the record, skip the key
            continue
    # pysam folds INFO/END into rec.stop and hides it from rec.info: put it back
    if "END" not in info and raw.stop != raw.pos - 1 + len(raw.ref or ""):
        info["END"] = raw.stop
    return (raw.chrom, raw.pos, raw.id or ".", raw.ref or "", tuple(raw.alts or ()), raw.qual,
            tuple(raw.filter.keys()), info)


def to_record(raw, samples: tuple[str, ...], index: int, genotypes=None) -> Record:
    """Convert a pysam record, or the :class:`RecordFields` of one (pure data out, nothing bound to the file).

    ``genotypes``: a callable returning the record's :class:`~il1rn_annot.gtmatrix.GenotypeMatrix`
    (columnar, vectorised); ``Record.calls`` is then a :class:`~il1rn_annot.gtmatrix.LazyCalls`.
    Without it, one SampleCall per sample is built here through pysam."""
    calls = []
    if genotypes is not None:
        from ..gtmatrix import LazyCalls

        calls = LazyCalls(genotypes, len(samples))
    elif samples:
        for name, s in zip(samples, raw.samples.values()):
            gt = s.get("GT") if "GT" in s else None
            extras = {}
            for k in QUALITY_FORMAT_KEYS:
                if k in s:
                    try:
                        extras[k] = _first(s[k])
                    except (ValueError, KeyError):
                        extras[k] = None
            repeat = {}
            for k in REPEAT_FORMAT_KEYS:
                if k in s:
                    try:
                        repeat[k] = s[k]
                    except (ValueError, KeyError):
                        continue
            calls.append(SampleCall(sample=name, alleles=tuple(gt) if gt else (), phased=bool(s.phased),
                                    phase_set=extras.get("PS"), gq=extras.get("GQ"), dp=extras.get("DP"),
                                    ft=extras.get("FT"), cn=extras.get("CN"), extra=repeat))
    contig, pos, id_, ref, alts, qual, filters, info = raw.fields if isinstance(raw, RecordFields) else _fields(raw)
    return Record(contig=contig, pos=pos, id=id_, ref=ref, alts=alts, qual=qual, filters=filters, info=info,
                  calls=calls if genotypes is not None else tuple(calls), index=index)


def _not_sorted(vin: VcfInput, what: str, n: int, c: str, p: int) -> InputError:
    return InputError(f"{what} (file is not sorted)", file=vin.display, record=f"record {n + 1} {c}:{p}",
                      fix="sort it: bcftools sort in.vcf -Oz -o sorted.vcf.gz && tabix sorted.vcf.gz")


def _warn(vin: VcfInput, message: str) -> None:
    vin.read_notes.append(message)
    log.warning("%s: %s", vin.display, message)  # the CLI prints it as a warning


def _bisect_start(vin: VcfInput, window: Interval) -> tuple[bool, int | None]:
    """(True, virtual offset or None when nothing is at/after the window) or (False, None) to stream."""
    from .bgzf_bisect import LOOKBACK_SMALL, LOOKBACK_SV, NotBisectable, find_window_start

    header = vin.vf.header
    lookback = LOOKBACK_SV if ("END" in header.info or "SVLEN" in header.info) else LOOKBACK_SMALL
    try:
        res = find_window_start(vin.path, vin.header_voffset, list(header.contigs), vin.chr2,
                                window.start + 1, window.end, lookback=lookback)
    except NotBisectable as exc:
        _warn(vin, f"no index and bisection is not possible ({exc}): reading the whole file "
                   f"(index it for speed: tabix -p vcf {vin.display})")
        return False, None
    except OSError as exc:
        _warn(vin, f"no index and bisection failed ({exc}): reading the whole file")
        return False, None
    vin.read_notes.append(f"bisection: {res.probes} probes, {res.blocks_read} BGZF blocks decompressed")
    return True, res.voffset


def _tbi_start(vin: VcfInput, window: Interval):
    """Virtual offset to read the window from (io/tabix_index.py), None when nothing reaches the window,
    False when the .tbi could not be read here (htslib then loads it)."""
    from .tabix_index import IndexUnusable, window_start_voffset

    try:
        voffset, blocks = window_start_voffset(vin.tbi, vin.chr2, window.start)
    except (IndexUnusable, OSError) as exc:
        vin.read_notes.append(f"tabix index read by htslib ({exc})")
        return False
    vin.read_notes.append(f"tabix index: {blocks} BGZF blocks of it read for {vin.chr2}")
    return voffset


def _reopen_with_index(vin: VcfInput):
    vin.vf.close()
    vin.vf = _pysam().VariantFile(vin.path)
    return vin.vf


def iter_raw(vin: VcfInput, window: Interval | None) -> Iterator[tuple[int, object, bytes | None]]:
    """Yield (ordinal, pysam record, line): ``line`` is the record's text as in the file (without its newline)
    in raw-text mode (``vin.raw_text``, see :func:`open_vcf`; the pysam record then has no samples, and on the
    indexed and bisect paths it is the record's :class:`RecordFields`, see below), else None.

    - ``indexed``: with a .tbi/.csi and a window.  A .tbi is read here (:mod:`il1rn_annot.io.tabix_index`:
      the chr2 linear-index entry of the window's first 16 kb tile) and records are read from that offset
      until past the window, like ``bisect``; a .csi (or a BCF, a .tbi we cannot read, or records with
      8 samples or more: see :func:`open_vcf`) goes through htslib's fetch;
    - ``bisect``: a sorted bgzipped VCF without index: seek to the window by bisection over BGZF blocks
      (:mod:`il1rn_annot.io.bgzf_bisect`) and read until past it.  Yields the same pysam records as
      ``indexed`` plus a few neighbours before the window, which callers filter as they do in ``stream``;
    - ``stream``: everything else (no window asked, stdin, plain text, BCF, unsorted): the whole file,
      with a warning when a window was asked of a big file (the CLI shows a progress bar).

    In raw-text mode the indexed and bisect reads take htslib's records from a worker thread that reads
    ahead (:mod:`il1rn_annot.io.prefetch`, up to the record where the read stops), beside the line reader's;
    what the caller reads of a record is taken on that thread (:class:`RecordFields`).
    Sort order is checked on every record read (positions must not decrease within a contig, and a
    contig must not come back after another).  ``vin.mode`` tells which path ran."""
    vf = vin.vf
    n = 0
    last_contig, last_pos = None, -1
    seen: set[str] = set()
    text = None
    records = vf
    try:
        stop_rank = None
        if vin.indexed and window is not None:
            vin.mode = "indexed"
            voffset = _tbi_start(vin, window) if vin.tbi else False
            if voffset is None:  # the index says no record reaches the window
                return
            if voffset is False:  # htslib's fetch (.csi, BCF, wide records, a .tbi we could not read)
                if vin.tbi:
                    vf = _reopen_with_index(vin)
                for raw in vf.fetch(vin.chr2, window.start, window.end):  # never in raw-text mode (open_vcf)
                    yield n, raw, None
                    n += 1
                return
            voffset = max(voffset, vin.header_voffset)  # an old tabix may leave 0 for leading empty tiles
            vf.seek(voffset)
            ranks = {c: i for i, c in enumerate(vf.header.contigs)}
            stop_rank = ranks[vin.chr2]
        if stop_rank is None and window is not None and vin.bgzf_vcf and vin.chr2:
            ok, voffset = _bisect_start(vin, window)
            if ok:
                vin.mode = "bisect"
                if voffset is None:
                    return
                vf.seek(voffset)
                ranks = {c: i for i, c in enumerate(vf.header.contigs)}
                stop_rank = ranks[vin.chr2]
        if stop_rank is None:
            voffset = vin.header_voffset
            vin.mode = "stream"
            if window is not None and not vin.bgzf_vcf and _size(vin.path) >= STREAM_WARN_BYTES:
                why = ("stdin" if vin.path == "-" else "not bgzip-compressed" if getattr(vf, "format", "") == "VCF"
                       else f"{getattr(vf, 'format', '?')}, not a bgzipped VCF")
                _warn(vin, f"no index ({why}): reading the whole file; for speed: bgzip it and tabix -p vcf it")
        text = _text_lines(vin, voffset) if vin.raw_text else None
        ends_read = _past_window(vin.chr2, window, ranks, stop_rank) if stop_rank is not None else None
        if text is not None and ends_read is not None:  # a cohort's window: htslib reads ahead on a thread
            vin.reader = records = _read_ahead(vf, ends_read)
        for raw in records:
            c, p = raw.chrom, raw.pos
            line = None
            if text is not None:
                line = next(text, None)
                if line is None or not line.startswith(f"{c}\t{p}\t".encode()):
                    raise InputError(f"record {n + 1} ({c}:{p}) is not the line read at its place in the file "
                                     f"({(line or b'end of file')[:40]!r})", file=vin.display,
                                     fix="rewrite it with bcftools view in.vcf.gz -Oz -o clean.vcf.gz (and please report the file)")
            if c != last_contig:
                if c in seen:
                    raise _not_sorted(vin, f"records of contig {c} are not together", n, c, p)
                seen.add(c)
                last_contig, last_pos = c, -1
            if p < last_pos:
                raise _not_sorted(vin, f"position {p} comes after {last_pos}", n, c, p)
            last_pos = p
            if ends_read is not None and ends_read(c, p):
                return
            yield n, raw, line
            n += 1
    except (OSError, ValueError) as exc:
        # a truncated bgzip file is refused at open (no EOF marker): here htslib could not parse a record (a
        # POS that is not a number, more FORMAT values than keys ...) or met a damaged block inside the file;
        # htslib's own message (on stderr, just before ours) names the field.  pysam says "truncated file" or
        # "unable to parse next record" for all of these.
        which = f"record {n + 1} of the file" if vin.mode == "stream" else "a record"
        where = f"{which} (the one after {last_contig}:{last_pos})" if n else f"{which} (the first one read)"
        why = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise InputError(f"htslib cannot read {where}: pysam says '{why}'; htslib's message above names the field",
                         file=vin.display, fix="correct or remove that record (`bcftools view FILE > /dev/null` stops at it too); "
                             "if the file was damaged in a copy, re-create it") from None
    finally:
        if records is not vf:
            records.close()  # stops the reading thread before anyone closes the file
            vin.reader = None
        if text is not None:
            text.close()


def _past_window(chr2: str, window: Interval, ranks: dict[str, int], stop_rank: int):
    """``(contig, pos) -> bool``: a bounded read (indexed or bisect) ends at this record, on a contig after
    chr2 in the header's order (or not in it) or on chr2 past the window."""
    end = window.end + 1

    def past(c: str, p: int) -> bool:
        if c == chr2:
            return p > end
        r = ranks.get(c)
        return r is None or r > stop_rank

    return past


def _read_ahead(vf, ends_read) -> Iterator:
    """The :class:`RecordFields` of ``vf``'s records from where it stands, read by htslib on a worker thread
    (io/prefetch.py), up to and including the record ``ends_read(contig, pos)`` says ends the read, as the
    plain loop reads them.  Raw-text mode only: the record has no samples, the line read beside it is what
    is spooled."""
    from .prefetch import prefetched

    return prefetched(map(RecordFields, vf), lambda f: ends_read(f.chrom, f.pos))


def _text_lines(vin: VcfInput, voffset: int) -> Iterator[bytes]:
    """The lines of the file from ``voffset`` (a BGZF virtual offset, or a byte offset in a plain file) on,
    without their newline: a bgzipped file through io/bgzf_lines.py (inflated on a worker thread where
    there is a second core), else htslib's BGZF reader (which also reads uncompressed files)."""
    if getattr(vin.vf, "compression", "") == "BGZF":
        from .bgzf_lines import bgzf_lines
        from .bgzf_write import default_threads

        lines = bgzf_lines(vin.path, voffset, threads=min(1, default_threads()))
        try:
            for line in lines:
                if not line:
                    return
                yield line
        finally:
            lines.close()
        return
    from pysam.libcbgzf import BGZFile

    fh = BGZFile(vin.path, "rb")
    try:
        fh.seek(voffset)
        while True:
            line = fh.readline()  # without its newline; b"" at the end
            if not line:
                return
            yield line
    finally:
        fh.close()


def window_contig_names(vin: VcfInput) -> tuple[str, ...]:
    return (vin.chr2,) if vin.chr2 else chr2_names(vin.build.build)
