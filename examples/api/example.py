"""Python API tour: annotate the example VCF, then work with the results as pandas DataFrames, pyranges and
JSON-able per-sample reports.

    python examples/api/example.py [OUTDIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import il1rn_annot
from il1rn_annot.api import annotate_vcf, genotypes_frame, read_table, samples_frame, to_pyranges, variants_frame
from il1rn_annot.sinks.json_reports import sample_report

HERE = Path(__file__).resolve().parent
VCF = HERE.parent / "il1rn_example_GRCh38.vcf"


def main(outdir: str) -> int:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    # 1. one call annotates and writes the files (all or nothing); the summary keeps the window's alleles
    #    (without their genotypes) and every analysis result
    run = annotate_vcf(str(VCF), str(out / "example.il1rn.vcf.gz"), html=str(out / "example.il1rn.html"),
                       json_dir=str(out / "json"), command_line="examples/api/example.py")
    print(run.line())

    # 2. DataFrames of every table (typed: Int64 positions and counts, strings elsewhere)
    variants = variants_frame(run)
    mane = variants[variants["MANE"] == "MANE_Select"][["POS", "ID", "Region", "Exon", "Intron", "HGVS_pos"]]
    print("\nalleles on MANE Select:\n" + mane.to_string(index=False))
    genotypes = read_table(str(out / "example.il1rn.genotypes.tsv"))  # long: one row per allele x listed sample
    carriers = genotypes[genotypes["allele_copies"] > 0].groupby("sample")["POS"].count()
    print("\nALT alleles carried per sample:\n" + carriers.to_string())
    print("\nper-sample table:\n" + samples_frame(run).to_string(index=False))

    # 3. pyranges of the alleles (0-based half-open Start/End) for interval joins
    gr = to_pyranges(run)
    print(f"\npyranges: {len(gr)} alleles; columns {list(gr.df.columns[:6])} ...")

    # 4. the per-sample report as a dict (what --json writes), e.g. for a LIMS
    report = sample_report(run, "PATIENT_E77X_HOM")
    hom = [v for v in report["variants"] if v["genotype"]["zygosity"] == "hom_alt"]
    print(f"\nPATIENT_E77X_HOM homozygous: {[(v['pos'], v['ref'], v['alt']) for v in hom]}; "
          f"analyses: {sorted(report['analyses']) or 'none installed'}")

    # 5. without writing anything: stream the annotations (each with its record's genotypes)
    alleles = list(il1rn_annot.annotate_variants(str(VCF)))
    n = len(alleles)
    print(f"\ngenotype rows from the annotations themselves: {len(genotypes_frame(alleles))}")
    print(f"\nannotate_variants yielded {n} alleles; the gene model has "
          f"{len(il1rn_annot.load_gene_model('GRCh38').transcripts)} transcripts")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "il1rn_api_example"))
