"""The annotated VCF/BCF, written by htslib (cyvcf2's writer over the input's header and records).

Records pass through as htslib read them, plus ``INFO/IL1RN_CSQ`` (one VEP-style entry per allele x
transcript), the analyses' INFO keys and, unless ``sample_format`` is ``none``, their per-sample FORMAT
fields (set as whole arrays, one call per field per record, for any number of samples).  A bgzipped output
gets its tabix index from htslib (``pysam.tabix_index``).  After writing, the output is read back with pysam
and its records counted: a write that failed late (a full disk at the last block) is an error, never a
short file.
"""

from __future__ import annotations

import numpy as np

from il1rn_annot.analyses import AnalysisResult
from il1rn_annot.columns import encode_csq_entry
from il1rn_annot.consequence.annotate import AlleleAnnotation
from il1rn_annot.errors import InputError
from il1rn_annot.fields import ALL_FIELDS, csq_format, row_values
from il1rn_annot.sinks.atomic import AtomicOutputs, is_special
from il1rn_annot.variants.record import SourceRecord

CSQ_KEY = "IL1RN_CSQ"
MODES = {"v": "w", "z": "wz1", "b": "wb1"}  # BGZF level 1 (bench/README.md: wide cohorts)


def output_format(path: str, fmt: str | None) -> str:
    if fmt:
        return fmt
    if path.endswith((".vcf.gz", ".vcf.bgz")):
        return "z"
    if path.endswith(".bcf"):
        return "b"
    return "v"


def _text(value: object) -> str:
    """One INFO value as VCF text (None and "" = missing '.'; sequences comma-joined)."""
    if value is None or value == "":
        return "."
    if isinstance(value, (tuple, list)):
        return ",".join(_text(v) for v in value)
    return str(value)


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def csq_entries(annotations: list[AlleleAnnotation]) -> list[str]:
    entries = []
    for a in annotations:
        for t in a.transcripts or (None,):
            if t is None and not a.variant.note:
                continue
            entries.append(encode_csq_entry(row_values(a, t)))
    return entries


class VcfSink:
    """Writes the annotated VCF (``fmt``: ``v`` VCF, ``z`` bgzipped VCF + tabix index, ``b`` BCF) to ``path``
    (``-``: standard output) through ``outputs``."""

    def __init__(self, path: str, fmt: str, template, meta: dict[str, str], results: list[AnalysisResult],
                 outputs: AtomicOutputs, samples: tuple[str, ...], sample_format: str = "all"):
        import cyvcf2

        self.final = path
        self.fmt = fmt
        self.samples = samples
        self.outputs = outputs
        self.tmp = outputs.path(path)
        self.results = results
        self.written = 0
        declared_info = {h["ID"] for h in _header_lines(template, "INFO")}
        declared_format = {h["ID"] for h in _header_lines(template, "FORMAT")}
        for key, value in meta.items():
            template.add_to_header(f"##{key}={value}")
        self._info_line(template, declared_info, CSQ_KEY, ".", "String",
                        "IL1RN placement per ALT allele x transcript by il1rn_annot. Format: " + csq_format(ALL_FIELDS))
        self.format_values: dict[str, np.ndarray] = {}
        for res in results:
            for id_, number, type_, desc in res.info_defs:
                self._info_line(template, declared_info, id_, number, type_, desc)
            if sample_format != "all" or not samples:
                continue
            for id_, number, type_, desc in res.format_defs:
                if id_ not in declared_format:
                    template.add_to_header(f'##FORMAT=<ID={id_},Number={number},Type={type_},Description="{_quote(desc)}">')
                values = res.format.get(id_)
                if values is not None:
                    self.format_values[id_] = np.array([(v if v not in (None, "") else ".").encode()
                                                        for v in values], dtype="S")
        if sample_format == "none" and samples:
            template.add_to_header("##il1rn_annot_sample_format=none: per-sample results (DIRA verdict, VNTR "
                                   "diplotype) are not written as FORMAT fields; see the samples table (and the JSON "
                                   "reports if written)")
        try:
            self.writer = cyvcf2.Writer(self.tmp, template, MODES[fmt])
            if fmt in ("z", "b"):
                self.writer.set_threads(2)  # htslib deflates blocks on a second thread
            self.writer.write_header()
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot write the VCF ({exc})", file=path, fix="check the path and its permissions") from None

    @staticmethod
    def _info_line(template, declared: set[str], id_: str, number: str, type_: str, desc: str) -> None:
        if id_ not in declared:
            template.add_to_header(f'##INFO=<ID={id_},Number={number},Type={type_},Description="{_quote(desc)}">')

    def write(self, item: SourceRecord, annotations: list[AlleleAnnotation] | None) -> None:
        """Write one record; ``annotations`` None: passed through unchanged (outside the window)."""
        variant = item.variant
        record_index = item.record.index if item.record is not None else None
        if annotations is not None:
            entries = csq_entries(annotations)
            if entries:
                variant.INFO[CSQ_KEY] = ",".join(entries)
            for res in self.results:
                for key, value in (res.info.get(record_index) or {}).items():
                    if value is not None:
                        variant.INFO[key] = _text(value)
            for key, values in self.format_values.items():
                variant.set_format(key, values)
        if self.writer.write_record(variant) != 0:
            raise OSError(f"htslib could not write a record to {self.final}")
        self.written += 1

    def finish(self, run=None) -> list[str]:
        """Close, check the output by reading it back, index a bgzipped one; returns the paths written."""
        self.writer.close()
        if self.tmp == "-" or is_special(self.tmp):
            return [self.final]
        _check_written(self.tmp, self.written, self.final, self.fmt)
        if self.fmt == "z":
            import pysam

            pysam.tabix_index(self.tmp, preset="vcf", index=self.tmp + ".tbi", force=True, keep_original=True)
            self.outputs.sidecar(self.tmp + ".tbi", self.final + ".tbi")
            return [self.final, self.final + ".tbi"]
        return [self.final]


def _header_lines(template, kind: str) -> list[dict]:
    out = []
    for h in template.header_iter():
        if h.type == kind:
            out.append(h.info())
    return out


BGZF_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")


def _check_written(path: str, expected: int, final: str, fmt: str) -> None:
    """A write that failed at the last flush (cyvcf2 does not report errors on close) leaves a bgzipped file
    without its end-of-file block, or a plain VCF short of records: either is an error, never a short file.
    The bgzipped VCF is then read whole again by htslib's indexer."""
    import os

    import pysam

    if fmt in ("z", "b"):
        with open(path, "rb") as fh:
            fh.seek(max(0, os.path.getsize(path) - len(BGZF_EOF)))
            if fh.read() != BGZF_EOF:
                raise InputError("the VCF written is incomplete (no end-of-file block): the disk may be full",
                                 file=final, fix="free space or choose another folder, then run again")
        return

    old = pysam.set_verbosity(0)  # htslib says it finds no index beside the file: none is expected yet
    try:
        with pysam.VariantFile(path) as vf:
            try:
                vf.subset_samples([])
            except UnicodeDecodeError:
                pass  # sample names pysam cannot decode: counted with their columns parsed
            n = sum(1 for _ in vf)
    except (OSError, ValueError) as exc:
        raise InputError(f"the VCF written cannot be read back ({exc}): the disk may be full", file=final,
                         fix="free space or choose another folder, then run again") from None
    finally:
        pysam.set_verbosity(old)
    if n != expected:
        raise InputError(f"the VCF written holds {n} records, not {expected}: the disk may be full", file=final,
                         fix="free space or choose another folder, then run again")
