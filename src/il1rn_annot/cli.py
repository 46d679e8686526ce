"""``il1rn-annot``: parse arguments, call the library, map errors to exit codes.

Exit codes: 0 success; 1 bad input (one-line message naming file, record and fix; traceback with -v);
2 usage error.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from . import __version__, log
from .errors import Il1rnAnnotError, UsageError


def _handler(verbose: bool):
    """The CLI's handler for the ``il1rn_annot`` logger: one line per message on whatever ``sys.stderr`` is at
    the time (so tests capturing stderr see the messages); details are prefixed ``debug:``, problems with their
    level, other messages (the run summary) with the program's name only."""
    import logging

    class StderrHandler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            try:
                print(self.format(record), file=sys.stderr)
            except (OSError, ValueError):
                self.handleError(record)

    class Formatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            msg = record.getMessage()
            if msg.startswith("il1rn-annot:"):
                return msg
            if verbose or record.levelno >= logging.WARNING:
                return f"il1rn-annot: {record.levelname.lower()}: {msg}"
            return f"il1rn-annot: {msg}"

    handler = StderrHandler()
    handler.setFormatter(Formatter())
    return handler


def _attach_logging(verbose: bool, quiet: bool) -> list:
    """Details (-v) are DEBUG, problems WARNING; -q leaves warnings only (the run summary line itself is
    printed by the command).  The handler is added at the first message shown (log.py: a run with nothing to
    say does not import logging) and lives for one main() call: the list returned gets (logger, handler, its
    level and propagate flag before), for main() to put the logger back as it was."""
    attached: list = []
    level = log.DEBUG if verbose else log.WARNING if quiet else log.INFO

    def attach(logger) -> None:
        handler = _handler(verbose)
        attached.append((logger, handler, logger.level, logger.propagate))
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False

    log.configure(level, attach)
    return attached


def _annotate_with_outputs(args):
    """``annotate_vcf`` with the report/table options of this command line, the progress bar (stderr is a
    terminal and no -q) and the command line as given to main()."""
    import functools

    from .api import annotate_vcf
    from .progress import ProgressBar

    argv = args.argv if args.argv is not None else sys.argv[1:]
    command = "il1rn-annot " + " ".join(shlex.quote(x) for x in argv)

    @functools.wraps(annotate_vcf)
    def run(*a, **kw):
        kw["command_line"] = command
        bar = ProgressBar(sys.stderr) if ProgressBar.wanted(sys.stderr, quiet=args.quiet) else None
        try:
            return annotate_vcf(*a, json_dir=args.json, samples_tsv=args.samples_tsv, html=args.html,
                                parquet=args.parquet, progress=bar.update if bar else None, **kw)
        finally:
            if bar:
                bar.close()

    return run


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
    a.add_argument("vcf", help="input .vcf, .vcf.gz, .bcf, or - for stdin")
    a.add_argument("-o", "--output", required=True, help="annotated VCF to write (.vcf, .vcf.gz, .bcf)")
    a.add_argument("-O", "--output-type", choices=["v", "z", "b"], help="v: VCF, z: bgzipped VCF + tabix index, b: BCF (default: from -o)")
    a.add_argument("--build", help="GRCh38 or GRCh37 (default: detected from the header; must agree with it)")
    a.add_argument("--keep-all", action="store_true", help="pass every record through (annotations on IL1RN records only)")
    a.add_argument("--table", help="variant table (default: OUTPUT stem + .tsv; '' to skip)")
    a.add_argument("--sample-format", choices=("all", "none"), default="all",
                   help="per-sample results (IL1RN_DIRA, IL1RN_VNTR*) as FORMAT fields on every annotated record "
                        "(all, default) or not in the VCF (none: use --samples-tsv/--json; much smaller and faster "
                        "for large cohorts)")
    a.add_argument("--genotypes", help="long per-sample genotype table (default: OUTPUT stem + .genotypes.tsv; '' to skip)")
    a.add_argument("--genotype-rows", choices=("all", "nonref"), default="all",
                   help="rows of the genotype table: every sample at every ALT allele (all, default) or not the "
                        "'ref' ones (nonref: carriers, half-calls and missing calls; for cohorts)")
    a.add_argument("--json", metavar="DIR", help="write one JSON report per sample and cohort.json into DIR")
    a.add_argument("--samples-tsv", metavar="FILE", help="per-sample table (verdicts, diplotypes, counts)")
    a.add_argument("--html", metavar="FILE", help="self-contained HTML report (needs matplotlib)")
    a.add_argument("--parquet", action="store_true", help="also write each TSV table as .parquet beside it (needs pyarrow)")
    a.add_argument("--transcripts", choices=["all", "mane"], default="all", help="annotate every transcript or MANE only")
    a.add_argument("--pad", type=int, default=5000, help="bases around the gene span read from an indexed file (default 5000)")
    a.add_argument("--reference", help="indexed FASTA of the VCF's build (plain or bgzip; chr2/2/NC_000002.x); "
                   "enables codons, p. and 3'-shifted HGVS (default: the locus stored by 'reference import', if any)")
    a.add_argument("--ref-mismatch", choices=["error", "warn", "skip"], default="error",
                   help="a VCF REF that disagrees with --reference: stop (default), warn, or skip the record")
    a.add_argument("--gene-model", help="Ensembl-style GFF3 or GTF to use instead of the bundled IL1RN model")
    a.add_argument("--no-imported-reference", action="store_true", help="ignore a locus stored by 'reference import'")

    a.add_argument("--vntr-tags", metavar="TSV", help="your own VNTR tag-SNP table (the columns of the bundled "
                   "vntr_tag_snps.tsv: position, REF/ALT, tagged allele, which SNP allele tags it, r2, source) used "
                   "instead of the bundled one; see docs/methods.md section 4")

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

    rf = sub.add_parser("reference", parents=[common], help="manage the reference sequence of the IL1RN locus")
    rsub = rf.add_subparsers(dest="ref_command", parser_class=_Parser)
    ri = rsub.add_parser("import", parents=[common], help="check a FASTA and store the IL1RN locus (+ flanks) for later runs")
    ri.add_argument("fasta")
    ri.add_argument("--build", help="GRCh38 or GRCh37 (default: detected from the pinned bases)")

    r = sub.add_parser("region", parents=[common], help="print the IL1RN window for pre-filtering with bcftools/tabix")
    r.add_argument("--build", default="GRCh38")
    r.add_argument("--style", choices=["chr", "plain", "refseq"], default="chr",
                   help="contig naming: chr2, 2 or NC_0000002.x")
    r.add_argument("--format", choices=["region", "bed"], default="region")
    r.add_argument("--pad", type=int, default=5000)

    v = sub.add_parser("vntr", parents=[common], help="print the IL1RN VNTR cohort summary (or per-sample JSON)")
    v.add_argument("vcf", help="input .vcf, .vcf.gz, .bcf")
    v.add_argument("--build", help="GRCh38 or GRCh37 (default: detected from the header)")
    v.add_argument("--json", action="store_true", help="print per-sample results and the cohort summary as JSON")
    v.add_argument("--vntr-tags", metavar="TSV", help="your own tag-SNP table instead of the bundled one")

    m = sub.add_parser("model", parents=[common], help="print the bundled transcripts and their provenance")
    m.add_argument("--build", default="GRCh38")
    return p


DIRA_ARGS = {"dira_qualifying": "qualifying_classes", "ba1": "ba1_af", "bs1": "bs1_af", "pm2": "pm2_af",
             "af_keys": "af_keys", "min_gq": "min_gq", "min_dp": "min_dp", "half_call": "half_call",
             "haploid": "haploid", "filtered": "filtered", "low_quality": "low_quality"}


def dira_options(args) -> dict:
    """``options`` for the analyses from the DIRA arguments (validated here so a bad value is a usage error)."""
    from .dira.options import DiraOptions

    dira = {key: getattr(args, arg) for arg, key in DIRA_ARGS.items() if getattr(args, arg, None) is not None}
    try:
        DiraOptions.from_dict(dira)
    except ValueError as exc:
        raise UsageError(f"il1rn-annot annotate: {exc}") from None
    options: dict = {"dira": dira}
    if getattr(args, "ped", None):
        options["ped"] = args.ped
    if getattr(args, "vntr_tags", None):
        from .io.tag_table import read_tag_table

        options["vntr_tag_markers"], options["vntr_tag_table"] = read_tag_table(args.vntr_tags)
    return options


def cmd_annotate(args) -> int:
    annotate_vcf = _annotate_with_outputs(args)  # adds --json/--html/..., progress; command_line from main(argv)

    cmd = "il1rn-annot " + " ".join(shlex.quote(x) for x in sys.argv[1:])
    summary = annotate_vcf(args.vcf, args.output, build=args.build, fmt=args.output_type, keep_all=args.keep_all,
                           table=args.table, genotypes=args.genotypes, transcripts=args.transcripts, pad=args.pad,
                           command_line=cmd, reference=args.reference, ref_mismatch=args.ref_mismatch,
                           gene_model=args.gene_model, use_imported_reference=not args.no_imported_reference,
                           options=dira_options(args), sample_format=args.sample_format,
                           genotype_rows=args.genotype_rows)
    if not args.quiet:
        print(summary.line(), file=sys.stderr)
        if args.verbose:
            for note in summary.read_notes:
                print(f"il1rn-annot: {note}", file=sys.stderr)
            print(f"il1rn-annot: build evidence: {summary.build_evidence}; outputs: {', '.join(summary.outputs)}",
                  file=sys.stderr)
    return 0


def cmd_region(args) -> int:
    from .builds import get_build
    from .coords import interval_to_closed
    from .model import load_gene_model

    b = get_build(args.build)
    m = load_gene_model(b)
    contig = {"chr": "chr2", "plain": "2", "refseq": b.refseq_accession}[args.style]
    w = m.window(args.pad)
    if args.format == "bed":
        print(f"{contig}\t{w.start}\t{w.end}\tIL1RN_{b.name}_pad{args.pad}")
    else:
        s, e = interval_to_closed(w)
        print(f"{contig}:{s}-{e}")
    return 0


def cmd_model(args) -> int:
    from .coords import interval_to_closed
    from .model import load_gene_model

    m = load_gene_model(args.build)
    s, e = interval_to_closed(m.span)
    vs, ve = interval_to_closed(m.vntr) if m.vntr else (0, 0)
    print(f"# IL1RN {m.build.name} chr2:{s}-{e} (gene span, GENCODE); literature alias {m.literature_span_alias}")
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
    from .api import import_reference

    if args.ref_command != "import":
        raise UsageError("il1rn-annot reference: give a subcommand: import FASTA")
    out = import_reference(args.fasta, args.build)
    if not args.quiet:
        print(f"il1rn-annot: IL1RN locus checked and stored in {out}", file=sys.stderr)
    return 0


def cmd_vntr(args) -> int:
    import json

    from .api import vntr_context

    ctx = vntr_context(args.vcf, build=args.build, tag_markers=args.vntr_tags)
    print(json.dumps(ctx.to_json(), indent=1) if args.json else ctx.text())
    return 0


COMMANDS = {"annotate": cmd_annotate, "region": cmd_region, "model": cmd_model, "vntr": cmd_vntr,
            "reference": cmd_reference}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    verbose = argv is not None and ("-v" in argv or "--verbose" in argv)
    attached: list = []
    try:
        args = parser.parse_args(argv)
        args.argv = argv
        verbose = args.verbose
        if not args.command:
            parser.print_help(sys.stderr)
            return 2
        attached = _attach_logging(verbose, args.quiet)
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except Il1rnAnnotError as exc:  # InputError and the others: one line (the traceback with -v)
        if verbose:
            import traceback

            traceback.print_exc()
        print(f"il1rn-annot: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a file that cannot be opened or written (permissions, full disk): one line
        if verbose:
            import traceback

            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"il1rn-annot: error: {where}{exc.strerror or exc} (fix: check the path, its permissions and the free "
              "space)", file=sys.stderr)
        return 1
    finally:
        log.reset()
        for logger, handler, level, propagate in attached:  # the logger as it was before
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate


def _keep_freed_memory() -> None:
    """glibc only: let freed blocks of up to 32 MB be reused by the process instead of going back to the
    system with every free (a cohort record's lines and columns are 1-4 MB each).  By default glibc maps
    such blocks one by one and unmaps them when freed, and the pages are faulted in again for the next
    record: on the bench's 100,000-sample nonref run that cost 5-13 s of system time in 8 of 12 runs (wall up
    to 36 s), against ~2 s in all 12 runs with these settings (wall 20-27 s), at the same peak RSS
    (bench/README.md, stop 15).  Only the command-line tool's own process; the library leaves the
    allocator of a host process alone."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl has mallopt too; there it does nothing)
        return
    m_trim_threshold, m_mmap_threshold = -1, -3  # glibc malloc.h
    mallopt(m_mmap_threshold, 32 << 20)  # the largest glibc accepts on 64-bit
    mallopt(m_trim_threshold, 256 << 20)


def _fewer_gc_passes() -> None:
    """Run Python's cyclic garbage collector every 10,000 net allocations instead of every 700: a run makes
    many small objects and few cycles, and with the default each young-generation pass and the full passes it
    triggers rescan the window's annotations (bench inputs, GC time from gc.callbacks: 2,504 samples 0.13 ->
    0.05 s, 20,000 nonref 0.14 -> 0.06 s, 1-2 ms of the WGS start-up; peak RSS unchanged).  Only the
    command-line tool's own process, as :func:`_keep_freed_memory`."""
    import gc

    gc.set_threshold(10_000, *gc.get_threshold()[1:])


def entry_point() -> None:
    _keep_freed_memory()
    _fewer_gc_passes()
    sys.exit(main(sys.argv[1:]))
