#!/usr/bin/env bash
# The command-line tour: annotate the example VCF and write every output il1rn-annot has.
#   bash examples/cli/run.sh [OUTDIR]        (default: ./il1rn_cli_example)
# Set IL1RN_ANNOT to override the command (default: il1rn-annot, or python -m il1rn_annot if not on PATH).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
vcf="$here/../il1rn_example_GRCh38.vcf"
out="${1:-il1rn_cli_example}"
if [[ -n "${IL1RN_ANNOT:-}" ]]; then read -r -a tool <<<"$IL1RN_ANNOT"
elif command -v il1rn-annot >/dev/null; then tool=(il1rn-annot)
else tool=(python3 -m il1rn_annot); fi
mkdir -p "$out"

# 1. where is IL1RN? (pre-filter big files with bcftools/tabix using this region)
"${tool[@]}" region --build GRCh38 > "$out/region.txt"

# 2. annotate: VCF + tables + per-sample JSON + HTML report + Parquet copies of the tables
"${tool[@]}" annotate "$vcf" -o "$out/example.il1rn.vcf.gz" \
    --samples-tsv "$out/example.il1rn.samples.tsv" \
    --json "$out/json" --html "$out/example.il1rn.html" --parquet

# 3. look at the results
echo "region: $(cat "$out/region.txt")"
echo "variant table (MANE Select rows):"
awk -F'\t' 'NR==1{for(i=1;i<=NF;i++)c[$i]=i} NR==1||$c["MANE"]=="MANE_Select"{print $c["POS"]"\t"$c["ID"]"\t"$c["Region"]"\t"$c["Exon"]"\t"$c["Intron"]"\t"$c["HGVS_pos"]}' \
    "$out/example.il1rn.tsv"
echo "per-sample table:"
cat "$out/example.il1rn.samples.tsv"
echo "outputs in $out:"
(cd "$out" && ls -1 . json)
