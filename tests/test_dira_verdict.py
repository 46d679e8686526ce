"""Per-sample DIRA verdicts on the scenario VCFs (both builds), their stability, policies and outputs."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pysam
import pytest
from conftest import FIXTURES, need_tool, run_analysis

from il1rn_annot.api import annotate_vcf
from il1rn_annot.cli import main
from il1rn_annot.columns import jsonable

DIRA = FIXTURES / "dira"
sys.path.insert(0, str(DIRA))
from make_scenarios import expected, gvcf_text, pm3_text, vcf_text  # noqa: E402  (the generator is the spec)

PED = str(DIRA / "trio.ped")
BUILDS = ["GRCh38", "GRCh37"]


def scenario(build: str) -> Path:
    return DIRA / f"scenarios_{build}.vcf"


def run(vcf, tmp_path, name="out", **options):
    ped = options.pop("ped", PED)
    s = annotate_vcf(str(vcf), str(tmp_path / f"{name}.annotated.vcf"), dira=options, ped=ped or None,
                     use_imported_reference=False)
    return next(r for r in s.analyses if r.name == "dira")


def verdicts(result) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {s: (d["verdict"], tuple(d["flags"])) for s, d in result.per_sample.items()}


def test_fixtures_are_what_the_generator_writes():
    for build in BUILDS:
        assert scenario(build).read_text() == vcf_text(build), "run tests/fixtures/dira/make_scenarios.py"
        assert (DIRA / f"gvcf_blocks_{build}.vcf").read_text() == gvcf_text(build)
        assert (DIRA / f"pm3_cohort_{build}.vcf").read_text() == pm3_text(build)


@pytest.mark.parametrize("build", BUILDS)
@pytest.mark.parametrize("fixture,ped,n", [("scenarios", PED, 44), ("gvcf_blocks", None, 3),
                                          ("pm3_cohort", str(DIRA / "pm3_probands.ped"), 2)])
def test_every_scenario_gets_its_expected_verdict_and_flags(build, fixture, ped, n, tmp_path):
    result = run(DIRA / f"{fixture}_{build}.vcf", tmp_path, ped=ped)
    assert len(result.per_sample) == n
    wrong = {}
    for sample, (verdict, flags) in verdicts(result).items():
        want, want_flags = expected(sample)
        if verdict != want or not set(want_flags) <= set(flags):
            wrong[sample] = (verdict, flags)
    assert not wrong


@pytest.mark.parametrize("build", BUILDS)
def test_trio_child_needs_the_ped_to_be_biallelic(build, tmp_path):
    child = "TRIO_child__EXPECT_BIALLELIC"
    with_ped = run(scenario(build), tmp_path, "ped").per_sample[child]
    assert with_ped["verdict"] == "BIALLELIC"
    (phase,) = with_ped["phase_evidence"]
    assert (phase["source"], phase["from_genotypes"], phase["from_ped"]) == ("pedigree", "unknown", "trans")
    without = run(scenario(build), tmp_path, "noped", ped=None).per_sample[child]
    assert without["verdict"] == "POSSIBLE_BIALLELIC_PHASE_UNKNOWN"


@pytest.mark.parametrize("build", BUILDS)
def test_same_allele_written_three_ways_matches_three_times(build, tmp_path):
    result = run(scenario(build), tmp_path)
    forms = {(v["variant"]) for v in result.cohort["variants"]
             if any(c["allele_id"] == "N52KfsX25" for c in v["catalogue"])}
    # left-shifted AAC>A, ClinVar-padded ACA>A, multi-allelic AACA>AA (and ACA>A as ALT1 of another record)
    assert len(forms) >= 3, forms
    pos = {f.split()[0] for f in forms}
    assert len(pos) == 2 and len({f.split()[1] for f in forms}) == 3
    # every sample's catalogue-site status lists the call of every allele matching it, in input order
    keys = [v["variant"] for v in result.cohort["variants"]
            if any(c["allele_id"] == "N52KfsX25" for c in v["catalogue"])]
    assert len(keys) == 4  # ACA>A is also ALT1 of a second record
    for sample, d in result.per_sample.items():
        status = d["catalogue_sites"]["N52KfsX25"]
        assert status.startswith("called: ") and [c.split(" at ")[1] for c in status[8:].split("; ")] == keys, sample


@pytest.mark.parametrize("build", BUILDS)
def test_whole_gene_deletion_lists_the_removed_genes(build, tmp_path):
    d = run(scenario(build), tmp_path).per_sample["HOM_whole_gene_DEL__EXPECT_BIALLELIC"]
    (q,) = d["qualifying_variants"]
    assert set(q["genes_removed"]) == {"IL36G", "IL36A", "IL36B", "IL36RN", "IL1F10", "IL1RN"}
    assert "NM_173842.3" in q["transcripts_removed"] and q["catalogue"] == ["del175kb_PR"]


def test_not_observed_is_never_reference(tmp_path):
    d = run(scenario("GRCh38"), tmp_path).per_sample["all_reference__EXPECT_NO_QUALIFYING_VARIANT"]
    sites = d["catalogue_sites"]
    assert sites["E77X"].startswith("called: 0/0")
    assert sites["del2.6kb"].startswith("no coordinates")
    # remove the E77X record: the site becomes "not observed", and the reasons say so
    text = "".join(l for l in scenario("GRCh38").read_text().splitlines(keepends=True) if "\tE77X\t" not in l)
    (tmp_path / "no_e77x.vcf").write_text(text)
    d = run(tmp_path / "no_e77x.vcf", tmp_path, "n").per_sample["all_reference__EXPECT_NO_QUALIFYING_VARIANT"]
    assert d["catalogue_sites"]["E77X"] == "not_observed"
    assert any("NOT OBSERVED" in r and "E77X" in r for r in d["reasons"])


@pytest.mark.parametrize("options,sample,verdict", [
    ({"half_call": "het"}, "E77X_half_call__EXPECT_NOT_ASSESSABLE__FLAG_half_call", "CARRIER"),
    ({"half_call": "missing"}, "E77X_half_call__EXPECT_NOT_ASSESSABLE__FLAG_half_call", "NOT_ASSESSABLE"),
    ({"haploid": "not_assessable"}, "E77X_haploid__EXPECT_POSSIBLE_BIALLELIC_PHASE_UNKNOWN__FLAG_haploid_call", "NOT_ASSESSABLE"),
    ({"haploid": "biallelic"}, "E77X_haploid__EXPECT_POSSIBLE_BIALLELIC_PHASE_UNKNOWN__FLAG_haploid_call", "BIALLELIC"),
    ({"filtered": "use"}, "E77X_FT_fail__EXPECT_NOT_ASSESSABLE__FLAG_filtered_call", "BIALLELIC"),
    ({"min_gq": 0}, "E77X_low_GQ__EXPECT_NOT_ASSESSABLE__FLAG_low_quality_call", "BIALLELIC"),
    ({"qualifying_classes": "pathogenic,likely_pathogenic,uncertain"}, "HOM_C94F_not_DIRA__EXPECT_NO_QUALIFYING_VARIANT", "BIALLELIC"),
    ({"qualifying_classes": "pathogenic"}, "HOM_Q119X__EXPECT_BIALLELIC", "NO_QUALIFYING_VARIANT"),
])
def test_policies_are_configurable(options, sample, verdict, tmp_path):
    assert run(scenario("GRCh38"), tmp_path, **options).per_sample[sample]["verdict"] == verdict


# -- stability: shuffled, split, renamed ---------------------------------------------------------------

def _split_text(text: str) -> tuple[list[str], list[str]]:
    lines = text.splitlines(keepends=True)
    return [l for l in lines if l.startswith("#")], [l for l in lines if not l.startswith("#")]


def _rename(text: str, old: str, new: str, length: int) -> str:
    head, body = _split_text(text)
    head = [l.replace(f"##contig=<ID={old},", f"##contig=<ID={new},") for l in head]
    return "".join(head) + "".join(new + l[len(old):] for l in body)


@pytest.mark.peer
@pytest.mark.parametrize("build", BUILDS)
def test_verdicts_stable_under_shuffle_split_and_rename(build, tmp_path):
    bcftools = need_tool("bcftools")
    base = verdicts(run(scenario(build), tmp_path, "base"))
    head, body = _split_text(scenario(build).read_text())
    random.Random(7).shuffle(body)
    (tmp_path / "shuffled.vcf").write_text("".join(head + body))
    subprocess.run([bcftools, "sort", "-o", str(tmp_path / "sorted.vcf"), str(tmp_path / "shuffled.vcf")],
                   check=True, capture_output=True)
    assert verdicts(run(tmp_path / "sorted.vcf", tmp_path, "sorted")) == base
    subprocess.run([bcftools, "norm", "-m", "-any", "-o", str(tmp_path / "split.vcf"), str(scenario(build))],
                   check=True, capture_output=True)
    split_text = (tmp_path / "split.vcf").read_text()
    assert split_text.count("\n2") + split_text.count("\nchr2") > scenario(build).read_text().count("\nchr2") \
        + scenario(build).read_text().count("\n2")
    assert verdicts(run(tmp_path / "split.vcf", tmp_path, "split")) == base
    old, new = ("chr2", "2") if build == "GRCh38" else ("2", "chr2")
    (tmp_path / "renamed.vcf").write_text(_rename(scenario(build).read_text(), old, new, 0))
    assert verdicts(run(tmp_path / "renamed.vcf", tmp_path, "renamed")) == base
    # bgzipped + tabix-indexed: the window is fetched through the index (the whole-gene <DEL> starts 155 kb
    # upstream of IL1RN and must still be found through its END)
    gz = tmp_path / "indexed.vcf.gz"
    subprocess.run([bcftools, "view", "-Oz", "-o", str(gz), str(scenario(build))], check=True, capture_output=True)
    subprocess.run([bcftools, "index", "-t", str(gz)], check=True, capture_output=True)
    assert verdicts(run(gz, tmp_path, "indexed")) == base
    # all three at once
    (tmp_path / "all.vcf").write_text(_rename(split_text, old, new, 0))
    assert verdicts(run(tmp_path / "all.vcf", tmp_path, "all")) == base


# -- outputs ----------------------------------------------------------------------------------------------

def test_vcf_carries_class_per_allele_and_verdict_per_sample(tmp_path):
    out = tmp_path / "cli.vcf"
    assert main(["annotate", str(scenario("GRCh38")), "-o", str(out), "--ped", PED, "-q", "--no-imported-reference"]) == 0
    with pysam.VariantFile(str(out)) as vf:
        assert "IL1RN_DIRA" in vf.header.formats and "IL1RN_DIRA_CLASS" in vf.header.info
        recs = {r.id: r for r in vf}
    e77x = recs["E77X"]
    assert e77x.info["IL1RN_DIRA_CLASS"] == ("pathogenic",)
    assert e77x.info["IL1RN_DIRA_CATALOGUE"] == ("E77X",)
    assert e77x.samples["E77X_c140delC_phased_cis__EXPECT_CARRIER"]["IL1RN_DIRA"] == "CARRIER"
    multi = recs["N52_multi"]
    assert multi.info["IL1RN_DIRA_CATALOGUE"] == ("N52KfsX25", ".")
    header = (tmp_path / "cli.tsv").read_text().splitlines()[0].split("\t")
    assert {"DIRA_class", "DIRA_codes", "DIRA_catalogue"} <= set(header)


def test_per_sample_results_are_json_serialisable_and_explain_themselves(tmp_path):
    result = run(scenario("GRCh38"), tmp_path)
    json.dumps(dict(result.per_sample))  # a LazyPerSample for cohorts (>= 8 samples): dict() builds every section
    json.dumps(jsonable(result.cohort))  # cohort values may be lazy read-only sequences (AnalysisResult)
    trans = result.per_sample["E77X_c140delC_phased_trans__EXPECT_BIALLELIC"]
    assert trans["n_qualifying"] == 2 and "E77X" in trans["qualifying_summary"]
    assert trans["phase_summary"].endswith("trans (read_backed)")
    for sample, d in result.per_sample.items():
        assert d["reasons"], sample
        assert {"verdict", "qualifying_variants", "phase_evidence", "evidence_codes", "reasons"} <= set(d)


def test_bad_dira_option_is_a_usage_error(tmp_path, capsys):
    rc = main(["annotate", str(scenario("GRCh38")), "-o", str(tmp_path / "x.vcf"), "--dira-qualifying", "maybe"])
    assert rc == 2 and "maybe" in capsys.readouterr().err
    assert not (tmp_path / "x.vcf").exists()


def test_missing_ped_file_is_an_input_error(tmp_path, capsys):
    rc = main(["annotate", str(scenario("GRCh38")), "-o", str(tmp_path / "x.vcf"), "--ped", str(tmp_path / "no.ped")])
    assert rc == 1 and "--ped" in capsys.readouterr().err


def test_copy_number_is_read_and_a_disagreement_with_gt_is_shown():
    from il1rn_annot.consequence.annotate import Annotator
    from il1rn_annot.dira.analysis import DiraAnalysis
    from il1rn_annot.model.gene_model import load_gene_model
    from il1rn_annot.variants.genotypes import GenotypeMatrix, SampleCall
    from il1rn_annot.variants.record import Record

    model = load_gene_model("GRCh38")
    calls = GenotypeMatrix.from_calls([SampleCall("cn1_no_gt", (None, None), False, cn=1.0),
                                       SampleCall("het_but_cn0", (0, 1), False, cn=0.0)])
    rec = Record("chr2", 113090000, ".", "N", ("<DEL>",), None, ("PASS",), {"END": 113140000}, calls)
    result = run_analysis(DiraAnalysis(model, ("cn1_no_gt", "het_but_cn0")), Annotator(model).annotate_record(rec))
    cn1 = result.per_sample["cn1_no_gt"]
    assert cn1["verdict"] == "CARRIER" and cn1["qualifying_variants"][0]["flags"] == ["copies_from_CN"]
    odd = result.per_sample["het_but_cn0"]
    assert odd["verdict"] == "CARRIER" and "disagrees with CN=0" in odd["qualifying_variants"][0]["flags"][0]


def test_a_gvcf_reference_block_calls_the_catalogue_sites_it_covers():
    from il1rn_annot.consequence.annotate import Annotator
    from il1rn_annot.dira.analysis import DiraAnalysis
    from il1rn_annot.model.gene_model import load_gene_model
    from il1rn_annot.variants.genotypes import GenotypeMatrix, SampleCall
    from il1rn_annot.variants.record import Record

    model = load_gene_model("GRCh38")
    # a reference block from 113131050 to 113131100 (REF base unknown: N) covers E77X (113131068); it calls the
    # site only with a called genotype and GQ >= 20 (no GQ, GQ 0 or ./.: not assessable, never reference)
    names = ("gq50", "no_gq", "gq0", "missing")
    block = Record("chr2", 113131050, ".", "N", ("<NON_REF>",), None, ("PASS",), {"END": 113131100},
                   GenotypeMatrix.from_calls([SampleCall("gq50", (0, 0), False, gq=50),
                                              SampleCall("no_gq", (0, 0), False),
                                              SampleCall("gq0", (0, 0), False, gq=0),
                                              SampleCall("missing", (None, None), False, gq=50)]))
    result = run_analysis(DiraAnalysis(model, names), Annotator(model).annotate_record(block))
    sites = result.per_sample["gq50"]["catalogue_sites"]
    assert sites["E77X"].startswith("site called") and "0/0" in sites["E77X"]
    assert sites["Q54X"] == "not_observed"
    assert result.per_sample["gq50"]["verdict"] == "NO_QUALIFYING_VARIANT"
    for s in ("no_gq", "gq0", "missing"):
        d = result.per_sample[s]
        assert d["catalogue_sites"]["E77X"].startswith("not assessable"), s
        assert d["verdict"] == "NOT_ASSESSABLE" and "reference_block_not_called" in d["flags"], s
    assert result.format["IL1RN_DIRA"] == ["NO_QUALIFYING_VARIANT"] + ["NOT_ASSESSABLE"] * 3


def test_a_large_deletion_is_not_called_by_a_reference_block_or_snv_inside_it():
    """del22kb (GRCh38 113,107,434-113,129,650): a reference block over its last bases calls the point sites it
    covers, but 0/0 there cannot exclude a heterozygous 22-kb deletion: only a deletion record can show it."""
    from il1rn_annot.consequence.annotate import Annotator
    from il1rn_annot.dira.analysis import DiraAnalysis
    from il1rn_annot.model.gene_model import load_gene_model
    from il1rn_annot.variants.genotypes import GenotypeMatrix, SampleCall
    from il1rn_annot.variants.record import Record

    model = load_gene_model("GRCh38")
    block = Record("chr2", 113129580, ".", "N", ("<NON_REF>",), None, ("PASS",), {"END": 113129700},
                   GenotypeMatrix.from_calls([SampleCall("s", (0, 0), False, gq=60)]))
    result = run_analysis(DiraAnalysis(model, ("s",)), Annotator(model).annotate_record(block))
    sites = result.per_sample["s"]["catalogue_sites"]
    assert all(sites[k].startswith("site called") for k in ("Q45X", "c.140delC", "N52KfsX25", "Q54X"))
    assert sites["del22kb"] == "not_observed"
    assert any("del22kb" in r and "NOT OBSERVED" in r for r in result.per_sample["s"]["reasons"])


def test_phase_from_genotypes_and_from_parents_are_reported_apart_and_a_conflict_is_unknown():
    from il1rn_annot.consequence.annotate import Annotator
    from il1rn_annot.dira.analysis import DiraAnalysis
    from il1rn_annot.dira.verdict import Trio
    from il1rn_annot.model.gene_model import load_gene_model
    from il1rn_annot.variants.genotypes import GenotypeMatrix, SampleCall
    from il1rn_annot.variants.record import Record

    model = load_gene_model("GRCh38")
    names = ("kid", "dad", "mum")
    # the child's phased genotypes say cis (same haplotype, same PS); the parents say trans
    e77x = Record("chr2", 113131068, ".", "G", ("T",), None, ("PASS",), {}, GenotypeMatrix.from_calls([
        SampleCall("kid", (0, 1), True, phase_set=7), SampleCall("dad", (0, 1), False), SampleCall("mum", (0, 0), False)]), 0)
    c140 = Record("chr2", 113129598, ".", "AC", ("A",), None, ("PASS",), {}, GenotypeMatrix.from_calls([
        SampleCall("kid", (0, 1), True, phase_set=7), SampleCall("dad", (0, 0), False), SampleCall("mum", (0, 1), False)]), 1)
    anns = [a for r in (c140, e77x) for a in Annotator(model).annotate_record(r)]
    kid = run_analysis(DiraAnalysis(model, names, ped={"kid": Trio("kid", "dad", "mum")}), anns).per_sample["kid"]
    (p,) = kid["phase_evidence"]
    assert (p["from_genotypes"], p["from_ped"], p["phase"]) == ("cis", "trans", "unknown")
    assert "CONFLICT" in p["detail"] and kid["verdict"] == "POSSIBLE_BIALLELIC_PHASE_UNKNOWN"
    alone = run_analysis(DiraAnalysis(model, names), anns).per_sample["kid"]
    assert alone["verdict"] == "CARRIER" and alone["phase_evidence"][0]["source"] == "read_backed"
