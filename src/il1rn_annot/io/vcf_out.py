"""Writing the annotated VCF: the input header plus declared INFO fields, one CSQ-style entry per
allele x transcript.  Records pass through unchanged except for the added INFO keys."""

from __future__ import annotations

from ..annotate import AlleleAnnotation
from ..fields import RowCache, all_fields, csq_format, encode_csq_texts
from .tbi_build import TbiBuilder, TbiUnbuildable, info_stop, line_span, span_from_cols, span_reads_samples

CSQ_KEY = "IL1RN_CSQ"
MODES = {"v": "w", "z": "wz1", "b": "wb1"}  # BGZF level 1: ~2.5x faster than 6 on wide cohorts, ~25% larger


def output_format(path: str, fmt: str | None) -> str:
    if fmt:
        return fmt
    if path.endswith((".vcf.gz", ".vcf.bgz")):
        return "z"
    if path.endswith(".bcf"):
        return "b"
    return "v"


def _text(value: object) -> str:
    """One VCF value as htslib renders a String value pysam was given (None and "" = missing '.')."""
    if value is None or value == "":
        return "."
    if isinstance(value, (tuple, list)):
        return ",".join(_text(v) for v in value)
    return str(value)


class VcfWriter:
    """``-O v``/``-O z``: records are written as text (``write_line`` appends the annotation to the text
    htslib rendered for the record - no re-parse of a 100,000-sample record); ``-O b`` and input headers that
    already declare our keys (a re-annotation): through pysam, which replaces the old values in place.
    Both give the same bytes (tests/test_vcf_writer_paths.py).

    ``-O z`` as text also builds the tabix index while writing (io/tbi_build.py: the bytes
    ``pysam.tabix_index`` would write, without re-reading the output): after :meth:`close`, ``index_path`` is
    ``tmp_path + ".tbi"``; it stays None on the pysam path, or if tabix would refuse the records (then
    :func:`index_vcf_gz` reports why)."""

    TEXT_PATH = True  # False: every record through pysam (the tests compare the two)

    def __init__(self, tmp_path: str, fmt: str, in_header, meta: dict[str, str], analyses=(),
                 sample_format: str = "all", rows: RowCache | None = None, samples: tuple[str, ...] | None = None):
        """``rows``: the run's field values, shared with the variant table.  ``sample_format``: ``all`` = the analyses' per-sample FORMAT fields on every annotated record;
        ``none`` = not in the VCF (a header line says where they are).  ``samples``: the input's samples
        when ``in_header`` has none (raw-text mode, see io/vcf_in.py: htslib's header was subset to none,
        and a copy of it with 100,000 samples would cost ~15 MB); they are put back in the text written."""
        import pysam

        self.samples = tuple(in_header.samples) if samples is None else samples
        self.header = in_header.copy()
        text_samples = bool(self.samples) and not len(in_header.samples)  # the #CHROM line gets them as text
        for key, value in meta.items():
            self.header.add_meta(key, value)
        self.header.add_meta("INFO", items=[
            ("ID", CSQ_KEY), ("Number", "."), ("Type", "String"),
            ("Description", "IL1RN placement per ALT allele x transcript by il1rn_annot. Format: "
             + csq_format(all_fields()))])
        self.results = []
        self.rows = rows if rows is not None else RowCache()
        for res in analyses:  # static declarations of the registered analyses
            for id_, number, type_, desc in res.info_defs:
                self.header.add_meta("INFO", items=[("ID", id_), ("Number", number), ("Type", type_), ("Description", desc)])
            if sample_format != "all":
                continue
            for id_, number, type_, desc in res.format_defs:
                self.header.add_meta("FORMAT", items=[("ID", id_), ("Number", number), ("Type", type_), ("Description", desc)])
        if sample_format == "none" and self.samples:
            self.header.add_meta("il1rn_annot_sample_format", "none: per-sample results (DIRA verdict, VNTR diplotype) "
                                 "are not written as FORMAT fields; see the samples table / JSON report")
        self.sample_format = sample_format
        self.fmt = fmt
        ours = {CSQ_KEY, *(d[0] for res in analyses for d in res.info_defs)}
        ours_fmt = {d[0] for res in analyses for d in res.format_defs}
        self.text = self.TEXT_PATH and fmt in ("v", "z") and not (ours & set(in_header.info) or ours_fmt & set(in_header.formats))
        self._suffix: list[bytes] | None = None
        self._common: tuple[bytes, list[int], list[bytes] | None] | None = None
        self._fmt_keys = b""
        self.index_path: str | None = None
        self._tbi: TbiBuilder | None = None
        self._tbi_path = tmp_path + ".tbi"
        self._heads: dict[int, int] = {}  # spooled record -> length of its first 8 columns (precompress)
        # text path, -O z, sample_format none: a cohort record's sample columns are written unchanged, so they
        # are compressed on worker threads while the input is read (precompress); not with FORMAT values appended
        self._precompress = self.text and fmt == "z" and sample_format == "none"
        if self.text:
            if fmt == "z":
                # htslib's blocks (io/bgzf_write.py; its bytes too with zlib, io/deflate.py); for a cohort, blocks
                # compressed on worker threads, and by this thread when the workers are behind (a few samples: in line)
                from .bgzf_write import BgzfWriter
                from .vcf_in import COLUMNAR_MIN_SAMPLES

                self.out = BgzfWriter(tmp_path, 1, threads=None if len(self.samples) >= COLUMNAR_MIN_SAMPLES else 0)
            else:
                self.out = open(tmp_path, "wb")
            text = str(self.header)
            if text_samples:  # "#CHROM ... INFO" + FORMAT and the samples
                text = text.rstrip("\n") + "\tFORMAT\t" + "\t".join(self.samples) + "\n"
            self.out.write(text.encode())
            if fmt == "z":
                self._tbi = TbiBuilder()
        else:
            if text_samples:
                self.header.add_samples(self.samples)
            self.out = pysam.VariantFile(tmp_path, MODES[fmt], header=self.header)

    def _csq(self, annotations: list[AlleleAnnotation]) -> list[str]:
        entries = []
        texts = self.rows.texts
        for a in annotations:
            for t in a.transcripts or (None,):
                if t is None and not a.variant.note:
                    continue
                entries.append(encode_csq_texts(texts(a, t)))
        return entries

    def _info_items(self, annotations: list[AlleleAnnotation]):
        entries = self._csq(annotations)
        if entries:
            yield CSQ_KEY, entries
        index = annotations[0].record.index
        for res in self.results:
            yield from res.info.get(index, {}).items()

    def _add_info(self, cols: list[bytes], annotations: list[AlleleAnnotation]) -> None:
        added = ";".join(f"{k}={_text(v)}" for k, v in self._info_items(annotations) if v is not None)
        if added:
            cols[7] = added.encode() if cols[7] == b"." else cols[7] + b";" + added.encode()

    def precompress(self, key, line: bytes) -> None:
        """A spooled record whose FORMAT and sample columns will be written as they are (``-O z``,
        ``sample_format`` none, text path): compress those columns now, on the writer's threads while the
        input is still being read, rather than all at the end (~1 GB at 100,000 samples).  Not for a gVCF
        ``<*>``/``<NON_REF>`` record (its index span reads FORMAT/LEN)."""
        if not (self.samples and self._precompress):
            return
        stop = info_stop(line)
        if stop < 0 or span_reads_samples(line[:stop].split(b"\t", 5)[4]):
            return
        self.out.prepare(key, line, stop + 1, newline=not line.endswith(b"\n"))
        self._heads[key] = stop + 1

    def write_spooled(self, spool, i: int, annotations: list[AlleleAnnotation] | None) -> None:
        """Write spooled record ``i``: its first 8 columns (annotated) then the columns :meth:`precompress`
        compressed, else the whole line through :meth:`write_line`."""
        k = self._heads.pop(i, None)
        if k is None:
            self.write_line(spool.line(i), annotations)
            return
        cols = spool.head(i, k)[:-1].split(b"\t")  # CHROM..INFO
        if annotations:
            self._add_info(cols, annotations)
        start = self.out.tell()
        self.out.write(b"\t".join(cols) + b"\t")
        self.out.write_prepared(i)
        if self._tbi is not None:
            try:
                self._tbi.add(*span_from_cols(cols), start, self.out.tell())
            except TbiUnbuildable:
                self._tbi = None

    def write_line(self, line: bytes, annotations: list[AlleleAnnotation] | None) -> None:
        """Write one record given as htslib's text of it (text path only: ``self.text``)."""
        if not annotations:
            self._put(line)
            return
        cols = line.rstrip(b"\n").split(b"\t", 9)
        self._add_info(cols, annotations)
        if self.samples and self._fmt_keys:
            suffix = self._sample_suffix()
            if len(cols) > 9:
                cols[8] = cols[8] + self._fmt_keys
                cols[9] = append_to_columns(cols[9], suffix, *self._common_suffix())
            else:  # samples but no FORMAT on this record: ours only
                cols.append(self._fmt_keys[1:])
                cols.append(b"\t".join(x[1:] for x in suffix))
        self._put(b"\t".join(cols) + b"\n", cols)

    def _put(self, line: bytes, cols: list[bytes] | None = None) -> None:
        """Write one record line (``cols``: its columns when already split); with -O z, index it: its span
        and the (uncompressed) offsets before and after it, made virtual offsets at :meth:`close`."""
        if self._tbi is None:
            self.out.write(line)
            return
        start = self.out.tell()
        self.out.write(line)
        try:
            self._tbi.add(*(line_span(line) if cols is None else span_from_cols(cols)), start, self.out.tell())
        except TbiUnbuildable:  # unsorted records...: no index here, index_vcf_gz says what tabix says
            self._tbi = None

    def _common_suffix(self) -> tuple[bytes, list[int], list[bytes] | None]:
        """The most frequent per-sample suffix, the (sorted) samples whose suffix differs, and (when they are
        many) the suffixes with their tabs (:func:`append_to_columns` arguments, made once per run)."""
        if self._common is None:
            from collections import Counter

            suffix = self._sample_suffix()
            common = Counter(suffix).most_common(1)[0][0] if suffix else b""
            exceptions = [i for i, x in enumerate(suffix) if x != common]
            self._common = (common, exceptions, tab_suffixes(suffix) if len(exceptions) > len(suffix) // 16 else None)
        return self._common

    def _sample_suffix(self) -> list[bytes]:
        """':v1:v2' per sample: the FORMAT values of the analyses are per sample, the same on every record."""
        if self._suffix is None:
            keys = [(key, per) for res in self.results for key, per in res.format.items()]
            self._suffix = [("".join(":" + _text(per.get(s)) for _, per in keys)).encode() for s in self.samples]
        return self._suffix

    def write(self, raw, annotations: list[AlleleAnnotation] | None) -> None:
        """Write one pysam record (the records streamed outside the window, and the pysam path)."""
        if self.text:
            self.write_line(str(raw).encode(), annotations)
            return
        raw.translate(self.header)
        if annotations:
            for key, value in self._info_items(annotations):
                raw.info[key] = value
            for res in self.results if self.sample_format == "all" else ():
                for key, per_sample in res.format.items():
                    for sample, value in per_sample.items():
                        raw.samples[sample][key] = "." if value == "" else value
        self.out.write(raw)

    def set_results(self, results) -> None:
        self.results = list(results)
        self._suffix = None
        self._common = None
        if self.sample_format == "all":
            self._fmt_keys = "".join(":" + key for res in self.results for key in res.format).encode()

    def close(self) -> None:
        if self._tbi is None:
            self.out.close()
            return
        self.out.close()  # a BgzfWriter (-O z, text path): the offsets given to the index were uncompressed ones
        self.index_path = self._tbi.write(self._tbi_path, self.out.end_voffset, self.out.voffset)


def tab_suffixes(suffix: list[bytes]) -> list[bytes]:
    """``suffix[k]`` + the tab that ends column k (none after the last): the second argument of
    :func:`append_to_columns`' interleaving, made once per run."""
    return [x + b"\t" for x in suffix[:-1]] + suffix[-1:]


def append_to_columns(data: bytes, suffix: list[bytes], common: bytes, exceptions: list[int],
                      suffix_tab: list[bytes] | None = None) -> bytes:
    """``data`` = tab-separated columns; append ``suffix[k]`` to column k.  ``common`` is the suffix of every
    column not in ``exceptions`` (sorted): runs of common columns are done by one C-level replace, so a
    100,000-sample row costs a few replaces instead of 100,000 concatenations.  With many exceptions the
    columns and ``suffix_tab`` (:func:`tab_suffixes` of ``suffix``) are interleaved in one list and joined
    once (no 100,000 concatenated column objects: ~40% faster at 100,000 samples)."""
    if not exceptions:
        return data.replace(b"\t", common + b"\t") + common
    if len(exceptions) > len(suffix) // 16:  # many different values: columns and suffixes interleaved
        parts = data.split(b"\t")
        if len(parts) != len(suffix):
            raise ValueError(f"{len(parts)} sample columns, {len(suffix)} samples in the header")
        out = [b""] * (2 * len(parts))
        out[0::2] = parts
        out[1::2] = suffix_tab if suffix_tab is not None else tab_suffixes(suffix)
        return b"".join(out)
    import numpy as np

    tabs = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 9)
    if len(tabs) != len(suffix) - 1:
        raise ValueError(f"{len(tabs) + 1} sample columns, {len(suffix)} samples in the header")
    # where each exception column ends (its tab, or the end of the row): only these few offsets become
    # Python ints (a .tolist() of every tab was a third of the time at 20,000 samples)
    ends = np.append(tabs, len(data))[exceptions].tolist()
    out: list[bytes] = []
    start = 0
    last = len(suffix) - 1
    common_tab = common + b"\t"
    for k, end in zip(exceptions, ends):
        out.append(data[start:end].replace(b"\t", common_tab))  # columns before k end with their tab
        out.append(suffix[k])
        start = end  # the tab that ends column k is copied with the next run (it ends no common column)
        if k < last:
            out.append(b"\t")
            start = end + 1
    if exceptions[-1] != last:
        out.append(data[start:].replace(b"\t", common_tab) + common)
    return b"".join(out)


def index_vcf_gz(path: str) -> str:
    """tabix-index a bgzipped VCF in place; returns the index path."""
    import pysam

    pysam.tabix_index(path, preset="vcf", force=True, keep_original=True)
    return path + ".tbi"
