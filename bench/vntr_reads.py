#!/usr/bin/env python3
"""Seconds per sample for the IL1RN VNTR from long reads (issue 26), written to bench/vntr_results.md.

    python bench/vntr_reads.py                 # 1 BAM timed alone, then 200 BAMs through the Snakemake example
    python bench/vntr_reads.py --files 20      # a quicker smoke run

Input (simulated, in the gitignored bench/data/vntr_reads/): per sample a coordinate-sorted, indexed BAM of
chr2:113,030,000-113,230,000 (200 kb around the VNTR) at 30x with 15-kb HiFi-like reads (0.1 % substitutions,
Q30), @RG SM and PL:PACBIO.  The only IL1RN bases known are the labelled motif and flanks
(src/il1rn_annot/data/vntr_sequence.tsv): every other read base is N, aligned as a match against the unknown
reference base (the reads' length and the alignment work are realistic, their sequence outside the locus is
not).  Diplotypes cycle through *1/*1, *1/*2, *2/*2, *1/*3, *3/*4.

Measured: (1) reading one BAM's locus in-process (``read_vntr_reads``: one index query, every read overlapping
the locus parsed), median of 10; (2) one ``il1rn-annot vntr --reads`` and one ``il1rn-annot cohort --reads``
process (interpreter start-up included), median of 5; (3) ``snakemake --cores N`` over the example workflow in
reads-only mode for all files (one ``il1rn-annot cohort`` job per sample, then the merge), wall time.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pysam

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data" / "vntr_reads"
sys.path.insert(0, str(ROOT / "src"))

from il1rn_annot.model.builds import GRCH38  # noqa: E402 - after the path to this checkout
from il1rn_annot.vntr.definition import load_vntr_definition  # noqa: E402

REGION = (113_030_000, 113_230_000)
DEPTH, READ_LEN = 30, 15_000
DIPLOTYPES = ((4, 4), (4, 2), (2, 2), (4, 5), (5, 3))


def _haplotype(copies: int, star2: bool):
    d = load_vntr_definition("GRCh38")
    s = d.sequence
    right = list(s.right_flank)
    if star2:
        for m in d.tags:
            if m.rsid.startswith("star2_flank_snv"):
                right[m.position("GRCh38") - 1 - s.right_start] = m.alt
    return s.left_start, s.left_flank + s.motif * copies + "".join(right)


def write_bam(path: Path, sample: str, diplotype: tuple[int, int], rng: random.Random) -> None:
    hdr = {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": "chr2", "LN": GRCH38.chr2_length, "AS": "GRCh38"}],
           "RG": [{"ID": "rg1", "SM": sample, "PL": "PACBIO"}]}
    n_reads = (REGION[1] - REGION[0]) * DEPTH // READ_LEN
    reads = []
    for k in range(n_reads):
        copies = diplotype[k % 2]
        left_start, locus = _haplotype(copies, copies == 2)
        start = rng.randrange(REGION[0] - READ_LEN, REGION[1])
        end = start + READ_LEN
        locus_end = left_start + len(locus)
        if start < left_start and end > locus_end:  # spans the labelled locus: N + locus + N, one indel
            before, after = left_start - start, end - locus_end
            seq = "N" * before + locus + "N" * after
            diff = (copies - 4) * 86
            inner = 100 + min(copies, 4) * 86
            cigar = [(0, before + inner)] + ([(2, -diff)] if diff < 0 else [(1, diff)] if diff > 0 else []) + \
                [(0, 100 + after)]
        else:
            seq = "N" * READ_LEN
            cigar = [(0, READ_LEN)]
            if start < locus_end and end > left_start:  # overlaps the locus partly: keep it outside instead
                start = locus_end + rng.randrange(1, 1000)
        seq = "".join(b if b == "N" or rng.random() > 0.001 else rng.choice("ACGT") for b in seq)
        reads.append((start, cigar, seq))
    with pysam.AlignmentFile(str(path), "wb", header=hdr) as out:
        for k, (start, cigar, seq) in enumerate(sorted(reads)):
            a = pysam.AlignedSegment(out.header)
            a.query_name, a.reference_id, a.reference_start, a.mapping_quality = f"{sample}_{k}", 0, start, 60
            a.cigartuples, a.query_sequence = cigar, seq
            a.query_qualities = pysam.qualitystring_to_array("?" * len(seq))
            a.set_tag("RG", "rg1")
            out.write(a)
    pysam.index(str(path))


def make_inputs(n: int) -> list[Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = DATA / f"s{i:03d}.bam"
        if not path.exists() or not Path(str(path) + ".bai").exists():
            write_bam(path, f"S{i:03d}", DIPLOTYPES[i % len(DIPLOTYPES)], random.Random(i))
        paths.append(path)
    return paths


def _time(cmd: list[str], repeat: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    t0 = time.perf_counter()
    paths = make_inputs(args.files)
    made = time.perf_counter() - t0
    from il1rn_annot.sources.reads import read_vntr_reads

    inproc = []
    for _ in range(10):
        t = time.perf_counter()
        ev = read_vntr_reads([paths[1]])
        inproc.append(time.perf_counter() - t)
    call = next(iter(ev.calls.values()))
    py = sys.executable
    one_vntr = _time([py, "-m", "il1rn_annot", "vntr", "--reads", str(paths[1])], 5)
    out = DATA / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    one_cohort = _time([py, "-m", "il1rn_annot", "cohort", "-q", "-o", str(out / "one"), "--reads", str(paths[1])], 5)
    start_up = _time([py, "-c", "pass"], 5)
    all_cohort = _time([py, "-m", "il1rn_annot", "cohort", "-q", "-o", str(out / "all"), "--reads",
                        *map(str, paths)], 1)
    # the Snakemake example, reads only
    work = out / "snakemake"
    shutil.copytree(ROOT / "examples" / "snakemake", work)
    samples = [p.stem for p in paths]
    (work / "bench.yaml").write_text("samples: [" + ", ".join(samples) + "]\nil1rn_annot:\n  vcf: ''\n"
                                     f"  reads: '{DATA}/{{sample}}.bam'\n  outdir: results/il1rn\n"
                                     "  logdir: logs/il1rn_annot\n")
    smk = shutil.which("snakemake") or str(Path(py).parent / "snakemake")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    t = time.perf_counter()
    subprocess.run([smk, "--cores", str(args.cores), "--configfile", "bench.yaml", "-q"], cwd=work, check=True,
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    smk_wall = time.perf_counter() - t
    rows = (work / "results" / "cohort" / "il1rn_vntr_dosage.tsv").read_text().splitlines()
    size = paths[1].stat().st_size
    n_reads = pysam.AlignmentFile(str(paths[1])).mapped
    lines = [
        "# bench/vntr_results.md — the IL1RN VNTR from long reads (issue 26)",
        "",
        f"Made by `python bench/vntr_reads.py --files {args.files} --cores {args.cores}` on {platform.node()} "
        f"({platform.processor() or platform.machine()}, {os.cpu_count()} CPUs), Python {platform.python_version()}, "
        f"pysam {pysam.__version__}; {time.strftime('%Y-%m-%d')}.",
        "",
        f"Input per sample: a simulated 30x HiFi-like BAM of chr2:{REGION[0]:,}-{REGION[1]:,} ({n_reads} reads of "
        f"{READ_LEN:,} bp, {size / 1e3:.0f} kB: N runs compress; bases outside the labelled locus are N, see the script's docstring). "
        f"Inputs made in {made:.1f} s (cached in bench/data/vntr_reads/).",
        "",
        "| what | seconds | per sample |",
        "|---|---|---|",
        f"| `read_vntr_reads` on one BAM, in-process (one index query; {call.reads} reads at the locus, "
        f"{call.spanning} spanning), median of 10 | {statistics.median(inproc):.4f} | {statistics.median(inproc):.4f} |",
        f"| `il1rn-annot vntr --reads` one BAM, one process, median of 5 | {one_vntr:.3f} | {one_vntr:.3f} |",
        f"| `il1rn-annot cohort --reads` one BAM (dosage + frequency tables), median of 5 | {one_cohort:.3f} | "
        f"{one_cohort:.3f} |",
        f"| `python -c pass` (start-up floor) | {start_up:.3f} | |",
        f"| `il1rn-annot cohort --reads` all {args.files} BAMs in one process | {all_cohort:.2f} | "
        f"{all_cohort / args.files:.4f} |",
        f"| Snakemake example, reads only, {args.files} BAMs, `--cores {args.cores}` (one job per sample + merge), "
        f"wall | {smk_wall:.1f} | {smk_wall / args.files:.3f} wall ({smk_wall * args.cores / args.files:.3f} "
        f"core-seconds) |",
        "",
        f"The one-BAM call: {call.label} ({call.confidence}), alleles "
        + ", ".join(f"{a.label} {a.length_bp} bp x {a.support} reads" for a in call.alleles)
        + f"; the merged dosage table has {len(rows) - 1} rows.",
        "",
        "The development machine is shared (other sessions' test runs may overlap a bench run): treat the process "
        "and Snakemake rows as upper bounds; the in-process row is the work itself.",
        "",
        "Reading: per sample the work is one index query and the ~" + str(call.reads) + " reads overlapping the "
        "544-bp locus; a separate process per sample is dominated by start-up and imports (compare the "
        "in-process row), so for many samples one `il1rn-annot cohort --reads *.bam` (or fewer, larger Snakemake "
        "jobs) is cheaper than one job per sample.",
        "",
    ]
    (HERE / "vntr_results.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
