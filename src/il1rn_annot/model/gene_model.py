"""The IL1RN gene model for one build: transcripts, gene span, VNTR interval, IL-1 cluster neighbours.

Loaded from the bundled resources (or built by :mod:`il1rn_annot.model.gff` from a user GFF3/GTF) and validated
on load: exons sorted and non-overlapping, CDS inside the exons, CDS length a multiple of 3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from il1rn_annot.coords import closed_to_interval, parse_region, parse_segments
from il1rn_annot.errors import ModelError
from il1rn_annot.model.builds import Build, get_build
from il1rn_annot.model.resources import Resource, load_resource
from il1rn_annot.types import Interval, Strand, Transcript

FLANK = 5_000  # upstream/downstream distance (VEP default) and default fetch padding


@dataclass(frozen=True, slots=True)
class ClusterGene:
    """A neighbouring gene of the IL-1 cluster near IL1RN (for structural variants that reach it)."""
    gene: str
    interval: Interval
    strand: str
    biotype: str


LITERATURE_ALIAS_BUILD = "GRCh38"  # the build of gene_info's span_literature_alias


@dataclass(frozen=True)
class GeneModel:
    """The IL1RN model of one build: transcripts, VNTR interval, cluster neighbours and provenance."""
    build: Build
    gene: str
    contig: str  # canonical name used in the model ("chr2"); VCF names are mapped by io.vcf_in
    span: Interval
    transcripts: tuple[Transcript, ...]
    vntr: Interval | None
    cluster_genes: tuple[ClusterGene, ...] = ()
    literature_span_alias: str = ""  # the span quoted in the DIRA literature, for its build only ("" if none)
    provenance: tuple[str, ...] = ()
    info: dict[str, str] = field(default_factory=dict)
    protein_ids: dict[str, str] = field(default_factory=dict)  # transcript_id -> protein accession for p.

    @property
    def mane(self) -> Transcript | None:
        return next((t for t in self.transcripts if t.mane_select), None)

    def window(self, pad: int = FLANK) -> Interval:
        return Interval(max(0, self.span.start - pad), self.span.end + pad)

    def transcript(self, key: str) -> Transcript:
        for t in self.transcripts:
            if key in (t.transcript_id, t.display_name, t.ensembl_id, t.ensembl_name) or (
                    t.mane_select and key in (t.refseq_cds_numbering, t.refseq_cds_numbering.split(".")[0])):
                return t
        raise KeyError(key)


def validate_transcript(tx: Transcript) -> None:
    where = f"transcript {tx.transcript_id}"
    if not tx.exons:
        raise ModelError(f"{where}: no exons")
    for a, b in zip(tx.exons, tx.exons[1:]):
        if b.start < a.end:
            raise ModelError(f"{where}: exons not sorted or overlapping ({a} then {b})")
    if tx.cds is not None:
        if not any(ex.start <= tx.cds.start < ex.end for ex in tx.exons) or not any(
                ex.start < tx.cds.end <= ex.end for ex in tx.exons):
            raise ModelError(f"{where}: CDS {tx.cds} ends outside the exons")
        coding = sum(max(0, min(ex.end, tx.cds.end) - max(ex.start, tx.cds.start)) for ex in tx.exons)
        if coding % 3:
            raise ModelError(f"{where}: CDS length {coding} is not a multiple of 3")
        if tx.protein_length is not None and coding != 3 * (tx.protein_length + 1):
            raise ModelError(f"{where}: CDS length {coding} != 3 x ({tx.protein_length} aa + stop)")


def _transcripts_from_resource(res: Resource, contig: str) -> tuple[Transcript, ...]:
    out = []
    for r in res.rows:
        exons = parse_segments(r["exons"])
        cds = closed_to_interval(int(r["cds_start"]), int(r["cds_end"])) if r["cds_start"] else None
        tx = Transcript(
            transcript_id=r["transcript_id"], display_name=r["display_name"], gene="IL1RN", contig=contig,
            strand=Strand.PLUS if r["strand"] == "+" else Strand.MINUS, exons=exons, cds=cds,
            biotype=r["biotype"], mane_select=r["mane_select"] == "yes", ensembl_name=r["ensembl_name"],
            ensembl_id=r["ensembl_id"], refseq_cds_numbering=r["refseq_cds_numbering"],
            protein_length=int(r["protein_length"]) if r["protein_length"] else None,
            source=r["source"], name_status=r["name_status"])
        validate_transcript(tx)
        out.append(tx)
    # MANE first, then by genomic start: a stable, documented output order
    out.sort(key=lambda t: (not t.mane_select, t.span.start, t.span.end, t.transcript_id))
    return tuple(out)


@lru_cache(maxsize=None)
def load_gene_model(build: str | Build = "GRCh38") -> GeneModel:
    """The bundled IL1RN model for ``build`` ("GRCh38" or "GRCh37"), validated and cached."""
    b = build if isinstance(build, Build) else get_build(build)
    res = load_resource(f"gene_model_{b.name}.tsv")
    info_res = load_resource("gene_info.tsv")
    info = {r["key"]: r["value"] for r in info_res.rows}
    contig = "chr2"
    txs = _transcripts_from_resource(res, contig)
    _, span = parse_region(info[f"span_{b.name}"])
    _, vntr = parse_region(info[f"vntr_{b.name}"])
    cluster = load_resource("il1_cluster_genes.tsv")
    genes = tuple(ClusterGene(r["gene"], closed_to_interval(int(r["start"]), int(r["end"])), r["strand"], r["biotype"])
                  for r in cluster.rows if r["build"] == b.name)
    for t in txs:
        if not (span.start <= t.span.start and t.span.end <= span.end):
            raise ModelError(f"transcript {t.transcript_id} {t.span} lies outside the gene span {span}")
    if sum(t.mane_select for t in txs) != 1:
        raise ModelError(f"{res.name}: expected exactly one MANE Select transcript")
    # the span quoted in the DIRA literature lies 49 bp inside / 1 bp short of the GRCh38 GENCODE span
    # (shared/domain README): a GRCh38 coordinate. No GRCh37 literature span is sourced, so GRCh37 has none.
    alias = info.get("span_literature_alias", "") if b.name == LITERATURE_ALIAS_BUILD else ""
    return GeneModel(build=b, gene="IL1RN", contig=contig, span=span, transcripts=txs, vntr=vntr,
                     cluster_genes=genes, literature_span_alias=alias,
                     provenance=(res.label, info_res.label, cluster.label), info=info,
                     protein_ids=_mane_protein(txs, info.get("MANE Select", "")))


def _mane_protein(txs: tuple[Transcript, ...], mane_info: str) -> dict[str, str]:
    """gene_info 'MANE Select' = "NM_173842.3 / NP_776214.1 ; ENST... / ENSP..." -> {MANE transcript_id: NP_...}."""
    first = mane_info.split(";")[0].split("/")
    if len(first) != 2:
        return {}
    nm, np_ = first[0].strip(), first[1].strip()
    return {t.transcript_id: np_ for t in txs if t.mane_select and t.refseq_cds_numbering == nm}
