"""Two changes in one codon: interpreted together when on one haplotype (as bcftools csq does), flagged when
phase is unknown.  Sequence from the synthetic gene (shared/testdata/synthetic): SYN1 codon 2 = c.4-6 = TTC
at synth:304-306 (Phe); 304 T>C gives CTC (Leu), 305 T>C gives TCC (Ser), both on one haplotype CCC (Pro)."""

from __future__ import annotations

import subprocess

import pysam
import pytest

from il1rn_annot.analyses import load_builtin_analyses
from il1rn_annot.annotate import Annotator
from il1rn_annot.gff import models_by_contig, parse
from il1rn_annot.io.fasta import FastaReference
from il1rn_annot.io.vcf_in import to_record

from conftest import TESTDATA, need_shared, need_tool

pytestmark = [pytest.mark.peer, pytest.mark.shared]

SYN = TESTDATA / "synthetic"
SAMPLES = ("cis", "trans", "unphased", "hom", "other_ps")
GTS = {304: ("0|1", "0|1", "0/1", "1/1", "0|1"), 305: ("0|1", "1|0", "0/1", "0/1", "0|1")}
PS = {304: (".", ".", ".", ".", "10"), 305: (".", ".", ".", ".", "20")}


@pytest.fixture(scope="module")
def vcf(tmp_path_factory):
    need_shared(SYN)
    d = tmp_path_factory.mktemp("hap")
    lines = ["##fileformat=VCFv4.2", "##contig=<ID=synth,length=5000>",
             '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
             '##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">',
             "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(SAMPLES)]
    for pos in (304, 305):
        cells = [f"{g}:{ps}" for g, ps in zip(GTS[pos], PS[pos])]
        lines.append(f"synth\t{pos}\t.\tT\tC\t.\tPASS\t.\tGT:PS\t" + "\t".join(cells))
    path = d / "codon.vcf"
    path.write_text("\n".join(lines) + "\n")
    return path


def _pairs(vcf):
    """Annotate with the synthetic GFF3 + FASTA and run the registered codon analysis (the file-level API is
    IL1RN/chr2-only, so the steps are composed here as api.annotate_vcf does)."""
    registry = load_builtin_analyses()
    with open(SYN / "synth.gff3") as fh:
        model = models_by_contig(parse(fh))["synth"]
    ref = FastaReference(SYN / "synth.fa")
    vf = pysam.VariantFile(str(vcf))
    samples = tuple(vf.header.samples)
    ann = Annotator(model, reference=ref)
    annotations = [a for i, raw in enumerate(vf) for a in ann.annotate_record(to_record(raw, samples, i))]
    return registry["codon_haplotypes"].run(annotations, samples, model, {"reference": ref})


def test_cis_pair_is_interpreted_together_and_unphased_is_flagged(vcf):
    res = _pairs(vcf)
    labels = {s: v["codon_pairs"] for s, v in res.per_sample.items()}
    assert set(labels) == {"cis", "trans", "unphased", "hom", "other_ps"}
    (cis,) = labels["cis"]
    assert ":cis:" in cis and "missense_variant" in cis and "p.(Phe2Pro)" in cis
    (hom,) = labels["hom"]
    assert ":cis:" in hom and "p.(Phe2Pro)" in hom and "homozygous" in hom
    assert ":trans:" in labels["trans"][0] and "Phe2Pro" not in labels["trans"][0]
    assert ":unphased:" in labels["unphased"][0] and ":unphased:" in labels["other_ps"][0]
    assert set(res.info) == {0, 1} and all(len(v["IL1RN_CODON_HAP"]) == 5 for v in res.info.values())


def test_joint_codon_agrees_with_bcftools_haplotype_mode(vcf, tmp_path):
    need_tool("bcftools")
    out = tmp_path / "b.vcf"
    subprocess.run(["bcftools", "csq", "-f", str(SYN / "synth.fa"), "-g", str(SYN / "synth.gff3"), "-s", "cis",
                    str(vcf), "-o", str(out)], check=True, capture_output=True)
    bcsq = [e for r in pysam.VariantFile(str(out)) for e in (r.info.get("BCSQ") or ()) if "+" in e]
    assert bcsq and all("2F>2P" in e and e.startswith("missense") for e in bcsq)


def test_columnar_genotypes_give_the_same_pairs(vcf, tmp_path):
    """Cohort path: the carriers of both ALTs are found with numpy (tests/test_gtmatrix.py covers the parse);
    the pairs and their order must be those of the per-sample path.  Samples repeated x4 (columnar from 8)."""
    from il1rn_annot.io.gt_parse import format_types, parse_line

    lines = vcf.read_text().splitlines()
    wide = []
    for ln in lines:
        cols = ln.split("\t")
        if ln.startswith("##"):
            wide.append(ln)
        elif ln.startswith("#"):
            wide.append("\t".join(cols[:9] + [f"{s}_{k}" for k in range(4) for s in cols[9:]]))
        else:
            wide.append("\t".join(cols[:9] + cols[9:] * 4))
    path = tmp_path / "wide.vcf"
    path.write_text("\n".join(wide) + "\n")
    registry = load_builtin_analyses()
    with open(SYN / "synth.gff3") as fh:
        model = models_by_contig(parse(fh))["synth"]
    ref = FastaReference(SYN / "synth.fa")
    results = []
    for columnar in (False, True):
        vf = pysam.VariantFile(str(path))
        samples = tuple(vf.header.samples)
        types = format_types(vf.header)
        ann = Annotator(model, reference=ref)
        annotations = []
        for i, raw in enumerate(vf):
            loader = (lambda line=str(raw).encode(): parse_line(line, samples, types)) if columnar else None
            rec = to_record(raw, samples, i, genotypes=loader)
            assert (type(rec.calls).__name__ == "LazyCalls") is columnar
            annotations += ann.annotate_record(rec)
        results.append(registry["codon_haplotypes"].run(annotations, samples, model, {"reference": ref}).per_sample)
    assert results[0] == results[1] and len(results[0]) == 20
    assert ":cis:" in results[1]["cis_3"]["codon_pairs"][0]
