"""The Python API for pipelines: typed configuration in, :class:`RunSummary` or annotations out.

>>> from il1rn_annot import annotate_vcf, annotate_variants, load_gene_model, to_dataframe
>>> summary = annotate_vcf("in.vcf.gz", "out.vcf.gz")                     # doctest: +SKIP
>>> df = to_dataframe(annotate_variants("in.vcf.gz"))                     # doctest: +SKIP

Errors a user can act on are :class:`~il1rn_annot.errors.InputError` (a file, a record, contradictory
settings) and :class:`~il1rn_annot.errors.UsageError` (a wrong argument).  Raised through these functions, their
messages name the functions' arguments (``build=``, ``reads_reference=``), not the command line's flags
(:data:`FLAG_ARGUMENTS`); the command line runs the same functions inside
:func:`~il1rn_annot.errors.command_line_words` and keeps its flags.  The tables' columns and types are listed
in ``docs/tables.md`` (:func:`il1rn_annot.frames.table_schemas`).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, TypeVar

from il1rn_annot.analyses import AnalysisResult
from il1rn_annot.consequence.annotate import AlleleAnnotation, Annotator
from il1rn_annot.dira.options import DiraOptions
from il1rn_annot.errors import COMMAND_LINE, Il1rnAnnotError, InputError, UsageError
from il1rn_annot.frames import (
    genotypes_frame,
    read_table,
    samples_frame,
    to_pyranges,
    variants_frame,
)
from il1rn_annot.model.builds import Build
from il1rn_annot.model.gene_model import FLANK, GeneModel
from il1rn_annot.model.gene_model import load_gene_model as _load_gene_model
from il1rn_annot.pipeline.config import Outputs, RunConfig
from il1rn_annot.pipeline.run import annotate
from il1rn_annot.pipeline.summary import RunSummary
from il1rn_annot.sources.fasta import open_reference
from il1rn_annot.sources.shards import open_input, read_shard_list

if TYPE_CHECKING:
    import pandas as pd

    from il1rn_annot.vntr.context import VntrContext
    from il1rn_annot.vntr.tags import TagMarker

__all__ = ["annotate_vcf", "annotate_variants", "load_gene_model", "to_dataframe", "vntr_context", "write_vntr_tables",
           "import_reference", "make_config",
           "RunConfig", "Outputs", "RunSummary", "AnalysisResult", "AlleleAnnotation", "DiraOptions",
           "variants_frame", "genotypes_frame", "samples_frame", "to_pyranges", "read_table",
           "read_shard_list"]

PathLike = str | os.PathLike

# The command line's flags that library errors name, and the API argument each stands for.
# tests/test_api_public.py checks that every flag an error message of the library names is here.
FLAG_ARGUMENTS: dict[str, str] = {
    "--build": "build=",
    "--gene-model": "gene_model=",
    "--html": "html=",
    "--keep-all": "keep_all=True",
    "--parquet": "parquet=True",
    "--ped": "ped=",
    "--phenopacket": "phenopacket_dir=",
    "--population-af": "population_af=",
    "--population-af-field": 'dira={"population_af_field": ...}',
    "--population-column": "population_column=",
    "--reads": "reads=",
    "--reads-reference": "reads_reference=",
    "--ref-mismatch": "ref_mismatch=",
    "--reference": "reference=",
}
COMMAND_FUNCTIONS: dict[str, str] = {"il1rn-annot reference import FASTA": "import_reference(FASTA)"}
_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def in_argument_words(text: str | None) -> str | None:
    """``text`` with each command-line flag of :data:`FLAG_ARGUMENTS` (and command of
    :data:`COMMAND_FUNCTIONS`) replaced by the API argument (function) it stands for."""
    if not text:
        return text
    for command, function in COMMAND_FUNCTIONS.items():
        text = text.replace(command, function)
    return _FLAG.sub(lambda m: FLAG_ARGUMENTS.get(m.group(0), m.group(0)), text)


def _reword(exc: Il1rnAnnotError) -> None:
    """The error, in place, in the API's words (its type, traceback and attributes otherwise kept); unchanged
    when the command line is the caller."""
    if COMMAND_LINE.get():
        return
    if isinstance(exc, InputError):
        exc.what, exc.fix = in_argument_words(exc.what) or exc.what, in_argument_words(exc.fix)
    exc.args = tuple(in_argument_words(a) if isinstance(a, str) else a for a in exc.args)


F = TypeVar("F", bound=Callable)


def _speaks_arguments(function: F) -> F:
    """``function`` whose :class:`Il1rnAnnotError` messages name API arguments instead of CLI flags (a
    generator's too, when its items are read)."""
    import inspect

    if inspect.isgeneratorfunction(function):
        @functools.wraps(function)
        def generator(*args, **kwargs):
            try:
                yield from function(*args, **kwargs)
            except Il1rnAnnotError as exc:
                _reword(exc)
                raise
        return generator  # type: ignore[return-value]

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Il1rnAnnotError as exc:
            _reword(exc)
            raise
    return wrapper  # type: ignore[return-value]


@_speaks_arguments
def load_gene_model(build: str | Build = "GRCh38") -> GeneModel:
    """The bundled IL1RN gene model for ``build`` ("GRCh38" or "GRCh37"; GRCh37 is the GRCh38 MANE model
    projected), validated and cached: transcripts, exons, CDS, the intron-2 VNTR and the window."""
    return _load_gene_model(build)


_OUTPUT_KEYS = {f.name for f in fields(Outputs)} - {"vcf"}
_CONFIG_KEYS = {f.name for f in fields(RunConfig)} - {"input", "outputs"}


PathOrShards = PathLike | Sequence[PathLike]


def _input(vcf: PathOrShards) -> str | tuple[str, ...]:
    """A path as text, or a sequence of paths (shards) as a tuple of text."""
    if isinstance(vcf, (str, os.PathLike)):
        return os.fspath(vcf)
    return tuple(os.fspath(p) for p in vcf)


def make_config(vcf: PathOrShards, output: str | None = None, **settings: object) -> RunConfig:
    """A :class:`RunConfig` from keyword settings (``vcf``: a path, or a list of the shards of one region-sharded
    callset, e.g. :func:`read_shard_list`): any field of :class:`Outputs` (``table``, ``genotypes``,
    ``samples_tsv``, ``json_dir``, ``html``, ``parquet``, ``vcf_format``) or of :class:`RunConfig`; ``dira``
    may be a dict of :class:`DiraOptions` fields.  ``table``/``genotypes`` default to paths beside ``output``."""
    unknown = set(settings) - _OUTPUT_KEYS - _CONFIG_KEYS
    if unknown:
        raise UsageError(f"unknown setting(s) {', '.join(sorted(unknown))}: use fields of RunConfig or Outputs")
    out = {k: settings.pop(k) for k in list(settings) if k in _OUTPUT_KEYS}
    dira = settings.get("dira")
    if isinstance(dira, dict):
        try:
            settings["dira"] = DiraOptions.from_dict(dira)
        except ValueError as exc:
            raise UsageError(f"dira: {exc}") from None
    return RunConfig(input=_input(vcf), outputs=Outputs.beside(output, **out), **settings)


@_speaks_arguments
def annotate_vcf(vcf: PathOrShards | None = None, output: str | None = None, *,
                 config: RunConfig | None = None, **settings: object) -> RunSummary:
    """Annotate ``vcf`` (a VCF/BCF path, or a list of the shards of one region-sharded callset, of which only
    those whose index covers the IL1RN window are read: ``summary.shards`` says which and why) and write the
    annotated VCF (``output``), the variant table, the genotype table and the per-sample table beside it (and,
    if asked, JSON reports, the HTML report, Parquet copies ...).

    Give either a :class:`RunConfig` as ``config`` or keyword settings (see :func:`make_config`: any field of
    :class:`Outputs` or :class:`RunConfig`, e.g. ``html="report.html"``, ``build="GRCh37"``,
    ``dira={"min_gq": 30}``).  ``output=None`` writes no VCF and no table unless named.  Nothing is written
    unless the whole run succeeds.  The summary keeps the window's alleles (without their genotypes) for
    :func:`variants_frame` and :func:`samples_frame` unless ``keep_alleles=False``.

    Raises :class:`~il1rn_annot.errors.InputError` for a bad file, record or contradictory setting and
    :class:`~il1rn_annot.errors.UsageError` for a wrong argument."""
    if config is None:
        if vcf is None:
            raise UsageError("annotate_vcf: give the input VCF (or config=)")
        settings.setdefault("keep_alleles", True)
        config = make_config(vcf, output, **settings)
    elif settings or output is not None or (vcf is not None and _input(vcf) != config.input):
        raise UsageError("annotate_vcf: give either config= or the input, output and keyword settings, not both")
    return annotate(config)


@_speaks_arguments
def annotate_variants(vcf: PathOrShards, *, build: str | None = None, transcripts: str = "all",
                      pad: int = FLANK) -> Iterator[AlleleAnnotation]:
    """Yield an :class:`AlleleAnnotation` (with its record's genotypes) for every ALT allele in the IL1RN window
    (the gene and ``pad`` bases each side), in file order.  ``vcf``: a path, or a list of shards of which those
    holding the window are read; ``build``: GRCh38 or GRCh37 (default: from the header); ``transcripts``: "all"
    or "mane".  :func:`to_dataframe` turns them into the variant table."""
    inp = _input(vcf)
    with open_input(inp, build=build, window_for=lambda b, _names: _load_gene_model(b).window(pad)) as source:
        model = _load_gene_model(source.build.build)
        annotator = Annotator(model, transcripts=transcripts, reference=open_reference(None, model))
        for item in source.window(model.window(pad)):
            if annotator.record_in_window(item.record):
                yield from annotator.annotate_record(item.record)


def to_dataframe(annotations: Iterable[AlleleAnnotation] | RunSummary, build: str = "") -> pd.DataFrame:
    """The variant table as a pandas DataFrame (one row per allele x transcript; the columns and types of
    ``docs/tables.md``, the same in every process) of :func:`annotate_variants` or of a :class:`RunSummary`."""
    return variants_frame(list(annotations) if not hasattr(annotations, "digest") else annotations, build=build)


@_speaks_arguments
def import_reference(fasta: PathLike, build: str | None = None) -> str:
    """Check ``fasta`` against the pinned bases and store the IL1RN locus (+ flanks) for later runs (which then
    give codons, HGVS p. and 3'-shifted HGVS without a FASTA); returns the stored file's path.  ``build``:
    GRCh38 or GRCh37 (default: recognised from the pinned bases)."""
    from il1rn_annot.model.builds import BUILDS, get_build
    from il1rn_annot.model.reference import check_pinned, detect_fasta_build
    from il1rn_annot.sinks.locus import write_locus
    from il1rn_annot.sources.fasta import FastaReference, imported_locus_path

    fasta = os.fspath(fasta)
    ref = FastaReference(fasta)
    if build:
        b = get_build(build)
        check_pinned(ref, b, fasta)
    else:
        b = detect_fasta_build(ref, list(BUILDS.values()), fasta)
    model = _load_gene_model(b)
    w = model.window(2 * FLANK)
    seq = ref.fetch("chr2", w.start, w.end)
    if len(seq) != len(w):
        raise InputError(f"chr2 in the FASTA is shorter than the IL1RN window ({len(seq)} of {len(w)} bases)",
                         file=fasta, fix="give a whole-chromosome FASTA")
    out = imported_locus_path(b.name)
    write_locus(out, "chr2", w.start, seq, b.name, fasta)
    ref.close()
    return str(out)


@_speaks_arguments
def vntr_context(source: PathOrShards | Iterable[AlleleAnnotation] | None = None, *, build: str | None = None,
                 samples: tuple[str, ...] | None = None,
                 tag_markers: PathLike | Sequence[TagMarker] | None = None,
                 reads: PathLike | Sequence[PathLike] = (), reads_reference: PathLike | None = None,
                 read_type: str = "auto", populations: PathLike | Mapping[str, str] | None = None,
                 population_column: str | None = None) -> VntrContext:
    """Per-sample IL1RN VNTR results and the cohort summary (:class:`il1rn_annot.vntr.context.VntrContext`).

    ``source``: a VCF/BCF path (samples and build read from its header unless given), annotations from
    :func:`annotate_variants`, or None with ``reads``.  ``tag_markers`` replaces the bundled tag table
    (``vntr_tag_snps.tsv``): TagMarker objects, or the path of a TSV with the same columns (a lab's own LD data).
    ``reads``: BAM/CRAM paths (the sample names from ``@RG SM``; a CRAM needs ``reads_reference``, the FASTA it
    was compressed against); their samples are answered from the reads (alleles measured from spanning long
    reads, the *2 flank SNVs genotyped) beside the VCF's evidence.  ``read_type``: auto (``@RG PL``, else read
    length), long or short.  ``populations``: ``{sample: population}`` or the path of a map
    (:func:`il1rn_annot.sources.populations.read_populations`) for the frequency table.
    """
    from il1rn_annot.vntr.context import context_from_annotations

    if isinstance(tag_markers, (str, os.PathLike)):
        from il1rn_annot.sources.tag_table import read_tag_table

        tag_markers = read_tag_table(str(tag_markers))[0]
    if isinstance(populations, (str, os.PathLike)):
        from il1rn_annot.sources.populations import read_populations

        populations = read_populations(os.fspath(populations), population_column)
    evidence = None
    if reads:
        from il1rn_annot.sources.reads import read_vntr_reads
        from il1rn_annot.vntr.reads import ReadsOptions

        try:
            options = ReadsOptions(read_type=read_type)
        except ValueError as exc:
            raise UsageError(f"vntr_context: {exc}") from None
        evidence = read_vntr_reads([reads] if isinstance(reads, (str, os.PathLike)) else reads,
                                   reference=os.fspath(reads_reference) if reads_reference else None,
                                   build=build, options=options, markers=tag_markers)
        build = build or evidence.build
    elif source is None:
        raise UsageError("vntr_context: give a VCF, annotations or reads=")
    if isinstance(source, (str, os.PathLike)) or (isinstance(source, (list, tuple)) and source
                                                   and all(isinstance(p, (str, os.PathLike)) for p in source)):
        inp = _input(source)
        with open_input(inp, build=build, window_for=lambda b, _names: _load_gene_model(b).window(FLANK)) as vin:
            build = vin.build.build.name
            samples = vin.samples if samples is None else samples
        source = annotate_variants(inp, build=build)
    return context_from_annotations(source or [], build=build, samples=samples, tag_markers=tag_markers,
                                    reads=evidence, populations=populations)


@_speaks_arguments
def write_vntr_tables(context: VntrContext, prefix: PathLike) -> list[str]:
    """Write the cohort tables of a :func:`vntr_context` result: ``PREFIX.vntr_dosage.tsv`` (per-sample *2
    dosage 0/1/2/NA with method and confidence) and ``PREFIX.vntr_frequencies.tsv`` (per-population allele and
    carrier frequencies, Wilson 95 % intervals, HWE exact p, published frequencies).  All or nothing."""
    from il1rn_annot.sinks.atomic import AtomicOutputs
    from il1rn_annot.sinks.vntr_tables import (
        table_paths,
        write_dosage_tsv,
        write_frequencies_tsv,
    )
    from il1rn_annot.vntr.cohort import dosage_rows

    dosage, freqs = table_paths(os.fspath(prefix))
    AtomicOutputs.check([("the dosage table", dosage), ("the frequency table", freqs)])
    with AtomicOutputs() as out:
        write_dosage_tsv(out.path(dosage), dosage_rows(context.per_sample, context.populations))
        write_frequencies_tsv(out.path(freqs), context.cohort["frequencies"])
    return [dosage, freqs]
