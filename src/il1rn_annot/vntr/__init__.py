"""IL1RN intron-2 86-bp VNTR (rs2234663): the allele context IL1RN*1..*5 of each sample.

Flow: :mod:`.definition` (the resource as typed values) -> :mod:`.direct` (repeat counts measured from
indels / symbolic alleles / repeat-caller FORMAT fields) and :mod:`.tags` (inference from tag SNPs, only
where the resource states r2 and the allele pairing) -> :mod:`.summary` (per-sample *2 carriage, cohort
frequencies beside the published ones) -> :mod:`.analysis` (registration with :mod:`il1rn_annot.analyses`,
VCF/TSV fields) and :mod:`.context` (the whole result as one value).  Everything here is pure; the
file-reading entry point is :func:`il1rn_annot.api.vntr_context` (exported as ``il1rn_annot.vntr_context``).
"""
