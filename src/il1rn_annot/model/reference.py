"""Reference sequence: the provider protocol, checks of a user's FASTA against bases pinned by real records,
and the REF check of VCF records (pure: providers are passed in; :mod:`il1rn_annot.sources.fasta` opens files).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from il1rn_annot.errors import InputError
from il1rn_annot.model.builds import Build
from il1rn_annot.model.resources import load_resource


class SequenceProvider(Protocol):
    def fetch(self, contig: str, start: int, end: int) -> str:
        """Upper-case bases of ``contig`` ``[start, end)`` (0-based half-open)."""


class RefMismatch(str, Enum):
    ERROR = "error"
    WARN = "warn"
    SKIP = "skip"


@dataclass(frozen=True, slots=True)
class LocusSequence:
    """A slice of chr2 held in memory (the imported IL1RN locus): ``seq`` starts at 0-based ``offset``."""

    contig: str
    offset: int
    seq: str
    label: str = ""

    def fetch(self, contig: str, start: int, end: int) -> str:
        if start < self.offset or end > self.offset + len(self.seq):
            raise InputError(f"{contig}:{start + 1}-{end} lies outside the imported reference locus "
                             f"{self.contig}:{self.offset + 1}-{self.offset + len(self.seq)}", file=self.label,
                             fix="pass --reference FASTA for variants outside the IL1RN window")
        return self.seq[start - self.offset:end - self.offset]


def pinned_bases(build: Build) -> list[dict[str, str]]:
    return [r for r in load_resource("pinned_bases.tsv").rows if r["build"] == build.name]


def check_pinned(provider: SequenceProvider, build: Build, name: str, contig: str = "chr2") -> None:
    """Raise InputError unless ``provider`` carries every base pinned for ``build`` (catches wrong-build FASTAs)."""
    bad = []
    for r in pinned_bases(build):
        start, end = int(r["start"]) - 1, int(r["end"])
        try:
            found = provider.fetch(contig, start, end).upper()
        except (InputError, ValueError, KeyError):
            found = ""
        if found != r["bases"]:
            bad.append(f"{contig}:{r['start']} expected {r['bases']} found {found or 'nothing'} ({r['evidence']})")
    if bad:
        other = "GRCh37" if build.name == "GRCh38" else "GRCh38"
        raise InputError(f"reference does not carry the {build.name} bases pinned by real records: " + "; ".join(bad[:3]),
                         file=name, fix=f"give a {build.name} FASTA (this looks like another build, e.g. {other}, or another genome)")


def detect_fasta_build(provider: SequenceProvider, builds: list[Build], name: str) -> Build:
    """The one build whose pinned bases the provider carries."""
    ok = []
    for b in builds:
        try:
            check_pinned(provider, b, name)
            ok.append(b)
        except InputError:
            continue
    if len(ok) != 1:
        raise InputError("reference carries the pinned IL1RN bases of " + (" and ".join(b.name for b in ok) or "no supported build"),
                         file=name, fix="give a GRCh38 or GRCh37 FASTA with chr2 named chr2, 2 or NC_000002.x")
    return ok[0]
