"""What is known of a transcript's protein without its nucleotide sequence.

For IL1RN the protein is known: ``data/protein_P18510.tsv`` is UniProt P18510 (= NP_776214.1, the MANE
NM_173842.3 product), verified in two labelled sources.  With the transcript's exon map every MANE codon's amino
acid is fixed, and every codon of another coding transcript made of the same three genomic bases in the same
order (the intracellular isoforms share exons 2-4 and the end of exon 1 in the MANE frame) has the same amino
acid.  :class:`ProteinKnowledge` holds, per codon of one transcript's CDS (stop codon included), the residue or
None where it is not known (an isoform's own upstream exons).

From the residues follow some reference bases themselves: where every codon of the residue has the same base at
a position (Asn is AAY: its first two bases are A), that base is known.  :class:`KnownBases` serves those, the
bases a VCF record states (its REF) and the bases pinned by real records (``data/pinned_bases.tsv``) as a
sequence provider that answers ``N`` where nothing is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from il1rn_annot.consequence.effects import COMPLEMENT
from il1rn_annot.coords import TxPos, mapper_for, vcf_pos_to_start
from il1rn_annot.model.resources import load_resource
from il1rn_annot.types import Strand, Transcript

BASES = "TCAG"
_CODE = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
CODON_TABLE = {a + b + c: _CODE[16 * i + 4 * j + k] for i, a in enumerate(BASES) for j, b in enumerate(BASES)
               for k, c in enumerate(BASES)}
CODONS_OF: dict[str, tuple[str, ...]] = {}
for _codon, _aa in sorted(CODON_TABLE.items()):
    CODONS_OF[_aa] = CODONS_OF.get(_aa, ()) + (_codon,)
SENSE = tuple(c for c, a in sorted(CODON_TABLE.items()) if a != "*")


@dataclass(frozen=True)
class ProteinKnowledge:
    """Residue per codon of one transcript's CDS (the stop codon is ``*``; None = not known), the genomic
    position of every CDS base in transcript order, and where the residues come from."""

    transcript_id: str
    residues: tuple[str | None, ...]
    genomic: tuple[int, ...]  # genomic 0-based position of CDS base i (transcript order)
    source: str  # e.g. "P18510 (verified)"
    via: str  # "own protein" or "MANE NM_173842.3 codons"

    @property
    def known(self) -> int:
        return sum(r is not None for r in self.residues)


def _cds_positions(tx: Transcript) -> tuple[int, ...]:
    m = mapper_for(tx)
    if m.cds_first_n is None or m.cds_last_n is None:
        return ()
    return tuple(m.tx_to_genomic(TxPos(n)) for n in range(m.cds_first_n, m.cds_last_n + 1))


def knowledge_for(transcripts: tuple[Transcript, ...], proteins: dict[str, tuple[str, str]]) -> dict[str, ProteinKnowledge]:
    """``proteins``: transcript_id -> (protein sequence without the stop, source label).  Each such transcript's
    CDS must encode exactly that many codons plus a stop codon; the codons of every other coding transcript that
    are the same genomic bases as an owner's codon take its residue."""
    out: dict[str, ProteinKnowledge] = {}
    by_codon: dict[tuple[int, int, int], tuple[str, str, str]] = {}  # genomic codon -> (residue, source, owner)
    owners = {t.transcript_id: t for t in transcripts if t.transcript_id in proteins}
    for tid, tx in owners.items():
        seq, source = proteins[tid]
        pos = _cds_positions(tx)
        if len(pos) != 3 * (len(seq) + 1):
            raise ValueError(f"{tid}: CDS of {len(pos)} bases does not encode the {len(seq)}-aa protein {source} + stop")
        residues = tuple(seq) + ("*",)
        out[tid] = ProteinKnowledge(tid, residues, pos, source, "own protein")
        for k, aa in enumerate(residues):
            by_codon[(pos[3 * k], pos[3 * k + 1], pos[3 * k + 2])] = (aa, source, tx.display_name)
    for tx in transcripts:
        if tx.transcript_id in out or tx.cds is None:
            continue
        pos = _cds_positions(tx)
        if not pos or len(pos) % 3:
            continue
        found: list[str | None] = []
        via = set()
        for k in range(len(pos) // 3):
            hit = by_codon.get((pos[3 * k], pos[3 * k + 1], pos[3 * k + 2]))
            found.append(hit[0] if hit else None)
            if hit:
                via.add((hit[1], hit[2]))
        if via:
            source, owner = min(via)
            out[tx.transcript_id] = ProteinKnowledge(tx.transcript_id, tuple(found), pos, source,
                                                     f"codons shared with {owner}")
    return out


def unknown_knowledge(tx: Transcript) -> ProteinKnowledge | None:
    """A coding transcript whose protein is not known: every codon may be any codon the known bases allow."""
    pos = _cds_positions(tx)
    if not pos or len(pos) % 3:
        return None
    return ProteinKnowledge(tx.transcript_id, (None,) * (len(pos) // 3), pos, "protein not known",
                            "genetic code only")


def catalogue_frameshifts() -> dict[str, tuple[str, str]]:
    """MANE c. -> (published p., allele id) of the DIRA catalogue's frameshifts whose Ter is published
    (``data/dira_catalogue.tsv``, e.g. c.156_157del -> p.(Asn52LysfsTer25), N52KfsX25)."""
    import re

    out = {}
    for r in load_resource("dira_catalogue.tsv").rows:
        if re.fullmatch(r"p\.\([A-Z][a-z]{2}\d+[A-Z][a-z]{2}fsTer\d+\)", r["hgvs_p"]) and r["hgvs_c"]:
            out[r["hgvs_c"]] = (r["hgvs_p"], r["allele_id"])
    return out


@cache
def bundled_protein() -> tuple[str, str, str]:
    """(sequence, MANE RefSeq transcript, label) of the verified IL1RN protein (``data/protein_P18510.tsv``; its
    resource label, with the file's sha256, is listed among a run's resources)."""
    res = load_resource("protein_P18510.tsv")
    (row,) = res.rows
    if len(row["sequence"]) != int(row["length"]):
        raise ValueError(f"{res.name}: sequence length {len(row['sequence'])} != {row['length']}")
    return row["sequence"], row["transcript"], f"{row['accession']} ({row['status']})"


def il1rn_knowledge(model) -> dict[str, ProteinKnowledge]:
    """Protein knowledge for the bundled IL1RN model of either build (the MANE model carries P18510); empty for
    any other gene model."""
    mane = model.mane
    if model.gene != "IL1RN" or mane is None:
        return {}
    seq, transcript, label = bundled_protein()
    if mane.refseq_cds_numbering != transcript:
        return {}
    out = knowledge_for(model.transcripts, {mane.transcript_id: (seq, label)})
    # every bundled coding model has an annotated start and stop codon (GENCODE start_codon/stop_codon rows; the
    # CDS includes the stop): its first codon is Met and its last a stop, whatever its own exons encode
    for t in model.transcripts:
        if t.cds is None or t.transcript_id == mane.transcript_id or t.protein_length is None:
            continue
        pk = out.get(t.transcript_id) or unknown_knowledge(t)
        if pk is None or len(pk.residues) != t.protein_length + 1:
            continue
        residues = (pk.residues[0] or "M",) + pk.residues[1:-1] + (pk.residues[-1] or "*",)
        via = pk.via if pk.known else "annotated start/stop codons"
        out[t.transcript_id] = ProteinKnowledge(t.transcript_id, residues, pk.genomic,
                                                pk.source if pk.known else label, via + " + GENCODE start/stop codons")
    return out


@dataclass(frozen=True)
class InferenceContext:
    """Everything protein inference needs for one gene model: each coding transcript's protein knowledge
    (unknown residues as None), the reference bases known without a genome, and the published frameshift Ters."""
    knowledge: dict[str, ProteinKnowledge]
    known_bases: "KnownBases"
    published: dict[str, tuple[str, str]]

    @property
    def uses_protein(self) -> bool:
        return any(k.known for k in self.knowledge.values())


def inference_context(model, proteins: dict[str, tuple[str, str]] | None = None) -> InferenceContext:
    """The context for ``model``: the bundled IL1RN protein (or ``proteins``: transcript_id -> (protein,
    source)), the genetic code alone for other coding transcripts, the pinned bases of the build."""
    known = knowledge_for(model.transcripts, proteins) if proteins is not None else il1rn_knowledge(model)
    knowledge = dict(known)
    for t in model.transcripts:
        if t.cds is not None and t.transcript_id not in knowledge:
            unknown = unknown_knowledge(t)
            if unknown is not None:
                knowledge[t.transcript_id] = unknown
    bases = KnownBases.from_knowledge(model.contig, known, {t.transcript_id: t.strand for t in model.transcripts},
                                      _pinned(model))
    return InferenceContext(knowledge, bases, catalogue_frameshifts() if known and proteins is None else {})


def _pinned(model) -> dict[int, str]:
    """Reference bases pinned by real records for the model's build (``data/pinned_bases.tsv``), 0-based."""
    if model.gene != "IL1RN" or model.build.name not in ("GRCh38", "GRCh37"):
        return {}
    out = {}
    for r in load_resource("pinned_bases.tsv").rows:
        if r["build"] == model.build.name:
            for i, b in enumerate(r["bases"]):
                out[int(r["start"]) - 1 + i] = b
    return out


class KnownBases:
    """A sequence provider of the reference bases known without a genome: those a record states, those pinned
    by real records, and those every codon of a known residue shares.  ``N`` elsewhere."""

    def __init__(self, contig: str, fixed: dict[int, str]):
        self.contig, self.fixed = contig, fixed

    @classmethod
    def from_knowledge(cls, contig: str, knowledge: dict[str, ProteinKnowledge], strand_of: dict[str, Strand],
                       pinned: dict[int, str] | None = None) -> KnownBases:
        fixed: dict[int, str] = dict(pinned or {})
        for tid, pk in knowledge.items():
            minus = strand_of[tid] is Strand.MINUS
            for k, aa in enumerate(pk.residues):
                if aa is None:
                    continue
                codons = CODONS_OF[aa]
                for j in range(3):
                    letters = {c[j] for c in codons}
                    if len(letters) == 1:
                        base = letters.pop()
                        fixed[pk.genomic[3 * k + j]] = base.translate(COMPLEMENT) if minus else base
        return cls(contig, fixed)

    def base(self, g: int) -> str:
        return self.fixed.get(g, "N")

    def with_record(self, vcf_pos: int, vcf_ref: str) -> KnownBases:
        """These bases plus the REF bases of one record (``N`` in a REF stays unknown)."""
        fixed = dict(self.fixed)
        start = vcf_pos_to_start(vcf_pos)
        for i, b in enumerate(vcf_ref.upper()):
            if b in "ACGT":
                fixed[start + i] = b
        return KnownBases(self.contig, fixed)

    def fetch(self, contig: str, start: int, end: int) -> str:
        """Known bases of ``[start, end)`` (one contig: the gene's; any name the VCF uses for it)."""
        return "".join(self.fixed.get(g, "N") for g in range(start, end))
