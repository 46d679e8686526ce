#!/usr/bin/env python3
"""Measure il1rn-annot against bcftools on the synthetic inputs of make_inputs.py, in one run, and write
bench/results.md (the targets of issue 23, every command, the machine and its load).

    python bench/run.py            # full inputs (made first by make_inputs.py when missing)
    python bench/run.py --quick    # small inputs, for a smoke run (not the targets' sizes)

Each command runs as a child process (no shell): wall time is time.perf_counter() around it, peak RSS and CPU
time come from os.wait4 on it (ru_maxrss: the largest resident set of the child and of any process it waited
for, so for a pipeline its largest member).  A command that takes less than a second is run --repeat-short
times (median reported); others --repeat times.  Before every run the outputs of the previous one are removed
and dirty pages are written back (sync), untimed.

il1rn-annot runs as `python -m il1rn_annot annotate -q IN -o OUT.vcf.gz` with the interpreter running this
script and its default outputs, from a copy of src/il1rn_annot taken at the start of the run (the checkout may
change while the harness runs; results.md records its commit and modified files).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
OUT = DATA / "out"
SNAPSHOT = DATA / "src_snapshot"
REGION = "chr2:113094315-113139016"  # `il1rn-annot region`: gene span +- 5 kb



def sizes(quick: bool) -> tuple[int, list[tuple[int, int]], int]:
    """The same as make_inputs.sizes (not imported from there: numpy in this process would raise every child's
    ru_maxrss, since Linux counts the parent's resident set in a child until it execs)."""
    if quick:
        return 450_000, [(2504, 1500), (5000, 1500)], 5_000
    return 4_500_000, [(2504, 1500), (20_000, 1500), (100_000, 1000)], 50_000


@dataclass
class Result:
    case: str
    tool: str
    argv: list[str]
    ours: bool
    walls: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_mb: float = 0.0
    loads: list[float] = field(default_factory=list)
    outputs: dict[str, int] = field(default_factory=dict)
    error: str = ""  # stderr tail of a failed or killed run

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.walls)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    def command(self) -> str:
        text = shlex.join(self.argv).replace(str(ROOT) + "/", "")
        return ("PYTHONPATH=bench/data/src_snapshot " + text) if self.ours else text


def run_once(argv: list[str], env: dict | None, timeout: float) -> tuple[float, float, float, str]:
    """(wall s, CPU s user+sys, peak RSS MB, error) of one child; error is '' or the stderr tail."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                             start_new_session=True)
        killed = []

        def kill():
            killed.append(True)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode(errors="replace").strip()
    error = ""
    if killed:
        error = f"killed after {timeout:.0f} s (--timeout)\n{text[-3000:]}"
    elif p.returncode != 0:
        error = f"exit status {p.returncode}\n{text[-3000:]}"
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, error


def clean_out() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    os.sync()


def tree_digest(path: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(path.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(path)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def snapshot_src() -> dict[str, str]:
    """Copy src/il1rn_annot to bench/data/src_snapshot (compiled once, as an install does) and describe it."""
    shutil.rmtree(SNAPSHOT, ignore_errors=True)
    shutil.copytree(ROOT / "src" / "il1rn_annot", SNAPSHOT / "il1rn_annot",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(SNAPSHOT)], check=True,
                   stdout=subprocess.DEVNULL)

    def git(*a: str) -> str:
        r = subprocess.run(["git", "-C", str(ROOT), *a], capture_output=True, text=True, check=False)
        return r.stdout.strip() if r.returncode == 0 else "?"

    return {"commit": git("rev-parse", "--short", "HEAD"), "subject": git("log", "-1", "--format=%s"),
            "dirty": git("status", "--porcelain", "--", "src"), "digest": tree_digest(SNAPSHOT / "il1rn_annot")}


def machine() -> list[str]:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), "?")
    mem = next((f"{int(ln.split()[1]) / 2**20:.1f} GiB" for ln in Path("/proc/meminfo").read_text().splitlines()
                if ln.startswith("MemTotal")), "?")
    code = ("import cyvcf2, numpy, pysam, pysam.version; print(f'pysam {pysam.__version__} "
            "(htslib {pysam.version.__htslib_version__}), cyvcf2 {cyvcf2.__version__}, numpy {numpy.__version__}')")
    versions = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    bcf = subprocess.run(["bcftools", "--version"], capture_output=True, text=True, check=True).stdout.splitlines()[:2]
    walls = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        walls.append(time.perf_counter() - t)
    import site

    hooks = [pth.name for d in site.getsitepackages() if Path(d).is_dir() for pth in sorted(Path(d).glob("*.pth"))
             if any(ln.startswith(("import ", "import\t")) for ln in pth.read_text(errors="replace").splitlines())]
    venv = "a virtualenv" if sys.prefix != sys.base_prefix else "not a virtualenv"
    return [f"- CPU: {cpu}; {os.cpu_count()} logical cores; RAM {mem}",
            f"- OS: {platform.platform()}",
            (f"- Python {platform.python_version()} (`{sys.executable}`, {venv}; `python -c pass` "
             f"{statistics.median(walls):.3f} s, median of 5; .pth files that run code at every start: "
             f"{', '.join(hooks) or 'none'})"),
            f"- {versions}; {' / '.join(bcf)}",
            f"- disk: {shutil.disk_usage(DATA).free / 2**30:.0f} GiB free on the data volume"]


def size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n / 1024:.0f} KiB" if n >= 1024 else f"{n} B"


def sec(x: float) -> str:
    """Seconds: 3 decimals under 1 s (the ratios of the sub-second cases hang on them), else 2."""
    return f"{x:.3f}" if x < 1 else f"{x:.2f}"


def load1() -> float:
    return os.getloadavg()[0]


def fmt_load(t: tuple[float, float, float]) -> str:
    return f"{t[0]:.2f} / {t[1]:.2f} / {t[2]:.2f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small inputs (450k-record WGS, cohorts 2,504 and 5,000, "
                    "5,000-record window file): a smoke run")
    ap.add_argument("--repeat-short", type=int, default=5, help="runs of a command whose first run takes < 1 s "
                    "(median reported; default 5)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of the other commands (median; default 1)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds before a command is killed (default 1800)")
    ap.add_argument("--results", default=None,
                    help="where to write the results (default: bench/results.md; bench/results-quick.md with "
                         "--quick, gitignored)")
    args = ap.parse_args(argv)
    results_path = Path(args.results) if args.results else HERE / ("results-quick.md" if args.quick else "results.md")
    for tool in ("bcftools", "bgzip", "tabix", "samtools"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is required (apt-get install bcftools tabix samtools)")
    t_start = time.perf_counter()
    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_start = os.getloadavg()
    subprocess.run([sys.executable, str(HERE / "make_inputs.py")] + (["--quick"] if args.quick else []), check=True)
    src = snapshot_src()

    wgs_n, cohort_sizes, window_n = sizes(args.quick)
    wgs = DATA / f"wgs_{wgs_n}.vcf.gz"
    noidx = DATA / f"wgs_{wgs_n}.noindex.vcf.gz"
    window = DATA / f"window_{window_n}.vcf.gz"
    fa, gff = DATA / "ref_synthetic.fa", DATA / "il1rn_mane.gff3"
    env = dict(os.environ, PYTHONPATH=str(SNAPSHOT))
    py = sys.executable
    ours = [py, "-m", "il1rn_annot", "annotate", "-q"]
    csq = ["bcftools", "csq", "-p", "a", "-f", str(fa), "-g", str(gff)]  # -p a: unphased GTs taken as they are
    o_vcf, p_vcf = str(OUT / "o.vcf.gz"), str(OUT / "p.vcf.gz")
    results: list[Result] = []

    def measure(case: str, tool: str, argv: list[str], our: bool = False) -> Result:
        r = Result(case, tool, argv, our)
        n = args.repeat
        i = 0
        while i < n:
            clean_out()
            r.loads.append(load1())
            wall, cpu, rss, error = run_once(argv, env if our else None, args.timeout)
            if error:
                r.error = error
                break
            r.walls.append(wall)
            r.cpu.append(cpu)
            r.rss_mb = max(r.rss_mb, rss)
            if i == 0 and wall < 1.0:
                n = max(n, args.repeat_short)
            i += 1
        r.outputs = {f.name: f.stat().st_size for f in sorted(OUT.iterdir()) if f.is_file()}
        results.append(r)
        shown = f"{r.wall:8.2f} s {r.rss_mb:7.0f} MB (x{len(r.walls)})" if r.ok else "FAILED: " + r.error[:300]
        print(f"{case:40s} {tool:38s} {shown}", flush=True)
        return r

    w_label = f"WGS {wgs_n:,} records, 1 sample"
    o_idx = measure(f"{w_label}, indexed", "il1rn-annot", ours + [str(wgs), "-o", o_vcf], True)
    p_idx = measure(f"{w_label}, indexed", "bcftools view -r", ["bcftools", "view", "-r", REGION, str(wgs),
                                                                "-Oz", "-o", p_vcf])
    measure(f"{w_label}, indexed", "start-up floor (no work)", [py, "-c", "import pysam, cyvcf2"], True)
    o_noidx = measure(f"{w_label}, no index", "il1rn-annot", ours + [str(noidx), "-o", o_vcf], True)
    p_noidx = measure(f"{w_label}, no index", "bcftools view -t", ["bcftools", "view", "-t", REGION, str(noidx),
                                                                   "-Oz", "-o", p_vcf])
    cohorts = []
    for i, (n, sites) in enumerate(cohort_sizes):
        path = DATA / f"cohort_{n}.vcf.gz"
        label = f"cohort {n:,} samples x {sites:,} sites"
        o = measure(label, "il1rn-annot", ours + [str(path), "-o", o_vcf], True)
        p = measure(label, "bcftools csq", csq + [str(path), "-Oz", "-o", p_vcf])
        if i == 1:  # the cost of the long genotype table with its 'ref' rows, shown once
            measure(label, "il1rn-annot --genotype-rows all", ours + [str(path), "-o", o_vcf,
                                                                    "--genotype-rows", "all"], True)
        cohorts.append((n, label, o, p))
    w_case = f"window {window_n:,} records, 1 sample"
    o_win = measure(w_case, "il1rn-annot", ours + [str(window), "-o", o_vcf], True)
    measure(w_case, "bcftools csq", csq + [str(window), "-Oz", "-o", p_vcf])
    clean_out()
    shutil.rmtree(OUT, ignore_errors=True)

    total = time.perf_counter() - t_start
    load_end = os.getloadavg()
    harness_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    src_end = tree_digest(ROOT / "src" / "il1rn_annot")

    # ---- targets
    def ratio_row(target: str, o: Result, p: Result, limit: float, peer: str, is_target: bool = True) -> str:
        if not (o.ok and p.ok):
            shown = [f"{sec(x.wall)} s" if x.ok else "failed" for x in (o, p)]
            return f"| {target} | {shown[0]} | {peer} {shown[1]} | - | **not measured** (a run failed) |"
        q = o.wall / p.wall
        verdict = ("met" if q <= limit else "**not met**") if is_target else "reported (no target)"
        return f"| {target} | {sec(o.wall)} s | {peer} {sec(p.wall)} s | {q:.2f} (limit {limit:g}) | {verdict} |"

    t_rows = [ratio_row(f"1. indexed WGS ({wgs_n:,} records): within 10x of `bcftools view -r`", o_idx, p_idx,
                        10, "view -r"),
              ratio_row("2. the same file without index: within 1.5x of `bcftools view -t`", o_noidx, p_noidx,
                        1.5, "view -t")]
    for n, label, o, p in cohorts:
        t_rows.append(ratio_row(f"3. {label}, default outputs: at least as fast as `bcftools csq`", o, p, 1, "csq",
                                is_target=n != 2504))
    for label, r in [(cohorts[-1][1], cohorts[-1][2]), (w_case, o_win)]:
        if r.ok:
            t_rows.append(f"| 4. peak RSS <= 300 MB, {label} | {r.rss_mb:.0f} MB | - | - | "
                          f"{'met' if r.rss_mb <= 300 else '**not met**'} |")
        else:
            t_rows.append(f"| 4. peak RSS <= 300 MB, {label} | failed | - | - | **not measured** |")

    n_short = args.repeat_short
    lines = ["# Benchmark results", "",
             (f"`python bench/run.py{' --quick' if args.quick else ''}`, {date}; the whole harness took "
              f"{total / 60:.1f} min (inputs: `bench/make_inputs.py`, all bases synthetic; see bench/README.md)."),
             "",
             (f"Wall = median of {n_short} runs for commands whose first run took under 1 s, of {args.repeat} "
              "run(s) otherwise; peak RSS = largest `ru_maxrss` of the runs (os.wait4); CPU = user + sys of the "
              "child (median). Outputs removed and `sync` before every run."), ""]
    if args.quick:
        lines += ["**Quick inputs: not the sizes the targets are set for; a smoke run only.**", ""]
    lines += ["## Targets (issue 23)", "", "| target | il1rn-annot | peer | ours / peer | status |",
              "|---|---:|---:|---:|---|"] + t_rows
    lines += ["", "## Machine and load", "",
              (f"- load average (1 / 5 / 15 min) at the start {fmt_load(load_start)}, at the end "
               f"{fmt_load(load_end)}; the 1-min load before each run is in the table below (other jobs, e.g. the "
               "test suite, may have run at the same time)"),
              (f"- this harness's own peak RSS: {harness_mb:.0f} MB. Linux keeps the parent's resident set as a "
               "child's starting high-water mark (the child is spawned with vfork and exec), so no child's peak RSS "
               "reads below it")] + machine()
    dirty = src["dirty"].splitlines()
    lines.append(f"- il1rn-annot: commit {src['commit']} ({src['subject'][:90]}), "
                 + (f"with {len(dirty)} modified/new file(s) under src/: "
                    + ", ".join(f"`{d[3:]}`" for d in dirty) if dirty else "src/ unmodified")
                 + f"; run from a copy taken at the start (digest {src['digest']}"
                 + ("; src/ was unchanged at the end)" if src_end == src["digest"]
                    else f"; src/ changed during the run, digest at the end {src_end}: these numbers are the copy's)"))
    lines += ["", "## All runs", "",
              "| input | tool | wall (s) | runs (s) | CPU (s) | peak RSS (MB) | load 1-min | outputs |",
              "|---|---|---:|---|---:|---:|---|---|"]
    for r in results:
        if r.ok:
            runs = ", ".join(sec(w) for w in r.walls)
            outs = ", ".join(f"{k.split('.', 1)[1]} {size(v)}" for k, v in r.outputs.items())
            lo = f"{min(r.loads):.2f}" + (f"-{max(r.loads):.2f}" if max(r.loads) > min(r.loads) else "")
            lines.append(f"| {r.case} | {r.tool} | {sec(r.wall)} | {runs} | {sec(statistics.median(r.cpu))} | "
                         f"{r.rss_mb:.0f} | {lo} | {outs} |")
        else:
            lines.append(f"| {r.case} | {r.tool} | FAILED | | | | {r.loads[-1]:.2f} | see Failures |")
    failed = [r for r in results if not r.ok]
    if failed:
        lines += ["", "## Failures", ""]
        for r in failed:
            lines += [f"`{r.command()}`", "", "```", r.error, "```", ""]
    lines += ["", "## Commands", "",
              ("Paths relative to the repository root; `PYTHONPATH=bench/data/src_snapshot` is the copy of "
               "src/il1rn_annot described above (the package installed editable from src/ runs the same way)."),
              ""]
    lines += [f"- {r.case} / {r.tool}: `{r.command()}`" for r in results]
    results_path.write_text("\n".join(lines) + "\n")
    print("\n".join(["", "## Targets"] + t_rows))
    print(f"total {total / 60:.1f} min; load average start {fmt_load(load_start)}, end {fmt_load(load_end)}")
    print(f"wrote {results_path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
