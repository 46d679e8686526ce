"""Merge the per-sample VNTR dosage rows of a reads fan-out into one table (the header once).  For frequencies
per population over the merged cohort, run ``il1rn-annot cohort --reads ... --populations MAP`` once on all files
(a per-sample frequency table is one sample's)."""

import logging

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(message)s")  # noqa: F821

rows = 0
with open(snakemake.output[0], "w", encoding="utf-8") as out:  # noqa: F821
    for k, path in enumerate(snakemake.input):  # noqa: F821
        with open(path, encoding="utf-8") as fh:
            header = fh.readline()
            if k == 0:
                out.write(header)
            for line in fh:
                out.write(line)
                rows += 1
logging.info("%d samples from %d files", rows, len(snakemake.input))  # noqa: F821
