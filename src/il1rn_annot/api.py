"""The Python API for pipelines.  This module joins the I/O layer to the pure core.

>>> from il1rn_annot import annotate_vcf, load_gene_model, annotate_variants, to_dataframe
>>> summary = annotate_vcf("in.vcf.gz", "out.vcf.gz")                     # doctest: +SKIP
>>> df = to_dataframe(annotate_variants("in.vcf.gz"))                     # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator

from . import __version__, log
from .analyses import AnalysisResult, load_builtin_analyses, prepare_analyses, run_analyses
from .annotate import AlleleAnnotation, Annotator
from .errors import InputError
from .fields import RowCache
from .frozen import field, mutable
from .io.atomic import AtomicOutputs
from .io.spool import RecordSpool
from .io.tables import (GENOTYPE_COLUMNS, GENOTYPE_ROWS, TsvWriter, genotype_rows, genotype_text, variant_columns,
                        variant_rows, variant_text_rows)
from .io.vcf_in import COLUMNAR_MIN_SAMPLES, VcfInput, iter_raw, open_vcf, to_record
from .io.vcf_out import VcfWriter, index_vcf_gz, output_format
from .model import FLANK, GeneModel, load_gene_model
# DataFrame views of a run (pandas imported lazily inside); exported below
from .frames import genotypes_frame, read_table, samples_frame, to_pyranges, variants_frame

PROGRESS_EVERY = 20_000  # records between progress callbacks on a streamed scan

__all__ = ["annotate_vcf", "annotate_variants", "load_gene_model", "to_dataframe", "vntr_context", "RunSummary", "output_paths"]


__all__ += ["variants_frame", "genotypes_frame", "samples_frame", "to_pyranges", "read_table"]


@mutable
class RunSummary:
    """What a run read and wrote: input, build and how it was told, read mode, counts, outputs and notes."""
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
    # provenance for the JSON/HTML reports
    sample_names: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    command_line: str = ""
    model: GeneModel | None = field(default=None, repr=False)
    # per-sample carried/uncertain counts of the columnar alleles, made while their genotypes were read
    sample_tallies: object = field(default=None, repr=False)
    genotype_rows: str = "all"  # the genotype table's rows: "all" or "nonref" (io/tables.GENOTYPE_ROWS)

    def line(self) -> str:
        return (f"il1rn-annot: {self.records_read} records read ({self.mode}), {self.records_in_window} in the IL1RN "
                f"window, {self.alleles_annotated} alleles annotated, {self.samples} samples, build {self.build}, "
                f"{self.seconds:.2f} s")


SAMPLE_FORMAT_HINT = 10_000  # above this many samples, suggest --sample-format none


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


def _user_model(path: str, vin: VcfInput) -> GeneModel:
    from .gff import models_by_contig
    from .io.gene_model_in import read_gene_model_file

    proteins: dict[str, str] = {}
    models = models_by_contig(read_gene_model_file(path, proteins), proteins)
    from .frozen import replace

    for name in ([vin.chr2] if vin.chr2 else []) + ["chr2", "2", "NC_000002.12", "NC_000002.11"]:
        if name in models:  # the VCF's build names the g. accession and the pinned bases to check
            return replace(models[name], build=vin.build.build, contig="chr2")
    raise InputError(f"no transcript on the VCF's chr2 ({vin.chr2}) in the gene model (contigs: {', '.join(sorted(models))})",
                     file=path, fix="give a GFF3/GTF whose contig names match the VCF")


def open_reference(path: str | None, model: GeneModel, use_imported: bool = True):
    """A sequence provider: the FASTA at ``path`` (checked against the bases pinned for the model's build),
    else the imported IL1RN locus of that build, else None (the engine then says what needs a reference)."""
    from .io.fasta import FastaReference, imported_locus_path, load_locus
    from .reference import check_pinned

    if path:
        ref = FastaReference(path)
        if model.build.name in ("GRCh38", "GRCh37"):
            check_pinned(ref, model.build, path)
        return ref
    if use_imported and model.build.name in ("GRCh38", "GRCh37"):
        return load_locus(imported_locus_path(model.build.name))
    return None


def import_reference(fasta: str, build: str | None = None) -> str:
    """Check ``fasta`` against the pinned bases and store the IL1RN locus (+ flanks) for later runs."""
    from .builds import BUILDS, get_build
    from .io.fasta import FastaReference, imported_locus_path, write_locus
    from .reference import check_pinned, detect_fasta_build

    ref = FastaReference(fasta)
    if build:
        b = get_build(build)
        check_pinned(ref, b, fasta)
    else:
        b = detect_fasta_build(ref, list(BUILDS.values()), fasta)
    model = load_gene_model(b)
    w = model.window(2 * FLANK)
    seq = ref.fetch("chr2", w.start, w.end)
    if len(seq) != len(w):
        raise InputError(f"chr2 in the FASTA is shorter than the IL1RN window ({len(seq)} of {len(w)} bases)",
                         file=fasta, fix="give a whole-chromosome FASTA")
    out = imported_locus_path(b.name)
    write_locus(out, "chr2", w.start, seq, b.name, fasta)
    ref.close()
    return str(out)


def _contig_ok(vin: VcfInput, contig: str) -> bool:
    from .builds import is_chr2_name

    return contig == vin.chr2 if vin.chr2 else is_chr2_name(contig)


def _write_genotypes(gtsv: TsvWriter, a: AlleleAnnotation, ref_rows: bool) -> None:
    text = genotype_text(a, ref_rows)  # vectorised over samples when the genotypes are columnar
    if text is None:
        gtsv.write_rows(genotype_rows(a, ref_rows))
    else:
        gtsv.write_text(text)


def annotate_vcf(vcf: str, output: str | None = None, *, json_dir: str | None = None, samples_tsv: str | None = None,
                 html: str | None = None, parquet: bool = False,
                 progress: Callable[[int, float | None], None] | None = None,
                 build: str | None = None, fmt: str | None = None,
                 keep_all: bool = False, table: str | None = None, genotypes: str | None = None,
                 transcripts: str = "all", pad: int = FLANK, command_line: str = "",
                 options: dict | None = None, reference: str | None = None, ref_mismatch: str = "error",
                 gene_model: str | None = None, use_imported_reference: bool = True,
                 sample_format: str = "all", genotype_rows: str = "all") -> RunSummary:
    """Annotate ``vcf`` and write the annotated VCF (``output``), the variant table and the genotype table.

    ``json_dir``: one JSON report per sample plus ``cohort.json`` (schema in docs/json_schema.md);
    ``samples_tsv``: one row per sample; ``html``: the self-contained report; ``parquet``: a ``.parquet``
    beside each TSV table (needs pyarrow).  ``progress(records_read, fraction_or_None)`` is called every
    few thousand records of a streamed scan.

    Records of the IL1RN window are buffered (the window is small) so that sample-level analyses can see
    every allele before anything is written.  Nothing is written unless the whole run succeeds.
    ``table``/``genotypes`` default to paths beside ``output``; pass ``""`` to skip one.
    ``reference``: FASTA of the VCF's build (checked against the pinned IL1RN bases; REF of every IL1RN
    record checked against it, ``ref_mismatch`` error|warn|skip); without it a locus imported with
    ``il1rn-annot reference import`` is used if present.  ``gene_model``: a GFF3/GTF used instead of the
    bundled IL1RN model (the transcripts on the VCF's chr2).  ``sample_format``: ``all`` writes the
    per-sample results (FORMAT ``IL1RN_DIRA``, ``IL1RN_VNTR*``) on every annotated record; ``none`` leaves
    them out of the VCF (they stay in ``samples_tsv``/``json_dir`` and in the returned summary).
    ``genotype_rows``: ``all`` (every sample at every ALT allele) or ``nonref`` (not the rows whose zygosity
    is ``ref``: carriers, half-calls and missing calls stay), for the genotype table and its Parquet copy.
    """
    if parquet:
        from .io.parquet import require_pyarrow

        require_pyarrow()
    if html:
        from .report.gene_plot import require_matplotlib

        require_matplotlib()
    if genotype_rows not in GENOTYPE_ROWS:
        raise InputError(f"unknown --genotype-rows {genotype_rows}", fix="use " + " or ".join(GENOTYPE_ROWS))
    t0 = time.perf_counter()
    options = dict(options or {})
    if isinstance(options.get("ped"), str):  # a PED path: read it here (the analyses stay pure)
        from .io.ped import read_ped

        options["ped"] = read_ped(options["ped"])
    vin = open_vcf(vcf, build=build, raw_text=not keep_all)  # keep_all: records pass through pysam
    atomic_cleanup: list = []
    try:
        model = _model_for(vin) if not gene_model else _user_model(gene_model, vin)
        provider = open_reference(reference, model, use_imported_reference)
        if provider is not None:
            options.setdefault("reference_provider", provider)  # DIRA: repeat-shift proofs may read it
        annotator = Annotator(model, transcripts=transcripts, flank=FLANK, reference=provider,
                              ref_mismatch=ref_mismatch, source=vin.display)
        window = model.window(pad)
        summary = RunSummary(input=vin.display, build=model.build.name, build_evidence=vin.build.how,
                             mode="", samples=len(vin.samples),  # mode: set by iter_raw (indexed/bisect/stream)
                             sample_names=tuple(vin.samples), command_line=command_line, model=model,
                             genotype_rows=genotype_rows)
        log.debug("build %s (%s); window %s:%d-%d", model.build.name, vin.build.how,
                  vin.chr2 or "chr2", window.start + 1, window.end)
        size = _compressed_size(vin) if progress else None
        if output is not None:
            dt, dg = output_paths(output)
            table = dt if table is None else table
            genotypes = dg if genotypes is None else genotypes
        _check_output_paths(vin, _output_targets(output, table, genotypes, samples_tsv, html, parquet), json_dir)
        registry = load_builtin_analyses()
        rows = RowCache()  # field values per (allele, transcript): computed for the VCF, reused by the table
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
                if sample_format not in ("all", "none"):
                    raise InputError(f"unknown --sample-format {sample_format}", fix="use all or none")
                if sample_format == "all" and len(vin.samples) > SAMPLE_FORMAT_HINT:
                    log.warning("%d samples: the per-sample FORMAT fields are repeated on every annotated record; "
                                "--sample-format none (with --samples-tsv) writes a much smaller VCF much faster",
                                len(vin.samples))
                writer = VcfWriter(tmp_vcf, fmt_, vin.vf.header, meta, list(registry.values()),
                                   sample_format=sample_format, rows=rows, samples=vin.samples)
            # The window is buffered on disk (io/spool.py): (spool index, annotations or None) from the first
            # window record until the window ends; memory does not grow with samples x records.
            gtsv = TsvWriter(atomic.path(genotypes), GENOTYPE_COLUMNS) if genotypes else None
            if gtsv and genotype_rows == "all" and len(vin.samples) > SAMPLE_FORMAT_HINT:
                log.warning("%d samples: the genotype table gets a row per sample at every ALT allele; "
                            "--genotype-rows nonref keeps carriers and uncertain calls only (--genotypes '' skips it)",
                            len(vin.samples))
            columnar = len(vin.samples) >= COLUMNAR_MIN_SAMPLES
            spool = RecordSpool(vin.header_text, _format_types(vin) if columnar else {}, vin.samples,
                                source=vin.display)
            atomic_cleanup.append(spool)
            buffered: list = []
            annotations: list[AlleleAnnotation] = []
            state = {"flushed": False}
            run_options = {**options, "reference": provider}  # + "prepared": the analyses' per-record state

            def flush() -> None:
                results = run_analyses(annotations, vin.samples, model, run_options)
                summary.analyses = results
                if writer:
                    writer.set_results(results)
                    if writer.text:  # the spooled text, annotated as text: no re-parse of wide records
                        for i, anns_ in buffered:
                            writer.write_spooled(spool, i, anns_)
                    else:
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

            for n, raw, line in iter_raw(vin, None if keep_all else window):
                summary.records_read += 1
                if progress and summary.records_read % PROGRESS_EVERY == 0:
                    progress(summary.records_read, _fraction(vin, size))
                anns = None
                idx = None
                on_chr2 = _contig_ok(vin, raw.chrom)
                if on_chr2 and raw.pos <= window.end + 1 and (raw.stop or raw.pos) >= window.start:
                    idx = spool.add(raw, line)
                    loader = spool.loader(idx) if columnar and spool.matrix(idx) is not None else None
                    if loader is None and vin.raw_text:
                        # our parser refused the sample columns (or the per-sample path is asked for): htslib
                        # parses them and its text replaces the line, as without raw-text mode
                        raw = spool.reparse_last()
                        loader = spool.loader(idx) if columnar and spool.matrix(idx) is not None else None
                    elif writer and line is not None:
                        writer.precompress(idx, line)  # the columns written as they are: compressed now
                    rec = to_record(raw, vin.samples, n, genotypes=loader)
                    if annotator.record_in_window(rec):
                        anns = annotator.annotate_record(rec)
                        annotations.extend(anns)
                        if columnar and loader is not None:  # while the genotypes are parsed: counts, analyses
                            if summary.sample_tallies is None:
                                from .sample_view import SampleTallies

                                summary.sample_tallies = SampleTallies(len(vin.samples))
                            for a in anns:
                                rec.calls.allele_counts(a.variant.allele_index)
                                summary.sample_tallies.add(a)
                        prepare_analyses(anns, vin.samples, model, run_options)
                        if gtsv:  # written now, while this record's genotypes are parsed (no analysis columns)
                            for a in anns:
                                _write_genotypes(gtsv, a, genotype_rows == "all")
                        summary.records_in_window += 1
                        summary.alleles_annotated += len(anns)
                past_window = (on_chr2 and raw.pos > window.end + 1) or (not on_chr2 and (annotations or buffered))
                if past_window and not state["flushed"] and (annotations or buffered):
                    flush()
                if anns is None and not keep_all:
                    continue
                if anns is not None or (buffered and not state["flushed"]):
                    if idx is None:
                        idx = spool.add(raw, line)
                        if writer and line is not None:
                            writer.precompress(idx, line)
                    buffered.append((idx, anns))
                elif writer:
                    writer.write(raw, None)
            summary.mode = vin.mode
            summary.read_notes = list(vin.read_notes)
            if not state["flushed"]:
                flush()
            if writer:
                writer.close()
                if fmt_ == "z":
                    # the index the writer built while writing (io/tbi_build.py), else tabix re-reads the output
                    atomic.sidecar(writer.index_path or index_vcf_gz(tmp_vcf), output + ".tbi")
            if table:
                tsv = TsvWriter(atomic.path(table), variant_columns())
                for a in annotations:
                    tsv.write_text_rows(variant_text_rows(a, model.build.name, rows))
                tsv.close()
            if gtsv:
                gtsv.close()
            summary.outputs = [p for p in (output, table, genotypes) if p]
            summary.annotations = annotations
            summary.resources = _resources(model, summary.analyses)
            if progress:
                progress(summary.records_read, 1.0)
            _write_extra_outputs(atomic, summary, table, genotypes, json_dir, samples_tsv, html, parquet)
            for p in summary.outputs:
                log.debug("wrote %s", p)
    finally:
        vin.close()
        for sp in atomic_cleanup:
            sp.finish()
    summary.seconds = time.perf_counter() - t0
    return summary


def _output_targets(output, table, genotypes, samples_tsv, html, parquet) -> list[tuple[str, str]]:
    """(what, path) of every file a run will write (JSON reports aside: a folder of their own)."""
    out = [("the output VCF", output), ("the variant table", table), ("the genotype table", genotypes),
           ("the samples table", samples_tsv), ("the HTML report", html)]
    if output and output.endswith((".gz", ".bgz")):
        out.append(("the output's index", output + ".tbi"))
    if parquet:
        out += [(f"the Parquet copy of {what}", parquet_path(p)) for what, p in out[1:4] if p]
    return [(what, p) for what, p in out if p]


def _same_file(a: str, b: str) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)  # hard links
    except OSError:  # one of them does not exist yet
        return False


def _check_output_paths(vin: VcfInput, targets: list[tuple[str, str]], json_dir: str | None = None) -> None:
    """Before anything is written: an output that is the input (or its index) would replace it when the run
    renames its files into place, one path given for two outputs would keep only the later one, and a folder
    cannot be renamed over (nor a file written into as the JSON reports' folder)."""
    if json_dir and os.path.exists(json_dir) and not os.path.isdir(json_dir):
        raise InputError(f"the JSON report folder ({json_dir}) is a file", file=vin.display,
                         fix="give --json a folder (it is made if missing)")
    sources = [] if vin.path == "-" else [("the input", vin.path)] + [
        ("the input's index", vin.path + ext) for ext in (".tbi", ".csi") if os.path.exists(vin.path + ext)]
    for i, (what, path) in enumerate(targets):
        if os.path.isdir(path):
            raise InputError(f"{what} ({path}) is a folder", file=vin.display,
                             fix=f"give a file name, e.g. {os.path.join(path, 'annotated.vcf.gz')}")
        for src_what, src in sources:
            if _same_file(path, src):
                raise InputError(f"{what} ({path}) is {src_what}: writing it would replace {src_what}",
                                 file=vin.display, fix="give the outputs paths of their own (-o, --table, --genotypes ...)")
        for other, other_path in targets[:i]:
            if _same_file(path, other_path):
                raise InputError(f"{what} and {other} are the same file ({path}): one would replace the other",
                                 file=vin.display, fix="give each output a path of its own")


def _compressed_size(vin: VcfInput) -> int | None:
    if vin.path == "-" or not vin.path.endswith((".gz", ".bgz", ".bcf")):
        return None
    try:
        return os.path.getsize(vin.path)
    except OSError:
        return None


def _fraction(vin: VcfInput, size: int | None) -> float | None:
    """Share of a bgzipped file read so far, from the BGZF virtual offset (None when unknown)."""
    if not size or vin.reader is not None:
        return None
    try:
        return min(1.0, (vin.vf.tell() >> 16) / size)
    except (OSError, ValueError, AttributeError):
        return None


def _resources(model: GeneModel, results: list[AnalysisResult]) -> tuple[str, ...]:
    """Every resource label the run used: the gene model's, then every ``name@version#sha8`` label an analysis
    lists anywhere in its ``resources`` entries (top level or nested, e.g. ``cohort['definition']['resources']``)."""
    out = list(model.provenance)

    def visit(node: object, depth: int) -> None:
        if depth > 4:
            return
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "resources":
                    for label in [v] if isinstance(v, str) else v if isinstance(v, (list, tuple)) else ():
                        if isinstance(label, str) and _RESOURCE_LABEL.fullmatch(label) and label not in out:
                            out.append(label)
                else:
                    visit(v, depth + 1)

    for r in results:
        visit(r.cohort, 0)
    return tuple(out)


_RESOURCE_LABEL = re.compile(r"[A-Za-z0-9_.-]+@[^#\s]+#[0-9a-f]{8}")


def _write_extra_outputs(atomic: AtomicOutputs, summary: RunSummary, table: str | None, genotypes: str | None,
                         json_dir: str | None, samples_tsv: str | None, html: str | None, parquet: bool) -> None:
    """JSON reports, the per-sample table, the HTML report and Parquet copies (inside the same atomic block)."""
    from .io.samples_table import samples_rows, write_samples_tsv

    # in memory only for the HTML report and Parquet; the TSV alone is written in one streaming pass
    per_sample = samples_rows(summary) if (samples_tsv and parquet) or (html and len(summary.sample_names) > 1) \
        else None
    if parquet:
        from .io.parquet import write_parquet

        frames = ((table, lambda: variants_frame(summary)), (genotypes, lambda: genotypes_frame(summary)),
                  (samples_tsv, lambda: samples_frame(summary, per_sample)))
        for tsv, frame in frames:
            if tsv:
                target = parquet_path(tsv)
                write_parquet(frame(), atomic.path(target))
                summary.outputs.append(target)
    if samples_tsv:
        write_samples_tsv(atomic.path(samples_tsv), summary, per_sample)
        summary.outputs.append(samples_tsv)
    if json_dir:
        from .io.json_report import write_json_reports

        summary.outputs.extend(write_json_reports(atomic, json_dir, summary))
    if html:
        from .report import render_report

        with open(atomic.path(html), "w", encoding="utf-8") as fh:
            fh.write(render_report(summary, per_sample))
        summary.outputs.append(html)


def _format_types(vin) -> dict[str, str]:
    """FORMAT key -> declared Type, for the columnar parser (htslib's header keeps the definitions when
    raw-text mode subsets the samples away).  Imports numpy: only for 8+ samples."""
    from .io.gt_parse import format_types

    return format_types(vin.vf.header)


def parquet_path(tsv: str) -> str:
    """``out.tsv`` -> ``out.parquet`` (any other name gets ``.parquet`` appended)."""
    return tsv[:-4] + ".parquet" if tsv.endswith(".tsv") else tsv + ".parquet"


def annotate_variants(vcf: str, *, build: str | None = None, transcripts: str = "all",
                      pad: int = FLANK) -> Iterator[AlleleAnnotation]:
    """Yield :class:`AlleleAnnotation` objects for every ALT allele in the IL1RN window of ``vcf``."""
    vin = open_vcf(vcf, build=build)
    try:
        model = _model_for(vin)
        annotator = Annotator(model, transcripts=transcripts, reference=open_reference(None, model))
        window = model.window(pad)
        columnar = len(vin.samples) >= COLUMNAR_MIN_SAMPLES
        types = _format_types(vin) if columnar else {}
        for n, raw, _ in iter_raw(vin, window):
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


def vntr_context(source, *, build: str | None = None, samples: tuple[str, ...] | None = None, tag_markers=None):
    """Per-sample IL1RN VNTR results and the cohort summary (:class:`il1rn_annot.vntr.context.VntrContext`).

    ``source``: a VCF/BCF path (samples and build read from its header unless given) or annotations from
    :func:`annotate_variants`.  ``tag_markers`` replaces the bundled tag table (``vntr_tag_snps.tsv``):
    TagMarker objects, or the path of a TSV with the same columns (a lab's own LD data).
    """
    import os

    from .vntr.context import context_from_annotations

    if isinstance(tag_markers, (str, os.PathLike)):
        from .io.tag_table import read_tag_table

        tag_markers = read_tag_table(str(tag_markers))[0]

    if isinstance(source, (str, os.PathLike)):
        vin = open_vcf(str(source), build=build)
        try:
            build = vin.build.build.name
            samples = vin.samples if samples is None else samples
        finally:
            vin.close()
        source = annotate_variants(str(source), build=build)
    return context_from_annotations(source, build=build, samples=samples, tag_markers=tag_markers)
