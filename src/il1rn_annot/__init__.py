"""il1rn_annot: IL1RN variant annotation, DIRA recessive verdicts and IL1RN*1-*5 VNTR context.

The public API is imported lazily so that ``import il1rn_annot`` and the CLI start fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["annotate_vcf", "annotate_variants", "load_gene_model", "to_dataframe", "vntr_context", "__version__"]


def __getattr__(name: str):  # PEP 562 lazy exports
    if name in _FRAME_EXPORTS:
        from . import frames
        return getattr(frames, name)
    if name == "load_gene_model":
        from .model import load_gene_model
        return load_gene_model
    if name in ("annotate_vcf", "annotate_variants", "to_dataframe", "vntr_context"):
        from . import api
        return getattr(api, name)
    raise AttributeError(name)


# DataFrame / pyranges views of a run (il1rn_annot.frames), exported lazily too
_FRAME_EXPORTS = ("variants_frame", "genotypes_frame", "samples_frame", "to_pyranges", "read_table")
__all__ += list(_FRAME_EXPORTS)
