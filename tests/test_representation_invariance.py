"""One allele, one answer: every way a VCF can write an indel gives the same consequence.

Generated on the synthetic genes of ``../shared/testdata/synthetic`` (full sequence known) and on bcftools' own
test cases (``../shared/testdata/csq-cases``): each indel is written trimmed at every member of its class (every
equivalent start, left-aligned to 3'-shifted), with a padding base on the left, with padding on the right, padded
on both sides, and as the second ALT of a multi-allelic record beside an SNV.  Every transcript's consequence
terms, IMPACT, HGVS c./p./g., positions, codons and amino acids must be identical across all of them.
"""

from __future__ import annotations

import warnings

import pysam
import pytest

from il1rn_annot.consequence.annotate import Annotator
from il1rn_annot.consequence.equivalents import equivalents
from il1rn_annot.model.gff import models_by_contig, parse
from il1rn_annot.sources.fasta import FastaReference
from il1rn_annot.variants.normalize import split_alleles
from il1rn_annot.variants.record import Record

from conftest import TESTDATA, need_shared
from csq_cases import gff_for
from vcf_text import file_records

pytestmark = pytest.mark.shared

SYN = TESTDATA / "synthetic"
FIELDS = ("consequences", "impact", "hgvs_c", "hgvs_p", "hgvs_g", "cdna_position", "cds_position",
          "protein_position", "amino_acids", "codons")


def _answer(annotator: Annotator, rec: Record, alt_index: int) -> dict:
    allele = next(a for a in annotator.annotate_record(rec) if a.variant.allele_index == alt_index)
    return {t.location.transcript.transcript_id: tuple(getattr(t.effect, f) for f in FIELDS)
            for t in allele.transcripts}


def representations(contig: str, start: int, ref: str, alt: str, fetch) -> list[tuple[Record, int]]:
    """(record, ALT index) for every way to write the trimmed indel ``ref>alt`` at 0-based ``start``."""
    out = []
    eq = equivalents(_variant(contig, start, ref, alt), fetch)
    members = [eq.at(s) for s in eq.starts()] if eq else [_variant(contig, start, ref, alt)]
    for m in members:
        left = fetch(contig, m.start - 1, m.start).upper()
        right = fetch(contig, m.end, m.end + 1).upper()
        r, a = m.ref, m.alt
        if len(right) == 1:  # padding on the right (no base after the contig's end: not writable)
            out.append((Record(contig, m.start + 1, ".", r + right, (a + right,), None, (), {}), 1))
        if m.start == 0 or len(left) != 1:
            continue  # a VCF needs a base before an indel at the contig's start
        out.append((Record(contig, m.start, ".", left + r, (left + a,), None, (), {}), 1))  # VCF left padding
        if len(right) == 1:
            out.append((Record(contig, m.start, ".", left + r + right, (left + a + right,), None, (), {}), 1))
        snv = {"A": "C", "C": "G", "G": "T", "T": "A"}.get(left, "A")
        out.append((Record(contig, m.start, ".", left + r, (snv + r, left + a), None, (), {}), 2))  # multi-allelic
    return out


def _variant(contig: str, start: int, ref: str, alt: str):
    from il1rn_annot.types import Variant, VariantKind

    kind = VariantKind.DELETION if ref else VariantKind.INSERTION
    return Variant(contig, start, start + len(ref), ref, alt, kind, start + 1, ref, alt, 1)


def _check(annotator: Annotator, contig: str, start: int, ref: str, alt: str, fetch, failures: list) -> int:
    reps = representations(contig, start, ref, alt, fetch)
    answers = [(_answer(annotator, rec, i), rec.key) for rec, i in reps]
    first, key0 = answers[0]
    for ans, key in answers[1:]:
        if ans != first:
            diff = {t: (first.get(t), ans.get(t)) for t in set(first) | set(ans) if first.get(t) != ans.get(t)}
            failures.append((key0, key, diff))
            break
    return len(reps)


def _synthetic():
    syn = need_shared(SYN)
    fa = pysam.FastaFile(str(syn / "synth.fa"))
    contig = fa.references[0]
    seq = fa.fetch(contig).upper()
    with open(syn / "synth.gff3") as fh:
        txs = parse(fh)
    models = models_by_contig(txs)
    ref = FastaReference(syn / "synth.fa")
    return contig, seq, txs, Annotator(models[contig], reference=ref, ref_mismatch="warn"), ref


def test_every_indel_near_the_synthetic_exon_edges_gives_one_answer_for_every_representation():
    contig, seq, txs, annotator, ref = _synthetic()
    positions = set()
    for t in txs:
        for ex in t.exons:
            for edge in (ex.start, ex.end):
                positions.update(range(max(2, edge - 12), min(len(seq) - 6, edge + 12)))
        if t.cds is not None:
            for edge in (t.cds.start, t.cds.end):
                positions.update(range(max(2, edge - 8), min(len(seq) - 6, edge + 8)))
    failures: list = []
    n = 0
    seen = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for p in sorted(positions):
            for size in (1, 2, 3):
                cases = [(p, seq[p:p + size], ""), (p, "", seq[p:p + size]), (p, "", "ACT"[:size])]
                for start, r, a in cases:
                    eq = equivalents(_variant(contig, start, r, a), ref.fetch)
                    key = (eq.left, eq.left_seq, bool(a)) if eq else (start, r, a)
                    if key in seen:
                        continue
                    seen.add(key)
                    n += _check(annotator, contig, start, r, a, ref.fetch, failures)
    assert n > 5000
    assert not failures, failures[:5]


def test_every_indel_of_bcftools_cases_gives_one_answer_for_every_representation():
    base = need_shared(TESTDATA / "csq-cases")
    failures: list = []
    n = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for folder in sorted(p for p in base.iterdir() if p.is_dir()):
            fa = FastaReference(next(folder.glob("*.fa")))
            gffs = sorted(folder.glob("*.gff"))
            for vcf in sorted(folder.glob("*.vcf")):
                with open(gff_for(vcf, gffs)) as fh:
                    models = models_by_contig(parse(fh, str(vcf)))
                for rec in file_records(vcf, samples=False):
                    model = models.get(rec.contig)
                    if model is None:
                        continue
                    annotator = Annotator(model, reference=fa, ref_mismatch="warn")
                    for v in split_alleles(rec.contig, rec.pos, rec.ref, rec.alts):
                        if v.kind.value in ("insertion", "deletion"):
                            n += _check(annotator, rec.contig, v.start, v.ref, v.alt, fa.fetch, failures)
    assert n >= 80
    assert not failures, failures[:5]
