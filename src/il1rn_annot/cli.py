"""``il1rn-annot``: parse arguments, call the library, map errors to exit codes.

Exit codes: 0 done; 1 bad input or an output that cannot be written (one line naming the file, the record and
the fix; the traceback with -v); 2 usage error; 3 internal error (a bug of ours: the traceback is saved to a
file named in the message, or shown with -v).  SIGTERM and SIGINT stop the run, remove every temporary file
and exit 128 + the signal number.
"""

from __future__ import annotations

import argparse
import logging
import os
import shlex
import signal
import sys
import tempfile
import traceback

from il1rn_annot.errors import Il1rnAnnotError, UsageError, command_line_words
from il1rn_annot.version import __version__

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
log = logging.getLogger("il1rn_annot")


class Interrupted(BaseException):
    """SIGTERM or SIGINT: raised in the main thread so that every ``with``/``finally`` cleans up."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class _Formatter(logging.Formatter):
    def __init__(self, verbose: bool):
        super().__init__()
        self.verbose = verbose

    def format(self, record: logging.LogRecord) -> str:
        msg = record.getMessage()
        if record.name == "py.warnings":
            msg = msg.strip().splitlines()[0]
            msg = msg.split(": ", 1)[1] if "Warning: " in msg else msg
            return f"il1rn-annot: warning: {msg.split('AnnotationWarning: ')[-1]}"
        if self.verbose or record.levelno >= logging.WARNING:
            return f"il1rn-annot: {record.levelname.lower()}: {msg}"
        return f"il1rn-annot: {msg}"


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time (tests capture it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            print(self.format(record), file=sys.stderr)
        except (OSError, ValueError):
            self.handleError(record)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 itself; route through UsageError for one place
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="il1rn-annot", description="Annotate VCFs for IL1RN (2q14.1): placement on every transcript, "
                "DIRA relevance and IL1RN*1-*5 VNTR context.")
    p.add_argument("--version", action="version", version=f"il1rn-annot {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="details and tracebacks")
    p.add_argument("-q", "--quiet", action="store_true", help="no run summary")
    common = _Parser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="details and tracebacks")
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no run summary")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    a = sub.add_parser("annotate", parents=[common], help="annotate a VCF/BCF")
    a.add_argument("vcf", nargs="*", metavar="VCF",
                   help="input .vcf, .vcf.gz, .bcf, or - for stdin; several: the shards of one region-sharded callset "
                        "(e.g. a UK Biobank pVCF release; each bgzipped with its .tbi/.csi), of which only those whose "
                        "index covers the IL1RN window are read (docs/shards.md)")
    a.add_argument("--shards", metavar="FILE", help="a text file listing the shards, one path per line (relative "
                   "paths from the file's folder; # comments), instead of naming them")
    a.add_argument("-o", "--output", required=True,
                   help="annotated VCF to write (.vcf, .vcf.gz, .bcf), or - for standard output (the tables then "
                        "need --table/--genotypes paths)")
    a.add_argument("-O", "--output-type", choices=["v", "z", "b"], help="v: VCF, z: bgzipped VCF + tabix index, b: BCF (default: from -o)")
    a.add_argument("--build", help="GRCh38 or GRCh37 (default: detected from the header; must agree with it)")
    a.add_argument("--keep-all", action="store_true", help="pass every record through (annotations on IL1RN records only)")
    a.add_argument("--table", help="variant table (default: OUTPUT stem + .tsv; '' to skip)")
    a.add_argument("--sample-format", choices=("auto", "all", "none"), default="auto",
                   help="per-sample results (IL1RN_DIRA, IL1RN_VNTR*) as FORMAT fields on every annotated record: "
                        "auto (default: for files of up to 1,000 samples), all, or none (they are always in the "
                        "samples table)")
    a.add_argument("--genotypes", help="long per-sample genotype table (default: OUTPUT stem + .genotypes.tsv; '' to skip)")
    a.add_argument("--genotype-rows", choices=("nonref", "all"), default="nonref",
                   help="rows of the genotype table: carriers, half-calls and missing calls (nonref, default: a sample "
                        "without a row was called reference there) or every sample at every ALT allele (all)")
    a.add_argument("--json", metavar="DIR", help="write one JSON report per sample and cohort.json into DIR")
    a.add_argument("--criteria-tsv", metavar="FILE", help="one row per ACMG criterion per allele: code, status (met, "
                   "not_met, not_evaluable), strength, points, reason, and the allele's points and 2015 classes")
    a.add_argument("--phenopacket", metavar="DIR", help="write one GA4GH Phenopacket v2 per sample (the DIRA "
                   "interpretation) into DIR (needs the phenopackets package)")
    a.add_argument("--samples-tsv", metavar="FILE", help="per-sample table: verdicts, diplotypes, counts (default: "
                   "OUTPUT stem + .samples.tsv; '' to skip)")
    a.add_argument("--html", metavar="FILE", help="self-contained HTML report (needs matplotlib)")
    a.add_argument("--parquet", action="store_true", help="also write each TSV table as .parquet beside it (needs pyarrow)")
    a.add_argument("--transcripts", choices=["all", "mane"], default="all", help="annotate every transcript or MANE only")
    a.add_argument("--pad", type=int, default=5000, help="bases around the gene span read from an indexed file (default 5000)")
    a.add_argument("--reference", help="indexed FASTA of the VCF's build (plain or bgzip; chr2/2/NC_000002.x): codons "
                   "and p. translated from it (default: $IL1RN_ANNOT_REFERENCE, the config file's [reference] entry, "
                   "the header's ##reference= if that file exists, the locus stored by 'reference import'; without "
                   "any, protein effects are inferred from the verified protein and the REF bases)")
    a.add_argument("--ref-mismatch", choices=["error", "warn", "skip"], default="error",
                   help="a VCF REF that disagrees with --reference: stop (default), warn, or skip the record")
    a.add_argument("--gene-model", help="Ensembl-style GFF3 or GTF to use instead of the bundled IL1RN model")
    a.add_argument("--no-imported-reference", action="store_true",
                   help="use no reference found automatically (environment, config file, ##reference=, imported locus)")

    a.add_argument("--vntr-tags", metavar="TSV", help="your own VNTR tag-SNP table (the columns of the bundled "
                   "vntr_tag_snps.tsv: position, REF/ALT, tagged allele, which SNP allele tags it, r2, source) used "
                   "instead of the bundled one; see docs/methods.md section 4")
    _reads_arguments(a)
    a.add_argument("--vntr-tables", metavar="PREFIX", help="also write PREFIX.vntr_dosage.tsv (per-sample *2 dosage "
                   "0/1/2/NA with method) and PREFIX.vntr_frequencies.tsv (frequencies, 95%% CIs, HWE)")

    d = a.add_argument_group("DIRA interpretation (docs/methods.md, 'DIRA interpretation')")
    d.add_argument("--ped", help="PED file: phase compound heterozygotes from the parents' genotypes")
    d.add_argument("--dira-qualifying", metavar="CLASSES",
                   help="comma-separated variant classes that count toward the verdict (default: pathogenic,likely_pathogenic)")
    d.add_argument("--ba1", type=float, help="BA1 allele-frequency threshold (default 0.05)")
    d.add_argument("--bs1", type=float, help="BS1 allele-frequency threshold (default 0.005)")
    d.add_argument("--pm2", type=float, help="PM2_Supporting allele-frequency threshold (default 0.0001)")
    d.add_argument("--af-keys", help="comma-separated INFO keys read as population AF (default: gnomAD-style keys, then AF)")
    d.add_argument("--min-gq", type=float, help="calls with GQ below this are not trusted at qualifying sites (default 20)")
    d.add_argument("--min-dp", type=int, help="calls with DP below this are not trusted at qualifying sites (default 10)")
    d.add_argument("--half-call", choices=["partial", "missing", "het"], help="policy for ./1 calls (default partial)")
    d.add_argument("--haploid", choices=["possible", "biallelic", "carrier", "not_assessable"],
                   help="policy for haploid ALT calls on chr2 (default possible)")
    d.add_argument("--filtered", choices=["not_assessable", "use"], help="FILTER/FT not PASS at a qualifying site (default not_assessable)")
    d.add_argument("--low-quality", choices=["not_assessable", "use"], help="GQ/DP below the minimum (default not_assessable)")
    d.add_argument("--population-af", metavar="VCF", help="your population-frequency sites VCF (gnomAD or any; "
                   "bgzipped + indexed, the input's build): read for BA1/BS1/PM2/BS2 instead of the input's INFO keys")
    d.add_argument("--population-af-field", metavar="FIELD", help="its INFO field (default auto: fafmax_faf95_max, "
                   "AF_grpmax, AF_popmax, faf95, AF - the first declared)")
    d.add_argument("--founder-groups", metavar="GROUPS", help="comma-separated groups never used for BA1/BS1 "
                   "(default asj,fin,ami,mid,remaining,oth)")
    d.add_argument("--population-min-an", type=int, help="alleles a frequency must rest on (default 2000)")
    d.add_argument("--class-system", choices=["points", "2015", "lower"],
                   help="which ACMG class counts for the verdict (default points; both are always reported)")
    d.add_argument("--min-block-gq", type=float, help="GQ a gVCF reference block needs to call a catalogue site "
                   "(default 20)")

    rf = sub.add_parser("reference", parents=[common], help="manage the reference sequence of the IL1RN locus")
    rsub = rf.add_subparsers(dest="ref_command", parser_class=_Parser)
    ri = rsub.add_parser("import", parents=[common], help="check a FASTA and store the IL1RN locus (+ flanks) for later runs")
    ri.add_argument("fasta")
    ri.add_argument("--build", help="GRCh38 or GRCh37 (default: detected from the pinned bases)")

    r = sub.add_parser("region", parents=[common], help="print the IL1RN window for pre-filtering with bcftools/tabix")
    r.add_argument("--build", default="GRCh38")
    r.add_argument("--style", choices=["chr", "plain", "refseq"], default="chr",
                   help="contig naming: chr2, 2 or NC_000002.x")
    r.add_argument("--format", choices=["region", "bed"], default="region")
    r.add_argument("--pad", type=int, default=5000)
    r.add_argument("--trgt", action="store_true", help="print the TRGT repeat definition (BED) of the intron-2 VNTR "
                   "instead of the gene window")

    v = sub.add_parser("vntr", parents=[common], help="print the IL1RN VNTR answers: cohort summary, per-sample "
                       "lines with --reads (or everything as JSON)")
    v.add_argument("vcf", nargs="*", metavar="VCF", help="input .vcf, .vcf.gz, .bcf (optional with --reads); several: "
                   "the shards of one region-sharded callset, of which those whose index covers the window are read")
    v.add_argument("--shards", metavar="FILE", help="a text file listing the shards, one path per line")
    v.add_argument("--build", help="GRCh38 or GRCh37 (default: detected from the header)")
    v.add_argument("--json", action="store_true", help="print per-sample results and the cohort summary as JSON")
    v.add_argument("--vntr-tags", metavar="TSV", help="your own tag-SNP table instead of the bundled one")
    _reads_arguments(v)

    c = sub.add_parser("cohort", parents=[common], help="write the VNTR cohort tables for association studies "
                       "(per-sample *2 dosage; frequencies per population with 95%% CIs and HWE)")
    c.add_argument("vcf", nargs="*", metavar="VCF", help="input .vcf, .vcf.gz, .bcf (optional with --reads); several: "
                   "the shards of one region-sharded callset, of which those whose index covers the window are read")
    c.add_argument("--shards", metavar="FILE", help="a text file listing the shards, one path per line")
    c.add_argument("-o", "--output", required=True, metavar="PREFIX",
                   help="writes PREFIX.vntr_dosage.tsv and PREFIX.vntr_frequencies.tsv")
    c.add_argument("--build", help="GRCh38 or GRCh37 (default: detected from the header)")
    c.add_argument("--vntr-tags", metavar="TSV", help="your own tag-SNP table instead of the bundled one")
    _reads_arguments(c)

    m = sub.add_parser("model", parents=[common], help="print the bundled transcripts and their provenance")
    m.add_argument("--build", default="GRCh38")
    return p


def _reads_arguments(p) -> None:
    g = p.add_argument_group("reads and cohort (docs/methods.md section 4)")
    g.add_argument("--reads", nargs="+", action="extend", metavar="BAM", default=[],
                   help="BAM/CRAM files (indexed; sample = @RG SM): the VNTR is measured from spanning long reads "
                        "and the *2 flank SNVs are genotyped; give it after the VCF")
    g.add_argument("--reads-reference", metavar="FASTA", help="the FASTA the CRAM files were compressed against "
                   "(a CRAM cannot be read without it)")
    g.add_argument("--read-type", choices=("auto", "long", "short"), default="auto",
                   help="long reads are measured, short reads give tag SNVs only (default auto: @RG PL, else the "
                        "read length)")
    g.add_argument("--populations", metavar="TSV", help="sample -> population map (tab-separated, e.g. the 1000 "
                   "Genomes panel) for the frequency table")
    g.add_argument("--population-column", metavar="NAME", help="the map's population column (default: population, "
                   "pop or super_pop)")


DIRA_ARGS = {"dira_qualifying": "qualifying_classes", "ba1": "ba1_af", "bs1": "bs1_af", "pm2": "pm2_af",
             "af_keys": "af_keys", "min_gq": "min_gq", "min_dp": "min_dp", "half_call": "half_call",
             "haploid": "haploid", "filtered": "filtered", "low_quality": "low_quality",
             "population_af_field": "population_af_field", "founder_groups": "population_founder_groups",
             "population_min_an": "population_min_an", "class_system": "class_system",
             "min_block_gq": "min_block_gq"}


def dira_options(args):
    """(DiraOptions, PED path, VNTR tag table path) from the arguments (a bad value is a usage error)."""
    from il1rn_annot.dira.options import DiraOptions

    dira = {key: getattr(args, arg) for arg, key in DIRA_ARGS.items() if getattr(args, arg, None) is not None}
    try:
        opts = DiraOptions.from_dict(dira)
    except ValueError as exc:
        raise UsageError(f"il1rn-annot annotate: {exc}") from None
    return opts, getattr(args, "ped", None) or None, getattr(args, "vntr_tags", None) or None


def cmd_annotate(args) -> int:
    from il1rn_annot.api import make_config
    from il1rn_annot.progress import ProgressBar

    argv = args.argv if args.argv is not None else sys.argv[1:]
    command = "il1rn-annot " + " ".join(shlex.quote(x) for x in argv)
    bar = ProgressBar(sys.stderr) if ProgressBar.wanted(sys.stderr, quiet=args.quiet) else None
    dira, ped, tags = dira_options(args)
    config = make_config(_annotate_input(args), args.output, vcf_format=args.output_type, table=args.table,
                         genotypes=args.genotypes, samples_tsv=args.samples_tsv, json_dir=args.json, html=args.html,
                         phenopacket_dir=args.phenopacket, criteria_tsv=args.criteria_tsv,
                         parquet=args.parquet, build=args.build, keep_all=args.keep_all, transcripts=args.transcripts,
                         pad=args.pad, reference=args.reference, ref_mismatch=args.ref_mismatch,
                         gene_model=args.gene_model, use_imported_reference=not args.no_imported_reference,
                         sample_format=args.sample_format, genotype_rows=args.genotype_rows, dira=dira, ped=ped,
                         population_af=args.population_af,
                         vntr_tags=tags, command_line=command, progress=bar.update if bar else None,
                         reads=tuple(args.reads), reads_reference=args.reads_reference, read_type=args.read_type,
                         populations=args.populations, population_column=args.population_column,
                         vntr_tables=args.vntr_tables)
    from il1rn_annot import api

    try:
        summary = api.annotate_vcf(config=config)
    finally:
        if bar:
            bar.close()
    if not args.quiet:
        print(summary.line(), file=sys.stderr)
        if summary.shards:
            print(summary.shard_line(), file=sys.stderr)
        if args.verbose:
            for note in summary.read_notes:
                print(f"il1rn-annot: {note}", file=sys.stderr)
            print(f"il1rn-annot: build evidence: {summary.build_evidence}; outputs: {', '.join(summary.outputs)}",
                  file=sys.stderr)
    return EXIT_OK


def _annotate_input(args, optional: bool = False):
    """The VCF input of ``annotate``/``vntr``/``cohort``: one path, or the shards (named, or listed in
    ``--shards FILE``); None when ``optional`` (reads only) and none is given."""
    if args.shards and args.vcf:
        raise UsageError(f"il1rn-annot {args.command}: give the input VCF(s) or --shards FILE, not both")
    if args.shards:
        from il1rn_annot.sources.shards import read_shard_list

        return read_shard_list(args.shards)
    if not args.vcf:
        if optional:
            return None
        raise UsageError(f"il1rn-annot {args.command}: give the input VCF (or several shards, or --shards FILE)")
    if len(args.vcf) > 1 and "-" in args.vcf:
        raise UsageError(f"il1rn-annot {args.command}: - (standard input) cannot be one of several shards")
    return args.vcf[0] if len(args.vcf) == 1 else tuple(args.vcf)


def cmd_region(args) -> int:
    from il1rn_annot.coords import interval_to_closed
    from il1rn_annot.model.builds import get_build
    from il1rn_annot.model.gene_model import load_gene_model

    b = get_build(args.build)
    m = load_gene_model(b)
    contig = {"chr": "chr2", "plain": "2", "refseq": b.refseq_accession}[args.style]
    if args.trgt:
        from il1rn_annot.vntr.definition import load_vntr_definition, trgt_definition

        print(trgt_definition(load_vntr_definition(b), contig))
        return 0
    w = m.window(args.pad)
    if args.format == "bed":
        print(f"{contig}\t{w.start}\t{w.end}\tIL1RN_{b.name}_pad{args.pad}")
    else:
        s, e = interval_to_closed(w)
        print(f"{contig}:{s}-{e}")
    return 0


def cmd_model(args) -> int:
    from il1rn_annot.coords import interval_to_closed
    from il1rn_annot.model.gene_model import load_gene_model

    m = load_gene_model(args.build)
    s, e = interval_to_closed(m.span)
    vs, ve = interval_to_closed(m.vntr) if m.vntr else (0, 0)
    alias = (f"literature alias {m.literature_span_alias}" if m.literature_span_alias else
             f"no literature span is sourced for {m.build.name} (the one quoted in the DIRA literature is GRCh38)")
    print(f"# IL1RN {m.build.name} chr2:{s}-{e} (gene span, GENCODE); {alias}")
    print(f"# VNTR (intron 2, rs2234663) chr2:{vs}-{ve}; resources: {', '.join(m.provenance)}")
    print("transcript_id\tname\tensembl_name\tbiotype\tMANE\tstrand\tstart\tend\texons\tcds_start\tcds_end\tprotein_aa\tsource")
    for t in m.transcripts:
        ts, te = interval_to_closed(t.span)
        cs, ce = interval_to_closed(t.cds) if t.cds else ("", "")
        print("\t".join(str(x) for x in (t.transcript_id, t.display_name, t.ensembl_name, t.biotype,
                                         "yes" if t.mane_select else "", t.strand.symbol, ts, te, len(t.exons),
                                         cs, ce, t.protein_length or "", t.source)))
    return 0


def cmd_reference(args) -> int:
    from il1rn_annot.api import import_reference

    if args.ref_command != "import":
        raise UsageError("il1rn-annot reference: give a subcommand: import FASTA")
    out = import_reference(args.fasta, args.build)
    if not args.quiet:
        print(f"il1rn-annot: IL1RN locus checked and stored in {out}", file=sys.stderr)
    return 0


def _context(args):
    from il1rn_annot.api import vntr_context

    vcf = _annotate_input(args, optional=bool(args.reads))
    if vcf is None and not args.reads:
        raise UsageError(f"il1rn-annot {args.command}: give a VCF, --reads BAM..., or both")
    return vntr_context(vcf, build=args.build, tag_markers=args.vntr_tags, reads=tuple(args.reads),
                        reads_reference=args.reads_reference, read_type=args.read_type, populations=args.populations,
                        population_column=args.population_column)


def cmd_vntr(args) -> int:
    import json

    ctx = _context(args)
    if args.json:
        print(json.dumps(ctx.to_json(), indent=1))
        return 0
    print(ctx.text())
    if args.reads:
        print("per sample:")
        for sample in ctx.per_sample:
            print(ctx.sample_text(sample))
    return 0


def cmd_cohort(args) -> int:
    from il1rn_annot.api import write_vntr_tables

    ctx = _context(args)
    written = write_vntr_tables(ctx, args.output)
    if not args.quiet:
        by = ", ".join(f"{k} {v}" for k, v in ctx.cohort["by_method"].items())
        print(f"il1rn-annot: {ctx.cohort['samples']} samples ({by}); wrote {', '.join(written)}", file=sys.stderr)
    return 0


COMMANDS = {"annotate": cmd_annotate, "region": cmd_region, "model": cmd_model, "vntr": cmd_vntr,
            "cohort": cmd_cohort, "reference": cmd_reference}


def _interrupt(signum, frame) -> None:
    raise Interrupted(signum)


def _save_traceback() -> str:
    """The current exception's traceback in a file of its own; returns its path ('' if it cannot be written)."""
    try:
        fd, path = tempfile.mkstemp(prefix="il1rn-annot-crash-", suffix=".txt")
        with os.fdopen(fd, "w") as fh:
            fh.write(f"il1rn-annot {__version__}\ncommand: {' '.join(sys.argv)}\n\n")
            traceback.print_exc(file=fh)
        return path
    except OSError:
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    verbose = argv is not None and ("-v" in argv or "--verbose" in argv)
    handler = None
    previous = {}
    saved_loggers = {name: (logging.getLogger(name).level, logging.getLogger(name).propagate)
                     for name in ("il1rn_annot", "py.warnings")}
    try:
        if threading_main():
            for sig in (signal.SIGTERM, signal.SIGINT):
                previous[sig] = signal.signal(sig, _interrupt)
        args = parser.parse_args(argv)
        args.argv = argv
        verbose = args.verbose
        if not args.command:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        handler = _StderrHandler()
        handler.setFormatter(_Formatter(verbose))
        for name in ("il1rn_annot", "py.warnings"):
            logger = logging.getLogger(name)
            logger.addHandler(handler)
            logger.setLevel(logging.DEBUG if verbose else logging.WARNING if args.quiet else logging.INFO)
            logger.propagate = False
        logging.captureWarnings(True)
        with command_line_words():  # errors name this command line's flags, not the API's arguments
            return COMMANDS[args.command](args)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except Il1rnAnnotError as exc:  # InputError and the others: one line (the traceback with -v)
        if verbose:
            traceback.print_exc()
        print(f"il1rn-annot: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:  # the reader of standard output went away (e.g. `| head`)
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
    except OSError as exc:  # a file that cannot be opened or written (permissions, full disk): one line
        if verbose:
            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"il1rn-annot: error: {where}{exc.strerror or exc} (fix: check the path, its permissions and the free "
              "space)", file=sys.stderr)
        return EXIT_INPUT
    except Interrupted as exc:
        print(f"il1rn-annot: stopped by signal {exc.signum}; no output was written", file=sys.stderr)
        return 128 + exc.signum
    except Exception as exc:  # noqa: BLE001 - anything else is a bug of ours: exit 3, never 1
        if verbose:
            traceback.print_exc()
            saved = ""
        else:
            saved = _save_traceback()
        print(f"il1rn-annot: internal error ({type(exc).__name__}: {exc}). This is a bug in il1rn-annot, not a "
              f"problem with your input; please report it" + (f" with the traceback saved in {saved}" if saved else
                                                                 " with the output of the same command run with -v"),
              file=sys.stderr)
        return EXIT_BUG
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        if handler is not None:  # the loggers as they were before (a library user's handlers keep working)
            for name, (level, propagate) in saved_loggers.items():
                logger = logging.getLogger(name)
                logger.removeHandler(handler)
                logger.setLevel(level)
                logger.propagate = propagate
            logging.captureWarnings(False)


def threading_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def entry_point() -> None:
    sys.exit(main(sys.argv[1:]))
