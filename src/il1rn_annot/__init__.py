"""il1rn_annot: IL1RN variant annotation, DIRA recessive verdicts and IL1RN*1-*5 VNTR context.

>>> from il1rn_annot import annotate_vcf, annotate_variants, load_gene_model, to_dataframe
"""

from il1rn_annot.api import (
                             Outputs,
                             RunConfig,
                             RunSummary,
                             annotate_variants,
                             annotate_vcf,
                             genotypes_frame,
                             import_reference,
                             load_gene_model,
                             read_table,
                             samples_frame,
                             to_dataframe,
                             to_pyranges,
                             variants_frame,
                             vntr_context,
                             write_vntr_tables,
)
from il1rn_annot.version import __version__

__all__ = ["annotate_vcf", "annotate_variants", "load_gene_model", "to_dataframe", "vntr_context", "write_vntr_tables",
           "import_reference",
           "RunConfig", "Outputs", "RunSummary", "variants_frame", "genotypes_frame", "samples_frame", "to_pyranges",
           "read_table", "__version__"]
