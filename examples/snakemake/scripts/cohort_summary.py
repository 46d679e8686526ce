"""Merge the per-sample il1rn_annot tables of a fan-out into a cohort summary.

samples: every per-sample row, with the VCF it came from.
variants: one row per allele on MANE Select (or the allele alone when it lies outside MANE) with the
number of samples carrying it (hom_alt / het / other) and missing, summed over the input files.
"""

import logging
from pathlib import Path

import pandas as pd

from il1rn_annot.api import read_table

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(message)s")  # noqa: F821

frames = []
for path in snakemake.input.samples:  # noqa: F821
    df = read_table(path)
    df.insert(1, "source", Path(path).name.replace(".il1rn.samples.tsv", ""))
    frames.append(df)
samples = pd.concat(frames, ignore_index=True)
samples.to_csv(snakemake.output.samples, sep="\t", index=False)  # noqa: F821
logging.info("%d samples from %d files", len(samples), len(frames))

keys = ["CHROM", "POS", "ID", "REF", "ALT", "ALLELE_NUM"]
counts = ["n_hom_alt", "n_het", "n_het_other_alt", "n_hemizygous", "n_ref", "n_half_call", "n_missing"]
rows = []
for path in snakemake.input.tables:  # noqa: F821
    t = read_table(path)
    mane = t[t["MANE"] == "MANE_Select"]
    outside = t[~t.set_index(keys).index.isin(mane.set_index(keys).index)].drop_duplicates(keys)
    rows.append(pd.concat([mane, outside]))
table = pd.concat(rows, ignore_index=True)
place = table.groupby(keys, sort=False)[["Feature_name", "Region", "Exon", "Intron", "HGVS_pos"]].first()
summed = table.groupby(keys, sort=False)[counts].sum()
out = place.join(summed).reset_index().sort_values(["POS", "ALLELE_NUM"])
out["n_carriers"] = out["n_hom_alt"] + out["n_het"] + out["n_het_other_alt"] + out["n_hemizygous"]
out.to_csv(snakemake.output.variants, sep="\t", index=False)  # noqa: F821
logging.info("%d alleles", len(out))
