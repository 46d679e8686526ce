"""Reading a user GFF3/GTF (plain or gzip) for :mod:`il1rn_annot.model.gff`."""

from __future__ import annotations

import gzip
import os

from il1rn_annot.errors import InputError, ModelError
from il1rn_annot.types import Transcript


def read_gene_model_file(path: str, proteins: dict[str, str] | None = None) -> list[Transcript]:
    """Transcripts of a GFF3/GTF; ``proteins`` is filled with transcript_id -> protein_id where given."""
    from il1rn_annot.model.gff import parse

    if not os.path.exists(path):
        raise InputError("gene model file not found", file=path, fix="check the --gene-model path")
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rt") as fh:
            txs = parse(fh, path, proteins)
    except ModelError as exc:
        raise InputError(f"invalid transcript: {exc}", file=path, fix="fix the GFF3/GTF rows of that transcript") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot parse ({exc})", file=path, fix="give an Ensembl-style GFF3 or a GTF") from None
    if not txs:
        raise InputError("no transcripts (no exon or CDS rows)", file=path, fix="give an Ensembl-style GFF3 or a GTF")
    return txs
