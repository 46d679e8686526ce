"""ACMG criteria as data: every criterion shown per allele, the two combining systems (checked against the PyPI
package acmg-points), PVS1 and the evidence it rests on, PM3 without circularity, the user's population file
(both builds, founder-aware), and the Phenopacket export validated against the schema."""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import pytest

from conftest import EXOME37, FIXTURES, KG37, KG38, SLICE38, need_module, need_shared, with_mane_effect
from il1rn_annot.api import annotate_vcf
from il1rn_annot.consequence.annotate import Annotator
from il1rn_annot.dira.catalogue import load_catalogue
from il1rn_annot.dira.classify import classify
from il1rn_annot.dira.criteria import Criterion, Status, Strength, combine_criteria, met, rules_2015
from il1rn_annot.dira.options import DiraOptions
from il1rn_annot.errors import InputError
from il1rn_annot.model.gene_model import load_gene_model
from il1rn_annot.variants.record import Record

DIRA = FIXTURES / "dira"
sys.path.insert(0, str(DIRA))
from make_scenarios import OFFSET_37, expected, population_text  # noqa: E402  (the generator is the spec)

BUILDS = ["GRCh38", "GRCh37"]
EVERY_CRITERION = {"PVS1", "PS1", "PS2", "PS3", "PM1", "PM2", "PM3", "PM4", "PM5", "PP1", "PP3", "PP4", "BA1", "BS1",
                   "BS2", "BP4", "BP7"}
MODEL = load_gene_model("GRCh38")
CAT = load_catalogue("GRCh38")


def allele(pos, ref, alt, info=None, mane_terms=None, hgvs_p=""):
    rec = Record("chr2", pos, ".", ref, (alt,), None, ("PASS",), info or {})
    (a,) = Annotator(MODEL).annotate_record(rec)
    if mane_terms is not None:
        a = with_mane_effect(a, mane_terms, hgvs_p)
    return a


def run(vcf, tmp_path, name="out", ped=None, **settings):
    s = annotate_vcf(str(vcf), str(tmp_path / f"{name}.vcf"), ped=ped, use_imported_reference=False, **settings)
    return s, next(r for r in s.analyses if r.name == "dira")


# -- combining: ours against acmg-points ------------------------------------------------------------------

CODES = [("PVS1", Strength.VERY_STRONG), ("PVS1", Strength.STRONG), ("PS1", Strength.STRONG),
         ("PM3", Strength.MODERATE), ("PM3", Strength.SUPPORTING), ("PM4", Strength.MODERATE), ("PM5", Strength.MODERATE),
         ("PM2", Strength.SUPPORTING), ("PP3", Strength.SUPPORTING), ("PP3", Strength.MODERATE),
         ("BA1", Strength.STAND_ALONE), ("BS1", Strength.STRONG), ("BS2", Strength.STRONG), ("BP4", Strength.SUPPORTING),
         ("BP7", Strength.SUPPORTING)]


def _token(c: Criterion) -> str:
    return c.code if c.strength is Strength.STAND_ALONE else \
        f"{c.code}_{ {Strength.VERY_STRONG: 'VeryStrong', Strength.STRONG: 'Strong', Strength.MODERATE: 'Moderate', Strength.SUPPORTING: 'Supporting'}[c.strength]}"


def test_both_combining_systems_agree_with_acmg_points_on_every_small_criteria_set():
    acmg = need_module("acmg_points.core", "acmg-points (PyPI) is the peer check: pip install -e '.[test]'")
    names = {"pathogenic": "Pathogenic", "likely_pathogenic": "Likely pathogenic", "uncertain": "Uncertain significance",
             "likely_benign": "Likely benign", "benign": "Benign"}
    checked = disagreements = ba1_differs = 0
    for n in range(0, 4):
        for combo in itertools.combinations(CODES, n):
            if len({c for c, _ in combo}) < n:
                continue  # one strength per code
            crit = [met(c, s, "test") for c, s in combo]
            ours = combine_criteria(crit)
            peer = acmg.classify([_token(c) for c in crit])
            assert ours.points == peer.total, combo
            if any(c == "BA1" for c, _ in combo):
                # a deliberate difference: acmg-points sums BA1 as -8 points; we keep BA1 stand-alone benign in the
                # points system too (Richards 2015; ClinGen SVI BA1, Ghosh 2018; outside Tavtigian's framework)
                assert ours.points_class == "benign", combo
                ba1_differs += peer.points_class != "Benign"
            else:
                assert names[ours.points_class] == peer.points_class, combo
            assert names[ours.class_2015] == peer.rules_class, (combo, rules_2015(crit), peer.rules_reason)
            checked += 1
            disagreements += bool(ours.disagreement)
    assert checked > 400 and disagreements > 0 and ba1_differs > 0


def test_pvs1_alone_is_where_the_systems_disagree():
    c = combine_criteria([met("PVS1", Strength.VERY_STRONG, "x")])
    assert (c.points_class, c.class_2015) == ("likely_pathogenic", "uncertain")
    assert c.disagreement == "points system says likely_pathogenic, 2015 rules say uncertain"


# -- every criterion, with the evidence it rests on -------------------------------------------------------

def test_every_criterion_is_evaluated_for_every_allele():
    vc = classify(allele(113132727, "T", "C"), MODEL, CAT, DiraOptions())
    assert {c.code for c in vc.criteria if not c.is_note} == EVERY_CRITERION
    assert all(c.reason for c in vc.criteria)
    assert all((c.points != 0) == (c.met and c.strength not in (Strength.NOT_SCORED,)) for c in vc.criteria
               if not c.is_note)


def test_catalogued_nonsense_gets_pvs1_without_a_fasta_from_the_inferred_stop():
    """E77X without any FASTA: the consequence engine infers stop_gained from the verified protein (Glu77 is
    GAR, so G>T at its first base is TAR, a stop either way) and PVS1 rests on it."""
    a = allele(113131068, "G", "T")
    mane = next(t for t in a.transcripts if t.location.transcript.mane_select)
    assert mane.effect.consequences == ("stop_gained",) and "inferred_without_genome" in mane.effect.rule
    pvs1 = classify(a, MODEL, CAT, DiraOptions()).criterion("PVS1")
    assert pvs1.met and pvs1.strength is Strength.VERY_STRONG
    assert "NMD predicted" in pvs1.reason and "published" not in pvs1.reason


def test_catalogued_nonsense_gets_pvs1_from_the_published_protein_change_when_the_engine_cannot_tell():
    """When the engine leaves the change undetermined (here forced: coding_sequence_variant), a catalogued
    nonsense allele still gets PVS1 from its published protein change, and the reason says so."""
    vc = classify(allele(113131068, "G", "T", mane_terms=["coding_sequence_variant"]), MODEL, CAT, DiraOptions())
    pvs1 = vc.criterion("PVS1")
    assert pvs1.met and pvs1.strength is Strength.VERY_STRONG
    assert "published protein change p.(Glu77Ter)" in pvs1.reason and "coding_sequence_variant" in pvs1.reason


def test_catalogued_nonsense_with_stop_gained_rests_on_the_consequence_engine():
    vc = classify(allele(113131068, "G", "T", mane_terms=["stop_gained"], hgvs_p="p.(Glu77Ter)"), MODEL, CAT, DiraOptions())
    pvs1 = vc.criterion("PVS1")
    assert pvs1.met and "MANE consequence stop_gained" in pvs1.reason and "published" not in pvs1.reason


def test_a_novel_coding_snv_that_may_make_a_stop_is_not_evaluable_for_pvs1_never_not_met():
    """c.259 is the first base of Gly87 (GGN): G>T gives TGN, which is Cys, Trp or a stop depending on the
    third base, which no known source fixes; the REF is written N.  PVS1 and BP7 are not evaluable, and the
    consequence's IMPACT is HIGH (a possible stop), so no filter loses it."""
    a = allele(113131098, "N", "T")
    mane = next(t for t in a.transcripts if t.location.transcript.mane_select)
    assert mane.effect.impact == "HIGH" and any(p.startswith("stop_gained:") for p in mane.effect.possible)
    vc = classify(a, MODEL, CAT, DiraOptions())
    assert vc.criterion("PVS1").status is Status.NOT_EVALUABLE
    assert vc.criterion("BP7").status is Status.NOT_EVALUABLE
    assert "a new stop codon cannot be excluded" in vc.criterion("PVS1").reason


def test_a_novel_coding_snv_that_cannot_change_the_protein_is_bp7_without_a_fasta():
    """c.261, the third base of Gly87 (GGN): any change there is synonymous (p.(Gly87=)), known without a FASTA."""
    vc = classify(allele(113131100, "N", "T"), MODEL, CAT, DiraOptions())
    assert vc.criterion("PVS1").status is Status.NOT_MET and vc.criterion("BP7").met


def test_a_new_canonical_splice_donor_is_pvs1_strong_and_uncertain_on_its_own():
    vc = classify(allele(113129665, "N", "A"), MODEL, CAT, DiraOptions())
    assert vc.codes == ("PVS1_Strong",) and vc.dira_class.value == "uncertain" and vc.candidate


def test_published_probands_give_pm3_with_the_svi_points():
    q54x = classify(allele(113129619, "C", "T"), MODEL, CAT, DiraOptions())  # 3 homozygous probands: capped 1.0
    pm3 = q54x.criterion("PM3")
    assert pm3.met and pm3.strength is Strength.MODERATE and pm3.reason.startswith("1 SVI PM3 points")
    r26x = classify(allele(113127700, "C", "T"), MODEL, CAT, DiraOptions())  # one homozygous proband: 0.5
    assert r26x.criterion("PM3").strength is Strength.SUPPORTING


def test_revel_gives_pp3_or_bp4_for_a_missense():
    hi = classify(allele(113131120, "G", "T", {"REVEL": (0.95,)}, ["missense_variant"], "p.(Cys94Phe)"), MODEL, CAT,
                  DiraOptions())
    assert hi.criterion("PP3").applied == "PP3_Strong"
    lo = classify(allele(113131120, "G", "T", {"REVEL": (0.1,)}, ["missense_variant"], "p.(Cys94Phe)"), MODEL, CAT,
                  DiraOptions())
    assert lo.criterion("BP4").applied == "BP4_Moderate" and lo.criterion("PP3").status is Status.NOT_MET


def test_the_class_system_is_a_policy_and_both_classes_are_always_reported():
    nonsense = allele(113129609, "N", "T", mane_terms=["stop_gained"], hgvs_p="p.(Gln50Ter)")
    points = classify(nonsense, MODEL, CAT, DiraOptions())
    lower = classify(nonsense, MODEL, CAT, DiraOptions(class_system="lower"))
    assert points.dira_class.value == "likely_pathogenic" and lower.dira_class.value == "uncertain"
    assert points.combined == lower.combined and points.combined.disagreement


# -- PM3 across samples: only independent, affected probands --------------------------------------------

@pytest.mark.parametrize("build", BUILDS)
def test_pm3_from_another_affected_proband_but_never_from_the_sample_itself(build, tmp_path):
    vcf = DIRA / f"pm3_cohort_{build}.vcf"
    _, both = run(vcf, tmp_path, "both", ped=str(DIRA / "pm3_probands.ped"))
    for sample, d in both.per_sample.items():
        assert d["verdict"] == expected(sample)[0] == "BIALLELIC"
        donor = next(v for v in d["qualifying_variants"] if v["class"] != "pathogenic")
        pm3 = next(c for c in donor["criteria"] if c["code"] == "PM3")
        other = "PROBAND_B" if sample.startswith("PROBAND_A") else "PROBAND_A"
        assert pm3["status"] == "met" and other in pm3["reason"] and sample not in pm3["reason"]
    # one affected proband alone: its own genotypes cannot raise its own allele (no circular PM3)
    (tmp_path / "one.ped").write_text("FAMA\tPROBAND_A__EXPECT_BIALLELIC\t0\t0\t1\t2\n")
    _, one = run(vcf, tmp_path, "one", ped=str(tmp_path / "one.ped"))
    assert one.per_sample["PROBAND_A__EXPECT_BIALLELIC"]["verdict"] == "UNCERTAIN_BIALLELIC_CANDIDATE"
    # without a PED nobody is known to be affected: no proband of the run counts
    _, none = run(vcf, tmp_path, "none")
    assert {d["verdict"] for d in none.per_sample.values()} == {"UNCERTAIN_BIALLELIC_CANDIDATE"}


# -- the user's population file ---------------------------------------------------------------------------

def population(build: str) -> Path:
    return DIRA / f"population_{build}.vcf.gz"


def test_population_fixture_is_what_the_generator_writes():
    import gzip

    for build in BUILDS:
        assert gzip.open(population(build), "rt").read() == population_text(build), "run make_scenarios.py"


def _variant_criteria(result, pos: int, ref: str, alt: str) -> dict[str, dict]:
    v = next(v for v in result.cohort["variants"] if v["variant"].endswith(f":{pos} {ref}>{alt}"))
    return {c["code"]: c for c in v["criteria"]}


@pytest.mark.parametrize("build", BUILDS)
def test_population_file_sets_ba1_bs1_pm2_and_a_founder_group_is_not_bs1(build, tmp_path):
    sh = 0 if build == "GRCh38" else OFFSET_37
    text = (DIRA / f"scenarios_{build}.vcf").read_text()
    contig = "chr2" if build == "GRCh38" else "2"
    extra = [f"{contig}\t{113129630 + sh}\trs419598\tT\tC\t.\tPASS\tDESC=exon2_synonymous",
             f"{contig}\t{113131216 + sh}\trs454078\tA\tT\t.\tPASS\tDESC=intron3"]
    head, body = text.split("\n#CHROM")
    header_line, *rows = ("#CHROM" + body).rstrip("\n").split("\n")
    n = len(header_line.split("\t")) - 9
    rows += [r + "\tGT:PS:GQ:FT:CN:PSL" + "\t0/0" * n for r in extra]
    rows.sort(key=lambda r: int(r.split("\t")[1]))
    vcf = tmp_path / f"with_common_{build}.vcf"
    vcf.write_text(head + "\n" + "\n".join([header_line, *rows]) + "\n")
    _, before = run(vcf, tmp_path, "before")
    _, after = run(vcf, tmp_path, "after", population_af=str(population(build)))
    # rs315952: BA1 (file AF_grpmax 0.4); the INFO AF of the input is then not used
    c = _variant_criteria(after, 113132727 + sh, "T", "C")
    assert c["BA1"]["status"] == "met" and "AF_grpmax=0.4" in c["BA1"]["reason"]
    # rs419598: BS1 (0.02 > 0.013), not evaluable before (no frequency at all)
    assert _variant_criteria(before, 113129630 + sh, "T", "C")["BS1"]["status"] == "not_evaluable"
    c = _variant_criteria(after, 113129630 + sh, "T", "C")
    assert c["BS1"]["status"] == "met" and c["BS2"]["status"] == "met"  # 4 homozygotes
    # rs454078: 3 % but in the Ashkenazi founder group; the highest other group (nfe 0.0004) is used: no BS1
    c = _variant_criteria(after, 113131216 + sh, "A", "T")
    assert c["BS1"]["status"] == "not_met" and "founder" in c["BS1"]["reason"] and "AF_nfe=0.0004" in c["BS1"]["reason"]
    # E77X: rare in the file -> PM2; Q54X: absent from the file -> PM2 (absence stated as such)
    assert _variant_criteria(before, 113131068 + sh, "G", "T")["PM2"]["status"] == "not_evaluable"
    assert _variant_criteria(after, 113131068 + sh, "G", "T")["PM2"]["status"] == "met"
    pm2 = _variant_criteria(after, 113129619 + sh, "C", "T")["PM2"]
    assert pm2["status"] == "met" and "absent from population_" in pm2["reason"]
    # the Newfoundland deletion written one base left of the file's record: matched as the same deletion
    pm2 = _variant_criteria(after, 113129613 + sh, "AAC", "A")["PM2"]
    assert pm2["status"] == "met" and "slid along a repeat" in pm2["reason"]
    assert after.cohort["population_af"].startswith(f"population_{build}.vcf.gz:AF_grpmax#")


def test_a_population_file_of_the_other_build_is_refused(tmp_path):
    with pytest.raises(InputError, match="GRCh37"):
        run(DIRA / "scenarios_GRCh38.vcf", tmp_path, population_af=str(population("GRCh37")))


def test_a_population_file_without_an_index_is_refused(tmp_path):
    import shutil

    shutil.copy(population("GRCh38"), tmp_path / "noindex.vcf.gz")
    with pytest.raises(InputError, match="no index"):
        run(DIRA / "scenarios_GRCh38.vcf", tmp_path, population_af=str(tmp_path / "noindex.vcf.gz"))


# -- real data ----------------------------------------------------------------------------------------------

@pytest.mark.shared
@pytest.mark.parametrize("path", [EXOME37, SLICE38], ids=["GRCh37_whole_exome", "GRCh38_lifted"])
def test_the_real_exome_is_no_qualifying_variant_with_every_criterion_shown(path, tmp_path):
    s, r = run(need_shared(path), tmp_path)
    (d,) = r.per_sample.values()
    assert d["verdict"] == "NO_QUALIFYING_VARIANT"
    assert len(r.cohort["variants"]) == 16
    for v in r.cohort["variants"]:
        assert {c["code"] for c in v["criteria"]} == EVERY_CRITERION, v["variant"]
        assert all(c["status"] in ("met", "not_met", "not_evaluable") and c["reason"] for c in v["criteria"])
        assert v["points_class"] and v["class_2015"]


@pytest.mark.shared
@pytest.mark.parametrize("path", [KG38, KG37], ids=["GRCh38", "GRCh37"])
def test_1000_genomes_with_the_population_style_checks_has_no_biallelic_sample(path, tmp_path):
    # the panel's genotypes are rebuilt from dosages (all unphased): nothing may be proven biallelic
    _, r = run(need_shared(path), tmp_path)
    counts = r.cohort["verdict_counts"]
    assert sum(counts.values()) == 2504 and not any(k.startswith(("BIALLELIC", "POSSIBLE", "UNCERTAIN")) for k in counts)
    (v,) = r.cohort["variants"]
    assert {c["code"] for c in v["criteria"]} == EVERY_CRITERION and v["points_class"] == "benign"


# -- Phenopacket --------------------------------------------------------------------------------------------

def test_phenopacket_of_the_biallelic_example_validates_against_the_schema(tmp_path):
    need_module("phenopackets", "the phenopacket extra: pip install -e '.[phenopacket]'")
    from google.protobuf import json_format
    from phenopackets import Phenopacket

    example = Path(__file__).resolve().parents[1] / "examples" / "il1rn_example_GRCh38.vcf"
    annotate_vcf(str(example), str(tmp_path / "out.vcf"), phenopacket_dir=str(tmp_path / "pp"),
                 use_imported_reference=False)
    doc = json.loads((tmp_path / "pp" / "PATIENT_E77X_HOM.phenopacket.json").read_text())
    msg = json_format.Parse(json.dumps(doc), Phenopacket(), ignore_unknown_fields=False)
    assert msg.meta_data.phenopacket_schema_version == "2.0" and msg.meta_data.created.seconds > 0
    (interp,) = msg.interpretations
    assert interp.diagnosis.disease.id == "OMIM:612852" and "BIALLELIC" in interp.summary
    (gi,) = interp.diagnosis.genomic_interpretations
    vi = gi.variant_interpretation
    assert json_format.MessageToDict(vi)["acmgPathogenicityClassification"] == "PATHOGENIC"
    vd = vi.variation_descriptor
    assert vd.allelic_state.id == "GENO:0000136" and vd.vcf_record.pos == 113131068
    assert [e.value for e in vd.expressions][0] == "NM_173842.3:c.229G>T"
    assert any(e.name == "ACMG PVS1" and e.value.startswith("met") for e in vd.extensions)
    prefixes = {r.namespace_prefix for r in msg.meta_data.resources}
    assert {"OMIM", "GENO", "HGNC"} <= prefixes
    # every sample gets one, each parses strictly
    for f in (tmp_path / "pp").glob("*.phenopacket.json"):
        json_format.Parse(f.read_text(), Phenopacket(), ignore_unknown_fields=False)


# -- tables and HTML --------------------------------------------------------------------------------------

def test_criteria_table_has_one_row_per_criterion_per_allele_and_the_report_shows_them(tmp_path):
    import csv

    from il1rn_annot.cli import main
    example = Path(__file__).resolve().parents[1] / "examples" / "il1rn_example_GRCh38.vcf"
    assert main(["annotate", str(example), "-o", str(tmp_path / "o.vcf"), "--criteria-tsv", str(tmp_path / "c.tsv"),
                 "--html", str(tmp_path / "r.html"), "-q", "--no-imported-reference"]) == 0
    rows = list(csv.DictReader((tmp_path / "c.tsv").open(), delimiter="\t"))
    by_variant: dict[str, set[str]] = {}
    for r in rows:
        by_variant.setdefault((r["variant"], r["allele_index"]), set()).add(r["criterion"])
        assert r["status"] in ("met", "not_met", "not_evaluable") and r["reason"]
        assert (r["status"] == "met") == (r["strength"] != "")
    assert by_variant and all(codes == EVERY_CRITERION for codes in by_variant.values())
    header = (tmp_path / "o.tsv").read_text().splitlines()[0].split("\t")
    assert {"DIRA_ACMG", "DIRA_criteria"} <= set(header)
    html = (tmp_path / "r.html").read_text()
    assert "DIRA: ACMG criteria of the alleles behind the verdict" in html
    assert "points system pathogenic, 2015 rules" in html and "<td>PVS1</td><td>met</td>" in html
