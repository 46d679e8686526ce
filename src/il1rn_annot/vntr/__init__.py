"""IL1RN intron-2 86-bp VNTR (rs2234663): the allele context IL1RN*1..*5 of each sample.

Flow: :mod:`.definition` (the resource as typed values) -> :mod:`.direct` (repeat counts measured from
indels / symbolic alleles / repeat-caller FORMAT fields) and :mod:`.tags` (inference from tag SNPs, only
where the resource states r2 and the allele pairing) -> :mod:`.summary` (per-sample *2 carriage, cohort
frequencies beside the published ones) -> :mod:`.analysis` (registration with :mod:`il1rn_annot.analyses`,
VCF/TSV fields and the public :func:`vntr_context`).  Everything here is pure except ``vntr_context``
given a path, which goes through :mod:`il1rn_annot.api`.
"""

from __future__ import annotations

__all__ = ["vntr_context"]


def __getattr__(name: str):  # PEP 562: keep `import il1rn_annot.vntr` cheap
    if name == "vntr_context":
        from .context import vntr_context
        return vntr_context
    raise AttributeError(name)
