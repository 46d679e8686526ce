"""Reading VCF/BCF with htslib: open any input, find chromosome 2 whatever it is called, read the IL1RN window.

Two htslib readers walk the same records side by side, each doing what it is best at:

- **pysam** is the record stream of record: it raises on every damaged block, truncated file or record htslib
  cannot parse, so a record can never go missing without an error.  It reads no sample columns.
- **cyvcf2** gives each record's genotypes as numpy arrays (one :class:`GenotypeMatrix` per record, for any
  number of samples) and is the writer's template (:mod:`il1rn_annot.sinks.vcf`).  Its region queries stop
  silently at a damaged block (htslib's error code is taken for the end of the region), which is why it never
  reads alone: each of its records must be the record pysam read at the same place, and both must end together.

Every input is read through an index (:mod:`il1rn_annot.sources.staging` makes one when the user has none);
the window is fetched for every name of chromosome 2 found in the index or the header (``chr2``, ``2``,
``NC_000002.x``), so records spelt differently from the header are read, not dropped.  When a user's index
finds no record in the window, the file is indexed afresh and read again: an index that does not match its
file cannot turn into "no IL1RN records".
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from il1rn_annot.coords import region_string
from il1rn_annot.errors import InputError
from il1rn_annot.model.builds import BuildEvidence, detect_build, is_chr2_name
from il1rn_annot.sources import staging
from il1rn_annot.sources.genotype_reader import genotype_matrix
from il1rn_annot.types import Interval
from il1rn_annot.variants.genotypes import GenotypeMatrix
from il1rn_annot.variants.record import Record, SourceRecord

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HeaderFacts:
    """What the core needs of a header (pure values)."""

    samples: tuple[str, ...]
    contigs: dict[str, int | None]  # name -> declared length
    chr2: str | None  # the name the header gives chromosome 2, if it declares it
    chr2_length: int | None
    chr2_assembly: str | None
    reference_line: str | None
    format_types: dict[str, str]  # FORMAT key -> declared Type
    info_keys: frozenset[str]


@dataclass
class VcfSource:
    """An opened input: its header facts, build, the file and index actually read, and notes on how."""

    path: str
    display: str
    data: str  # the file read (the input itself, or a staged copy in ``workdir``)
    index: str  # the index used (the user's, or one built in ``workdir``)
    is_bcf: bool
    header: HeaderFacts
    build: BuildEvidence | None  # set once the file is open
    workdir: tempfile.TemporaryDirectory
    notes: list[str] = field(default_factory=list)
    index_is_users: bool = True
    chr2_names: tuple[str, ...] = ()  # every name of chromosome 2 the index or header knows
    recheck_empty: bool = True  # index afresh when the user's index finds no record (never for a pVCF shard)
    shards: tuple = ()  # the shards offered and which were read (sources.shards.ShardChoice), for the summary
    _guard: object = None
    _reader: object = None
    _spare_guard: object = None  # the probe's pysam handle, already holding the user's index: the first guard
    _genotype_notes: set[str] = field(default_factory=set)
    _read_through: bool = False  # records() used the readers: rewind() before reading them through again

    # --- opening ---------------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str, *, build: str | None = None, display: str | None = None) -> "VcfSource":
        """Open ``path`` (``-``: standard input) for reading through an index; ``display``: how messages and
        outputs name it (default the path)."""
        display = display or ("<stdin>" if path == "-" else path)
        if path != "-" and not os.path.exists(path):
            raise InputError("file not found", file=display, fix="check the path")
        work = tempfile.TemporaryDirectory(prefix="il1rn-annot-")
        try:
            return cls._open(path, display, build, work)
        except BaseException:
            work.cleanup()
            raise

    @classmethod
    def _open(cls, path: str, display: str, build: str | None, work) -> "VcfSource":
        notes: list[str] = []
        data = path
        if path == "-" or not staging.is_regular_file(path):
            data = staging.stage_stream(path, display, work.name)
            notes.append("read from a stream: copied into a temporary folder, then indexed there")
        magic = staging.head_bytes(data)
        if magic[:2] == staging.GZIP_MAGIC and magic[:4] != staging.BGZF_MAGIC or (
                magic[:4] == staging.BGZF_MAGIC and not _is_bgzf(data)):
            data = staging.rebgzip_plain_gzip(data, display, work.name)
            notes.append("plain gzip (not bgzip): decompressed and bgzipped into a temporary folder")
        probe, fmt, compression, header = _probe_open(data, display)
        try:
            src = cls._open_probed(path, display, build, work, notes, data, probe, fmt, compression, header)
        except BaseException:
            probe.close()
            raise
        if src._spare_guard is not probe:
            probe.close()
        src._open_readers()
        if header.contigs and not src.chr2_names:
            src.close_readers()
            raise InputError("neither the header nor the records name chromosome 2 (looked for chr2, 2, NC_000002.12, "
                             "NC_000002.11, CM000664.x)", file=display,
                             fix="IL1RN lies on chromosome 2: give a VCF that covers it")
        src.build = detect_build(file=display, chr2_contig=header.chr2, chr2_length=header.chr2_length,
                                 chr2_assembly=header.chr2_assembly, reference_line=header.reference_line, forced=build)
        return src

    @classmethod
    def _open_probed(cls, path, display, build, work, notes, data, probe, fmt, compression, header) -> "VcfSource":
        is_bcf = fmt == "BCF"
        if compression == "NONE" and not is_bcf:
            data = staging.bgzip_plain_text(data, display, work.name)
            notes.append("plain text: bgzipped into a temporary folder, then indexed there")
        elif compression == "BGZF" and not staging.has_bgzf_eof(data):
            raise InputError("the bgzip file has no end-of-file block: it was cut off (truncated)", file=display,
                             fix="re-create or re-download it; bgzip output is complete only after bgzip exits")
        elif compression not in ("BGZF", "NONE"):
            raise InputError(f"unsupported compression {compression}", file=display, fix="give a VCF, bgzipped VCF or BCF")
        index, why = staging.usable_index(data, is_bcf) if data == path else (None, "")
        users = index is not None
        if index is None:
            index = staging.build_index(data, is_bcf, display, work.name)
            notes.append(f"{why + '; ' if why else ''}indexed with htslib into a temporary folder")
        else:
            notes.append(f"read through the {why}")
        src = cls(path=path, display=display, data=data, index=index, is_bcf=is_bcf, header=header, build=None,
                  workdir=work, notes=notes, index_is_users=users)
        # htslib loaded the index beside the file when the probe opened it (and once more to list its contigs):
        # when that index is the one chosen, the probe's handle is the first guard (two index loads fewer)
        if users and data == path and staging.only_index(data, is_bcf) == index and probe.index is not None:
            src._spare_guard = probe
        return src

    def _open_readers(self) -> None:
        import cyvcf2
        import pysam

        try:
            guard, self._spare_guard = self._spare_guard, None
            if guard is None:
                with staging.quiet_htslib():
                    guard = pysam.VariantFile(self.data, index_filename=self.index)
            if self.header.samples:
                try:
                    guard.subset_samples([])  # the guard reads no sample column
                except UnicodeDecodeError:
                    pass  # names pysam cannot decode: it then parses the sample columns too (slower, same records)
            reader = cyvcf2.VCF(self.data, lazy=False, threads=2)  # htslib inflates blocks on a second thread
            reader.set_index(self.index)
        except (OSError, ValueError) as exc:
            raise InputError(f"htslib cannot open the file with its index ({exc})", file=self.display,
                             fix="re-create the index: tabix -f -p vcf FILE (or bcftools index -f FILE)") from None
        names = []
        for name in list(_index_contigs(guard)) + list(self.header.contigs):
            if is_chr2_name(name) and name not in names:
                names.append(name)
        for name in names:
            if name not in self.header.contigs:
                reader.add_to_header(f"##contig=<ID={name}>")
                guard.header.add_line(f"##contig=<ID={name}>")
                note = (f"records are on contig '{name}', which the header does not declare"
                        + (f" (it declares '{self.header.chr2}')" if self.header.chr2 else "")
                        + ": they are read as chromosome 2")
                if note not in self.notes:
                    self.notes.append(note)
                    log.warning("%s: %s", self.display, note)
        self.chr2_names = tuple(names)
        # keep what htslib learnt from the records read so far: keys records used without the header declaring
        # them (htslib adds them as it reads); a writer made from the new reader then declares them
        known = _declared(reader.raw_header)
        for old in ([self._reader.raw_header] if self._reader is not None else []) + (
                [str(self._guard.header)] if self._guard is not None else []):
            for line in old.splitlines():
                key = _declaration(line)
                if key is not None and key not in known:
                    reader.add_to_header(line)
                    known.add(key)
        self.close_readers()
        self._guard, self._reader = guard, reader
        self._read_through = False

    def rewind(self) -> None:
        """Open the readers afresh (after :meth:`records`), keeping the header lines htslib added while reading
        (keys a record used without the header declaring them), so that a writer made from
        :attr:`writer_template` declares every key of the records it will be given."""
        self._open_readers()

    def close_readers(self) -> None:
        if self._spare_guard is not None:
            self._spare_guard.close()
            self._spare_guard = None
        if self._guard is not None:
            self._guard.close()
        if self._reader is not None:
            self._reader.close()
        self._guard = self._reader = None

    def close(self) -> None:
        self.close_readers()
        self.workdir.cleanup()

    def __enter__(self) -> "VcfSource":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def samples(self) -> tuple[str, ...]:
        return self.header.samples

    @property
    def writer_template(self):
        """cyvcf2's reader: the header (with any contig added) that the VCF writer starts from."""
        return self._reader

    # --- reading -----------------------------------------------------------------------------------------
    def window(self, window: Interval, *, genotypes: bool = True, verify_empty: bool = True) -> Iterator[SourceRecord]:
        """Every record overlapping ``window`` on any name of chromosome 2, in file order (``genotypes``: with
        their genotype matrix; else made only on :meth:`with_genotypes`).  If the user's index finds none,
        the file is indexed afresh and read again (a stale or foreign index is never trusted into "no records")."""
        found = 0
        for rec in self._window_once(window, genotypes):
            found += 1
            yield rec
        if found or not self.index_is_users or not verify_empty or not self.recheck_empty:
            return
        self.index = staging.build_index(self.data, self.is_bcf, self.display, self.workdir.name)
        self.index_is_users = False
        self._open_readers()
        fresh = list(self._window_once(window, genotypes))
        if fresh:
            note = (f"the index beside the file found no record in the IL1RN window, but the file has {len(fresh)}: "
                    "the index does not match the file (re-create it: tabix -f -p vcf FILE); a fresh index was used")
            log.warning("%s: %s", self.display, note)
        else:
            note = "no record in the IL1RN window (checked again with a fresh index of the whole file)"
        self.notes.append(note)
        yield from fresh

    def _window_once(self, window: Interval, genotypes: bool = True) -> Iterator[SourceRecord]:
        n = 0
        seen: dict[tuple, int] = {}
        for name in self.chr2_names:
            if name not in _index_contigs(self._guard):
                continue
            sites = self._guard.fetch(name, window.start, window.end)
            variants = self._reader(region_string(name, window))
            for item in self._paired(sites, variants, n, seen=seen, genotypes=genotypes):
                yield item
                n += 1

    def with_genotypes(self, item: SourceRecord) -> Record:
        """The record of ``item`` (read with ``genotypes=False``) with its genotype matrix."""
        calls = genotype_matrix(item.variant, self.samples, self.header.format_types, self._genotype_notes)
        return replace(item.record, calls=calls)

    def records(self, window: Interval, *, genotypes: bool = True) -> Iterator[SourceRecord]:
        """Every record of the file, in file order (for ``--keep-all``); those overlapping ``window`` on a name
        of chromosome 2 carry their :class:`Record`, the others only cyvcf2's variant (to pass through).
        Without ``genotypes`` the matrices are made only on :meth:`with_genotypes`."""
        def wanted(site) -> bool:
            return is_chr2_name(site.contig) and site.start < window.end and site.stop > window.start

        if self._read_through:
            raise RuntimeError("VcfSource.records() read twice without rewind()")  # a bug of ours
        self._read_through = True
        yield from self._paired(iter(self._guard), iter(self._reader), 0, wanted, seen={}, genotypes=genotypes)

    def _paired(self, sites, variants, n: int, wanted=None, seen: dict | None = None,
                genotypes: bool = True) -> Iterator[SourceRecord]:
        """pysam's records (``sites``) with cyvcf2's (``variants``); the genotype matrix made only with
        ``genotypes`` (else :meth:`with_genotypes` makes it when asked)."""
        last: tuple[str | None, int] = (None, -1)
        seen = {} if seen is None else seen
        while True:
            try:
                site = next(sites, None)
                variant = next(variants, None) if variants is not None else None
            except UnicodeDecodeError as exc:
                raise staging.not_utf8(self.display, f"the record after {last[0]}:{last[1]}", exc) from None
            except (OSError, ValueError) as exc:  # htslib refused a record or met a damaged block
                raise staging.unreadable_record(self.display, n, last[0], last[1], exc) from None
            except Exception as exc:  # noqa: BLE001 - cyvcf2 reports htslib's errors as a bare Exception
                if type(exc) is not Exception:
                    raise
                raise staging.unreadable_record(self.display, n, last[0], last[1], exc) from None
            if site is None and variant is None:
                return
            if site is None or (variant is None and variants is not None):
                raise InputError(
                    "htslib's two readers disagree on the number of records (a damaged block?)", file=self.display,
                    record=f"after {last[0]}:{last[1]}", fix="check the file with `bcftools view FILE > /dev/null`; "
                    "if it was damaged in a copy, copy or download it again")
            if variant is not None:
                _same_record(site, variant, n, self.display)
            if wanted is not None and not wanted(site):
                last = (site.contig, site.pos)
                yield SourceRecord(None, variant)
            else:
                record = self._record(site, variant if genotypes else None, n)
                last = (record.contig, record.pos)
                key = (record.contig, record.pos, record.ref, record.alts)
                occurrence = seen.get(key, 0)
                seen[key] = occurrence + 1
                yield SourceRecord(record, variant, occurrence)
            n += 1

    def _record(self, site, variant, n: int) -> Record:
        calls = genotype_matrix(variant, self.samples, self.header.format_types, self._genotype_notes) \
            if self.samples and variant is not None else GenotypeMatrix.empty()
        return Record(contig=site.contig, pos=site.pos, id=_record_id(site, variant), ref=site.ref or "",
                      alts=tuple(site.alts or ()), qual=site.qual, filters=tuple(site.filter.keys()),
                      info=_info(site, variant), calls=calls, index=n)

    @property
    def genotype_notes(self) -> list[str]:
        return sorted(self._genotype_notes)


# --- helpers ---------------------------------------------------------------------------------------------

_DECLARATION = re.compile(r"^##(INFO|FORMAT|FILTER|contig)=<ID=([^,>]+)")


def _declaration(line: str) -> tuple[str, str] | None:
    m = _DECLARATION.match(line)
    return (m.group(1), m.group(2)) if m else None


def _declared(header_text: str) -> set[tuple[str, str]]:
    return {d for d in map(_declaration, header_text.splitlines()) if d is not None}


def _same_record(site, variant, n: int, display: str) -> None:
    """pysam's and cyvcf2's record at the same place must be the same record."""
    if site.pos != variant.POS or site.ref != variant.REF or tuple(site.alts or ()) != tuple(variant.ALT):
        raise InputError(f"htslib's two readers disagree at record {n + 1} ({site.contig}:{site.pos} vs "
                         f"{variant.CHROM}:{variant.POS}): a damaged block?", file=display,
                         fix="check the file with `bcftools view FILE > /dev/null`; please report it if that passes")


def _is_bgzf(path: str) -> bool:
    """BGZF (bgzip) rather than plain gzip: the first block carries the BC extra field."""
    head = staging.head_bytes(path, 18)
    return len(head) >= 16 and head[:4] == staging.BGZF_MAGIC and head[12:14] == b"BC"


def _index_contigs(guard) -> tuple[str, ...]:
    try:
        return tuple(guard.index.keys()) if guard.index is not None else ()
    except (AttributeError, ValueError):
        return ()


def _probe(path: str, display: str) -> tuple[str, str, HeaderFacts]:
    """(format, compression, header facts) of a file htslib can open; refusals as one line with the fix."""
    vf, fmt, compression, facts = _probe_open(path, display)
    vf.close()
    return fmt, compression, facts


def _probe_open(path: str, display: str):
    """(pysam's open handle, format, compression, header facts); the handle is the caller's to close."""
    import pysam

    try:
        with staging.quiet_htslib():
            vf = pysam.VariantFile(path)
    except NotImplementedError:
        raise InputError("htslib cannot seek in this compressed file", file=display,
                         fix="bgzip it (zcat FILE | bgzip > FILE.vcf.gz)") from None
    except UnicodeDecodeError as exc:
        raise staging.not_utf8(display, "the header", exc) from None
    except (OSError, ValueError) as exc:
        text = str(exc).lower()
        if "truncated" in text or "eof marker" in text:
            raise InputError("the bgzip file is truncated or corrupt", file=display,
                             fix="re-create or re-download it") from None
        from il1rn_annot.sources.header_check import header_problem, read_header_lines

        try:
            problem = header_problem(read_header_lines(path))
        except (OSError, EOFError, ValueError, UnicodeDecodeError):
            problem = None
        if problem is not None:
            raise InputError(f"htslib refuses the header: {problem[0]}", file=display, fix=problem[1]) from None
        raise InputError(f"not a readable VCF/BCF ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})",
                         file=display, fix="give a VCF (.vcf), bgzipped VCF (.vcf.gz) or BCF file") from None
    try:
        try:
            samples = tuple(vf.header.samples)
        except UnicodeDecodeError:
            samples = staging.raw_sample_names(path)
            log.warning("%s: sample names that are not UTF-8 are shown with U+FFFD in place of the bytes that are not "
                        "(the annotated VCF keeps the original bytes): %s", display,
                        ", ".join(s for s in samples if "\ufffd" in s))
        try:
            return vf, vf.format, vf.compression, _header_facts(vf.header, samples)
        except UnicodeDecodeError as exc:
            raise staging.not_utf8(display, "a header line", exc) from None
    except BaseException:
        vf.close()
        raise


def _header_facts(header, samples: tuple[str, ...]) -> HeaderFacts:
    contigs = {name: c.length for name, c in header.contigs.items()}
    chr2 = next((c for c in contigs if is_chr2_name(c)), None)
    assembly = None
    if chr2 is not None:
        try:
            assembly = header.contigs[chr2].header_record.get("assembly")
        except (AttributeError, KeyError):
            assembly = None
    reference = next((rec.value for rec in header.records if rec.key == "reference"), None)
    return HeaderFacts(samples=samples, contigs=contigs, chr2=chr2,
                       chr2_length=contigs.get(chr2) if chr2 else None, chr2_assembly=assembly,
                       reference_line=reference, format_types={k: v.type for k, v in header.formats.items()},
                       info_keys=frozenset(header.info))


def _record_id(site, variant) -> str:
    try:
        return site.id or "."
    except UnicodeDecodeError:  # htslib kept the bytes; cyvcf2 decodes them with replacement characters
        return (variant.ID or ".") if variant is not None else "."


def _info(site, variant) -> dict:
    """INFO as pysam reads it (tuples for Number != 1); a value pysam cannot decode is taken from cyvcf2,
    a key declared with an impossible Number/Type is left out (the record is kept)."""
    info = {}
    try:
        keys = list(site.info.keys())
    except UnicodeDecodeError:
        keys = [k for k, _ in variant.INFO] if variant is not None else []
    for k in keys:
        try:
            info[k] = site.info[k]
        except UnicodeDecodeError:
            if variant is not None:
                info[k] = variant.INFO.get(k)
        except (ValueError, KeyError, TypeError):
            continue
    # pysam folds INFO/END into rec.stop and hides it from rec.info: put it back
    if "END" not in info and site.stop != site.start + len(site.ref or ""):
        info["END"] = site.stop
    return info
