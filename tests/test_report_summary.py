"""The report a clinician reads: per sample a plain-language summary first (the verdict in words, the evidence,
what could not be assessed and why, next steps), then the criteria, the VNTR, the drawing and the details; never
more certain than the evidence; DERIVED / INFERRED / PROJECTED marked where shown; a sites-only VCF keeps its
variant table.  Rendered in headless Chromium where the screenshot matters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, need_module, need_tool
from il1rn_annot.api import annotate_vcf
from il1rn_annot.report import render_report
from il1rn_annot.report.html import run_facts
from il1rn_annot.report.summary import NAMES_SHOWN, VERDICT_MEANING, RunFacts, summarise, summarise_cohort

EXAMPLE = REPO / "examples" / "il1rn_example_GRCh38.vcf"
SCENARIOS38 = FIXTURES / "dira" / "scenarios_GRCh38.vcf"
TRIO_PED = FIXTURES / "dira" / "trio.ped"


def _section(page: str, sample: str) -> str:
    return page.split(f'id="sample-{sample}"', 1)[1].split("</section>", 1)[0]


def _text(html: str) -> str:
    import html as html_lib

    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@pytest.fixture(scope="module")
def example_page() -> str:
    return render_report(annotate_vcf(str(EXAMPLE), None))


def test_the_biallelic_patient_reads_summary_first_then_criteria_vntr_drawing_details(example_page):
    section = _section(example_page, "PATIENT_E77X_HOM")
    order = [section.index(marker) for marker in (
        'id="summary"', "ACMG criteria of the alleles behind the verdict", 'id="vntr-sample"', '<div class="plot">',
        "Evidence: the sample", "Details of the DIRA analysis")]
    assert order == sorted(order)
    summary = _text(section.split('id="summary"', 1)[1].split("ACMG criteria", 1)[0])
    assert VERDICT_MEANING["BIALLELIC"] in summary
    assert ("Qualifying: chr2:113131068 G>T (c.229G>T, p.(Glu77Ter); published DIRA allele E77X): both copies "
            "(homozygous), 1/1; class pathogenic (points system: pathogenic; 2015 rules: likely_pathogenic); "
            "criteria met: PVS1, PM3, DIRA_CATALOGUE.") in summary
    # what could not be assessed: the catalogue sites with no record, the unpublished breakpoints, large
    # deletions (the example has no SV record), the VNTR
    assert "11 of the 16 published DIRA alleles have no record at their site in this file and were NOT OBSERVED" \
        in summary
    assert "Large deletions cannot be seen here" in summary and "del175kb_PR (founder deletion: Puerto Rico)" in summary
    assert "The IL1RN*1-*5 VNTR allele could not be determined" in summary
    assert "Test the parents" in summary and "Sanger" in summary
    # readable sections, no raw JSON lists or objects anywhere in the sample's section
    assert not re.search(r"\[\"|\{\"|\[\]|\{\}", _text(section))
    assert "The published DIRA alleles: what this file says at each site" in section


def test_the_carrier_and_the_sample_without_variant_are_told_what_was_not_seen(example_page):
    carrier = _text(_section(example_page, "CARRIER_DEL_CA").split("ACMG criteria", 1)[0])
    assert carrier.count("Qualifying:") == 1 and "one copy (heterozygous), 0/1" in carrier
    assert "test for deletions with a copy-number method" in carrier
    assert "Both copies of IL1RN carry" not in carrier
    none = _text(_section(example_page, "NO_VARIANT"))
    assert VERDICT_MEANING["NO_QUALIFYING_VARIANT"] in none and "This does not exclude DIRA" in none
    assert "No allele of a qualifying class is carried" in none


def test_no_summary_is_more_certain_than_its_verdict():
    """Over the 44 DIRA scenarios (every verdict, with the trio PED): only BIALLELIC says both copies carry a
    qualifying allele; every POSSIBLE verdict says 'not proven'; the steps follow the verdict and the flags."""
    summary = annotate_vcf(str(SCENARIOS38), None, ped=str(TRIO_PED))
    facts = run_facts(summary)
    assert facts.has_sv_records  # the scenarios hold <DEL> records: no "large deletions cannot be seen" sentence
    dira = next(r for r in summary.analyses if r.name == "dira")
    vntr = next(r for r in summary.analyses if r.name == "vntr")
    seen = set()
    for sample in summary.sample_names:
        section = dira.per_sample[sample]
        text = summarise(section, vntr.per_sample[sample]["vntr"], facts)
        words = " ".join([text.meaning, *text.evidence, *text.not_assessed, *text.next_steps])
        seen.add(text.verdict)
        assert text.verdict == section["verdict"]
        assert ("Both copies of IL1RN carry" in words) == (text.verdict == "BIALLELIC"), sample
        if text.verdict.startswith("POSSIBLE"):
            assert "not proven" in text.meaning, sample
        assert "Large deletions cannot be seen here" not in words
        assert len(text.evidence) >= max(1, len(section["qualifying_variants"]))
        if "statistical_phase_only" in section["flags"]:
            assert any("population (statistical) phasing" in s for s in text.next_steps), sample
        if text.verdict == "POSSIBLE_BIALLELIC_PHASE_UNKNOWN":
            assert any(s.startswith("Establish the phase") for s in text.next_steps), sample
        if text.verdict == "NOT_ASSESSABLE":
            assert any(s.startswith("chr2:") for s in text.not_assessed), sample
        if section.get("ped"):
            assert not any(s.startswith("Test the parents") for s in text.next_steps), sample
    assert {"BIALLELIC", "POSSIBLE_BIALLELIC_PHASE_UNKNOWN", "POSSIBLE_BIALLELIC_INCONSISTENT_GENOTYPES",
            "UNCERTAIN_BIALLELIC_CANDIDATE", "NOT_ASSESSABLE", "CARRIER"} <= seen


def test_a_grch37_report_says_its_mane_model_is_projected(tmp_path):
    page = render_report(annotate_vcf(str(FIXTURES / "vntr" / "het_del43.GRCh37.vcf"), None))
    banner = _text(page.split('id="projected">', 1)[1].split("</div>", 1)[0])
    assert banner.startswith("PROJECTED GRCh37: the MANE Select transcript (NM_173842.3 / ENST00000409930.4) is "
                             "defined on GRCh38; the GRCh37 model's copy is PROJECTED from GRCh38")
    assert "PROJECTED" in _text(page.split('id="provenance"', 1)[1])
    assert 'id="projected"' not in render_report(annotate_vcf(str(EXAMPLE), None))


def _sites_only(tmp_path: Path) -> Path:
    out = []
    for line in EXAMPLE.read_text().splitlines():
        if line.startswith("##FORMAT"):
            continue
        if line.startswith("#CHROM") or not line.startswith("#"):
            line = "\t".join(line.split("\t")[:8])
        out.append(line)
    path = tmp_path / "sites.vcf"
    path.write_text("\n".join(out) + "\n")
    return path


def test_a_sites_only_vcf_gets_its_variant_table(tmp_path):
    summary = annotate_vcf(str(_sites_only(tmp_path)), None)
    assert summary.samples == 0 and summary.alleles_annotated == 5
    page = render_report(summary)
    sites = page.split('id="sites"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr><td>(chr2:\d+ [ACGT]+&gt;[ACGT]+)</td>", sites)
    assert len(rows) == 5 and "chr2:113131068 G&gt;T" in rows
    assert "c.229G&gt;T" in sites and "no genotype, verdict or VNTR answer" in sites


@pytest.mark.peer
def test_the_example_report_renders_its_summary_boxes_in_chromium(tmp_path):
    """A screenshot of the rendered page: the red-bordered BIALLELIC summary and the blue CARRIER one are drawn
    (counted by their border colours), and the DOM the browser built keeps the summary before the drawing."""
    exe = need_tool("chromium")
    Image = need_module("PIL.Image", "pip install -e . (matplotlib brings Pillow)")
    html = tmp_path / "ex.html"
    annotate_vcf(str(EXAMPLE), None, html=str(html))
    png = tmp_path / "ex.png"
    import subprocess

    base = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}"]
    r = subprocess.run([*base, f"--screenshot={png}", "--window-size=1280,7000", html.resolve().as_uri()],
                       capture_output=True, text=True, timeout=90, check=False)
    assert r.returncode == 0 and png.exists(), r.stderr[-2000:]
    counts = {rgb: n for n, rgb in Image.open(png).convert("RGB").getcolors(maxcolors=1 << 20)}
    assert counts.get((0xD9, 0x53, 0x4F), 0) > 2_000  # the BIALLELIC summary's left border (5 px x its height)
    assert counts.get((0x5B, 0x8F, 0xC7), 0) > 2_000  # the CARRIER summary's
    dom = subprocess.run([*base, "--dump-dom", html.resolve().as_uri()], capture_output=True, text=True, timeout=90,
                         check=False).stdout
    section = _section(dom, "PATIENT_E77X_HOM")
    assert section.index('id="summary"') < section.index('class="plot"')


def test_the_example_cohort_reads_in_words_before_its_drawing(example_page):
    cohort = example_page.split('id="cohort"', 1)[1].split("</section>", 1)[0]
    assert cohort.index('id="cohort-summary"') < cohort.index('<div class="plot">')
    words = _text(cohort.split('id="cohort-summary"', 1)[1].split('<div class="plot">', 1)[0])
    assert "BIALLELIC: 1 sample(s) carry a qualifying allele on both copies of IL1RN" in words
    assert words.index("PATIENT_E77X_HOM") < words.index("CARRIER: 1 sample(s)")
    assert "CARRIER: 1 sample(s) carry one qualifying allele" in words and "CARRIER_DEL_CA" in words
    assert "NO_QUALIFYING_VARIANT: 1 sample(s)" in words and "this does not exclude DIRA" in words
    # said once for the file: the catalogue sites with no record, never called reference
    assert "11 of the 16 published DIRA alleles have no record at their site in this file and were NOT OBSERVED" in words
    assert "not evidence of the reference allele" in words
    assert "not determined: 3" in words
    assert "BIALLELIC: Confirm the qualifying variant(s)" in words and "Test the parents" in words


def _dira(verdict: str, sites: dict | None = None, unusable: bool = False) -> dict:
    return {"verdict": verdict, "catalogue_sites": sites or {},
            "not_assessable_sites": [{"variant": "chr2:1 A>C", "why": "GQ 3"}] if unusable else []}


def test_cohort_words_name_who_needs_attention_and_count_the_rest():
    facts = RunFacts("GRCh38", has_sv_records=True)
    rows = [(f"P{i:02d}", _dira("BIALLELIC"), None) for i in range(NAMES_SHOWN + 2)]
    rows += [("Q", _dira("POSSIBLE_BIALLELIC_PHASE_UNKNOWN"), None), ("U", _dira("NOT_ASSESSABLE", unusable=True), None)]
    rows += [(f"N{i}", _dira("NO_QUALIFYING_VARIANT"), {"method": "inferred"}) for i in range(30)]
    s = summarise_cohort(rows, facts)
    biallelic = next(v for v in s.verdicts if v.startswith("BIALLELIC:"))
    assert f"BIALLELIC: {NAMES_SHOWN + 2} sample(s)" in biallelic and "P09" in biallelic and "P10" not in biallelic
    assert "and 2 more (the samples table lists every one)" in biallelic
    assert any(v.startswith("POSSIBLE_BIALLELIC_PHASE_UNKNOWN: 1 sample(s)") and "not proven: Q." in v for v in s.verdicts)
    assert any(v.startswith("NOT_ASSESSABLE: 1 sample(s)") and v.endswith(": U.") for v in s.verdicts)
    no_q = next(v for v in s.verdicts if v.startswith("NO_QUALIFYING_VARIANT:"))
    assert "30 sample(s)" in no_q and "N0" not in no_q  # counted, not listed
    assert not any(v.startswith("No sample has") for v in s.verdicts)
    assert any("1 sample(s) have a site whose call could not be used" in x and x.endswith(": U.") for x in s.not_assessed)
    assert any(x.startswith("POSSIBLE_BIALLELIC_PHASE_UNKNOWN: Establish the phase") for x in s.next_steps)
    assert "INFERRED from tag SNVs (not measured): 30" in s.vntr[0]
    # the window holds a deletion record: no "test for deletions" advice, no "cannot be seen here" sentence
    assert not any("copy-number method" in x for x in s.next_steps)
    assert not any("Large deletions cannot be seen here" in x for x in s.not_assessed)


def test_cohort_words_say_a_site_is_not_observed_only_when_no_sample_has_it():
    """A catalogue site with no record is the same for every sample; one that some samples have a call for is
    not said to be unobserved for the file."""
    facts = RunFacts("GRCh38", has_sv_records=False)
    a = {"E77X": "not_observed", "Q54X": "not_observed"}
    b = {"E77X": "not_observed", "Q54X": "hom_ref"}
    s = summarise_cohort([("A", _dira("NO_QUALIFYING_VARIANT", a), None),
                          ("B", _dira("NO_QUALIFYING_VARIANT", b), None)], facts)
    unobserved = next(x for x in s.not_assessed if "NOT OBSERVED" in x)
    assert unobserved.startswith("1 of the 2 published DIRA alleles") and ": E77X." in unobserved
    assert "Q54X" not in unobserved
    assert any("Large deletions cannot be seen here" in x for x in s.not_assessed)
    assert s.verdicts[-1] == "No sample has a biallelic, possibly biallelic or not-assessable result."


def test_models_drawn_under_our_own_ids_are_said_to_be_so(example_page):
    """The GRCh38 model has 5 processed transcripts the source lists without a name: the drawings show them under
    the row id we gave them, and the page says that id is ours, not an accession (Feature_name says so in tables)."""
    from il1rn_annot.model.gene_model import load_gene_model

    unnamed = [t.transcript_id for t in load_gene_model("GRCh38").transcripts
               if t.display_name == t.transcript_id and not t.ensembl_name]
    assert len(unnamed) == 5 and "IL1RN_GRCh38_row31909" in unnamed
    cohort = example_page.split('id="cohort"', 1)[1].split("</section>", 1)[0]
    patient = _section(example_page, "PATIENT_E77X_HOM")
    for part in (cohort, patient):
        note = _text(part.split("GENCODE models the source table lists without a transcript name", 1)[0].rsplit("<p", 1)[1])
        assert all(tid in note for tid in unnamed), note
    assert "not an Ensembl or RefSeq accession" in _text(patient)


def _cohort_of_the_example(tmp_path: Path, n: int) -> Path:
    """The example's five records (their real REF bases) with ``n`` samples in a fixed pattern of genotypes:
    carriers of E77X and N52KfsX25 (HIGH on MANE, qualifying), of a missense at E77X's base (MODERATE, not
    qualifying), half-calls, missing calls and common context alleles."""
    lines = EXAMPLE.read_text().splitlines()
    head = [ln for ln in lines if ln.startswith("##")]
    records = [ln.split("\t")[:9] for ln in lines if not ln.startswith("#")]
    patterns = [lambda k: "0/1" if k % 7 == 0 else "./." if k % 7 == 1 else "0/0",
                lambda k: ("0/0", "0/1", "1/1")[k % 3],
                lambda k: "0/1" if k % 5 == 0 else "1/1" if k % 5 == 1 else "0/." if k % 5 == 2 else "0/0",
                lambda k: ("0/1", "0/0")[k % 2],
                lambda k: ("0/0", "0/1", "1/1", "./.")[k % 4]]
    out = head + ["\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"]
                            + [f"S{k:03d}" for k in range(n)])]
    for rec, gt in zip(records, patterns):
        out.append("\t".join(rec[:8] + ["GT"] + [gt(k) for k in range(n)]))
    # at E77X's base (REF G, Glu77 = GAA/GAG), G>C gives CAA/CAG = Gln: a missense, MODERATE on MANE, not qualifying
    e77x = next(r for r in records if r[2] == "E77X")
    out.insert(len(head) + 1 + 3, "\t".join(e77x[:2] + ["E77Q", "G", "C"] + e77x[5:7] + [".", "GT"]
                                           + ["0/1" if k % 11 == 3 else "0/0" for k in range(n)]))
    path = tmp_path / f"cohort_{n}.vcf"
    path.write_text("\n".join(out) + "\n")
    return path


@pytest.mark.parametrize("n", [60, 300])
def test_detail_samples_are_those_the_per_sample_allele_lists_give(tmp_path, n):
    """The samples given a detail section are found by array work over the listed calls; they must be exactly
    those that each sample's own allele list gives (a flag from an analysis, or a carried HIGH/MODERATE allele on
    MANE Select), in sample order, capped, with the same count of carriers."""
    from il1rn_annot.report.html import DETAIL_CAP, FLAG_KEYS, detail_samples
    from il1rn_annot.sinks.sample_view import mane_placement
    from il1rn_annot.variants.genotypes import CARRIED

    summary = annotate_vcf(str(_cohort_of_the_example(tmp_path, n)), None)
    by_sample = list(summary.digest.alleles_by_sample())
    # one sample an analysis asks to show although it carries nothing HIGH/MODERATE (S002: a half-call of E77X)
    dira = next(r for r in summary.analyses if r.name == "dira")
    assert not any(sa.zygosity in CARRIED and sa.annotation.record.id in ("E77X", "E77Q", "N52KfsX25")
                   for sa in by_sample[2])
    sections = dira.per_sample

    class AskingForS002(dict):
        def get(self, sample, default=None):
            sec = sections.get(sample, default)
            return {**sec, "report_detail": True} if sample == "S002" else sec

    dira.per_sample = AskingForS002()

    def flagged(i: int) -> bool:
        if any(isinstance(sec, dict) and any(sec.get(k) for k in FLAG_KEYS)
               for sec in (r.per_sample.get(summary.sample_names[i]) for r in summary.analyses)):
            return True
        return any(sa.zygosity in CARRIED and (t := mane_placement(sa.annotation)) is not None
                   and t.effect.impact in ("HIGH", "MODERATE") for sa in by_sample[i])

    expected = [i for i in range(n) if flagged(i)]
    assert 2 in expected
    carriers = sum(any(sa.zygosity in CARRIED for sa in alleles) for alleles in by_sample)
    shown, msg, kept = detail_samples(summary)
    assert shown == expected[:DETAIL_CAP] and set(kept) == set(shown)
    assert all([(sa.annotation.variant, sa.call.gt, sa.zygosity) for sa in kept[i]] ==
               [(sa.annotation.variant, sa.call.gt, sa.zygosity) for sa in by_sample[i]] for i in shown)
    assert f"{len(expected):,} such sample(s)" in msg and f"{carriers:,} samples carry at least one" in msg
    assert (len(expected) > DETAIL_CAP) == (n == 300), len(expected)  # the cap is exercised at 300


def test_cohort_words_for_a_file_without_il1rn_records_say_so_and_what_to_check():
    facts = RunFacts("GRCh38", has_sv_records=False)
    s = summarise_cohort([(x, _dira("NO_IL1RN_RECORDS"), None) for x in "ABC"], facts)
    assert s.verdicts[0] == ("NO_IL1RN_RECORDS: 3 sample(s) have no record in the IL1RN window (the file has "
                             "none).")
    assert s.next_steps == ["NO_IL1RN_RECORDS: Check that the sequencing covered IL1RN (2q14.1) and that the "
                            "file's build is the one stated."]
