"""Genome builds, chr2 naming styles and build detection from a VCF header (pure: takes header facts)."""

from __future__ import annotations

from dataclasses import dataclass

from il1rn_annot.errors import InputError


@dataclass(frozen=True, slots=True)
class Build:
    """A reference build of chromosome 2: its name, length and accessions."""
    name: str
    chr2_length: int
    refseq_accession: str
    genbank_accession: str
    aliases: tuple[str, ...]  # header words meaning this build


GRCH38 = Build("GRCh38", 242_193_529, "NC_000002.12", "CM000664.2",
               ("grch38", "hg38", "b38", "hs38", "hs38dh", "gca_000001405.15", "gcf_000001405.26", "38"))
GRCH37 = Build("GRCh37", 243_199_373, "NC_000002.11", "CM000664.1",
               ("grch37", "hg19", "b37", "hs37d5", "hs37", "ncbi37", "human_g1k_v37", "gca_000001405.1",
                "gcf_000001405.13", "37"))
BUILDS = {b.name: b for b in (GRCH38, GRCH37)}


def get_build(name: str) -> Build:
    for b in BUILDS.values():
        if name.lower() == b.name.lower() or name.lower() in b.aliases:
            return b
    raise InputError(f"unknown genome build '{name}'", fix="use --build GRCh38 or --build GRCh37")


def chr2_names(build: Build) -> tuple[str, ...]:
    """Every name a VCF may use for chr2 of this build, most common first."""
    return ("chr2", "2", build.refseq_accession, build.genbank_accession)


def is_chr2_name(name: str) -> bool:
    return name in ("chr2", "2", "NC_000002.12", "NC_000002.11", "CM000664.2", "CM000664.1")


def _words_build(text: str) -> Build | None:
    low = text.lower()
    hits = {b.name for b in BUILDS.values() for a in b.aliases if len(a) > 2 and a in low}
    if len(hits) == 1:
        return BUILDS[hits.pop()]
    return None


@dataclass(frozen=True, slots=True)
class BuildEvidence:
    """The build of an input and how it was recognised (contig name or length, assembly, ##reference, --build)."""
    build: Build
    how: str


def detect_build(*, file: str, chr2_contig: str | None, chr2_length: int | None,
                 chr2_assembly: str | None, reference_line: str | None,
                 forced: str | None) -> BuildEvidence:
    """Decide the build from header facts.  Contradictions are errors; ``forced`` (``--build``) must agree
    with whatever the header states."""
    votes: list[tuple[Build, str]] = []
    if chr2_contig in ("NC_000002.12", "CM000664.2"):
        votes.append((GRCH38, f"contig name {chr2_contig}"))
    elif chr2_contig in ("NC_000002.11", "CM000664.1"):
        votes.append((GRCH37, f"contig name {chr2_contig}"))
    if chr2_length is not None:
        for b in BUILDS.values():
            if chr2_length == b.chr2_length:
                votes.append((b, f"##contig {chr2_contig} length={chr2_length}"))
                break
        else:
            raise InputError(
                f"##contig {chr2_contig} has length={chr2_length}, which is neither GRCh38 ({GRCH38.chr2_length}) "
                f"nor GRCh37 ({GRCH37.chr2_length}) chr2", file=file,
                fix="IL1RN models exist for GRCh38 and GRCh37 only; lift the VCF over or fix its header")
    if chr2_assembly:
        b = _words_build(chr2_assembly)
        if b:
            votes.append((b, f"##contig assembly={chr2_assembly}"))
    if reference_line:
        b = _words_build(reference_line.rsplit("/", 1)[-1]) or _words_build(reference_line)
        if b:
            votes.append((b, f"##reference={reference_line}"))
    names = {b.name for b, _ in votes}
    if len(names) > 1:
        detail = "; ".join(f"{how} says {b.name}" for b, how in votes)
        raise InputError(f"contradictory genome build in header ({detail})", file=file,
                         fix="fix the ##contig/##reference lines of the VCF")
    if forced:
        fb = get_build(forced)
        if votes and votes[0][0] is not fb:
            raise InputError(f"--build {fb.name} contradicts the header ({votes[0][1]} says {votes[0][0].name})",
                             file=file, fix=f"drop --build or use --build {votes[0][0].name}")
        return BuildEvidence(fb, "--build" + (f" (agrees with {votes[0][1]})" if votes else ""))
    if not votes:
        raise InputError("cannot detect the genome build: no chr2 ##contig length, assembly or ##reference in the header",
                         file=file, fix="pass --build GRCh38 or --build GRCh37")
    return BuildEvidence(votes[0][0], "; ".join(how for _, how in votes))


def check_build_by_records(forced: Build, counts: dict[str, int], pinned: dict[str, tuple[int, int]],
                           file: str) -> str:
    """When the build came from ``--build`` alone (the header says nothing), the records must agree with it.

    ``counts``: build name -> records in that build's IL1RN window; ``pinned``: build name -> (records whose
    REF agrees, disagrees with the bases pinned by real records at that build's positions).  Records only in
    the other build's window, or REF bases that contradict this build's pinned bases while they fit the
    other's, are an error with the fix; returns a note on what was checked."""
    other = GRCH37 if forced is GRCH38 else GRCH38
    mine_n, other_n = counts.get(forced.name, 0), counts.get(other.name, 0)
    mine_ok, mine_bad = pinned.get(forced.name, (0, 0))
    other_ok, other_bad = pinned.get(other.name, (0, 0))
    if mine_n == 0 and other_n > 0:
        raise InputError(f"--build {forced.name}, but no record falls in the {forced.name} IL1RN window while "
                         f"{other_n} fall in the {other.name} one: the file is most likely {other.name}", file=file,
                         fix=f"use --build {other.name} (or add ##contig lengths to the header)")
    if mine_bad and not mine_ok and other_ok and not other_bad:
        raise InputError(f"--build {forced.name}, but the REF bases at {forced.name}'s pinned IL1RN positions "
                         f"disagree ({mine_bad} record(s)) while those at {other.name}'s agree ({other_ok})",
                         file=file, fix=f"use --build {other.name}")
    return (f"--build {forced.name} checked against the records: {mine_n} in its IL1RN window, {other_n} in "
            f"{other.name}'s; pinned bases {mine_ok} agree, {mine_bad} disagree")
