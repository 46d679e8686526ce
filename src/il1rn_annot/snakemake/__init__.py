"""The Snakemake rule shipped with il1rn_annot.

In a Snakefile::

    import il1rn_annot.snakemake
    include: il1rn_annot.snakemake.rule_path()

or as a module::

    module il1rn:
        snakefile: il1rn_annot.snakemake.rule_path()
        config: config
    use rule * from il1rn

Configuration (``config["il1rn_annot"]``, every key optional): ``vcf`` input pattern with a ``{sample}``
wildcard (default ``vcf/{sample}.vcf.gz``), ``outdir`` (default ``results/il1rn``), ``ped`` pattern or path,
``reference`` FASTA path, ``reads`` BAM/CRAM pattern or list of patterns (``--reads``), ``reads_reference``
(the CRAMs' FASTA), ``shards`` (instead of ``vcf``: a shard-list path pattern, or a list of shard paths, of a
region-sharded callset; only the shard(s) whose index covers IL1RN are read), ``extra`` arguments for ``il1rn-annot annotate``, ``logdir`` (default ``logs/il1rn_annot``).
With ``reads`` and an empty ``vcf`` the rule ``il1rn_annot_vntr`` writes each sample's VNTR dosage and frequency
tables from its reads alone.  See the header of ``il1rn_annot.smk`` for the outputs.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def rule_path() -> str:
    """Absolute path of ``il1rn_annot.smk`` inside the installed package."""
    return str(Path(str(resources.files("il1rn_annot").joinpath("snakemake", "il1rn_annot.smk"))).resolve())
