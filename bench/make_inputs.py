#!/usr/bin/env python3
"""Generate the synthetic benchmark inputs into bench/data/ (gitignored); files that exist are kept.

    python bench/make_inputs.py            # full set
    python bench/make_inputs.py --quick    # small set for a smoke run

What is written (GRCh38, ``chr`` names, all REF/ALT bases are SYNTHETIC - benchmark use only):
- ``ref_synthetic.fa`` (+ .fai): a random-base chr2 of the real GRCh38 length, plus 1-base ``N`` stubs for the
  other GRCh38 contigs (bcftools csq wants every VCF contig in the FASTA; it reads sequence only under the
  IL1RN transcript).  Every chr2 REF allele in the VCFs below is read from it, so ``bcftools csq -f`` accepts
  the records.  Other contigs' REF bases are random.
- ``il1rn_mane.gff3``: the IL1RN MANE Select model (NM_173842.3) from the bundled gene model, as bcftools csq wants it.
- ``wgs_<N>.vcf.gz`` (+ .tbi) and ``wgs_<N>.noindex.vcf.gz`` (same bytes, no index): one sample, N records over
  chr1..chr22 in proportion to their lengths, ~10% indels, GATK HaplotypeCaller-like INFO and GT:AD:DP:GQ:PL
  (N = 4,500,000; 450,000 with --quick).
- ``cohort_<S>.vcf.gz`` (+ .tbi): S samples over the IL1RN window chr2:113,094,315-113,139,016 (2,504 x 1,500
  sites, 20,000 x 1,500, 100,000 x 1,000; --quick: 2,504 and 5,000 x 1,500); 2,504 samples are phased GT only
  (1000 Genomes style); larger cohorts are unphased GT:DP:GQ with 0.5% missing calls (joint-called style).
  Allele frequencies follow a log-uniform spectrum (many rare sites); 3% of sites are multi-allelic.
- ``window_<N>.vcf.gz`` (+ .tbi): one sample, N chr2 records inside the IL1RN window (N = 50,000; 5,000 with
  --quick), positions drawn uniformly, so several records share a position, each a different allele (SNVs to
  the 3 other bases, 1-4 base deletions and insertions); INFO and FORMAT as in the WGS file.

Text is built with numpy (vectorised over records or samples) and piped through ``bgzip -@2``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SRC = HERE.parent / "src"

GRCH38 = [("chr1", 248956422), ("chr2", 242193529), ("chr3", 198295559), ("chr4", 190214555), ("chr5", 181538259),
          ("chr6", 170805979), ("chr7", 159345973), ("chr8", 145138636), ("chr9", 138394717), ("chr10", 133797422),
          ("chr11", 135086622), ("chr12", 133275309), ("chr13", 114364328), ("chr14", 107043718),
          ("chr15", 101991189), ("chr16", 90338345), ("chr17", 83257441), ("chr18", 80373285), ("chr19", 58617616),
          ("chr20", 64444167), ("chr21", 46709983), ("chr22", 50818468), ("chrX", 156040895), ("chrY", 57227415),
          ("chrM", 16569)]
AUTOSOMES = GRCH38[:22]
CHR2_LEN = dict(GRCH38)["chr2"]
REGION = ("chr2", 113_094_315, 113_139_016)  # `il1rn-annot region` (gene span +- 5 kb), 1-based inclusive
BASES = np.frombuffer(b"ACGT", dtype=np.uint8)


def log(msg: str) -> None:
    print(f"[make_inputs {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- reference
def make_fasta(rng: np.random.Generator, path: Path) -> np.ndarray:
    """Random-base chr2 (uint8 ASCII array, index 0 = position 1).  Written 60 bases a line, then faidx.
    When the file and its .fai exist, chr2 is read back from it instead."""
    if path.exists() and Path(str(path) + ".fai").exists():
        return read_chr2(path)
    seq = BASES[rng.integers(0, 4, size=CHR2_LEN, dtype=np.uint8)]
    n_full = CHR2_LEN // 60
    body = np.empty((n_full, 61), dtype=np.uint8)
    body[:, :60] = seq[: n_full * 60].reshape(n_full, 60)
    body[:, 60] = 10
    with open(path, "wb") as fh:
        fh.write(b">chr2 synthetic random bases, GRCh38 length (benchmark only)\n")
        fh.write(body.tobytes())
        rest = seq[n_full * 60:]
        if len(rest):
            fh.write(rest.tobytes() + b"\n")
        # bcftools csq wants every contig of the VCF in the FASTA, though it reads sequence only under the
        # GFF's transcripts (all on chr2): the other contigs are 1-base N stubs.
        for c, _ in GRCH38:
            if c != "chr2":
                fh.write(f">{c} stub (benchmark only: no sequence)\n".encode() + b"N\n")
    subprocess.run(["samtools", "faidx", str(path)], check=True)
    return seq


def read_chr2(path: Path) -> np.ndarray:
    """chr2 of ``ref_synthetic.fa`` as a uint8 array, located through the .fai."""
    for line in open(str(path) + ".fai"):
        name, length, offset, line_bases, line_width = line.split("\t")[:5]
        if name == "chr2":
            length, offset, lb, lw = int(length), int(offset), int(line_bases), int(line_width)
            n_lines = -(-length // lb)
            raw = np.fromfile(path, dtype=np.uint8, count=n_lines * lw, offset=offset)
            raw = np.pad(raw, (0, n_lines * lw - len(raw)))
            return np.ascontiguousarray(raw.reshape(n_lines, lw)[:, :lb]).ravel()[:length]
    raise SystemExit(f"{path}: no chr2 in the .fai")


def make_gff3(path: Path) -> None:
    sys.path.insert(0, str(SRC))
    from il1rn_annot.model.gene_model import load_gene_model

    m = load_gene_model("GRCh38")
    t = m.mane
    s, e = t.span.start + 1, t.span.end
    tid = t.refseq_cds_numbering or t.transcript_id
    lines = ["##gff-version 3", f"##sequence-region chr2 1 {CHR2_LEN}",
             f"chr2\til1rn_annot\tgene\t{s}\t{e}\t.\t+\t.\tID=gene:IL1RN;Name=IL1RN;biotype=protein_coding",
             f"chr2\til1rn_annot\tmRNA\t{s}\t{e}\t.\t+\t.\tID=transcript:{tid};Parent=gene:IL1RN;Name={tid};"
             "biotype=protein_coding"]
    phase = 0
    for i, ex in enumerate(t.exons, 1):
        lines.append(f"chr2\til1rn_annot\texon\t{ex.start + 1}\t{ex.end}\t.\t+\t.\tParent=transcript:{tid};rank={i}")
    for ex in t.exons:
        cs, ce = max(ex.start, t.cds.start), min(ex.end, t.cds.end)
        if cs >= ce:
            continue
        lines.append(f"chr2\til1rn_annot\tCDS\t{cs + 1}\t{ce}\t.\t+\t{phase}\tID=CDS:{tid};Parent=transcript:{tid}")
        phase = (3 - ((ce - cs) - phase) % 3) % 3
    text = "\n".join(lines) + "\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


# ---------------------------------------------------------------- helpers
def s(a) -> np.ndarray:
    """Numbers/strings -> bytes array (vectorised)."""
    return np.asarray(a).astype(np.bytes_)


def cat(*parts) -> np.ndarray:
    out = parts[0] if isinstance(parts[0], np.ndarray) else np.bytes_(parts[0])
    for p in parts[1:]:
        out = np.strings.add(out, p if isinstance(p, np.ndarray) else np.bytes_(p))
    return out


def fixed2(x: np.ndarray) -> np.ndarray:
    """Non-negative hundredths (int) -> b'12.34'."""
    return cat(s(x // 100), ".", np.strings.zfill(s(x % 100), 2))


def signed2(x: np.ndarray) -> np.ndarray:
    neg = x < 0
    body = fixed2(np.abs(x))
    return np.where(neg, np.strings.add(np.bytes_("-"), body), body)


def random_seq(rng, lengths: np.ndarray) -> np.ndarray:
    """Random base strings of the given lengths (vectorised via one big buffer)."""
    total = int(lengths.sum())
    buf = BASES[rng.integers(0, 4, size=total, dtype=np.uint8)].tobytes()
    ends = np.cumsum(lengths)
    starts = ends - lengths
    return np.array([buf[a:b] for a, b in zip(starts.tolist(), ends.tolist())], dtype=np.bytes_)


def ref_from(seq: np.ndarray | None, rng, pos: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    if seq is None:
        return random_seq(rng, lengths)
    width = int(lengths.max())
    idx = (pos - 1)[:, None] + np.arange(width)[None, :]
    idx = np.minimum(idx, len(seq) - 1)
    mat = seq[idx]
    mat[np.arange(width)[None, :] >= lengths[:, None]] = 0
    return np.ascontiguousarray(mat).view(f"S{width}").ravel()


def alt_snv(rng, ref1: np.ndarray) -> np.ndarray:
    """A base different from the first REF base."""
    r = np.frombuffer(ref1.astype("S1").tobytes(), dtype=np.uint8)
    code = np.searchsorted(BASES, r)
    alt = BASES[(code + rng.integers(1, 4, size=len(r))) % 4]
    return alt.view("S1")


class Bgzip:
    def __init__(self, path: Path):
        self.fh = open(path, "wb")
        self.p = subprocess.Popen(["bgzip", "-@2", "-c"], stdin=subprocess.PIPE, stdout=self.fh)

    def write(self, data: bytes) -> None:
        self.p.stdin.write(data)

    def close(self) -> None:
        self.p.stdin.close()
        if self.p.wait() != 0:
            raise SystemExit("bgzip failed")
        self.fh.close()


def header(samples: list[str], *, wgs: bool) -> bytes:
    h = ["##fileformat=VCFv4.2",
         "##source=il1rn_annot bench/make_inputs.py (SYNTHETIC data for benchmarking only)",
         '##FILTER=<ID=PASS,Description="All filters passed">',
         '##FILTER=<ID=LowQual,Description="Low quality">']
    if wgs:
        h += ['##INFO=<ID=AC,Number=A,Type=Integer,Description="Allele count in genotypes">',
              '##INFO=<ID=AF,Number=A,Type=Float,Description="Allele Frequency">',
              '##INFO=<ID=AN,Number=1,Type=Integer,Description="Total number of alleles in called genotypes">',
              '##INFO=<ID=BaseQRankSum,Number=1,Type=Float,Description="Z-score from Wilcoxon rank sum test of Alt Vs. Ref base qualities">',
              '##INFO=<ID=DP,Number=1,Type=Integer,Description="Approximate read depth">',
              '##INFO=<ID=ExcessHet,Number=1,Type=Float,Description="Phred-scaled p-value for exact test of excess heterozygosity">',
              '##INFO=<ID=FS,Number=1,Type=Float,Description="Phred-scaled p-value using Fisher\'s exact test to detect strand bias">',
              '##INFO=<ID=MLEAC,Number=A,Type=Integer,Description="Maximum likelihood expectation (MLE) for the allele counts">',
              '##INFO=<ID=MLEAF,Number=A,Type=Float,Description="Maximum likelihood expectation (MLE) for the allele frequency">',
              '##INFO=<ID=MQ,Number=1,Type=Float,Description="RMS Mapping Quality">',
              '##INFO=<ID=MQRankSum,Number=1,Type=Float,Description="Z-score From Wilcoxon rank sum test of Alt vs. Ref read mapping qualities">',
              '##INFO=<ID=QD,Number=1,Type=Float,Description="Variant Confidence/Quality by Depth">',
              '##INFO=<ID=ReadPosRankSum,Number=1,Type=Float,Description="Z-score from Wilcoxon rank sum test of Alt vs. Ref read position bias">',
              '##INFO=<ID=SOR,Number=1,Type=Float,Description="Symmetric Odds Ratio of 2x2 contingency table to detect strand bias">',
              '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
              '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths for the ref and alt alleles in the order listed">',
              '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Approximate read depth">',
              '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype Quality">',
              '##FORMAT=<ID=PL,Number=G,Type=Integer,Description="Normalized, Phred-scaled likelihoods for genotypes">']
    else:
        h += ['##INFO=<ID=AC,Number=A,Type=Integer,Description="Allele count in genotypes">',
              '##INFO=<ID=AN,Number=1,Type=Integer,Description="Total number of alleles in called genotypes">',
              '##INFO=<ID=AF,Number=A,Type=Float,Description="Allele Frequency">',
              '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
              '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
              '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype Quality">']
    h += [f"##contig=<ID={c},length={n},assembly=GRCh38>" for c, n in GRCH38]
    h.append("##reference=GRCh38 (synthetic chr2 bases: bench/data/ref_synthetic.fa)")
    h.append("\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"] + samples))
    return ("\n".join(h) + "\n").encode()


# ---------------------------------------------------------------- WGS
def wgs_chunk(rng, contig: str, pos: np.ndarray, chr2: np.ndarray | None) -> bytes:
    n = len(pos)
    kind = rng.random(n)
    is_del = kind < 0.05
    is_ins = (kind >= 0.05) & (kind < 0.10)
    indel_len = np.minimum(rng.geometric(0.45, size=n), 30)
    ref_len = np.where(is_del, indel_len + 1, 1)
    ref = ref_from(chr2 if contig == "chr2" else None, rng, pos, ref_len)
    first = ref.astype("S1")
    alt = np.where(is_del, first, alt_snv(rng, first))
    ins = random_seq(rng, np.where(is_ins, indel_len, 0))
    alt = np.where(is_ins, np.strings.add(first, ins), alt)
    return one_sample_lines(rng, contig, pos, ref, alt)


def one_sample_lines(rng, contig: str, pos: np.ndarray, ref: np.ndarray, alt: np.ndarray) -> bytes:
    """GATK HaplotypeCaller-like records of one sample (INFO and GT:AD:DP:GQ:PL drawn at random)."""
    n = len(pos)
    hom = rng.random(n) < 0.38
    dp = rng.poisson(32, size=n) + 3
    ad_alt = np.where(hom, dp - rng.binomial(2, 0.2, size=n), rng.binomial(dp, 0.5))
    ad_alt = np.clip(ad_alt, 1, dp)
    ad_ref = dp - ad_alt
    gq = np.where(hom, 99, np.minimum(99, 20 + rng.integers(0, 90, size=n)))
    qual_c = (dp * rng.uniform(8, 30, size=n) * 100).astype(np.int64)
    qd_c = qual_c // np.maximum(dp, 1)
    pl_hi = np.minimum(qual_c // 100 + 30, 1800)
    pl_lo = gq + rng.integers(0, 40, size=n)
    pl = np.where(hom, cat(s(pl_hi), ",", s(pl_lo), ",0"), cat(s(pl_hi), ",0,", s(pl_lo)))
    ac = np.where(hom, 2, 1)
    af = np.where(hom, np.bytes_("1.00"), np.bytes_("0.500"))
    rank = lambda: signed2(rng.normal(0, 80, size=n).astype(np.int64))  # noqa: E731
    info = cat("AC=", s(ac), ";AF=", af, ";AN=2;BaseQRankSum=", rank(), ";DP=", s(dp), ";ExcessHet=3.0103;FS=",
               fixed2(rng.exponential(250, size=n).astype(np.int64)), ";MLEAC=", s(ac), ";MLEAF=", af,
               ";MQ=", fixed2(6000 - rng.exponential(50, size=n).astype(np.int64)), ";MQRankSum=", rank(),
               ";QD=", fixed2(qd_c), ";ReadPosRankSum=", rank(), ";SOR=",
               fixed2(rng.exponential(70, size=n).astype(np.int64)))
    filt = np.where(qual_c < 3000, np.bytes_("LowQual"), np.bytes_("PASS"))
    gt = np.where(hom, np.bytes_("1/1"), np.bytes_("0/1"))
    line = cat(contig, "\t", s(pos), "\t.\t", ref, "\t", alt, "\t", fixed2(qual_c), "\t", filt, "\t", info,
               "\tGT:AD:DP:GQ:PL\t", gt, ":", s(ad_ref), ",", s(ad_alt), ":", s(dp), ":", s(gq), ":", pl, "\n")
    return b"".join(line.tolist())


def sorted_positions(rng, length: int, n: int) -> np.ndarray:
    pos = np.unique(rng.integers(1, length - 40, size=int(n * 1.02)))
    if len(pos) > n:
        pos = np.sort(rng.choice(pos, size=n, replace=False))
    return pos


def make_wgs(rng, n_total: int, chr2: np.ndarray, path: Path) -> None:
    t0 = time.perf_counter()
    total_len = sum(n for _, n in AUTOSOMES)
    out = Bgzip(path)
    out.write(header(["SYNTH_WGS_0001"], wgs=True))
    written = 0
    for i, (contig, length) in enumerate(AUTOSOMES):
        n = round(n_total * length / total_len) if i < len(AUTOSOMES) - 1 else n_total - written
        pos = sorted_positions(rng, length, n)
        for a in range(0, len(pos), 250_000):
            out.write(wgs_chunk(rng, contig, pos[a:a + 250_000], chr2))
        written += len(pos)
    out.close()
    subprocess.run(["tabix", "-f", "-p", "vcf", str(path)], check=True)
    log(f"{path.name}: {written:,} records in {time.perf_counter() - t0:.1f} s")


# ---------------------------------------------------------------- one sample, dense IL1RN window
def make_window(rng, n_records: int, chr2: np.ndarray, path: Path) -> None:
    """One sample, ``n_records`` chr2 records at positions drawn uniformly over the IL1RN window (~44.7 kb, so
    many positions carry 2-6 records).  Each record at a position is a different allele: an SNV to one of the 3
    other bases (80%), a 1-4 base deletion (10%) or a 1-4 base insertion (10%); REF from the synthetic chr2."""
    t0 = time.perf_counter()
    contig, start, end = REGION
    span = end - start + 1
    kinds = 11  # 0-2: SNV (ALT = REF base + 1..3), 3-6: deletion of 1..4 bases, 7-10: insertion of 1..4 bases
    p_kind = np.array([0.8 / 3] * 3 + [0.1 / 4] * 4 + [0.1 / 4] * 4)
    draw = int(n_records * 1.3)
    while True:
        key = np.unique(rng.integers(0, span, size=draw) * kinds + rng.choice(kinds, size=draw, p=p_kind))
        if len(key) >= n_records:
            break
        draw *= 2
    key = np.sort(rng.choice(key, size=n_records, replace=False))
    pos = start + key // kinds
    kind = key % kinds
    is_snv, is_del, is_ins = kind < 3, (kind >= 3) & (kind < 7), kind >= 7
    L = np.where(is_del, kind - 2, np.where(is_ins, kind - 6, 0))
    ref = ref_from(chr2, rng, pos, np.where(is_del, L + 1, 1))
    first = ref.astype("S1")
    code = np.searchsorted(BASES, np.frombuffer(first.tobytes(), dtype=np.uint8))
    snv = BASES[(code + 1 + np.where(is_snv, kind, 0)) % 4].view("S1")
    alt = np.where(is_snv, snv, first)
    alt = np.where(is_ins, np.strings.add(first, random_seq(rng, np.where(is_ins, L, 0))), alt)
    out = Bgzip(path)
    out.write(header(["SYNTH_WINDOW_0001"], wgs=True))
    out.write(one_sample_lines(rng, contig, pos, ref, alt))
    out.close()
    subprocess.run(["tabix", "-f", "-p", "vcf", str(path)], check=True)
    multi = int((np.bincount(pos - start) >= 2).sum())
    log(f"{path.name}: {n_records:,} records at {len(np.unique(pos)):,} positions ({multi:,} with 2 or more) "
        f"in {time.perf_counter() - t0:.1f} s")


# ---------------------------------------------------------------- cohorts
def make_cohort(rng, n_samples: int, n_sites: int, chr2: np.ndarray, path: Path) -> None:
    t0 = time.perf_counter()
    contig, start, end = REGION
    phased_gt_only = n_samples <= 2504
    samples = [f"S{i:06d}" for i in range(1, n_samples + 1)]
    out = Bgzip(path)
    out.write(header(samples, wgs=False))
    pos = np.sort(rng.choice(np.arange(start, end - 40), size=n_sites, replace=False))
    kind = rng.random(n_sites)
    n_alt = np.where(rng.random(n_sites) < 0.03, 2, 1)
    is_del = kind < 0.05
    is_ins = (kind >= 0.05) & (kind < 0.10)
    L = np.minimum(rng.geometric(0.45, size=n_sites), 20)
    ref = ref_from(chr2, rng, pos, np.where(is_del, L + 1, 1))
    first = ref.astype("S1")
    alt1 = np.where(is_del, first, alt_snv(rng, first))
    alt1 = np.where(is_ins, np.strings.add(first, random_seq(rng, np.where(is_ins, L, 0))), alt1)
    alt2 = alt_snv(rng, first)
    alt2 = np.where(alt2 == alt1, np.strings.add(first, np.bytes_("T")), alt2)
    sep = ord("|") if phased_gt_only else ord("/")
    lo = np.log10(1 / (2 * n_samples))
    for i in range(n_sites):
        af = 10 ** rng.uniform(lo, np.log10(0.5))
        u = rng.random((n_samples, 2))
        hap = (u < af).astype(np.uint8)
        if n_alt[i] == 2:
            hap[u < af / 3] = 2
        missing = None
        if not phased_gt_only:
            missing = rng.random(n_samples) < 0.005
        called = hap if missing is None else hap[~missing]
        an = called.size
        acs = [int((called == k).sum()) for k in range(1, n_alt[i] + 1)]
        alts = alt1[i] if n_alt[i] == 1 else alt1[i] + b"," + alt2[i]
        info = (f"AC={','.join(map(str, acs))};AN={an};AF=" + ",".join(f"{a / max(an, 1):.6g}" for a in acs)).encode()
        fmt = b"GT" if phased_gt_only else b"GT:DP:GQ"
        head = b"\t".join([contig.encode(), str(pos[i]).encode(), b".", ref[i], alts, b"100", b"PASS", info, fmt])
        if phased_gt_only:
            m = np.empty((n_samples, 4), dtype=np.uint8)
            m[:, 0] = hap[:, 0] + 48
            m[:, 1] = sep
            m[:, 2] = hap[:, 1] + 48
            m[:, 3] = 9
        else:  # "a/b:DP:GQ\t" with DP 10..60 and GQ 10..99 (two digits), "./.:.:." when missing
            m = np.zeros((n_samples, 10), dtype=np.uint8)
            dp = rng.integers(10, 61, size=n_samples)
            gq = np.where(hap.sum(1) == 0, 99, rng.integers(10, 100, size=n_samples))
            m[:, 0] = hap[:, 0] + 48
            m[:, 1] = sep
            m[:, 2] = hap[:, 1] + 48
            m[:, 3] = m[:, 6] = ord(":")
            m[:, 4], m[:, 5] = dp // 10 + 48, dp % 10 + 48
            m[:, 7], m[:, 8] = gq // 10 + 48, gq % 10 + 48
            m[:, 9] = 9
            m[missing] = np.frombuffer(b"./.:.:.\t\x00\x00", dtype=np.uint8)
        body = m.ravel()
        if not phased_gt_only:
            body = body[body != 0]
        out.write(head + b"\t" + body[:-1].tobytes() + b"\n")
    out.close()
    subprocess.run(["tabix", "-f", "-p", "vcf", str(path)], check=True)
    log(f"{path.name}: {n_sites:,} sites x {n_samples:,} samples in {time.perf_counter() - t0:.1f} s")


def sizes(quick: bool) -> tuple[int, list[tuple[int, int]], int]:
    """(WGS records, cohorts as (samples, sites), records of the one-sample window file) of a set."""
    if quick:
        return 450_000, [(2504, 1500), (5000, 1500)], 5_000
    return 4_500_000, [(2504, 1500), (20_000, 1500), (100_000, 1000)], 50_000


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small inputs (450k-record WGS, cohorts 2,504 and 5,000, "
                    "5,000-record window file)")
    ap.add_argument("--force", action="store_true", help="regenerate files that exist")
    ap.add_argument("--seed", type=int, default=20261121)
    args = ap.parse_args(argv)
    for tool in ("bgzip", "tabix", "samtools"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is required (apt-get install tabix samtools)")
    DATA.mkdir(parents=True, exist_ok=True)
    wgs_n, cohorts, window_n = sizes(args.quick)
    rng = np.random.default_rng(args.seed)
    fasta = DATA / "ref_synthetic.fa"
    if args.force:
        for f in (fasta, Path(str(fasta) + ".fai")):
            f.unlink(missing_ok=True)
    make_gff3(DATA / "il1rn_mane.gff3")
    chr2 = None

    def need(path: Path, index: bool = True) -> bool:
        nonlocal chr2
        missing = args.force or not path.exists() or (index and not Path(str(path) + ".tbi").exists())
        if missing and chr2 is None:
            chr2 = make_fasta(rng, fasta)
        return missing

    if not (fasta.exists() and Path(str(fasta) + ".fai").exists()):
        chr2 = make_fasta(rng, fasta)
    wgs = DATA / f"wgs_{wgs_n}.vcf.gz"
    if need(wgs):
        make_wgs(np.random.default_rng(args.seed + 1), wgs_n, chr2, wgs)
    noidx = DATA / f"wgs_{wgs_n}.noindex.vcf.gz"
    if args.force or not noidx.exists():
        noidx.unlink(missing_ok=True)
        try:
            os.link(wgs, noidx)
        except OSError:
            shutil.copyfile(wgs, noidx)
    for n_samples, n_sites in cohorts:
        p = DATA / f"cohort_{n_samples}.vcf.gz"
        if need(p):
            make_cohort(np.random.default_rng(args.seed + n_samples), n_samples, n_sites, chr2, p)
    window = DATA / f"window_{window_n}.vcf.gz"
    if need(window):
        make_window(np.random.default_rng(args.seed + 7), window_n, chr2, window)
    log("ready: " + ", ".join(sorted(x.name for x in DATA.iterdir() if x.is_file())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
