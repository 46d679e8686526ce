"""One VCF record as the core sees it: no reader objects, 1-based ``pos`` as in the file, genotypes as one
:class:`~il1rn_annot.variants.genotypes.GenotypeMatrix` (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field

from il1rn_annot.variants.genotypes import GenotypeMatrix


@dataclass(frozen=True, slots=True)
class Record:
    """One VCF record: its fixed columns, its INFO (as read by htslib) and every sample's genotype."""

    contig: str
    pos: int
    id: str
    ref: str
    alts: tuple[str, ...]
    qual: float | None
    filters: tuple[str, ...]
    info: dict = field(compare=False, hash=False)
    calls: GenotypeMatrix = field(default_factory=GenotypeMatrix.empty, compare=False, hash=False)
    index: int = 0  # 0-based ordinal of the record among the records read

    @property
    def key(self) -> str:
        return f"{self.contig}:{self.pos} {self.ref}>{','.join(self.alts)}"

    @property
    def passed(self) -> bool:
        return not self.filters or self.filters == ("PASS",)

    @property
    def samples(self) -> tuple[str, ...]:
        return self.calls.samples

    def slim(self) -> "Record":
        """The record without genotypes and with only the INFO keys that give its span (END, SVLEN, SVTYPE):
        what an analysis keeps of a record it must look at again."""
        info = {k: v for k, v in self.info.items() if k in ("END", "SVLEN", "SVTYPE")}
        return Record(self.contig, self.pos, self.id, self.ref, self.alts, self.qual, self.filters, info,
                      GenotypeMatrix.empty(), self.index)

    def without_genotypes(self) -> "Record":
        """The same record with an empty genotype matrix (what reports keep once the genotypes are counted)."""
        return Record(self.contig, self.pos, self.id, self.ref, self.alts, self.qual, self.filters, self.info,
                      GenotypeMatrix.empty(), self.index)


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One record as read: the core's :class:`Record` and cyvcf2's variant (which the VCF writer copies).

    ``variant`` is an opaque handle of the reader's (the VCF writer copies the record from it).  Read with
    ``genotypes=False``, ``record.calls`` is empty (no rows at all, never "missing" calls) until
    :meth:`~il1rn_annot.sources.vcf.VcfSource.with_genotypes` makes the matrix from ``variant``."""

    record: Record | None  # None: a record outside the window, passed through (--keep-all)
    variant: object
    occurrence: int = 0  # how many earlier records of this read had the same contig, POS, REF and ALT
