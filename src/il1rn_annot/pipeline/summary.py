"""What a run read and wrote (:class:`RunSummary`): returned by the API, printed by the CLI, read by the reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from il1rn_annot.analyses import AnalysisResult
from il1rn_annot.model.gene_model import GeneModel


@dataclass
class RunSummary:
    """What a run read and wrote: input, build and how it was told, how the input was read, counts, outputs,
    notes, the analyses' results and (for the reports) the window digest."""

    input: str
    build: str
    build_evidence: str
    mode: str  # how the input was read (through which index)
    records_read: int = 0
    records_in_window: int = 0
    alleles_annotated: int = 0
    samples: int = 0
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)
    read_notes: list[str] = field(default_factory=list)
    analyses: list[AnalysisResult] = field(default_factory=list, repr=False)
    sample_names: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    command_line: str = ""
    model: GeneModel | None = field(default=None, repr=False)
    genotype_rows: str = "nonref"
    digest: object = field(default=None, repr=False)  # sinks.sample_view.WindowDigest, when a report needs it
    tallies: object = field(default=None, repr=False)  # sinks.sample_view.SampleTallies
    reference: str = ""  # the genome sequence used, or that protein effects were inferred without one
    shards: tuple = ()  # sources.shards.ShardChoice per shard offered (region-sharded input), in the order given

    def shard_line(self) -> str:
        """One line on the shards read and skipped ('' for a single input)."""
        if not self.shards:
            return ""
        read = [c.path for c in self.shards if c.read]
        return (f"il1rn-annot: shards: read {len(read)} of {len(self.shards)} ({', '.join(read)}); "
                f"skipped {len(self.shards) - len(read)} (-v lists them and why)")

    @property
    def annotations(self) -> list:
        """The window's alleles (without their genotypes), when a report asked for them."""
        return self.digest.annotations if self.digest is not None else []

    def line(self) -> str:
        """The one-line summary the command line prints on stderr (records, alleles, samples, build, seconds,
        and which reference the consequences came from when one was used)."""
        text = (f"il1rn-annot: {self.records_read} records read ({self.mode}), {self.records_in_window} in the IL1RN "
                f"window, {self.alleles_annotated} alleles annotated, {self.samples} samples, build {self.build}, "
                f"{self.seconds:.2f} s")
        return text + (f"; {self.reference}" if self.reference else "")
