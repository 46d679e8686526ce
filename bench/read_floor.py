"""How long reading the IL1RN window takes with the two htslib readers the pipeline uses, per pass.

    python bench/read_floor.py bench/data/cohort_20000.vcf.gz [bench/data/cohort_100000.vcf.gz ...]

pysam reads the sites (no sample columns, as the pipeline's guard does); cyvcf2 reads the genotype matrix
(``lazy=False``, two inflating threads, as the pipeline's reader does).  The run reads the window twice (pass 1
for the analyses, pass 2 for the outputs), so two passes are a floor under any run of the pipeline on the file.
Prints seconds; writes nothing.  bench/README.md quotes its numbers.
"""

from __future__ import annotations

import sys
import time

import cyvcf2
import pysam

WINDOW = ("chr2", 113094314, 113139016)  # 0-based half-open: il1rn-annot region, GRCh38, gene span +- 5 kb


def one_pass(path: str) -> int:
    guard = pysam.VariantFile(path)
    guard.subset_samples([])
    reader = cyvcf2.VCF(path, lazy=False, threads=2)
    n = 0
    for _site, _variant in zip(guard.fetch(*WINDOW), reader(f"{WINDOW[0]}:{WINDOW[1] + 1}-{WINDOW[2]}")):
        n += 1
    guard.close()
    reader.close()
    return n


def cyvcf2_only(path: str) -> None:
    reader = cyvcf2.VCF(path, lazy=False, threads=2)
    for _variant in reader(f"{WINDOW[0]}:{WINDOW[1] + 1}-{WINDOW[2]}"):
        pass
    reader.close()


def timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


def main(paths: list[str]) -> None:
    for path in paths:
        n = one_pass(path)  # also warms the page cache
        first, second = timed(one_pass, path), timed(one_pass, path)
        alone = timed(cyvcf2_only, path)
        print(f"{path}: {n} records; one pass (pysam sites + cyvcf2 genotypes) {first:.2f} s, again {second:.2f} s; "
              f"cyvcf2 alone {alone:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:] or ["bench/data/cohort_20000.vcf.gz"])
