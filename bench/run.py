#!/usr/bin/env python3
"""Run il1rn-annot and its peers on the same synthetic inputs, in one run, and write bench/results.md.

    python bench/run.py            # full inputs (generates them first if missing: ~3 min, ~1 GB)
    python bench/run.py --quick    # small inputs, for a smoke run

Each command runs as a child process; wall time is time.perf_counter() around it and peak RSS comes from
os.wait4 (the largest resident set of the child and of every process it waited for, so for a shell
pipeline it is the largest member).  Our tool runs from this checkout (PYTHONPATH=src), with its default
outputs (annotated VCF + variant table + genotype table).  bcftools csq is given the synthetic chr2 FASTA
and the IL1RN MANE GFF3 that make_inputs.py writes (the only way csq accepts the synthetic bases).
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
OUT = DATA / "out"
REGION = "chr2:113094315-113139016"  # `il1rn-annot region`: gene span +- 5 kb


@dataclass
class Result:
    case: str
    tool: str
    command: str
    wall: float
    rss_mb: float
    note: str = ""
    timed_out: bool = False


FLOOR = "python -c 'import pysam' (start-up floor, no work)"
LEAN = "il1rn-annot lean (--genotypes '' --sample-format none --samples-tsv)"
NONREF = "il1rn-annot --genotype-rows nonref (otherwise default outputs)"
SITES = "il1rn-annot, the same records without genotypes (bcftools view -G)"


def sites_only(path: Path) -> Path:
    """The cohort's records with their FORMAT and sample columns dropped (``bcftools view -G``), made once:
    what our per-record work costs without any genotype, the floor under the cohort runs."""
    out = path.with_name(path.name.replace(".vcf.gz", ".sites.vcf.gz"))
    if not (out.exists() and Path(str(out) + ".tbi").exists()) or out.stat().st_mtime < path.stat().st_mtime:
        subprocess.run(["bcftools", "view", "-G", "-Oz", "-o", str(out), str(path)], check=True)
        subprocess.run(["tabix", "-f", "-p", "vcf", str(out)], check=True)
    return out


def run(cmd: str, *, env=None, timeout: float | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB, stderr tail) of one shell command; raises on failure.  Past ``timeout``
    seconds the command's process group is killed and the stderr tail says "TIMEOUT"."""
    import signal
    import threading

    t0 = time.perf_counter()
    p = subprocess.Popen(["bash", "-o", "pipefail", "-c", cmd], env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, start_new_session=True)
    killed = []
    timer = None
    if timeout:
        def kill():
            killed.append(True)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        timer = threading.Timer(timeout, kill)
        timer.start()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if timer:
        timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)
    text = err.decode(errors="replace")
    if killed:
        return wall, ru.ru_maxrss / 1024, "TIMEOUT"
    if p.returncode != 0:
        raise SystemExit(f"command failed ({p.returncode}): {cmd}\n{text[-2000:]}")
    return wall, ru.ru_maxrss / 1024, text.strip().splitlines()[-1] if text.strip() else ""


def clean_out() -> None:
    """Remove the previous command's outputs and write back every dirty page before the next timed command
    (not timed): a 100,000-sample default run leaves ~7 GB being written back, which slowed the command
    timed after it by a third (29.4 s vs 19.6 s alone for the nonref run)."""
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    os.sync()


def machine() -> list[str]:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    import numpy
    import pysam
    import pysam.version

    from il1rn_annot.io.deflate import backend_name

    bcf = subprocess.run(["bcftools", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    load = os.getloadavg()
    return [f"- date (UTC): {time.strftime('%Y-%m-%d %H:%M', time.gmtime())}",
            f"- CPU: {cpu}; {os.cpu_count()} logical cores; RAM {mem}; load average at start "
            f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (shared machine: other jobs were running)",
            f"- OS: {platform.platform()}",
            f"- Python {platform.python_version()}, pysam {pysam.__version__} (htslib {getattr(pysam.version, '__htslib_version__', '?')}), "
            f"numpy {numpy.__version__}; {bcf}",
            f"- il1rn-annot's BGZF deflate: {backend_name()} (io/deflate.py: ISA-L with the `fast` extra, else zlib)",
            _interpreter_line(),
            f"- disk: {shutil.disk_usage(DATA).free / 2**30:.0f} GiB free on the data volume"]


def _interpreter_line() -> str:
    """Which interpreter runs every Python row, how long it takes to start doing nothing, and the ``.pth``
    files of its site-packages that run code at every start (a hook there is paid by every run of ours)."""
    import site

    walls = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        walls.append(time.perf_counter() - t)
    hooks = []
    for d in site.getsitepackages():
        for pth in sorted(Path(d).glob("*.pth")) if Path(d).is_dir() else ():
            if any(ln.startswith(("import ", "import\t")) for ln in pth.read_text(errors="replace").splitlines()):
                hooks.append(pth.name)
    venv = "a virtualenv" if sys.prefix != sys.base_prefix else "not a virtualenv"
    return (f"- interpreter: `{sys.executable}` ({venv}); start-up `python -c pass` "
            f"{statistics.median(walls):.3f} s (median of 5); .pth files that run code at start-up: "
            f"{', '.join(hooks) or 'none'}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small inputs (450k-record WGS, cohorts 2,504 and 5,000)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each fast case (median reported)")
    ap.add_argument("--repeat-short", type=int, default=9,
                    help="runs of each sub-second case: our WGS runs, the start-up floor and bcftools view -r | csq "
                         "(median reported; one slow minute of a shared machine moves a median of 3 by 30%%)")
    ap.add_argument("--skip-peers", action="store_true", help="our tool only")
    ap.add_argument("--results", default=str(HERE / "results.md"), help="where to write the table")
    ap.add_argument("--timeout", type=float, default=900, help="seconds before a command is killed (default 900)")
    ap.add_argument("--no-table-max", type=int, default=10**9,
                    help="also time the lean run (no genotype table, --sample-format none) on cohorts up to this "
                         "many samples (default: all)")
    args = ap.parse_args(argv)
    for tool in ("bcftools", "bgzip", "tabix", "samtools"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is required (apt-get install bcftools tabix samtools)")
    gen = [sys.executable, str(HERE / "make_inputs.py")] + (["--quick"] if args.quick else [])
    subprocess.run(gen, check=True)

    wgs_n = 450_000 if args.quick else 4_500_000
    cohorts = [2504, 5000] if args.quick else [2504, 20_000, 100_000]
    wgs = DATA / f"wgs_{wgs_n}.vcf.gz"
    noidx = DATA / f"wgs_{wgs_n}.noindex.vcf.gz"
    fa, gff = DATA / "ref_synthetic.fa", DATA / "il1rn_mane.gff3"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    # bytecode compiled once, as `pip install` does (with PYTHONDONTWRITEBYTECODE set, every timed run would
    # otherwise compile our modules again: ~40 ms of a 0.3 s run)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "il1rn_annot")], check=True,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
                   stdout=subprocess.DEVNULL)
    ours = f"{shlex.quote(sys.executable)} -m il1rn_annot annotate -q"
    csq = f"bcftools csq -p a -f {fa} -g {gff}"  # -p a: take unphased GTs as they are (else csq stops)
    results: list[Result] = []

    def record(case, tool, cmd, repeat=1, our=False):
        walls, rss, last = [], [], ""
        for _ in range(repeat):
            clean_out()
            w, r, last = run(cmd, env=env if our else None, timeout=args.timeout)
            walls.append(w)
            rss.append(r)
        res = Result(case, tool, cmd, statistics.median(walls), max(rss),
                     f"killed after {args.timeout:.0f} s (TIMEOUT)" if last == "TIMEOUT" else "")
        res.timed_out = last == "TIMEOUT"
        results.append(res)
        print(f"{case:38s} {tool:40s} {res.wall:9.2f} s {res.rss_mb:8.0f} MB", flush=True)
        return res

    w_label = f"WGS {wgs_n:,} records"
    short = max(args.repeat, args.repeat_short)
    o_idx = record(f"{w_label}, indexed", "il1rn-annot", f"{ours} {wgs} -o {OUT}/o.vcf.gz", short, True)
    o_bis = record(f"{w_label}, no index", "il1rn-annot (bisect)", f"{ours} {noidx} -o {OUT}/o.vcf.gz", short, True)
    floor = record(f"{w_label}, indexed", FLOOR, f"{shlex.quote(sys.executable)} -c 'import pysam'", short, True)
    if not args.skip_peers:
        record(f"{w_label}, indexed", "bcftools view -r | bcftools csq",
               f"bcftools view -r {REGION} {wgs} -Ou | {csq} -Oz -o {OUT}/p.vcf.gz", short)
        record(f"{w_label}, no index", "bcftools view -t (scan)",
               f"bcftools view -t {REGION} {noidx} -Oz -o {OUT}/p.vcf.gz")
        record(f"{w_label}, no index", "bcftools view -t | bcftools csq",
               f"bcftools view -t {REGION} {noidx} -Ou | {csq} -Oz -o {OUT}/p.vcf.gz")
        record(f"{w_label}, whole file", "bcftools csq (whole file)", f"{csq} {wgs} -Oz -o {OUT}/p.vcf.gz")
    cohort_rows = []
    for n in cohorts:
        path = DATA / f"cohort_{n}.vcf.gz"
        sites = int(subprocess.run(f"bcftools index -n {path}", shell=True, capture_output=True,
                                   text=True).stdout.strip() or 0)
        label = f"cohort {n:,} samples x {sites:,} sites"
        r = record(label, "il1rn-annot", f"{ours} {path} -o {OUT}/o.vcf.gz", 1, True)
        if not r.timed_out:
            r.note = f"{n * sites / r.wall / 1e6:.2f} M genotypes/s"
        gsize = (OUT / "o.genotypes.tsv").stat().st_size if (OUT / "o.genotypes.tsv").exists() else 0
        # the genotype table without its 'ref' rows (carriers, half-calls, missing calls): FORMAT on every record
        r3 = record(label, NONREF, f"{ours} {path} -o {OUT}/o.vcf.gz --genotype-rows nonref", args.repeat, True)
        if not r3.timed_out:
            nsize = (OUT / "o.genotypes.tsv").stat().st_size if (OUT / "o.genotypes.tsv").exists() else 0
            r3.note = f"{n * sites / r3.wall / 1e6:.2f} M genotypes/s (genotype table {nsize / 2**20:.0f} MiB)"
        r2 = None
        if n <= args.no_table_max:  # lean: no long genotype table, per-sample results only in the samples TSV
            r2 = record(label, LEAN, f"{ours} {path} -o {OUT}/o.vcf.gz --genotypes '' --sample-format none "
                        f"--samples-tsv {OUT}/o.samples.tsv", args.repeat, True)
            if not r2.timed_out:
                r2.note = f"{n * sites / r2.wall / 1e6:.2f} M genotypes/s"
        # the floor: the same records, no genotypes (what the per-record annotation alone costs)
        r4 = record(label, SITES, f"{ours} {sites_only(path)} -o {OUT}/o.vcf.gz", args.repeat, True)
        if not r4.timed_out:
            r4.note = (f"{r4.wall / (n * sites / 5e6):.0%} of the {n * sites / 5e6:.2f} s that 5 M genotypes/s "
                       "allows on the cohort")
        cohort_rows.append((label, r, r2, r3, gsize, r4, n * sites))
        if not args.skip_peers:
            record(label, "bcftools csq", f"{csq} {path} -Oz -o {OUT}/p.vcf.gz", args.repeat)
    clean_out()

    # ---- ratios and the table
    def find(case, tool):
        return next((x for x in results if x.case == case and x.tool == tool), None)

    lines = ["# Benchmark results", "",
             f"Command: `python bench/run.py{' --quick' if args.quick else ''}` (inputs: `bench/make_inputs.py`; "
             "synthetic data, see bench/README.md). Wall = median of "
             f"{short} runs for the il1rn-annot WGS cases, the start-up floor and `bcftools view -r | csq`, of "
             f"{args.repeat} runs for our cohort nonref and lean runs "
             "and `bcftools csq` on the cohorts (the ratios are between these), 1 run otherwise. "
             "Outputs are removed and dirty pages written back (`sync`) before each timed command. "
             "Peak RSS = largest process (of a pipeline). bcftools csq gets a one-transcript GFF3 (IL1RN MANE), "
             "so its whole-file time is parsing + writing 4.5 M records; with a genome-wide GFF3 it is slower.",
             "", "## Machine", ""] + machine() + [
             "", "## Results", "", "| input | tool | wall (s) | peak RSS (MB) | note |", "|---|---|---:|---:|---|"]
    for x in results:
        tool = x.tool.replace("|", "\\|")
        lines.append(f"| {x.case} | {tool} | {x.wall:.2f} | {x.rss_mb:.0f} | {x.note} |")
    lines += ["", "## Ratios (peer wall / il1rn-annot wall, same run)", ""]
    ratios = []
    if not args.skip_peers:
        for case, ours_r, peer in [(f"{w_label}, indexed", o_idx, "bcftools view -r | bcftools csq"),
                                   (f"{w_label}, whole file", o_idx, "bcftools csq (whole file)"),
                                   (f"{w_label}, no index", o_bis, "bcftools view -t (scan)"),
                                   (f"{w_label}, no index", o_bis, "bcftools view -t | bcftools csq")]:
            p = find(case, peer)
            if p:
                ratios.append(f"- {peer} vs il1rn-annot ({ours_r.tool}, {ours_r.case.split(', ')[-1]}): "
                              f"{p.wall:.2f} s / {ours_r.wall:.2f} s = **{p.wall / ours_r.wall:.1f}x**")
        for label, r, r2, r3, gsize, *_ in cohort_rows:
            p = find(label, "bcftools csq")
            if p and r.timed_out:
                ratios.append(f"- {label}: bcftools csq {p.wall:.2f} s; il1rn-annot killed after {r.wall:.0f} s "
                              f"(> **{r.wall / p.wall:.0f}x** slower)")
            elif p:
                ratios.append(f"- {label}: bcftools csq {p.wall:.2f} s / il1rn-annot {r.wall:.2f} s = "
                              f"**{p.wall / r.wall:.2f}x** (genotype table {gsize / 2**20:.0f} MiB written by ours)")
            if p and not r3.timed_out:
                ratios.append(f"- {label}: bcftools csq {p.wall:.2f} s / il1rn-annot --genotype-rows nonref "
                              f"{r3.wall:.2f} s = **{p.wall / r3.wall:.2f}x**")
    lines += ratios or ["- (peers skipped)"]
    lines += ["", "## Targets (issue 7)", ""]
    mx = max(x.rss_mb for x in results if x.tool.startswith("il1rn-annot"))
    over = [f"{x.case} ({x.rss_mb:.0f} MB)" for x in results if x.tool.startswith("il1rn-annot") and x.rss_mb > 200]
    lines += [f"- indexed WGS <= 0.5 s: {o_idx.wall:.2f} s -> {'met' if o_idx.wall <= 0.5 else 'NOT met'}",
              f"- unindexed WGS (bisection) <= 2 s: {o_bis.wall:.2f} s -> {'met' if o_bis.wall <= 2 else 'NOT met'}",
              f"- peak RSS <= 200 MB on every input (ours): max {mx:.0f} MB -> {'met' if mx <= 200 else 'NOT met'}"
              + (f" (over: {'; '.join(over)})" if over else "")]
    p = find(f"{w_label}, whole file", "bcftools csq (whole file)")
    if p:
        lines.append(f"- >= 200x faster than bcftools csq on the whole file: {p.wall / o_idx.wall:.0f}x -> "
                     f"{'met' if p.wall / o_idx.wall >= 200 else 'NOT met'}")
    p = find(f"{w_label}, indexed", "bcftools view -r | bcftools csq")
    if p:
        lines.append(f"- not slower than bcftools view -r | csq: {p.wall:.2f} s vs {o_idx.wall:.2f} s -> "
                     f"{'met' if o_idx.wall <= p.wall else 'NOT met'}")
    lines.append(f"- start-up floor of this Python (`python -c 'import pysam'`, no work): {floor.wall:.2f} s of our "
                 f"{o_idx.wall:.2f} s; the rest ({o_idx.wall - floor.wall:.2f} s) is our imports, reading the chr2 part of the .tbi and "
                 "the work on the window")
    for label, r, r2, r3, gsize, r4, n_gt in cohort_rows:
        lean = float(r2.note.split()[0]) if r2 is not None and r2.note else 0.0
        full = 0.0 if r.timed_out else float(r.note.split()[0])
        nonref = 0.0 if r3.timed_out else float(r3.note.split()[0])
        verdict = ("met with default outputs" if full >= 5 else "met with --genotype-rows nonref" if nonref >= 5
                   else "met by the lean run only" if lean >= 5 else "NOT met")
        shown = f"killed after {args.timeout:.0f} s" if r.timed_out else r.note
        lines.append(f"- >= 5 M genotypes/s ({label}): {shown} with default outputs (long genotype table, "
                     f"FORMAT on every record), {nonref:.2f} M genotypes/s with --genotype-rows nonref"
                     + (f", {r2.note} lean ({LEAN})" if lean else "") + f" -> {verdict}")
        if not (r4.timed_out or r3.timed_out) and r3.wall > r4.wall:
            lines.append(f"  - of which per-record work (the same records without genotypes): {r4.wall:.2f} s of the "
                         f"{n_gt / 5e6:.2f} s budget; the rest of the nonref run ({r3.wall - r4.wall:.2f} s) handles "
                         f"the genotypes: {n_gt / (r3.wall - r4.wall) / 1e6:.2f} M genotypes/s (derived: difference of "
                         "the two runs)")
    lines += ["", "## Commands", ""] + [f"- {x.case} / {x.tool}: `{x.command.replace(str(ROOT) + '/', '')}`"
                                         for x in results]
    Path(args.results).write_text("\n".join(lines) + "\n")
    print("\n".join(ratios))
    print(f"wrote {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
