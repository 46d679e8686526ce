"""Helpers to run our engine over bcftools' csq test cases (shared/testdata/csq-cases) and compare."""

from __future__ import annotations

from pathlib import Path

from il1rn_annot.consequence.annotate import Annotator
from il1rn_annot.consequence.effects import so_terms
from il1rn_annot.model.gff import models_by_contig, parse
from il1rn_annot.sources.fasta import FastaReference

from vcf_text import file_records


def bcftools_terms(effect) -> set[str]:
    table = so_terms()
    return {table[t].bcftools for t in effect.consequences if table[t].bcftools}


def expected(rec) -> str | None:
    """(``rec``: a Record) EXPL (per-record) if present, else EXP unless it only points to another record ('@POS')."""
    for key in ("EXPL", "EXP"):
        if key in rec.info:
            v = rec.info[key]
            v = ",".join(v) if isinstance(v, tuple) else v
            if key == "EXP" and v.startswith("@"):
                return None
            return v
    return None


def parse_bcsq(text: str) -> list[dict]:
    out = []
    for part in text.split(","):
        f = part.split("|")
        if f[0] in (".", ""):
            continue
        out.append({"terms": set(f[0].split("&")), "transcript": f[2] if len(f) > 2 else "",
                    "aa": f[5] if len(f) > 5 else ""})
    return out


def gff_for(vcf: Path, gffs: list[Path]) -> Path:
    """The gene model bcftools' test runs with this VCF: ``NAME.gff`` beside ``NAME.vcf`` when there is one
    (EMN908947 has ``simple.gff`` and ``ribosomal-slippage.gff``), else the folder's own ``FOLDER.gff``, else
    its only GFF."""
    for cand in (vcf.with_suffix(".gff"), vcf.parent / f"{vcf.parent.name}.gff"):
        if cand in gffs:
            return cand
    if len(gffs) != 1:
        raise ValueError(f"{vcf}: no GFF named after the VCF or its folder among {[g.name for g in gffs]}")
    return gffs[0]


def run_case(folder: Path):
    """Yield (vcf name, record key, expected text, our rows[(transcript, bcftools terms, aa_change)])."""
    fa = next(folder.glob("*.fa"))
    gffs = sorted(folder.glob("*.gff"))
    ref = FastaReference(fa)
    for vcf in sorted(folder.glob("*.vcf")):
        gff = gff_for(vcf, gffs)
        with open(gff) as fh:
            models = models_by_contig(parse(fh, str(gff)))
        anns = {c: Annotator(m, reference=ref, ref_mismatch="warn", source=str(vcf)) for c, m in models.items()}
        for rec in file_records(vcf, samples=False):
            exp = expected(rec)
            if exp is None:
                continue
            ann = anns.get(rec.contig)
            rows = []
            if ann is not None:
                for a in ann.annotate_record(rec):
                    for t in a.transcripts:
                        rows.append((t.location.transcript.transcript_id, bcftools_terms(t.effect), t.effect.aa_change, t.effect))
            yield vcf.name, f"{rec.contig}:{rec.pos} {rec.ref}>{','.join(rec.alts)}", exp, rows


def agree(exp: str, rows) -> bool:
    want = parse_bcsq(exp)
    ours = [(tid, terms, aa) for tid, terms, aa, _ in rows if terms]
    if not want:
        return not ours or all(not t for _, t, _ in ours)
    # bcftools may split one transcript's terms over several entries (e.g. inframe_deletion + splice_region):
    # compare the union per transcript ('' = bcftools names no transcript, as for intron hits)
    by_tx: dict[str, dict] = {}
    for w in want:
        g = by_tx.setdefault(w["transcript"], {"terms": set(), "aa": set()})
        g["terms"] |= w["terms"]
        if w["aa"]:
            g["aa"].add(w["aa"])
    for tid, g in by_tx.items():
        match = [o for o in ours if (o[0] == tid or not tid) and comparable(o[1]) == g["terms"]
                 and (not g["aa"] or o[2] in g["aa"])]
        if not match:
            return False
    return True


def comparable(terms: set[str]) -> set[str]:
    """bcftools reports intron only when no splice term applies (VEP reports both): drop intron beside splice_*."""
    if "intron" in terms and terms & {"splice_region", "splice_donor", "splice_acceptor"}:
        return terms - {"intron"}
    return terms
