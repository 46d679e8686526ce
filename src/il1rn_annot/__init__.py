"""il1rn_annot: annotate VCFs for the human gene IL1RN (2q14.1): where each variant lies on every transcript, its
consequence and HGVS, a DIRA (deficiency of the IL-1 receptor antagonist) verdict per sample with the ACMG
criteria behind it, and the IL1RN*1-*5 intron-2 VNTR allele context.

Run a whole file (writes the annotated VCF, tables and, if asked, reports)::

    >>> from il1rn_annot import annotate_vcf, samples_frame
    >>> run = annotate_vcf("in.vcf.gz", "out.vcf.gz", html="report.html")      # doctest: +SKIP
    >>> samples_frame(run)[["sample", "dira.verdict", "vntr.diplotype"]]      # doctest: +SKIP

Or annotate in memory::

    >>> from il1rn_annot import annotate_variants, to_dataframe
    >>> df = to_dataframe(annotate_variants("in.vcf.gz"))                     # doctest: +SKIP

Functions: :func:`annotate_vcf`, :func:`annotate_variants`, :func:`to_dataframe`, :func:`variants_frame`,
:func:`genotypes_frame`, :func:`samples_frame`, :func:`to_pyranges`, :func:`read_table`, :func:`vntr_context`,
:func:`write_vntr_tables`, :func:`load_gene_model`, :func:`import_reference`, :func:`make_config`,
:func:`table_schemas`.  Types: :class:`RunConfig`, :class:`Outputs`, :class:`RunSummary`,
:class:`AnalysisResult`, :class:`AlleleAnnotation`, :class:`DiraOptions`.  Errors: :class:`InputError`,
:class:`UsageError`.  Every table's columns: ``docs/tables.md``; the command line: ``il1rn-annot --help``.
"""

from il1rn_annot.api import (
    AlleleAnnotation,
    AnalysisResult,
    DiraOptions,
    Outputs,
    RunConfig,
    RunSummary,
    annotate_variants,
    annotate_vcf,
    genotypes_frame,
    import_reference,
    load_gene_model,
    make_config,
    read_table,
    samples_frame,
    to_dataframe,
    to_pyranges,
    variants_frame,
    vntr_context,
    write_vntr_tables,
)
from il1rn_annot.errors import InputError, UsageError
from il1rn_annot.frames import table_schemas
from il1rn_annot.version import __version__

__all__ = ["annotate_vcf", "annotate_variants", "to_dataframe", "variants_frame", "genotypes_frame", "samples_frame",
           "to_pyranges", "read_table", "vntr_context", "write_vntr_tables", "load_gene_model", "import_reference",
           "make_config", "table_schemas",
           "RunConfig", "Outputs", "RunSummary", "AnalysisResult", "AlleleAnnotation", "DiraOptions",
           "InputError", "UsageError", "__version__"]
