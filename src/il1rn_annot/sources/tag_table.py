"""Reading a lab's own IL1RN VNTR tag-SNP table (``--vntr-tags``): the columns of the bundled
``vntr_tag_snps.tsv`` (see :data:`il1rn_annot.vntr.definition.TAG_COLUMNS`), ``## key: value`` provenance
lines allowed.  It replaces the bundled table for the run; every marker's r2, tagged allele, REF/ALT pairing
and source are the lab's statements and are reported as such."""

from __future__ import annotations

from pathlib import Path

from il1rn_annot.errors import InputError
from il1rn_annot.model.resources import parse_resource
from il1rn_annot.vntr.definition import TAG_COLUMNS, TagMarker, tag_markers


def read_tag_table(path: str) -> tuple[tuple[TagMarker, ...], str]:
    """(markers, label ``file#sha256:<12 hex>``)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the tag-SNP table: {exc.strerror or exc}", file=path,
                         fix="give a readable TSV with the columns of vntr_tag_snps.tsv") from None
    try:
        res = parse_resource("vntr_tag_snps_user", data)
        markers = tag_markers(res)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"not a tag-SNP table: {exc}", file=path,
                         fix="use the columns " + " ".join(TAG_COLUMNS) + " (tab-separated, header first)") from None
    if not markers:
        raise InputError("the tag-SNP table has no rows", file=path, fix="add one row per marker")
    return markers, f"{Path(path).name}#sha256:{res.sha256[:12]}"
