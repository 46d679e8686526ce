"""``il1rn-annot``: parse arguments, call the library, map errors to exit codes.

Exit codes: 0 success; 1 bad input (one-line message naming file, record and fix; traceback with -v);
2 usage error.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import traceback

from . import __version__
from .errors import Il1rnAnnotError, InputError, UsageError


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
    a.add_argument("--genotypes", help="long per-sample genotype table (default: OUTPUT stem + .genotypes.tsv; '' to skip)")
    a.add_argument("--transcripts", choices=["all", "mane"], default="all", help="annotate every transcript or MANE only")
    a.add_argument("--pad", type=int, default=5000, help="bases around the gene span read from an indexed file (default 5000)")

    r = sub.add_parser("region", parents=[common], help="print the IL1RN window for pre-filtering with bcftools/tabix")
    r.add_argument("--build", default="GRCh38")
    r.add_argument("--style", choices=["chr", "plain", "refseq"], default="chr",
                   help="contig naming: chr2, 2 or NC_0000002.x")
    r.add_argument("--format", choices=["region", "bed"], default="region")
    r.add_argument("--pad", type=int, default=5000)

    m = sub.add_parser("model", parents=[common], help="print the bundled transcripts and their provenance")
    m.add_argument("--build", default="GRCh38")
    return p


def cmd_annotate(args) -> int:
    from .api import annotate_vcf

    cmd = "il1rn-annot " + " ".join(shlex.quote(x) for x in sys.argv[1:])
    summary = annotate_vcf(args.vcf, args.output, build=args.build, fmt=args.output_type, keep_all=args.keep_all,
                           table=args.table, genotypes=args.genotypes, transcripts=args.transcripts, pad=args.pad,
                           command_line=cmd)
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


COMMANDS = {"annotate": cmd_annotate, "region": cmd_region, "model": cmd_model}


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"il1rn-annot: warning: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    import warnings

    warnings.showwarning = _show_warning
    parser = build_parser()
    verbose = argv is not None and ("-v" in argv or "--verbose" in argv)
    try:
        args = parser.parse_args(argv)
        verbose = args.verbose
        if not args.command:
            parser.print_help(sys.stderr)
            return 2
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except InputError as exc:
        if verbose:
            traceback.print_exc()
        print(f"il1rn-annot: error: {exc}", file=sys.stderr)
        return 1
    except Il1rnAnnotError as exc:
        if verbose:
            traceback.print_exc()
        print(f"il1rn-annot: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


def entry_point() -> None:
    sys.exit(main(sys.argv[1:]))
