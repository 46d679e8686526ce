"""Composes the pure steps for one record: split/trim -> place on every transcript.  Opens no files.

Later stages (consequence, DIRA, VNTR) attach their results to the same objects; the writers read
them through the field registry in :mod:`il1rn_annot.fields`.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from il1rn_annot.consequence.equivalents import equivalents
from il1rn_annot.consequence.placement import Placer, relevant
from il1rn_annot.consequence.predict import predict
from il1rn_annot.consequence.protein import KnownBases, inference_context
from il1rn_annot.coords import footprint, vcf_pos_to_start
from il1rn_annot.errors import AnnotationWarning, InputError
from il1rn_annot.model.gene_model import FLANK, GeneModel
from il1rn_annot.model.reference import RefMismatch, SequenceProvider
from il1rn_annot.types import Interval, Location, Variant
from il1rn_annot.variants.normalize import split_alleles
from il1rn_annot.variants.record import Record
from il1rn_annot.variants.shift import left_align


@dataclass(frozen=True, slots=True)
class TranscriptAnnotation:
    """One allele on one transcript: where it falls (``location``) and, once predicted, what it does (``effect``)."""
    location: Location
    effect: Any = None  # consequence.TranscriptEffect once a consequence engine ran


@dataclass(frozen=True, slots=True)
class AlleleAnnotation:
    """One ALT allele of one record and its placement on every transcript it touches."""

    record: Record
    variant: Variant
    transcripts: tuple[TranscriptAnnotation, ...]
    extras: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def in_window(self) -> bool:
        return bool(self.transcripts)


def _int_info(info: dict, key: str) -> int | None:
    v = info.get(key)
    if isinstance(v, tuple):
        v = v[0] if v else None
    return int(v) if v is not None else None


def record_variants(rec: Record) -> list[Variant]:
    svlen = rec.info.get("SVLEN")
    if svlen is not None and not isinstance(svlen, tuple):
        svlen = (svlen,)
    return split_alleles(rec.contig, rec.pos, rec.ref, rec.alts, record_id=rec.id,
                         end=_int_info(rec.info, "END"), svlen=svlen)


class Annotator:
    """Places the alleles of records on the transcripts of one gene model."""

    def __init__(self, model: GeneModel, *, transcripts: str = "all", flank: int = FLANK, reference=None,
                 ref_mismatch: str = "error", source: str = "", proteins: dict[str, tuple[str, str]] | None = None):
        """``reference``: optional sequence provider (:mod:`il1rn_annot.model.reference`); without it protein
        effects are inferred from what is known of the protein and the REF bases
        (:mod:`il1rn_annot.consequence.infer`).  ``proteins``: transcript_id -> (protein, source label) to use
        instead of the bundled IL1RN protein (for other genes)."""
        self.model = model
        self.reference = reference
        self.ref_mismatch = RefMismatch(ref_mismatch)
        self.source = source  # file name for messages
        chosen = model.transcripts if transcripts == "all" else tuple(t for t in model.transcripts if t.mane_select)
        self.placers = tuple(Placer(t, model.vntr, flank) for t in chosen)
        self.flank = flank
        self.window: Interval = model.window(flank)
        self.context = inference_context(model, proteins)
        self.knowledge = self.context.knowledge
        self.known_bases = self.context.known_bases
        self.published = self.context.published

    def resources(self) -> tuple[str, ...]:
        """Labels (name@version#sha) of the protein resources the inference used."""
        if not self.context.uses_protein:
            return ()
        from il1rn_annot.model.resources import load_resource

        return (load_resource("protein_P18510.tsv").label,) if self.model.gene == "IL1RN" else ()

    @property
    def protein_source(self) -> str:
        """Where protein effects come from when no genome is given (for the run summary)."""
        sources = sorted({k.source for k in self.knowledge.values() if k.known})
        return ", ".join(sources)

    def record_in_window(self, rec: Record) -> bool:
        return any(self._variant_in_window(v) for v in record_variants(rec))

    def _variant_in_window(self, v: Variant) -> bool:
        return footprint(v.start, v.end).overlaps(self.window)

    def annotate_record(self, rec: Record) -> list[AlleleAnnotation]:
        out = []
        if self.reference is not None and not check_record_ref(rec, self.reference, self.ref_mismatch, self.source):
            return out
        known = self.known_bases.with_record(rec.pos, rec.ref)
        for v in record_variants(rec):
            eq = equivalents(v, (self.reference or known).fetch)
            locs = [p.place(v, eq) for p in self.placers if relevant(p.span, v, self.flank)]
            txs = tuple(TranscriptAnnotation(loc, self._effect(loc, v, known)) for loc in locs if loc.regions)
            extras = {}
            if self.reference is not None:
                la = left_align(v, self.reference.fetch)
                if la.start != v.start:  # the VCF normal form differs from the record's own representation
                    pad = self.reference.fetch(v.contig, la.start - 1, la.start).upper()
                    extras["left_aligned"] = f"{v.contig}:{la.start} {pad + la.ref}>{pad + la.alt}"
            out.append(AlleleAnnotation(rec, v, txs, extras))
        return out

    def _effect(self, loc: Location, v: Variant, known: KnownBases):
        tid = loc.transcript.transcript_id
        return predict(loc, v, loc.transcript, self.reference, genomic_accession=self.model.build.refseq_accession
                       if self.model.contig == "chr2" else "", protein_accession=self._protein_ids.get(tid, ""),
                       knowledge=self.knowledge.get(tid), known=known,
                       published=self.published if loc.transcript.mane_select else None)

    @property
    def _protein_ids(self) -> dict[str, str]:
        return self.model.protein_ids

    def annotate(self, records: Iterable[Record]) -> Iterator[AlleleAnnotation]:
        for rec in records:
            yield from self.annotate_record(rec)


def check_record_ref(rec: Record, provider: SequenceProvider, mode: RefMismatch, file: str = "") -> bool:
    """True if ``rec``'s REF matches the reference (or mode allows going on); False means skip the record."""
    start = vcf_pos_to_start(rec.pos)
    found = provider.fetch(rec.contig, start, start + len(rec.ref)).upper()
    if found == rec.ref.upper():
        return True
    what = (f"REF {rec.ref} does not match the reference ({found or 'nothing'} at {rec.contig}:{rec.pos}); "
            "likely cause: the VCF and the FASTA are of different builds, or the wrong FASTA")
    if mode is RefMismatch.ERROR:
        raise InputError(what, file=file, record=rec.key,
                         fix="give the FASTA the VCF was called against, or --ref-mismatch warn|skip")
    warnings.warn(f"{file}: {rec.key}: {what}" + (" (record not annotated)" if mode is RefMismatch.SKIP else ""),
                  AnnotationWarning, stacklevel=2)
    return mode is RefMismatch.WARN
