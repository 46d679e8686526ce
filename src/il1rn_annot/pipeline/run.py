"""One annotation run, as the data flows (no file is opened here: paths go to sources and sinks).

::

    input ─VcfSource─▶ window records (Record + genotypes) ─Annotator─▶ alleles placed, consequences
      pass 1: every analysis observes the alleles (DIRA, VNTR, codon pairs) ─▶ results
      pass 2: the window read again, each record annotated, results attached ─▶ sinks (VCF, tables, digest)
      then:   per-sample outputs from the results and the digest ─▶ samples table, JSON, HTML, Parquet

Reading the window twice keeps memory bounded by design: no record's genotypes outlive the record, whatever
the number of samples or records (the analyses keep compact summaries only).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from il1rn_annot.analyses import Analysis, AnalysisResult
from il1rn_annot.codon_pairs import CodonHaplotypes
from il1rn_annot.consequence.annotate import AlleleAnnotation, Annotator
from il1rn_annot.coords import region_string
from il1rn_annot.dira.analysis import DiraAnalysis
from il1rn_annot.errors import InputError
from il1rn_annot.model.builds import is_chr2_name
from il1rn_annot.model.gene_model import GeneModel, load_gene_model
from il1rn_annot.pipeline.config import RunConfig, parquet_path
from il1rn_annot.pipeline.summary import RunSummary
from il1rn_annot.report.sink import HtmlReportSink
from il1rn_annot.sinks.atomic import AtomicOutputs
from il1rn_annot.sinks.base import Sink
from il1rn_annot.sinks.json_reports import JsonReportsSink
from il1rn_annot.sinks.parquet import ParquetCopies
from il1rn_annot.sinks.sample_view import WindowCollector
from il1rn_annot.sinks.samples_table import SamplesTableSink
from il1rn_annot.sinks.phenopacket import PhenopacketSink
from il1rn_annot.sinks.tables import CriteriaTableSink, GenotypeTableSink, VariantTableSink
from il1rn_annot.sinks.vntr_tables import VntrTablesSink
from il1rn_annot.sinks.vcf import VcfSink, output_format
from il1rn_annot.sources.shards import input_display, open_input
from il1rn_annot.sources.vcf import VcfSource
from il1rn_annot.types import Interval
from il1rn_annot.variants.record import SourceRecord
from il1rn_annot.version import __version__
from il1rn_annot.vntr.analysis import VntrAnalysis

log = logging.getLogger(__name__)
PROGRESS_EVERY = 20_000  # records between progress callbacks
# Pass 1 keeps the annotations of up to this many window records for pass 2, which otherwise annotates each
# record again (the alleles depend only on the record's position, REF, ALT and INFO, which pass 2 checks are
# the same).  Bounded so that a window of 50,000 records keeps its memory bound; the rest are re-annotated.
REUSE_RECORDS = 5_000


def annotate(config: RunConfig) -> RunSummary:
    """Run ``config``: read the input, annotate the IL1RN window, write every output all-or-nothing."""
    t0 = time.perf_counter()
    _require_extras(config)
    _check_outputs(config)
    with _open_input(config) as source, AtomicOutputs() as outputs:
        run = _Run.start(config, source)
        seen = _observe(run)                                   # pass 1: the analyses
        run.summary.analyses = [an.finish() for an in run.analyses]
        _write(run, seen, _sinks(run, outputs))                # pass 2: the sinks
    run.summary.seconds = time.perf_counter() - t0
    return run.summary


@dataclass
class _Run:
    """What one run works with: the input, the gene model and window, the annotator, the analyses, the summary."""

    config: RunConfig
    source: VcfSource
    model: GeneModel
    window: Interval
    annotator: Annotator
    analyses: list[Analysis]
    summary: RunSummary
    populations: dict[str, str] | None = None  # sample -> population (the VNTR frequency tables)
    reuse: dict = field(default_factory=dict)  # _key(record) -> pass 1's alleles (without genotypes), for pass 2

    @classmethod
    def start(cls, config: RunConfig, source: VcfSource) -> "_Run":
        model = _gene_model(config, source)
        if source.build.how == "--build" and not config.gene_model:
            source.notes.append(_check_forced_build(source, config.pad))
        choice = _reference(config, model, source)
        reference = choice.provider
        annotator = Annotator(model, transcripts=config.transcripts, reference=reference,
                              ref_mismatch=config.ref_mismatch, source=source.display)
        window = model.window(config.pad)
        summary = RunSummary(input=source.display, build=model.build.name, build_evidence=source.build.how,
                             mode="", samples=len(source.samples), sample_names=source.samples,
                             command_line=config.command_line, model=model, genotype_rows=config.genotype_rows,
                             reference=_reference_text(choice, annotator))
        for why in choice.skipped:
            log.warning("%s: a reference FASTA was found but not used: %s", source.display, why)
        log.debug("build %s (%s); window %s", model.build.name, source.build.how, region_string("chr2", window))
        populations = _populations(config)
        analyses = _analyses(config, model, source.samples, reference,
                             window_text=f"{model.build.name} {region_string('chr2', window)}",
                             populations=populations)
        return cls(config, source, model, window, annotator, analyses, summary, populations)


def _open_input(config: RunConfig) -> VcfSource:
    """The input as a source: one file, or of several shards the one(s) holding the window (chosen for the
    window this run's gene model gives)."""
    def window_for(build, chr2_names: tuple[str, ...]) -> Interval:
        return _model_for(config, build, chr2_names).window(config.pad)

    source = open_input(config.input, build=config.build, window_for=window_for, display=config.input_label)
    joined = [c.path for c in source.shards if c.read]
    if config.keep_all and len(joined) > 1:
        source.close()
        raise InputError(f"--keep-all passes every record of the input through, but the IL1RN window "
                         f"crosses {len(joined)} shards ({', '.join(joined)}), of which only the window is read",
                         file=joined[0], fix="concatenate them first (bcftools concat -a A B -Oz -o AB.vcf.gz && "
                         "tabix -p vcf AB.vcf.gz) and annotate that file, or run without --keep-all")
    return source


def _observe(run: _Run) -> list[tuple]:
    """Pass 1: every analysis observes the window's alleles (a record's genotypes read only when an analysis
    wants them).  Returns the records' keys, which pass 2 must read again in the same order."""
    source, summary = run.source, run.summary
    seen: list[tuple] = []
    for item, alleles in _annotated(run, summary, genotypes=False):
        if alleles is None:
            continue
        seen.append(_key(item))
        if len(run.reuse) < REUSE_RECORDS:
            run.reuse[seen[-1]] = alleles
        summary.alleles_annotated += len(alleles)
        if alleles and source.samples and any(an.wants_genotypes(alleles) for an in run.analyses):
            record = source.with_genotypes(item)
            alleles = [replace(a, record=record) for a in alleles]
        for an in run.analyses:
            an.observe(alleles)
    summary.records_in_window = len(seen)
    summary.mode = "indexed" if source.index_is_users else "temporary index"  # shards: the notes say more
    summary.shards = tuple(source.shards)
    summary.read_notes = list(run.config.input_notes) + list(source.notes) + source.genotype_notes
    if not seen:
        log.warning("%s: no record falls in the IL1RN window (%s %s): every sample's DIRA verdict is "
                    "NO_IL1RN_RECORDS", source.display, run.model.build.name, region_string("chr2", run.window))
    return seen


def _write(run: _Run, seen: list[tuple], sinks: list[Sink]) -> None:
    """Pass 2: the window read again, each record annotated, the analyses' results attached, every sink fed."""
    results = run.summary.analyses
    written = 0
    for item, alleles in _annotated(run, None):
        if alleles is not None:
            if written >= len(seen) or _key(item) != seen[written]:
                raise _changed(run.source)
            written += 1
            for a in alleles:
                for res in results:
                    res.attach(a)
        for sink in sinks:
            sink.write(item, alleles)
    if written != len(seen):
        raise _changed(run.source)
    run.summary.resources = _resources(run.model, results) + run.annotator.resources()
    run.summary.outputs = [path for sink in sinks for path in sink.finish(run.summary)]
    for path in run.summary.outputs:
        log.debug("wrote %s", path)
    if run.config.progress:
        run.config.progress(run.summary.records_read, 1.0)


def _changed(source: VcfSource) -> InputError:
    return InputError("the input changed while it was read (the second reading differs)", file=source.display,
                      fix="do not change the file during the run")


def _check_outputs(config: RunConfig) -> None:
    """Every output path, checked before any work."""
    display = config.input_label or input_display(config.input)
    paths = config.input if isinstance(config.input, tuple) else (config.input,)
    AtomicOutputs.check(config.outputs.files(), inputs=[x for p in paths for x in _inputs(p)] + _read_inputs(config),
                        folders=[(what, d) for what, d in (("the JSON report folder", config.outputs.json_dir),
                                                           ("the Phenopacket folder", config.outputs.phenopacket_dir))
                                 if d], display=display)


def _check_forced_build(source: VcfSource, pad: int) -> str:
    """``--build`` with no build evidence in the header: look at both builds' windows and the pinned bases."""
    from il1rn_annot.model.builds import BUILDS, check_build_by_records
    from il1rn_annot.model.reference import pinned_bases

    counts: dict[str, int] = {}
    pinned: dict[str, tuple[int, int]] = {}
    for name, build in BUILDS.items():
        bases = {int(r["start"]): r["bases"] for r in pinned_bases(build)}
        n = ok = bad = 0
        for item in source.window(load_gene_model(build).window(pad), genotypes=False, verify_empty=False):
            n += 1
            expected = bases.get(item.record.pos)
            if expected is not None:
                if item.record.ref.upper().startswith(expected):
                    ok += 1
                else:
                    bad += 1
        counts[name], pinned[name] = n, (ok, bad)
    return check_build_by_records(source.build.build, counts, pinned, source.display)


def _key(item: SourceRecord) -> tuple:
    r = item.record
    return (r.contig, r.pos, r.ref, r.alts, r.index)


def _annotated(run: _Run, summary: RunSummary | None,
               genotypes: bool = True) -> Iterator[tuple[SourceRecord, list[AlleleAnnotation] | None]]:
    """Each record read with its alleles annotated, or None for a record outside the window (``keep_all``).
    ``summary``: counts the records read (pass 1)."""
    source, annotator, window, config = run.source, run.annotator, run.window, run.config
    records = source.records(window, genotypes=genotypes) if config.keep_all else \
        source.window(window, genotypes=genotypes, verify_empty=genotypes is False)
    n = 0
    for item in records:
        n += 1
        if summary is not None:
            summary.records_read = n
            if config.progress and n % PROGRESS_EVERY == 0:
                config.progress(n, None)
        rec = item.record
        if rec is None or not is_chr2_name(rec.contig) or not annotator.record_in_window(rec):
            yield item, None
            continue
        kept = run.reuse.pop(_key(item), None) if summary is None else None
        if kept and kept[0].record.info == rec.info:
            # the same alleles as pass 1 found, on this reading's record (its genotypes), with fresh extras
            yield item, [replace(a, record=rec, extras=dict(a.extras)) for a in kept]
        else:
            yield item, annotator.annotate_record(rec)


def _require_extras(config: RunConfig) -> None:
    if config.outputs.parquet:
        from il1rn_annot.sinks.parquet import require_pyarrow

        require_pyarrow()
    if config.outputs.html:
        from il1rn_annot.report.gene_plot import require_matplotlib

        require_matplotlib()
    if config.outputs.phenopacket_dir:
        from il1rn_annot.sinks.phenopacket import require_phenopackets

        require_phenopackets()


def _inputs(path: str) -> list[tuple[str, str]]:
    if path == "-":
        return []
    return [("the input", path)] + [("the input's index", path + ext) for ext in (".tbi", ".csi")]


def _read_inputs(config: RunConfig) -> list[tuple[str, str]]:
    out = [("a read file", p) for p in config.reads]
    return out + [("a read file's index", p + ext) for p in config.reads for ext in (".bai", ".csi", ".crai")]


def _populations(config: RunConfig) -> dict[str, str] | None:
    if isinstance(config.populations, str):
        from il1rn_annot.sources.populations import read_populations

        return read_populations(config.populations, config.population_column)
    return dict(config.populations) if config.populations is not None else None


def _gene_model(config: RunConfig, source: VcfSource) -> GeneModel:
    return _model_for(config, source.build.build, source.chr2_names)


def _model_for(config: RunConfig, build, chr2_names: tuple[str, ...]) -> GeneModel:
    if not config.gene_model:
        return load_gene_model(build)
    from il1rn_annot.model.gff import models_by_contig
    from il1rn_annot.sources.gene_model_file import read_gene_model_file

    proteins: dict[str, str] = {}
    models = models_by_contig(read_gene_model_file(config.gene_model, proteins), proteins)
    for name in list(chr2_names) + ["chr2", "2", "NC_000002.12", "NC_000002.11"]:
        if name in models:  # the VCF's build names the g. accession and the pinned bases to check
            return replace(models[name], build=build, contig="chr2")
    raise InputError(f"no transcript on the VCF's chr2 ({', '.join(chr2_names) or 'none'}) in the gene model "
                     f"(contigs: {', '.join(sorted(models))})", file=config.gene_model,
                     fix="give a GFF3/GTF whose contig names match the VCF")


def _reference(config: RunConfig, model: GeneModel, source: VcfSource):
    from il1rn_annot.sources.fasta import find_reference

    return find_reference(config.reference, model, header_reference=source.header.reference_line,
                          vcf_path=config.input, automatic=config.use_imported_reference)


def _reference_text(choice, annotator: Annotator) -> str:
    """What the run's protein effects come from, for the summary line."""
    if choice.provider is not None:
        return f"reference: {choice.description}"
    source = annotator.protein_source
    off = " (automatic look-up off)" if "look-up off" in choice.description else ""
    if source:
        return f"no genome FASTA{off}: protein effects inferred from the protein {source} and the VCF's REF bases"
    return f"no genome FASTA{off}: protein effects only where the location decides them"


def _analyses(config: RunConfig, model: GeneModel, samples: tuple[str, ...], reference,
              window_text: str = "", populations: dict[str, str] | None = None) -> list[Analysis]:
    ped = config.ped
    if isinstance(ped, str):
        from il1rn_annot.sources.ped import read_ped

        ped = read_ped(ped)
    markers, tag_table = config.vntr_tags, ""
    if isinstance(markers, str):
        from il1rn_annot.sources.tag_table import read_tag_table

        markers, tag_table = read_tag_table(markers)
    population = None
    if config.population_af:
        from il1rn_annot.sources.population import read_population_af

        population = read_population_af(config.population_af, model.build.name, model.window(config.pad), config.dira)
    reads = None
    if config.reads:
        from il1rn_annot.sources.reads import read_vntr_reads
        from il1rn_annot.vntr.reads import ReadsOptions

        reads = read_vntr_reads(config.reads, reference=config.reads_reference, build=model.build.name,
                                options=ReadsOptions(read_type=config.read_type), markers=markers)
        outside = sorted(set(reads.calls) - set(samples))
        if outside:
            log.warning("%d sample(s) of the read files are not in the VCF, so their read-based VNTR call is in no "
                        "per-sample output of this run: %s (il1rn-annot vntr/cohort --reads answers them)",
                        len(outside), ", ".join(outside[:10]) + (" ..." if len(outside) > 10 else ""))
    return [CodonHaplotypes(model, samples, reference),
            DiraAnalysis(model, samples, config.dira, ped, reference, window_text=window_text, population=population),
            VntrAnalysis(model, samples, markers, tag_table, reads, populations)]


def _resources(model: GeneModel, results: list[AnalysisResult]) -> tuple[str, ...]:
    """Every resource label the run used: the gene model's, then those the analyses list."""
    out = list(model.provenance)
    for r in results:
        for key in ("resources",):
            for label in r.cohort.get(key, ()) or ():
                if isinstance(label, str) and "@" in label and label not in out:
                    out.append(label)
        definition = r.cohort.get("definition")
        if isinstance(definition, dict):
            for label in definition.get("resources", ()):
                if label not in out:
                    out.append(label)
    return tuple(out)


def _sinks(run: _Run, outputs: AtomicOutputs) -> list[Sink]:
    """The run's outputs, in the order they finish: per-record ones first, then those made from the run."""
    config, source, model, summary = run.config, run.source, run.model, run.summary
    results = summary.analyses
    if config.keep_all:
        source.rewind()  # pass 2 reads the whole file again: the writer's header must be the new reader's
    o = config.outputs
    tmp = {p: outputs.path(p) for p in (o.table, o.genotypes, o.samples_tsv, o.html, o.criteria_tsv) if p}
    sinks: list[Sink] = []
    if o.vcf:
        meta = {"il1rn_annot_version": __version__,
                "il1rn_annot_build": f"{model.build.name} ({source.build.how})",
                "il1rn_annot_resources": ",".join(model.provenance)}
        if config.command_line:
            meta["il1rn_annot_command"] = config.command_line
        sample_format = config.vcf_sample_format(len(source.samples))
        if sample_format == "none" and config.sample_format == "auto" and source.samples:
            log.info("%d samples: the per-sample results are in the samples table%s, not repeated as FORMAT "
                     "fields on every record (--sample-format all writes them)", len(source.samples),
                     f" ({o.samples_tsv})" if o.samples_tsv else "")
        sinks.append(VcfSink(o.vcf, output_format(o.vcf, o.vcf_format), source.writer_template, meta, results,
                             outputs, source.samples, sample_format))
    if o.table:
        sinks.append(VariantTableSink(tmp[o.table], o.table, model.build.name))
    if o.genotypes:
        sinks.append(GenotypeTableSink(tmp[o.genotypes], o.genotypes, config.genotype_rows))
    sinks.append(WindowCollector(summary, source.samples, tallies=bool(o.samples_tsv or o.html or o.json_dir),
                                 digest=bool(o.json_dir or o.html or config.keep_alleles)))
    if o.samples_tsv:
        sinks.append(SamplesTableSink(tmp[o.samples_tsv], o.samples_tsv))
    if o.parquet:
        sinks.append(ParquetCopies([(tmp[p], outputs.path(parquet_path(p)), parquet_path(p))
                                    for p in (o.table, o.genotypes, o.samples_tsv) if p]))
    if o.vntr_tables:
        sinks.append(VntrTablesSink(outputs, o.vntr_tables, run.populations))
    if o.criteria_tsv:
        sinks.append(CriteriaTableSink(tmp[o.criteria_tsv], o.criteria_tsv))
    if o.json_dir:
        sinks.append(JsonReportsSink(outputs, o.json_dir))
    if o.phenopacket_dir:
        sinks.append(PhenopacketSink(outputs, o.phenopacket_dir))
    if o.html:
        sinks.append(HtmlReportSink(tmp[o.html], o.html))
    return sinks
