"""Reference FASTA access (pysam.FastaFile; plain or bgzip, with .fai) and the per-user imported IL1RN locus."""

from __future__ import annotations

import os
from dataclasses import dataclass

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


REFERENCE_ENV = "IL1RN_ANNOT_REFERENCE"  # a FASTA used when --reference is not given


def config_file() -> str:
    """``$XDG_CONFIG_HOME/il1rn_annot/config.toml`` (default ``~/.config/...``); its ``[reference]`` table maps a
    build to a FASTA: ``GRCh38 = "/data/GRCh38.fa"``."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "il1rn_annot", "config.toml")


def _configured(build_name: str) -> tuple[str, str] | None:
    path = config_file()
    if not os.path.exists(path):
        return None
    import tomllib

    try:
        with open(path, "rb") as fh:
            table = tomllib.load(fh).get("reference", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read the config file ({exc})", file=path,
                         fix='write it as TOML: [reference] then GRCh38 = "/path/to/GRCh38.fa"') from None
    value = table.get(build_name) if isinstance(table, dict) else None
    return (os.path.expanduser(str(value)), f"{path} [reference] {build_name}") if value else None


def _from_header(line: str | None, vcf_path: str | None) -> str | None:
    """The FASTA a ``##reference=`` line names, if it is a path that exists (relative to the VCF's folder)."""
    if not line:
        return None
    path = line.removeprefix("file://")
    if not os.path.isabs(path) and vcf_path and vcf_path != "-":
        path = os.path.join(os.path.dirname(os.path.abspath(vcf_path)), path)
    return path if os.path.isfile(path) else None


@dataclass(frozen=True)
class ReferenceChoice:
    """The sequence provider a run uses (None: no genome, protein effects are inferred), what it is and how it
    was found, and the FASTAs found but not used (and why)."""
    provider: object | None
    description: str
    skipped: tuple[str, ...] = ()


def find_reference(explicit: str | None, model, *, header_reference: str | None = None, vcf_path: str | None = None,
                   automatic: bool = True) -> ReferenceChoice:
    """The genome sequence for a run, in this order: ``--reference`` (``explicit``; checked against the bases
    pinned for the build: a wrong one stops the run), then, unless ``automatic`` is off, ``$IL1RN_ANNOT_REFERENCE``,
    the config file's ``[reference]`` entry for the build, the VCF header's ``##reference=`` when it names a file
    that exists, and the IL1RN locus stored by ``il1rn-annot reference import``.  A FASTA found automatically that
    cannot be opened or carries another build's pinned bases is skipped, and the choice says so."""
    from il1rn_annot.model.reference import check_pinned

    build = model.build.name
    known_build = build in ("GRCh38", "GRCh37")
    if explicit:
        ref = FastaReference(explicit)
        if known_build:
            check_pinned(ref, model.build, explicit)
        return ReferenceChoice(ref, f"FASTA {explicit} (--reference)")
    if not automatic:
        return ReferenceChoice(None, "none (no --reference; automatic look-up off)")
    skipped: list[str] = []
    candidates: list[tuple[str, str]] = []
    if os.environ.get(REFERENCE_ENV):
        candidates.append((os.environ[REFERENCE_ENV], f"${REFERENCE_ENV}"))
    found = _configured(build)
    if found:
        candidates.append(found)
    in_header = _from_header(header_reference, vcf_path)
    if in_header:
        candidates.append((in_header, "##reference= in the VCF header"))
    for path, how in candidates:
        try:
            ref = FastaReference(path)
        except InputError as exc:
            skipped.append(f"{path} ({how}): {exc.args[0] if exc.args else exc}")
            continue
        if known_build:
            try:
                check_pinned(ref, model.build, path)
            except InputError:
                ref.close()
                skipped.append(f"{path} ({how}): does not carry the {build} bases pinned by real records (another build?)")
                continue
        return ReferenceChoice(ref, f"FASTA {path} ({how})", tuple(skipped))
    if known_build:
        locus = load_locus(imported_locus_path(build))
        if locus is not None:
            return ReferenceChoice(locus, f"imported IL1RN locus {imported_locus_path(build)}", tuple(skipped))
    return ReferenceChoice(None, "none", tuple(skipped))


def open_reference(path: str | None, model, use_imported: bool = True):
    """A sequence provider: the FASTA at ``path`` (checked against the bases pinned for the model's build), else
    one found automatically (:func:`find_reference`), else None (protein effects are then inferred)."""
    return find_reference(path, model, automatic=use_imported).provider
