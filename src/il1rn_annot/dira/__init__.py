"""DIRA interpretation: the curated allele catalogue, per-variant classification, structural variants and
per-sample autosomal-recessive verdicts.  The analysis registers itself when ``dira.analysis`` is imported
(see :func:`il1rn_annot.analyses.load_builtin_analyses`)."""
