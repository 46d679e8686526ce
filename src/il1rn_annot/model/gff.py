"""Transcripts from an Ensembl-style GFF3 or a GTF (pure: takes lines; :mod:`il1rn_annot.sources.gene_model_file`
opens the file).

GFF3 (as ``bcftools csq`` wants it): transcripts are features with ``ID=transcript:...`` (or any feature
whose children are exons/CDS), genes give the name; exons and CDS name the transcript in ``Parent``.
GTF: features grouped by ``transcript_id``; ``stop_codon`` is added to the CDS (GTF CDS excludes it).
Conventions where the file is incomplete (stated, as ``Transcript.source`` notes):
- a transcript with CDS but no exon rows gets its CDS (and UTR rows) as exons;
- a 5'-incomplete CDS (phase > 0 on its first CDS row, in transcript direction) is trimmed by the phase so
  translation starts on a codon; a CDS whose length is not a multiple of 3 is trimmed at its 3' end.  The
  trimmed bases stay coding for placement (``Transcript.cds_annotated``): a partial codon is not a UTR.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from il1rn_annot.errors import InputError
from il1rn_annot.model.builds import Build
from il1rn_annot.model.gene_model import GeneModel, validate_transcript
from il1rn_annot.types import Interval, Strand, Transcript

CUSTOM_BUILD = Build("custom", 0, "", "", ())
TX_TYPES_GTF = ("transcript",)


@dataclass
class _Tx:
    """A transcript gathered from GFF3 rows while reading (exons, CDS, UTR and stop codon parts)."""
    tid: str
    contig: str = ""
    strand: str = "+"
    name: str = ""
    gene: str = ""
    biotype: str = ""
    protein: str = ""
    exons: list = field(default_factory=list)
    cds: list = field(default_factory=list)  # (start0, end, phase)
    utr: list = field(default_factory=list)
    stop: list = field(default_factory=list)


def _gff_attrs(text: str) -> dict[str, str]:
    out = {}
    for part in text.strip().strip(";").split(";"):
        if "=" in part:
            k, _, v = part.partition("=")
            out[k.strip()] = v.strip()
    return out


def _gtf_attrs(text: str) -> dict[str, str]:
    return {m[1]: m[2] for m in re.finditer(r'(\S+)\s+"([^"]*)"', text)}


def parse(lines: Iterable[str], name: str = "gene model", proteins: dict[str, str] | None = None) -> list[Transcript]:
    """Every transcript with at least one exon or CDS row, validated.  ``proteins``, if given, is filled with
    transcript_id -> protein_id (GFF3 CDS ``protein_id``; GTF ``protein_id``) for p. accessions."""
    txs: dict[str, _Tx] = {}
    genes: dict[str, tuple[str, str]] = {}
    parents: dict[str, str] = {}
    is_gtf = None
    for lineno, line in enumerate(lines, 1):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) > 9:  # unescaped tabs inside the attributes column (seen in real Ensembl files)
            cols = cols[:8] + [" ".join(cols[8:])]
        if len(cols) != 9:
            raise InputError(f"line {lineno} has {len(cols)} columns, not 9", file=name,
                             fix="give a tab-separated GFF3 or GTF")
        contig, _, ftype, s, e, _, strand, phase, attr = cols
        if is_gtf is None:
            is_gtf = '"' in attr and "=" not in attr.split(";")[0]
        a = _gtf_attrs(attr) if is_gtf else _gff_attrs(attr)
        start0, end = int(s) - 1, int(e)
        if is_gtf:
            tid = a.get("transcript_id")
            if not tid:
                continue
            t = txs.setdefault(tid, _Tx(tid))
            t.contig, t.strand = contig, strand
            t.gene = a.get("gene_name", a.get("gene_id", ""))
            t.biotype = a.get("transcript_biotype", a.get("transcript_type", a.get("gene_biotype", "")))
            t.name = a.get("transcript_name", tid)
            t.protein = a.get("protein_id", t.protein)
        else:
            fid = a.get("ID", "")
            par = a.get("Parent", "")
            if ftype == "gene" or fid.startswith("gene:"):
                genes[fid] = (a.get("Name", fid.split(":", 1)[-1]), a.get("biotype", a.get("gene_biotype", "")))
                continue
            if fid and ftype not in ("exon", "CDS", "five_prime_UTR", "three_prime_UTR", "start_codon", "stop_codon"):
                t = txs.setdefault(fid, _Tx(fid))
                t.contig, t.strand = contig, strand
                t.name = a.get("Name", fid.split(":", 1)[-1])
                t.biotype = a.get("biotype", a.get("transcript_biotype", a.get("gene_biotype", "")))
                parents[fid] = par
                continue
            tid = par.split(",")[0]
            if not tid:
                continue
            t = txs.setdefault(tid, _Tx(tid))
            t.contig, t.strand = contig, strand
            if not t.name:
                t.name = tid.split(":", 1)[-1]
            if ftype == "CDS" and a.get("protein_id"):
                t.protein = a["protein_id"]
        if ftype == "exon":
            t.exons.append((start0, end))
        elif ftype == "CDS":
            t.cds.append((start0, end, int(phase) if phase.isdigit() else 0))
        elif ftype in ("five_prime_UTR", "three_prime_UTR", "UTR"):
            t.utr.append((start0, end))
        elif ftype == "stop_codon" and is_gtf:
            t.stop.append((start0, end))
    out = []
    for t in txs.values():
        if not t.exons and not t.cds:
            continue
        gname, gbiotype = genes.get(parents.get(t.tid, ""), ("", ""))
        tx = _build(t, gname or t.gene or t.name, gbiotype)
        out.append(tx)
        if proteins is not None and t.protein and tx.cds is not None:
            proteins[tx.transcript_id] = t.protein
    return out


def _merge(ivs: list[tuple[int, int]]) -> tuple[Interval, ...]:
    merged: list[list[int]] = []
    for s, e in sorted(ivs):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return tuple(Interval(s, e) for s, e in merged)


def _build(t: _Tx, gene: str, gene_biotype: str) -> Transcript:
    strand = Strand.PLUS if t.strand == "+" else Strand.MINUS
    notes = []
    cds_parts = [(s, e) for s, e, _ in t.cds] + t.stop
    exons = _merge(t.exons) if t.exons else _merge(cds_parts + t.utr)
    if not t.exons:
        notes.append("exons taken from CDS/UTR rows")
    cds = annotated = None
    if cds_parts:
        cs, ce = min(s for s, _ in cds_parts), max(e for _, e in cds_parts)
        annotated = Interval(cs, ce)
        first = min(t.cds, key=lambda c: c[0]) if strand is Strand.PLUS else max(t.cds, key=lambda c: c[1])
        phase = first[2] if t.cds else 0
        if phase:
            notes.append(f"5'-incomplete CDS trimmed by phase {phase}")
            cs, ce = (cs + phase, ce) if strand is Strand.PLUS else (cs, ce - phase)
        coding = sum(max(0, min(ex.end, ce) - max(ex.start, cs)) for ex in exons)
        if coding % 3:
            notes.append(f"CDS length {coding} not a multiple of 3: 3' end trimmed")
            if strand is Strand.PLUS:
                ce = _walk_back(exons, ce, coding % 3, +1)
            else:
                cs = _walk_back(exons, cs, coding % 3, -1)
        cds = Interval(cs, ce) if ce > cs else None
    tid = t.tid.split(":", 1)[-1]
    biotype = t.biotype or gene_biotype or ("protein_coding" if cds else "")
    tx = Transcript(transcript_id=tid, display_name=t.name or tid, gene=gene, contig=t.contig, strand=strand,
                    exons=exons, cds=cds, biotype=biotype, ensembl_id=tid, source="; ".join(notes),
                    cds_annotated=annotated if cds is not None and annotated != cds else None)
    validate_transcript(tx)
    return tx


def _walk_back(exons: tuple[Interval, ...], edge: int, n: int, direction: int) -> int:
    """Move the CDS 3' edge ``n`` exonic bases inwards."""
    pos = edge
    for _ in range(n):
        pos -= direction
        while not any(ex.start <= (pos - 1 if direction > 0 else pos) < ex.end for ex in exons):
            pos -= direction
    return pos


def models_by_contig(transcripts: list[Transcript], protein_ids: dict[str, str] | None = None) -> dict[str, GeneModel]:
    """One :class:`GeneModel` per contig (span = union of its transcripts) for a user GFF/GTF."""
    by: dict[str, list[Transcript]] = defaultdict(list)
    for t in transcripts:
        by[t.contig].append(t)
    out = {}
    for contig, txs in by.items():
        txs.sort(key=lambda t: (t.span.start, t.span.end, t.transcript_id))
        span = Interval(min(t.span.start for t in txs), max(t.span.end for t in txs))
        out[contig] = GeneModel(build=CUSTOM_BUILD, gene=",".join(sorted({t.gene for t in txs})), contig=contig,
                                span=span, transcripts=tuple(txs), vntr=None, protein_ids=protein_ids or {})
    return out
