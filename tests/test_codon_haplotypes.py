"""Two changes in one codon: interpreted together when on one haplotype (as bcftools csq does), flagged when
phase is unknown.  Sequence from the synthetic gene (shared/testdata/synthetic): SYN1 codon 2 = c.4-6 = TTC
at synth:304-306 (Phe); 304 T>C gives CTC (Leu), 305 T>C gives TCC (Ser), both on one haplotype CCC (Pro)."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import pysam
import pytest

from il1rn_annot.codon_pairs import CodonHaplotypes
from il1rn_annot.consequence.annotate import Annotator
from il1rn_annot.model.gff import models_by_contig, parse
from il1rn_annot.sources.fasta import FastaReference
from il1rn_annot.variants.genotypes import GenotypeMatrix, SampleCall

from conftest import TESTDATA, need_shared, need_tool
from vcf_text import file_records

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


def _samples(vcf) -> tuple[str, ...]:
    with pysam.VariantFile(str(vcf)) as vf:
        return tuple(vf.header.samples)


def _codon_analysis(records, samples):
    """Annotate with the synthetic GFF3 + FASTA and run the codon analysis over the records, one record at a
    time (the file-level API is IL1RN/chr2-only, so the steps are composed here as pipeline.run.annotate does)."""
    with open(SYN / "synth.gff3") as fh:
        model = models_by_contig(parse(fh))["synth"]
    ref = FastaReference(SYN / "synth.fa")
    ann = Annotator(model, reference=ref)
    analysis = CodonHaplotypes(model, samples, ref)
    for rec in records:
        analysis.observe(ann.annotate_record(rec))
    return analysis.finish()


def _pairs(vcf):
    return _codon_analysis(file_records(vcf), _samples(vcf))


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


def _per_sample_calls(path) -> list[GenotypeMatrix]:
    """Each record's genotypes built one SampleCall per sample through pysam (GT, phasing, PS)."""
    out = []
    with pysam.VariantFile(str(path)) as vf:
        for raw in vf:
            out.append(GenotypeMatrix.from_calls(
                SampleCall(name, tuple(call["GT"]), bool(call.phased), phase_set=call.get("PS"))
                for name, call in raw.samples.items()))
    return out


def test_columnar_genotypes_give_the_same_pairs(vcf, tmp_path):
    """Cohort path: the carriers of both ALTs are found with numpy over the matrix read by htslib (cyvcf2);
    the pairs and their order must be those of the matrix built one SampleCall per sample.  Samples repeated
    x4."""
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
    samples = _samples(path)
    columnar = file_records(path)
    per_sample = [replace(rec, calls=calls) for rec, calls in zip(columnar, _per_sample_calls(path), strict=True)]
    assert [list(r.calls) for r in per_sample] == [list(r.calls) for r in columnar]
    results = [_codon_analysis(records, samples).per_sample for records in (per_sample, columnar)]
    assert results[0] == results[1] and len(results[0]) == 20
    assert ":cis:" in results[1]["cis_3"]["codon_pairs"][0]


def test_a_cis_pair_in_il1rn_is_inferred_without_a_genome(tmp_path):
    """E77X (c.229G>T, ClinVar 14675) and c.230A>C in cis: Glu77 is GAA/GAG (the A at c.230 is Glu's own 2nd base),
    so one haplotype reads TCA/TCG = Ser: a missense change, not the stop either change alone suggests."""
    from il1rn_annot.model.gene_model import load_gene_model
    from il1rn_annot.variants.record import Record

    model = load_gene_model("GRCh38")
    samples = ("cis",)
    recs = []
    for i, (pos, ref, alt) in enumerate(((113131068, "G", "T"), (113131069, "A", "C"))):
        calls = GenotypeMatrix.from_calls([SampleCall("cis", (0, 1), True)])
        recs.append(Record("chr2", pos, ".", ref, (alt,), None, (), {}, calls, index=i))
    ann = Annotator(model)
    analysis = CodonHaplotypes(model, samples, None)
    for rec in recs:
        analysis.observe(ann.annotate_record(rec))
    labels = analysis.finish().per_sample["cis"]["codon_pairs"]
    (label,) = [lab for lab in labels if f":{model.mane.transcript_id}:" in lab]
    assert ":cis:" in label and "missense_variant NP_776214.1:p.(Glu77Ser)" in label
    # the 180-aa isoform shares the codon (MANE c. + 9): the same change, on its DERIVED RefSeq numbering
    assert any("NM_173841.2:p.(Glu80Ser)" in lab for lab in labels)
