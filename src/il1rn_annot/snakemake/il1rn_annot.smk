# il1rn_annot Snakemake rule (shipped inside the Python package; see il1rn_annot/snakemake/__init__.py).
#
#   include: il1rn_annot.snakemake.rule_path()
#
# For each {sample} it annotates config["il1rn_annot"]["vcf"] (default "vcf/{sample}.vcf.gz") and writes,
# under <outdir>/{sample}/ (outdir default "results/il1rn"):
#   {sample}.il1rn.vcf.gz (+ .tbi)   annotated VCF (IL1RN records)
#   {sample}.il1rn.tsv               variant table (one row per allele x transcript)
#   {sample}.il1rn.genotypes.tsv     long per-sample genotype table
#   {sample}.il1rn.samples.tsv       one row per sample (verdicts, diplotypes, counts)
#   json/                            one JSON report per sample + cohort.json (docs/json_schema.md)
#   {sample}.il1rn.html              self-contained HTML report
# Named inputs: vcf (required), ped and reference (only when configured), reads (a pattern or a list of
# patterns with {sample}, only when configured: BAM/CRAM read at the VNTR, their read-based call filling the
# same outputs) and reads_reference (the FASTA of CRAM reads).  params.extra is passed on.
#
# Region-sharded input (a biobank pVCF release, docs/shards.md): config "shards" instead of "vcf", either the
# path pattern of a shard list (a text file, one shard path per line; may contain {sample}, e.g. one list per
# cohort) or a list of shard paths (patterns with {sample} allowed).  Only the shard(s) whose index (.tbi/.csi,
# required beside every shard) covers the IL1RN window are read; the log names those read and those skipped.
#
# Reads only (config "reads" set, "vcf" set to "" or None): the rule il1rn_annot_vntr writes, for each {sample},
#   {sample}.il1rn.vntr_dosage.tsv        *2 dosage (0/1/2/NA), method, confidence (il1rn-annot cohort)
#   {sample}.il1rn.vntr_frequencies.tsv   the frequency table (one sample) with the published frequencies
# The tool is single-threaded: threads 1.  Runs offline (all resources are bundled).

import sys as _il1rn_sys

_IL1RN = dict(config.get("il1rn_annot", {}))
_IL1RN_OUT = _IL1RN.get("outdir", "results/il1rn").rstrip("/")
_IL1RN_LOG = _IL1RN.get("logdir", "logs/il1rn_annot").rstrip("/")


_IL1RN_VCF = _IL1RN.get("vcf", "vcf/{sample}.vcf.gz")
_IL1RN_SHARDS = _IL1RN.get("shards")


def _il1rn_reads(wildcards):
    patterns = _IL1RN.get("reads") or []
    patterns = [patterns] if isinstance(patterns, str) else list(patterns)
    return [p.format(sample=wildcards.sample) for p in patterns]


def _il1rn_inputs(wildcards):
    if _IL1RN_SHARDS:  # a shard list file (str) or the shards themselves (list)
        files = {"shards": _IL1RN_SHARDS.format(sample=wildcards.sample) if isinstance(_IL1RN_SHARDS, str)
                 else [p.format(sample=wildcards.sample) for p in _IL1RN_SHARDS]}
    else:
        files = {"vcf": _IL1RN_VCF.format(sample=wildcards.sample)} if _IL1RN_VCF else {}
    if _IL1RN.get("ped"):
        files["ped"] = _IL1RN["ped"].format(sample=wildcards.sample)
    if _IL1RN.get("reference"):
        files["reference"] = _IL1RN["reference"]
    reads = _il1rn_reads(wildcards)
    if reads:
        files["reads"] = reads
    if _IL1RN.get("reads_reference"):
        files["reads_reference"] = _IL1RN["reads_reference"]
    return files


def _il1rn_input_args(wildcards, input):
    import shlex

    if "shards" in input.keys():
        if isinstance(_IL1RN_SHARDS, str):
            return "--shards " + shlex.quote(str(input.shards))
        return " ".join(shlex.quote(str(p)) for p in input.shards)
    return shlex.quote(str(input.vcf))


def _il1rn_optional(wildcards, input):
    import shlex

    args = []
    if "ped" in input.keys():
        args += ["--ped", input.ped]
    if "reference" in input.keys():
        args += ["--reference", input.reference]
    if "reads_reference" in input.keys():
        args += ["--reads-reference", input.reads_reference]
    if "reads" in input.keys():
        args += ["--reads", *input.reads]
    return " ".join(shlex.quote(str(a)) for a in args)


if _IL1RN_VCF or _IL1RN_SHARDS:

  rule il1rn_annot:
      input:
          unpack(_il1rn_inputs),
      output:
          vcf=_IL1RN_OUT + "/{sample}/{sample}.il1rn.vcf.gz",
          tbi=_IL1RN_OUT + "/{sample}/{sample}.il1rn.vcf.gz.tbi",
          table=_IL1RN_OUT + "/{sample}/{sample}.il1rn.tsv",
          genotypes=_IL1RN_OUT + "/{sample}/{sample}.il1rn.genotypes.tsv",
          samples=_IL1RN_OUT + "/{sample}/{sample}.il1rn.samples.tsv",
          json=directory(_IL1RN_OUT + "/{sample}/json"),
          html=_IL1RN_OUT + "/{sample}/{sample}.il1rn.html",
      params:
          inputs=_il1rn_input_args,
          optional=_il1rn_optional,
          extra=_IL1RN.get("extra", ""),
          python=_il1rn_sys.executable,
      log:
          _IL1RN_LOG + "/{sample}.log",
      threads: 1
      message:
          "il1rn_annot: annotating {wildcards.sample} for IL1RN"
      shell:
          "{params.python} -m il1rn_annot annotate {params.inputs} -o {output.vcf:q} --table {output.table:q}"
          " --genotypes {output.genotypes:q} --samples-tsv {output.samples:q} --json {output.json:q}"
          " --html {output.html:q} {params.optional} {params.extra} > {log:q} 2>&1"

else:

  rule il1rn_annot_vntr:
      input:
          unpack(_il1rn_inputs),
      output:
          dosage=_IL1RN_OUT + "/{sample}/{sample}.il1rn.vntr_dosage.tsv",
          frequencies=_IL1RN_OUT + "/{sample}/{sample}.il1rn.vntr_frequencies.tsv",
      params:
          optional=_il1rn_optional,
          prefix=lambda wildcards: f"{_IL1RN_OUT}/{wildcards.sample}/{wildcards.sample}.il1rn",
          python=_il1rn_sys.executable,
      log:
          _IL1RN_LOG + "/{sample}.log",
      threads: 1
      message:
          "il1rn_annot: the IL1RN VNTR of {wildcards.sample} from its reads"
      shell:
          "{params.python} -m il1rn_annot cohort -o {params.prefix:q} {params.optional} > {log:q} 2>&1"
