"""Run bcftools csq and SnpEff for real on the synthetic genes and compare with our engine."""

from __future__ import annotations

import subprocess
import warnings
from pathlib import Path

import pysam

from il1rn_annot.consequence.annotate import Annotator
from il1rn_annot.consequence.effects import so_terms
from il1rn_annot.model.gff import models_by_contig, parse
from il1rn_annot.sources.fasta import FastaReference

from csq_cases import comparable, parse_bcsq
from vcf_text import file_records

SNPEFF_JAR = "/usr/share/java/snpeff.jar"
INSERTS = ("A", "AC", "ACT")  # one inserted sequence per length (1-3 bp), plus the dup of the next 1-3 bases


def exhaustive_vcf(synthetic: Path, out: Path) -> int:
    """Every SNV, every 1-3-bp deletion and 1-3-bp insertions (a fixed sequence and a duplication of the
    following bases) at every position of the coding exons +-10 bp of both synthetic genes."""
    fa = pysam.FastaFile(str(synthetic / "synth.fa"))
    contig = fa.references[0]
    seq = fa.fetch(contig).upper()
    with open(synthetic / "synth.gff3") as fh:
        txs = parse(fh)
    positions = set()
    for t in txs:
        for ex in t.exons:
            if t.cds and ex.overlaps(t.cds):
                positions.update(range(max(1, ex.start - 10), min(len(seq) - 4, ex.end + 10)))
    rows = []
    for p in sorted(positions):  # p: 0-based; VCF POS = p + 1 is the padding base for indels
        b = seq[p]
        for alt in "ACGT":
            if alt != b:
                rows.append((p + 1, b, alt))
        for n in (1, 2, 3):
            rows.append((p + 1, seq[p:p + 1 + n], b))
            rows.append((p + 1, b, b + INSERTS[n - 1]))
            dup = seq[p + 1:p + 1 + n]
            if dup != INSERTS[n - 1]:
                rows.append((p + 1, b, b + dup))
    header = ["##fileformat=VCFv4.2", f"##contig=<ID={contig},length={len(seq)}>",
              "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"]
    with open(out, "w") as fh:
        fh.write("\n".join(header) + "\n")
        for pos, ref, alt in sorted(set(rows)):
            fh.write(f"{contig}\t{pos}\t.\t{ref}\t{alt}\t.\tPASS\t.\n")
    return len(set(rows))


def ours(synthetic: Path, vcf: Path) -> dict[tuple, dict[str, object]]:
    """(pos, ref, alt) -> {transcript_id: TranscriptEffect}."""
    ref = FastaReference(synthetic / "synth.fa")
    with open(synthetic / "synth.gff3") as fh:
        models = models_by_contig(parse(fh))
    out = {}
    anns = {c: Annotator(m, reference=ref, ref_mismatch="warn") for c, m in models.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for rec in file_records(vcf, samples=False):
            for a in anns[rec.contig].annotate_record(rec):
                out[(rec.pos, rec.ref, a.variant.vcf_alt)] = {t.location.transcript.transcript_id: t.effect
                                                              for t in a.transcripts}
    return out


def run_bcftools(synthetic: Path, vcf: Path, out: Path) -> dict[tuple, str]:
    subprocess.run(["bcftools", "csq", "-l", "-f", str(synthetic / "synth.fa"), "-g", str(synthetic / "synth.gff3"),
                    str(vcf), "-o", str(out)], check=True, capture_output=True)
    res = {}
    for raw in pysam.VariantFile(str(out)):
        v = list(raw.info.get("BCSQ") or ())
        for alt in raw.alts:
            # multi-allelic records: an entry belongs to the ALT its dna_change names (entries without one, to all)
            mine = [e for e in v if len(e.split("|")) < 7 or e.split("|")[6].endswith(">" + alt)]
            res[(raw.pos, raw.ref, alt)] = ",".join(mine)
    return res


def run_snpeff(synthetic: Path, vcf: Path, work: Path) -> dict[tuple, list[tuple[str, str, str]]]:
    """(pos, ref, alt) -> [(transcript, effects '&'-joined, HGVS.p)] from ANN."""
    (work / "data" / "synth").mkdir(parents=True, exist_ok=True)
    (work / "data" / "genomes").mkdir(parents=True, exist_ok=True)
    (work / "data" / "synth" / "genes.gtf").write_text((synthetic / "synth.gtf").read_text())
    (work / "data" / "genomes" / "synth.fa").write_text((synthetic / "synth.fa").read_text())
    cfg = work / "snpEff.config"
    cfg.write_text(f"data.dir = {work / 'data'}\nsynth.genome : synth\n")
    subprocess.run(["java", "-jar", SNPEFF_JAR, "build", "-gtf22", "-noCheckCds", "-noCheckProtein", "-c", str(cfg),
                    "synth"], check=True, capture_output=True, cwd=work)
    outp = subprocess.run(["java", "-jar", SNPEFF_JAR, "ann", "-noStats", "-c", str(cfg), "synth", str(vcf)],
                          check=True, capture_output=True, text=True, cwd=work).stdout
    res = {}
    for line in outp.splitlines():
        if line.startswith("#"):
            continue
        f = line.split("\t")
        ann = next((x[4:] for x in f[7].split(";") if x.startswith("ANN=")), "")
        rows = []
        for a in ann.split(","):
            c = a.split("|")
            if len(c) > 10:
                rows.append((c[6], c[1], c[10], c[9]))
        res[(int(f[1]), f[3], f[4])] = rows
    return res


def bcftools_agree(exp: str, effects: dict) -> bool:
    table = so_terms()
    want = parse_bcsq(exp) if exp else []
    by_tx: dict[str, set] = {}
    for w in want:
        by_tx.setdefault(w["transcript"], set()).update(w["terms"])
    mine = {tid: comparable({table[t].bcftools for t in e.consequences if table[t].bcftools})
            for tid, e in effects.items()}
    mine = {k: v for k, v in mine.items() if v}
    if not by_tx:
        return not mine
    for tid, terms in by_tx.items():
        cand = [v for k, v in mine.items() if k == tid or not tid]
        if terms not in cand:
            return False
    return True


# SnpEff names that differ from VEP's for the same thing (SnpEff manual, "Effect prediction details")
SNPEFF_ALIASES = {"initiator_codon_variant": "start_retained_variant", "exon_loss_variant": "transcript_ablation",
                  "disruptive_inframe_deletion": "inframe_deletion", "disruptive_inframe_insertion": "inframe_insertion",
                  "conservative_inframe_deletion": "inframe_deletion", "conservative_inframe_insertion": "inframe_insertion",
                  "5_prime_UTR_premature_start_codon_gain_variant": "5_prime_UTR_variant",
                  "splice_region_variant": "splice_region_variant"}


def snpeff_top(rows, tid: str) -> str:
    for t, eff, *_ in rows:
        if t == tid:
            return SNPEFF_ALIASES.get(eff.split("&")[0], eff.split("&")[0])
    return ""


FINER_SPLICE = {"splice_donor_5th_base_variant", "splice_donor_region_variant", "splice_polypyrimidine_tract_variant"}


def our_top(effect) -> str:
    """Our most severe term among those SnpEff also knows (the finer VEP splice terms have no SnpEff name)."""
    return next((t for t in effect.consequences if t not in FINER_SPLICE), "")


def compare(synthetic: Path, vcf: Path, work: Path) -> dict:
    """Agreement of our engine with bcftools csq -l (all terms per transcript, mapped) and with SnpEff
    (most severe term per transcript), with the differing records."""
    mine = ours(synthetic, vcf)
    bcf = run_bcftools(synthetic, vcf, work / (vcf.stem + ".bcsq.vcf"))
    snp = run_snpeff(synthetic, vcf, work)
    b_ok, b_diff = 0, []
    for k, effs in mine.items():
        if bcftools_agree(bcf.get(k, ""), effs):
            b_ok += 1
        else:
            b_diff.append((k, bcf.get(k, ""), {t: e.consequences for t, e in effs.items()}))
    s_ok = s_n = 0
    s_diff = []
    for k, effs in mine.items():
        for tid, e in effs.items():
            top, ref = snpeff_top(snp.get(k, []), tid), our_top(e)
            if not top or not ref:
                continue
            s_n += 1
            if top == ref:
                s_ok += 1
            else:
                s_diff.append((k, tid, top, ref))
    return {"records": len(mine), "bcftools_agree": b_ok, "bcftools_diff": b_diff,
            "snpeff_agree": s_ok, "snpeff_total": s_n, "snpeff_diff": s_diff, "ours": mine, "snpeff": snp}


def hgvs_c_vs_snpeff(mine: dict, snp: dict, transcript: str) -> tuple[int, list]:
    """Records where both give an exonic CDS c. on ``transcript``: (count, differences).  SnpEff writes the
    deleted/duplicated bases (c.5delA); HGVS drops them, so they are dropped before comparing."""
    import re

    n, diff = 0, []
    for k, effs in mine.items():
        e = effs.get(transcript)
        row = next((r for r in snp.get(k, []) if r[0] == transcript), None)
        if e is None or row is None or not e.hgvs_c:
            continue
        ours_c, theirs = e.hgvs_c.split(":", 1)[1], re.sub(r"(del|dup)[ACGT]+$", r"\1", row[3])
        exonic = r"c\.\d+(_\d+)?[a-zA-Z>].*"
        if not re.fullmatch(exonic, ours_c) or not re.fullmatch(exonic, theirs):
            continue  # UTR / intronic offsets, and SnpEff's shifts across the exon/intron border (we stop there)
        n += 1
        if ours_c != theirs:
            diff.append((k, theirs, ours_c))
    return n, diff
