"""Snakemake wrapper for il1rn-annot annotate (IL1RN placement, DIRA verdicts, VNTR context)."""

__author__ = "il1rn_annot team"
__license__ = "MIT"

import os
import sys
from shlex import quote

from snakemake.shell import shell

inputs, outputs = snakemake.input, snakemake.output  # noqa: F821
log = snakemake.log_fmt_shell(stdout=True, stderr=True)  # noqa: F821
extra = snakemake.params.get("extra", "")  # noqa: F821

if "shards" in inputs.keys():  # a region-sharded callset: the shards, or one text file listing them
    shards = inputs.shards if isinstance(inputs.shards, list) else [inputs.shards]
    listed = len(shards) == 1 and not str(shards[0]).endswith((".vcf", ".vcf.gz", ".vcf.bgz", ".bcf"))
    in_args = ["--shards", quote(str(shards[0]))] if listed else [quote(str(s)) for s in shards]
elif "vcf" not in inputs.keys() and len(inputs) != 1:
    raise ValueError("il1rn_annot wrapper: name the input VCF `vcf`, or the shards `shards` (ped, reference, reads "
                     "and reads_reference are optional named inputs)")
else:
    in_args = [quote(str(inputs.vcf if "vcf" in inputs.keys() else inputs[0]))]
out_vcf = outputs.vcf if "vcf" in outputs.keys() else outputs[0]

args = [*in_args, "-o", quote(str(out_vcf))]
for key, flag in (("ped", "--ped"), ("reference", "--reference"), ("reads_reference", "--reads-reference")):
    if key in inputs.keys():
        args += [flag, quote(str(inputs[key]))]
if "reads" in inputs.keys():  # BAM/CRAM: the VNTR measured from long reads, the *2 flank SNVs from any reads
    reads = inputs.reads if isinstance(inputs.reads, list) else [inputs.reads]
    args += ["--reads", *(quote(str(r)) for r in reads)]
# each named output maps to one option; an output that is not named is not written ('' skips the tables)
for key, flag in (("table", "--table"), ("genotypes", "--genotypes")):
    args += [flag, quote(str(outputs[key])) if key in outputs.keys() else "''"]
for key, flag in (("samples", "--samples-tsv"), ("json", "--json"), ("html", "--html")):
    if key in outputs.keys():
        args += [flag, quote(str(outputs[key]))]
if "json" in outputs.keys():
    os.makedirs(outputs.json, exist_ok=True)

# `python -m il1rn_annot` with the interpreter running this wrapper: the conda environment's python when
# run with --software-deployment-method conda, otherwise the one Snakemake runs in.
shell("{sys.executable} -m il1rn_annot annotate {args} {extra} {log}", args=" ".join(args))
