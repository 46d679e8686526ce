"""--vntr-tags: a lab's own tag-SNP table replaces the bundled one (which holds no usable marker: see
resources/notes/vntr_sources.md).  The r2 and allele pairing below are HYPOTHETICAL test values written by the
test, labelled as such in the table - they are not published facts and nothing here ships them."""

from __future__ import annotations

import json

import pysam
import pytest

from il1rn_annot.cli import main
from il1rn_annot.vntr.definition import TAG_COLUMNS
from conftest import FIXTURES

VCF = FIXTURES / "vntr" / "tag_snps_only.GRCh38.vcf"  # rs419598 0/1 and rs315952 0/1 (real records)


def lab_table(tmp_path, r2="0.85", tagged="*2", pairing="ALT (lab phased long reads)"):
    row = {"rsid": "rs419598", "grch38_pos": "113129630", "grch37_pos": "113887207", "ref": "T", "alt": "C",
           "tagged_allele": tagged, "tag_alt_allele_tags": pairing, "r2": r2, "dprime": "",
           "population": "HYPOTHETICAL test cohort", "source": "TEST ONLY: hypothetical lab estimate, not published",
           "position_source": "bundled vntr_tag_snps.tsv", "notes": ""}
    p = tmp_path / "lab_tags.tsv"
    p.write_text("## note: HYPOTHETICAL values for a test\n" + "\t".join(TAG_COLUMNS) + "\n"
                 + "\t".join(row[c] for c in TAG_COLUMNS) + "\n")
    return p


def test_a_tag_snp_only_is_inferred_with_its_confidence_and_source(tmp_path):
    out = tmp_path / "o.vcf"
    assert main(["annotate", str(VCF), "-o", str(out), "--vntr-tags", str(lab_table(tmp_path)),
                 "--json", str(tmp_path / "j")]) == 0
    rec = [r for r in pysam.VariantFile(str(out)) if r.pos == 113129630][0]
    s = rec.samples["TAG_SNPS_ONLY"]
    assert s["IL1RN_VNTR_METHOD"] == "inferred" and s["IL1RN_VNTR_CONF"] == "moderate"
    assert s["IL1RN_VNTR_STAR2"] == "1"  # unphased 0/1 at a *2 tag: exactly one *2, every partner listed
    assert s["IL1RN_VNTR"].split("|") == ["IL1RN*1/*2", "IL1RN*2/*3", "IL1RN*2/*4", "IL1RN*2/*5"]
    assert rec.info["IL1RN_VNTR_TAG"].startswith("rs419598|position|0.85|usable")
    vntr = json.loads((tmp_path / "j" / "TAG_SNPS_ONLY.json").read_text())
    section = json.dumps(vntr)
    assert "TEST ONLY: hypothetical lab estimate" in section and '"markers_used": ["rs419598"]' in section
    cohort = json.loads((tmp_path / "j" / "cohort.json").read_text())
    assert "lab_tags.tsv#sha256:" in json.dumps(cohort)


def test_a_weak_lab_marker_is_typed_but_not_used(tmp_path):
    out = tmp_path / "o.vcf"
    assert main(["annotate", str(VCF), "-o", str(out), "--vntr-tags", str(lab_table(tmp_path, r2="0.3"))]) == 0
    s = [r for r in pysam.VariantFile(str(out)) if r.pos == 113129630][0].samples["TAG_SNPS_ONLY"]
    assert s["IL1RN_VNTR_METHOD"] == "unknown" and s["IL1RN_VNTR_STAR2"] == "0-2"


@pytest.mark.parametrize("bad,needle", [("r2=1.7", "not between 0 and 1"), ("tagged=2", "not a VNTR allele"),
                                        ("columns", "missing column")])
def test_a_bad_tag_table_is_a_one_line_error_and_nothing_is_written(tmp_path, capsys, bad, needle):
    p = lab_table(tmp_path, r2="1.7" if bad == "r2=1.7" else "0.85", tagged="2" if bad == "tagged=2" else "*2")
    if bad == "columns":
        p.write_text("rsid\tr2\nrs419598\t0.9\n")
    out = tmp_path / "o.vcf"
    assert main(["annotate", str(VCF), "-o", str(out), "--vntr-tags", str(p)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0] and "lab_tags.tsv" in err[0]
    assert not out.exists()
