"""What one run is asked to do, as typed values (the CLI, the API and the Snakemake rule all build these)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from il1rn_annot.dira.options import DiraOptions
from il1rn_annot.errors import UsageError
from il1rn_annot.model.gene_model import FLANK

OUTPUT_FORMATS = ("v", "z", "b")
SAMPLE_FORMATS = ("auto", "all", "none")
AUTO_FORMAT_MAX_SAMPLES = 1000  # sample_format "auto": per-sample FORMAT fields for files up to this many samples
GENOTYPE_ROWS = ("nonref", "all")
TRANSCRIPT_SETS = ("all", "mane")
REF_MISMATCH = ("error", "warn", "skip")


def table_paths(vcf: str) -> tuple[str, str, str]:
    """Default table paths beside an output VCF: ``out.vcf.gz`` -> ``out.tsv`` (variants),
    ``out.genotypes.tsv``, ``out.samples.tsv``."""
    stem = vcf
    for ext in (".vcf.gz", ".vcf.bgz", ".vcf", ".bcf"):
        if stem.endswith(ext):
            stem = stem[: -len(ext)]
            break
    return stem + ".tsv", stem + ".genotypes.tsv", stem + ".samples.tsv"


def parquet_path(tsv: str) -> str:
    """``out.tsv`` -> ``out.parquet`` (any other name gets ``.parquet`` appended)."""
    return tsv[:-4] + ".parquet" if tsv.endswith(".tsv") else tsv + ".parquet"


@dataclass(frozen=True)
class Outputs:
    """Where a run writes.  ``vcf``: a path, ``-`` (standard output) or None; ``table``/``genotypes``: paths or
    None (no such table).  Build it with :meth:`beside` to get the default table paths next to the VCF."""

    vcf: str | None = None
    vcf_format: str | None = None  # v, z, b; default from the VCF's name
    table: str | None = None
    genotypes: str | None = None
    samples_tsv: str | None = None
    json_dir: str | None = None
    phenopacket_dir: str | None = None  # one GA4GH Phenopacket v2 per sample (needs the phenopackets extra)
    criteria_tsv: str | None = None  # one row per ACMG criterion per allele
    html: str | None = None
    parquet: bool = False
    vntr_tables: str | None = None  # prefix: PREFIX.vntr_dosage.tsv, PREFIX.vntr_frequencies.tsv

    @classmethod
    def beside(cls, vcf: str | None, *, table: str | None = None, genotypes: str | None = None,
               samples_tsv: str | None = None, **others) -> "Outputs":
        """``table``/``genotypes``/``samples_tsv`` default to paths beside ``vcf`` (none beside standard output);
        ``""`` skips one."""
        if vcf and vcf != "-":
            default_table, default_genotypes, default_samples = table_paths(vcf)
            table = default_table if table is None else table
            genotypes = default_genotypes if genotypes is None else genotypes
            samples_tsv = default_samples if samples_tsv is None else samples_tsv
        return cls(vcf=vcf, table=table or None, genotypes=genotypes or None, samples_tsv=samples_tsv or None,
                   **others)

    def files(self) -> list[tuple[str, str]]:
        """(what, path) of every file this run writes (the JSON folder aside)."""
        out = [("the output VCF", self.vcf), ("the variant table", self.table), ("the genotype table", self.genotypes),
               ("the samples table", self.samples_tsv), ("the HTML report", self.html),
               ("the criteria table", self.criteria_tsv)]
        if self.vcf and self.vcf not in ("-",) and (self.vcf_format == "z" or (
                self.vcf_format is None and self.vcf.endswith((".vcf.gz", ".vcf.bgz")))):
            out.append(("the output's index", self.vcf + ".tbi"))
        if self.parquet:
            out += [(f"the Parquet copy of {what}", parquet_path(p)) for what, p in out[1:4] if p]
        if self.vntr_tables:
            out += [("the VNTR dosage table", self.vntr_tables + ".vntr_dosage.tsv"),
                    ("the VNTR frequency table", self.vntr_tables + ".vntr_frequencies.tsv")]
        return [(what, p) for what, p in out if p]


@dataclass(frozen=True)
class RunConfig:
    """One annotation run.  ``input``: a VCF/BCF path, ``-`` (standard input), or a tuple of paths: the shards
    of one region-sharded callset, of which only those holding the IL1RN window are read
    (:mod:`il1rn_annot.sources.shards`).  ``ped``: a PED path or ``{sample: Trio}``; ``vntr_tags``: a TSV path or TagMarker
    objects replacing the bundled tag table; ``reference``: a FASTA path (else the imported locus, if
    ``use_imported_reference``); ``reads``: BAM/CRAM paths whose samples get the read-based VNTR call
    (``reads_reference``: the CRAMs' FASTA); ``populations``: a map for the VNTR frequency table."""

    input: str | tuple[str, ...]
    outputs: Outputs = field(default_factory=Outputs)
    input_label: str | None = None  # how outputs and messages name the input (default its path; the Hail route)
    input_notes: tuple[str, ...] = ()  # read notes on how the input was made (the Hail route's export)
    build: str | None = None
    transcripts: str = "all"
    pad: int = FLANK
    keep_all: bool = False
    reference: str | None = None
    ref_mismatch: str = "error"
    gene_model: str | None = None
    use_imported_reference: bool = True
    sample_format: str = "auto"  # per-sample FORMAT fields: auto (up to 1,000 samples), all, none
    genotype_rows: str = "nonref"
    dira: DiraOptions = field(default_factory=DiraOptions)
    ped: object = None
    population_af: str | None = None  # a bgzipped, indexed sites VCF of population frequencies (gnomAD or any)
    vntr_tags: object = None
    reads: tuple[str, ...] = ()          # BAM/CRAM files read at the VNTR (sample names from @RG SM)
    reads_reference: str | None = None   # the FASTA the CRAMs were compressed against
    read_type: str = "auto"              # auto (@RG PL, else read length), long, short
    populations: object = None           # a sample -> population map (path or dict) for the VNTR frequencies
    population_column: str | None = None
    command_line: str = ""
    keep_alleles: bool = False  # keep the window's alleles (without genotypes) in the summary, for DataFrames
    progress: Callable[[int, float | None], None] | None = field(default=None, compare=False)

    def vcf_sample_format(self, n_samples: int) -> str:
        """``all`` or ``none``: whether the per-sample results go into the VCF as FORMAT fields."""
        if self.sample_format != "auto":
            return self.sample_format
        return "all" if n_samples <= AUTO_FORMAT_MAX_SAMPLES else "none"

    def __post_init__(self) -> None:
        for name, value, allowed in (("vcf_format", self.outputs.vcf_format, OUTPUT_FORMATS + (None,)),
                                     ("sample_format", self.sample_format, SAMPLE_FORMATS),
                                     ("genotype_rows", self.genotype_rows, GENOTYPE_ROWS),
                                     ("transcripts", self.transcripts, TRANSCRIPT_SETS),
                                     ("ref_mismatch", self.ref_mismatch, REF_MISMATCH)):
            if value not in allowed:
                raise UsageError(f"{name}={value!r}: use one of {', '.join(str(a) for a in allowed if a)}")
        if self.pad < 0:
            raise UsageError(f"pad={self.pad}: give a number of bases >= 0")
        if self.read_type not in ("auto", "long", "short"):
            raise UsageError(f"read_type={self.read_type!r}: use one of auto, long, short")
        if isinstance(self.reads, str):
            object.__setattr__(self, "reads", (self.reads,))
        if not isinstance(self.input, str):
            if isinstance(self.input, os.PathLike):
                object.__setattr__(self, "input", os.fspath(self.input))
            else:
                shards = tuple(os.fspath(p) for p in self.input)
                if not shards:
                    raise UsageError("input: give a VCF/BCF path or a non-empty list of shard paths")
                object.__setattr__(self, "input", shards)
