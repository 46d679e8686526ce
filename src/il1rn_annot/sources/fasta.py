"""Reference FASTA access (pysam.FastaFile; plain or bgzip, with .fai) and the per-user imported IL1RN locus."""

from __future__ import annotations

import os

from il1rn_annot.errors import InputError
from il1rn_annot.model.builds import is_chr2_name

CHR2_ALIASES = ("chr2", "2", "NC_000002.12", "NC_000002.11", "CM000664.2", "CM000664.1")


class FastaReference:
    """``fetch(contig, start, end)`` (0-based half-open, upper case) from an indexed FASTA; any chr2 name
    in the VCF is mapped to the chr2 name the FASTA uses."""

    def __init__(self, path: str | os.PathLike):
        import pysam

        self.path = str(path)
        if not os.path.exists(self.path):
            raise InputError("reference FASTA not found", file=self.path, fix="check the --reference path")
        try:
            self.fa = pysam.FastaFile(self.path)
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot open the reference FASTA ({str(exc).splitlines()[0] if str(exc) else exc})",
                             file=self.path, fix="give an indexed FASTA: samtools faidx ref.fa (bgzip: bgzip ref.fa first)") from None
        self.names = set(self.fa.references)
        self.lengths = dict(zip(self.fa.references, self.fa.lengths))

    def resolve(self, contig: str) -> str | None:
        if contig in self.names:
            return contig
        if is_chr2_name(contig):
            return next((n for n in CHR2_ALIASES if n in self.names), None)
        alt = contig[3:] if contig.startswith("chr") else "chr" + contig
        return alt if alt in self.names else None

    def fetch(self, contig: str, start: int, end: int) -> str:
        name = self.resolve(contig)
        if name is None:
            raise InputError(f"contig {contig} is not in the reference FASTA", file=self.path,
                             fix="give the FASTA of the VCF's genome build")
        return self.fa.fetch(name, max(0, start), max(0, end)).upper()

    def close(self) -> None:
        self.fa.close()


def user_data_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "il1rn_annot")


def imported_locus_path(build_name: str) -> str:
    return os.path.join(user_data_dir(), f"IL1RN_{build_name}_locus.fa")


def load_locus(path: str):
    """The imported locus as a :class:`~il1rn_annot.model.reference.LocusSequence`, or None if absent."""
    from il1rn_annot.model.reference import LocusSequence

    if not os.path.exists(path):
        return None
    with open(path) as fh:
        header = fh.readline().strip()
        seq = "".join(line.strip() for line in fh).upper()
    fields = dict(kv.split("=", 1) for kv in header[1:].split()[1:] if "=" in kv)
    if "offset" not in fields:
        raise InputError("imported locus has no offset= in its header", file=str(path),
                         fix="re-run: il1rn-annot reference import FASTA")
    return LocusSequence(header[1:].split()[0], int(fields["offset"]), seq, label=str(path))


def open_reference(path: str | None, model, use_imported: bool = True):
    """A sequence provider: the FASTA at ``path`` (checked against the bases pinned for the model's build),
    else the imported IL1RN locus of that build, else None (the engine then says what needs a reference)."""
    from il1rn_annot.model.reference import check_pinned

    if path:
        ref = FastaReference(path)
        if model.build.name in ("GRCh38", "GRCh37"):
            check_pinned(ref, model.build, path)
        return ref
    if use_imported and model.build.name in ("GRCh38", "GRCh37"):
        return load_locus(imported_locus_path(model.build.name))
    return None
