"""The Python API for pipelines.  This module joins the I/O layer to the pure core.

>>> from il1rn_annot import annotate_vcf, load_gene_model, annotate_variants, to_dataframe
>>> summary = annotate_vcf("in.vcf.gz", "out.vcf.gz")                     # doctest: +SKIP
>>> df = to_dataframe(annotate_variants("in.vcf.gz"))                     # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import __version__
from .analyses import AnalysisResult, load_builtin_analyses, run_analyses
from .annotate import AlleleAnnotation, Annotator
from .errors import InputError
from .io.atomic import AtomicOutputs
from .io.spool import RecordSpool
from .io.tables import GENOTYPE_COLUMNS, TsvWriter, genotype_rows, genotype_text, variant_columns, variant_rows
from .io.vcf_in import COLUMNAR_MIN_SAMPLES, VcfInput, iter_raw, open_vcf, to_record
from .io.vcf_out import VcfWriter, index_vcf_gz, output_format
from .model import FLANK, GeneModel, load_gene_model

__all__ = ["annotate_vcf", "annotate_variants", "load_gene_model", "to_dataframe", "RunSummary", "output_paths"]


@dataclass
class RunSummary:
    input: str
    build: str
    build_evidence: str
    mode: str  # how the input was read: "indexed", "bisect" (no index, BGZF bisection) or "stream"
    records_read: int = 0
    records_in_window: int = 0
    alleles_annotated: int = 0
    samples: int = 0
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)
    read_notes: list[str] = field(default_factory=list)
    analyses: list[AnalysisResult] = field(default_factory=list, repr=False)
    annotations: list[AlleleAnnotation] = field(default_factory=list, repr=False)

    def line(self) -> str:
        return (f"il1rn-annot: {self.records_read} records read ({self.mode}), {self.records_in_window} in the IL1RN "
                f"window, {self.alleles_annotated} alleles annotated, {self.samples} samples, build {self.build}, "
                f"{self.seconds:.2f} s")


def output_paths(output: str) -> tuple[str, str]:
    """Default table paths beside an output VCF: ``out.vcf.gz`` -> ``out.tsv``, ``out.genotypes.tsv``."""
    stem = output
    for ext in (".vcf.gz", ".vcf.bgz", ".vcf", ".bcf"):
        if stem.endswith(ext):
            stem = stem[: -len(ext)]
            break
    return stem + ".tsv", stem + ".genotypes.tsv"


def _model_for(vin: VcfInput) -> GeneModel:
    return load_gene_model(vin.build.build)


def _contig_ok(vin: VcfInput, contig: str) -> bool:
    from .builds import is_chr2_name

    return contig == vin.chr2 if vin.chr2 else is_chr2_name(contig)


def _write_genotypes(gtsv: TsvWriter, a: AlleleAnnotation) -> None:
    text = genotype_text(a)  # vectorised over samples when the genotypes are columnar
    if text is None:
        gtsv.write_rows(genotype_rows(a))
    else:
        gtsv.write_text(text)


def annotate_vcf(vcf: str, output: str | None = None, *, build: str | None = None, fmt: str | None = None,
                 keep_all: bool = False, table: str | None = None, genotypes: str | None = None,
                 transcripts: str = "all", pad: int = FLANK, command_line: str = "",
                 options: dict | None = None) -> RunSummary:
    """Annotate ``vcf`` and write the annotated VCF (``output``), the variant table and the genotype table.

    Records of the IL1RN window are buffered (the window is small) so that sample-level analyses can see
    every allele before anything is written.  Nothing is written unless the whole run succeeds.
    ``table``/``genotypes`` default to paths beside ``output``; pass ``""`` to skip one.
    """
    t0 = time.perf_counter()
    vin = open_vcf(vcf, build=build)
    atomic_cleanup: list = []
    try:
        model = _model_for(vin)
        annotator = Annotator(model, transcripts=transcripts, flank=FLANK)
        window = model.window(pad)
        summary = RunSummary(input=vin.display, build=model.build.name, build_evidence=vin.build.how,
                             mode="", samples=len(vin.samples))
        if output is not None:
            dt, dg = output_paths(output)
            table = dt if table is None else table
            genotypes = dg if genotypes is None else genotypes
        registry = load_builtin_analyses()
        with AtomicOutputs() as atomic:
            fmt_ = output_format(output, fmt) if output else None
            if fmt_ not in (None, "v", "z", "b"):
                raise InputError(f"unknown output format -O {fmt_}", fix="use -O v, z or b")
            writer = None
            tmp_vcf = None
            if output:
                tmp_vcf = atomic.path(output)
                meta = {"il1rn_annot_version": __version__, "il1rn_annot_build": f"{model.build.name} ({vin.build.how})",
                        "il1rn_annot_resources": ",".join(model.provenance)}
                if command_line:
                    meta["il1rn_annot_command"] = command_line
                writer = VcfWriter(tmp_vcf, fmt_, vin.vf.header, meta, list(registry.values()))
            # The window is buffered on disk (io/spool.py): (spool index, annotations or None) from the first
            # window record until the window ends; memory does not grow with samples x records.
            gtsv = TsvWriter(atomic.path(genotypes), GENOTYPE_COLUMNS) if genotypes else None
            spool = RecordSpool(vin.vf.header, vin.samples)
            atomic_cleanup.append(spool)
            columnar = len(vin.samples) >= COLUMNAR_MIN_SAMPLES
            buffered: list = []
            annotations: list[AlleleAnnotation] = []
            state = {"flushed": False}

            def flush() -> None:
                results = run_analyses(annotations, vin.samples, model, options or {})
                summary.analyses = results
                if writer:
                    writer.set_results(results)
                    wanted = iter(buffered)
                    nxt = next(wanted, None)
                    for i, raw_ in enumerate(spool.records()):
                        if nxt is None:
                            break
                        if i == nxt[0]:
                            writer.write(raw_, nxt[1])
                            nxt = next(wanted, None)
                buffered.clear()
                state["flushed"] = True

            for n, raw in iter_raw(vin, None if keep_all else window):
                summary.records_read += 1
                anns = None
                idx = None
                on_chr2 = _contig_ok(vin, raw.chrom)
                if on_chr2 and raw.pos <= window.end + 1 and (raw.stop or raw.pos) >= window.start:
                    idx = spool.add(raw)
                    loader = spool.loader(idx) if columnar and spool.matrix(idx) is not None else None
                    rec = to_record(raw, vin.samples, n, genotypes=loader)
                    if annotator.record_in_window(rec):
                        anns = annotator.annotate_record(rec)
                        annotations.extend(anns)
                        if gtsv:  # written now, while this record's genotypes are parsed (no analysis columns)
                            for a in anns:
                                _write_genotypes(gtsv, a)
                            if columnar and loader is not None:
                                for a in anns:  # remember the counts the variant table needs later
                                    rec.calls.allele_counts(a.variant.allele_index)
                        summary.records_in_window += 1
                        summary.alleles_annotated += len(anns)
                past_window = (on_chr2 and raw.pos > window.end + 1) or (not on_chr2 and (annotations or buffered))
                if past_window and not state["flushed"] and (annotations or buffered):
                    flush()
                if anns is None and not keep_all:
                    continue
                if anns is not None or (buffered and not state["flushed"]):
                    buffered.append((spool.add(raw) if idx is None else idx, anns))
                elif writer:
                    writer.write(raw, None)
            summary.mode = vin.mode
            summary.read_notes = list(vin.read_notes)
            if not state["flushed"]:
                flush()
            if writer:
                writer.close()
                if fmt_ == "z":
                    atomic.sidecar(index_vcf_gz(tmp_vcf), output + ".tbi")
            if table:
                tsv = TsvWriter(atomic.path(table), variant_columns())
                for a in annotations:
                    tsv.write_rows(variant_rows(a, model.build.name))
                tsv.close()
            if gtsv:
                gtsv.close()
            summary.outputs = [p for p in (output, table, genotypes) if p]
            summary.annotations = annotations
    finally:
        vin.close()
        for sp in atomic_cleanup:
            sp.finish()
    summary.seconds = time.perf_counter() - t0
    return summary


def annotate_variants(vcf: str, *, build: str | None = None, transcripts: str = "all",
                      pad: int = FLANK) -> Iterator[AlleleAnnotation]:
    """Yield :class:`AlleleAnnotation` objects for every ALT allele in the IL1RN window of ``vcf``."""
    vin = open_vcf(vcf, build=build)
    try:
        model = _model_for(vin)
        annotator = Annotator(model, transcripts=transcripts)
        window = model.window(pad)
        columnar = len(vin.samples) >= COLUMNAR_MIN_SAMPLES
        types = {k: v.type for k, v in vin.vf.header.formats.items()} if columnar else {}
        for n, raw in iter_raw(vin, window):
            if not _contig_ok(vin, raw.chrom) or raw.pos > window.end + 1 or (raw.stop or raw.pos) < window.start:
                continue
            loader = None
            if columnar:  # in memory: the caller holds what it keeps
                from .io.gt_parse import parse_line

                m = parse_line(str(raw).encode(), vin.samples, types)
                loader = (lambda m=m: m) if m is not None else None
            rec = to_record(raw, vin.samples, n, genotypes=loader)
            if annotator.record_in_window(rec):
                yield from annotator.annotate_record(rec)
    finally:
        vin.close()


def to_dataframe(annotations, build: str = ""):
    """A pandas DataFrame with the variant-table columns (one row per allele x transcript)."""
    import pandas as pd

    rows = [row for a in annotations for row in variant_rows(a, build)]
    return pd.DataFrame(rows, columns=variant_columns())
