#!/usr/bin/env python3
"""What choosing among region shards costs (issue 27), written to bench/shards_results.md.

    python bench/shards.py                  # 977 exome shards (as many as a UK Biobank exome pVCF release)
    python bench/shards.py --shards 100     # a quicker run

(1) The real GRCh37 exome (../shared/testdata/real, 37,709 records, 1 sample) cut into N shards of consecutive
records (bgzipped, .tbi), as a pVCF release is cut into blocks: the whole file annotated, then all N shards
given; the choice alone (``open_shards``: every index read, the build from one header, the holder fetched and
opened) timed separately.  (2) Many samples: 20 shards of a synthetic 50,000-sample GRCh38 file (10 records
each, around IL1RN), of which the IL1RN window crosses three: the choice with the join, the whole run, and
one header parsed with pysam for scale.  Medians of 3.  The shards are made in a temporary folder and removed.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pysam

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from il1rn_annot.api import annotate_vcf  # noqa: E402 - after the path to this checkout
from il1rn_annot.model.gene_model import load_gene_model  # noqa: E402
from il1rn_annot.sources.shards import open_shards  # noqa: E402

EXOME = ROOT.parent / "shared" / "testdata" / "real" / "exomiser_Pfeiffer_GRCh37_exome.vcf.gz"


def median(fn, n: int = 3) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cut_consecutive(src: Path, n: int, folder: Path) -> list[str]:
    with pysam.VariantFile(str(src)) as vin:
        vin.subset_samples(list(vin.header.samples))
        records = sum(1 for _ in vin)
    paths, out, k = [], None, 0
    with pysam.VariantFile(str(src)) as vin:
        for i, rec in enumerate(vin):
            if i == round(k * records / n):  # shard k starts here: n shards of (nearly) equal record counts
                if out is not None:
                    out.close()
                paths.append(str(folder / f"block_{k:04d}.vcf.gz"))
                out = pysam.VariantFile(paths[-1], "wz", header=vin.header)
                k += 1
            out.write(rec)
    out.close()
    for p in paths:
        pysam.tabix_index(p, preset="vcf", force=True)
    return paths


def wide_shards(folder: Path, n_samples: int = 50_000, n_shards: int = 20) -> list[str]:
    header = ["##fileformat=VCFv4.2", "##contig=<ID=chr2,length=242193529,assembly=GRCh38>",
              '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
              "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t"
              + "\t".join(f"S{i:06d}" for i in range(n_samples))]
    gts = "\t".join(["0/0"] * (n_samples - 2) + ["0/1", "1/1"])
    paths = []
    start = 112_900_000
    for k in range(n_shards):
        text = folder / f"wide_{k:02d}.vcf"
        lines = [f"chr2\t{start + k * 20_000 + j * 2_000}\t.\tA\tG\t50\tPASS\t.\tGT\t{gts}" for j in range(10)]
        text.write_text("\n".join(header + lines) + "\n")
        gz = str(text) + ".gz"
        pysam.tabix_compress(str(text), gz, force=True)
        pysam.tabix_index(gz, preset="vcf", force=True)
        text.unlink()
        paths.append(gz)
    return paths


def choose(paths: list[str], build: str | None = None) -> list[str]:
    with open_shards(paths, build=build, window_for=lambda b, _n: load_gene_model(b).window(5000)) as src:
        return [c.path for c in src.shards if c.read]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shards", type=int, default=977)
    args = ap.parse_args()
    lines = [f"# Choosing among region shards ({time.strftime('%Y-%m-%d')}, {platform.machine()}, "
             f"Python {platform.python_version()}, pysam {pysam.__version__})", ""]
    with tempfile.TemporaryDirectory(prefix="il1rn-bench-shards-") as tmp:
        tmp = Path(tmp)
        paths = cut_consecutive(EXOME, args.shards, tmp)
        whole = median(lambda: annotate_vcf(str(EXOME), str(tmp / "whole.vcf.gz")))
        sharded = median(lambda: annotate_vcf(paths, str(tmp / "sharded.vcf.gz")))
        chosen = choose(paths)
        choice = median(lambda: choose(paths))
        same = (tmp / "whole.tsv").read_text() == (tmp / "sharded.tsv").read_text()
        lines += [f"## {len(paths)} shards of the real GRCh37 exome (37,709 records, 1 sample)", "",
                  "| what | seconds (median of 3) |", "| --- | --- |",
                  f"| the whole file annotated | {whole:.2f} |",
                  f"| all {len(paths)} shards given, annotated | {sharded:.2f} |",
                  f"| of which choosing ({len(paths)} indexes read, {len(chosen)} shard(s) read: "
                  f"{', '.join(Path(c).name for c in chosen)}) | {choice:.2f} |",
                  f"| choosing, per shard offered | {choice / len(paths) * 1000:.2f} ms |", "",
                  f"Variant tables identical: {same}.", ""]
        wide = wide_shards(tmp)
        chosen = choose(wide)
        choice = median(lambda: choose(wide))
        run = median(lambda: annotate_vcf(wide, str(tmp / "wide.vcf.gz")))

        def header_only():
            with pysam.VariantFile(wide[0]) as vf:
                return len(vf.header.samples)

        header = median(header_only)
        lines += ["## 20 shards of a synthetic 50,000-sample GRCh38 file (10 records each, 18 kb apart)", "",
                  "| what | seconds (median of 3) |", "| --- | --- |",
                  f"| choosing among the 20 and joining the window's records of the {len(chosen)} that hold it "
                  f"(a temporary BCF) | {choice:.2f} |",
                  f"| the whole run (choosing, joining, annotating 50,000 samples) | {run:.2f} |",
                  f"| parsing one shard's 50,000-sample header with pysam | {header:.3f} |", "",
                  "Choosing reads the 20 indexes, the header of one shard (for the build) and fetches the window "
                  "from the candidates; the skipped shards are never opened as VCF.", ""]
    out = HERE / "shards_results.md"
    out.write_text("\n".join(lines))
    print(out.read_text())


if __name__ == "__main__":
    main()
