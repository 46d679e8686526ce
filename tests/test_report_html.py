"""The HTML report: self-contained, rendered for real in headless Chromium, holding the expected content."""

from __future__ import annotations

import html as html_lib
import re
import subprocess
from pathlib import Path

import pytest

from conftest import EXOME37, KG38, REPO, need_module, need_shared, need_tool
from il1rn_annot.api import annotate_vcf

EXAMPLE = REPO / "examples" / "il1rn_example_GRCh38.vcf"


def chromium(html: Path, tmp: Path, *extra: str) -> subprocess.CompletedProcess:
    exe = need_tool("chromium")
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp / 'chromium-profile'}", *extra, html.resolve().as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90)


def rendered_dom(html: Path, tmp: Path) -> str:
    r = chromium(html, tmp, "--dump-dom")
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


def assert_self_contained(text: str) -> None:
    assert "<script" not in text.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text, re.I), "external resource referenced"
    assert "url(http" not in text and "@import" not in text


def evidence_rows(dom: str, sample: str) -> list[dict[str, str]]:
    """The evidence table of one sample section as {column header: cell text} rows."""
    section = dom.split(f'id="sample-{sample}"', 1)[1].split("</section>", 1)[0]
    table = section.split("Evidence:", 1)[1].split("</table>", 1)[0]
    header = [html_lib.unescape(h) for h in re.findall(r"<th>(.*?)</th>", table)]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)
    return [dict(zip(header, (html_lib.unescape(re.sub(r"<[^>]+>", " ", c)).strip()
                              for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)))) for r in rows]


@pytest.mark.shared
@pytest.mark.peer
def test_real_exome_report_renders_with_the_16_variants_on_the_right_exons_and_introns(tmp_path):
    need_shared(EXOME37)
    html = tmp_path / "exome.html"
    summary = annotate_vcf(str(EXOME37), str(tmp_path / "exome.vcf.gz"), html=str(html), command_line="il1rn-annot t")
    assert summary.alleles_annotated == 16
    text = html.read_text()
    assert_self_contained(text)
    png = tmp_path / "exome.png"
    r = chromium(html, tmp_path, f"--screenshot={png}", "--window-size=1400,2000")
    assert r.returncode == 0 and png.stat().st_size > 50_000, r.stderr[-2000:]
    # the drawing really rendered: MANE navy boxes and heterozygous-orange variant markers are on screen
    Image = need_module("PIL.Image", "Pillow, which matplotlib installs")
    colours = Image.open(png).convert("RGB").getcolors(maxcolors=1 << 20)
    counts = {rgb: n for n, rgb in colours}
    # (the same page with its SVG removed shows ~1,700 / ~60 / ~60 such pixels from text and the legend)
    assert counts.get((0x1B, 0x3A, 0x5C), 0) > 4_000  # MANE_COLOUR
    assert counts.get((0xEF, 0x8A, 0x62), 0) > 400  # ZYGOSITY_COLOURS["het"]
    assert counts.get((0xD9, 0x8C, 0x1F), 0) > 100  # VNTR_COLOUR
    dom = rendered_dom(html, tmp_path)
    rows = evidence_rows(dom, "manuel")
    assert len(rows) == 16
    by_id = {r["ID"]: r for r in rows}
    # MANE columns: region, exon, intron, position (from the variant table of the same run)
    expected = {"rs419598": ("2/4", "", "c.171"), "rs423904": ("", "2/3", "c.205+21"),
                "rs446433": ("", "2/3", "c.205+32"), "rs495282": ("", "2/3", "c.205+53"),
                "rs495410": ("", "2/3", "c.205+97"), "rs432014": ("", "2/3", "c.206-43"),
                "rs454078": ("", "3/3", "c.318+59"), "rs315952": ("4/4", "", "c.390")}
    for rsid, (exon, intron, pos) in expected.items():
        r = by_id[rsid]
        assert r["exon/intron"] == (f"exon {exon}" if exon else f"intron {intron}"), rsid
        # c. position alone, or the full HGVS c. once the consequence engine ran: the position is the same
        assert re.match(re.escape(pos) + r"(?![0-9])", r.get("HGVS c.") or r["c. position"]), rsid
    outside = [r for r in rows if r["ID"] not in expected]
    assert len(outside) == 8 and all(r["MANE region"] == "outside MANE" for r in outside)
    # those eight are placed on another transcript in the same row (e.g. IL1RN-203 exon 1/6 5' UTR)
    assert all(re.search(r"(exon|intron) \d+/\d+", r["other transcripts, all fields"]) for r in outside)
    # the drawing carries every variant label (rsIDs on the locus, c. positions on MANE)
    svg = dom.split('id="sample-manuel"', 1)[1].split("</svg>", 1)[0]
    for rsid in by_id:
        assert f">{rsid}<" in svg
    for label in ("c.171T&gt;C", "c.205+21C&gt;T", "c.318+59A&gt;T", "c.390T&gt;C", "exon 3", "intron 2"):
        assert label in svg
    assert "NM_173842.3 (MANE Select)" in svg and "VNTR (intron 2, rs2234663)" in svg
    # provenance
    prov = dom.split('id="provenance"', 1)[1]
    assert "GRCh37" in prov and "il1rn-annot t" in prov and "gene_model_GRCh37@" in prov and str(EXOME37) in prov


@pytest.mark.shared
@pytest.mark.peer
def test_2504_sample_report_stays_small_and_says_what_it_shows(tmp_path):
    need_shared(KG38)
    html = tmp_path / "kg.html"
    annotate_vcf(str(KG38), None, html=str(html))
    size = html.stat().st_size
    assert size < 2_000_000, size
    dom = rendered_dom(html, tmp_path)
    assert 'id="cohort"' in dom and "2,504 samples" in dom
    assert "per-sample detail is shown only for samples" in dom
    # every sample is in the cohort table
    cohort = dom.split('id="cohort"', 1)[1].split("</section>", 1)[0]
    assert cohort.count("<tr>") >= 2504
    assert "c.390T&gt;C" in cohort  # the one window allele (rs315952 position), placed on MANE exon 4
    assert "4/4" in cohort
    # the cohort in words, before the drawing: counts of per-sample results, not a cohort verdict
    words = cohort.split('id="cohort-summary"', 1)[1].split('<div class="plot">', 1)[0]
    assert "NO_QUALIFYING_VARIANT: 2,504 sample(s)" in words and "this does not exclude DIRA" in words
    assert "No sample has a biallelic, possibly biallelic or not-assessable result." in words
    assert "not determined: 2,504" in words and "no record in the input" in words
    assert "not a cohort verdict" in words


@pytest.mark.peer
def test_example_report_shows_every_sample_and_analysis_headlines(tmp_path):
    html = tmp_path / "ex.html"
    annotate_vcf(str(EXAMPLE), str(tmp_path / "o.vcf"), html=str(html))
    text = html.read_text()
    assert_self_contained(text)
    dom = rendered_dom(html, tmp_path)
    for s in ("PATIENT_E77X_HOM", "CARRIER_DEL_CA", "NO_VARIANT"):
        assert f'id="sample-{s}"' in dom
    rows = evidence_rows(dom, "PATIENT_E77X_HOM")
    e77x = next(r for r in rows if r["variant"] == "chr2:113131068 G>T")
    assert (e77x["zygosity"], e77x["exon/intron"]) == ("hom_alt", "exon 3/4")
    assert (e77x.get("HGVS c.") or e77x["c. position"]).startswith("c.229")


def test_analysis_sections_are_shown_up_front_generically(tmp_path):
    """Whatever the analyses' sections hold: their headline (verdict / diplotype) becomes a card and the
    summary says the evidence and how the VNTR answer was reached, all before the drawing."""
    from il1rn_annot.analyses import AnalysisResult
    from il1rn_annot.report import render_report

    summary = annotate_vcf(str(EXAMPLE), None)
    summary.analyses = [
        AnalysisResult("dira", per_sample={"PATIENT_E77X_HOM": {"verdict": "BIALLELIC", "qualifying_variants": [
            {"variant": "chr2:113131068 G>T", "hgvs_p": "p.(Glu77Ter)", "genotype": "1/1", "copies": 2,
             "class": "pathogenic"}]}}),
        AnalysisResult("vntr", per_sample={"PATIENT_E77X_HOM": {"diplotype": "IL1RN*1/*2", "method": "inferred"}})]
    page = render_report(summary)
    section = page.split('id="sample-PATIENT_E77X_HOM"', 1)[1].split("</section>", 1)[0]
    before, _ = section.split('<div class="plot">', 1)
    assert "BIALLELIC" in before and "IL1RN*1/*2" in before
    assert "chr2:113131068 G&gt;T (p.(Glu77Ter)): both copies (homozygous), 1/1; class pathogenic." in before
    assert 'IL1RN*1/*2 (<span class="mark">INFERRED</span> from tag SNVs, not measured)' in before


@pytest.mark.peer
def test_real_dira_verdicts_and_vntr_sections_are_up_front(tmp_path):
    """With the DIRA and VNTR analyses (every run has both), each sample's verdict card comes before its
    drawing, and the per-sample table and JSON carry the same verdict."""
    html = tmp_path / "ex.html"
    summary = annotate_vcf(str(EXAMPLE), str(tmp_path / "o.vcf"), html=str(html), json_dir=str(tmp_path / "j"),
                           samples_tsv=str(tmp_path / "s.tsv"))
    assert {"dira", "vntr"} <= {r.name for r in summary.analyses}
    import csv
    import json

    with open(tmp_path / "s.tsv") as fh:
        table = {r["sample"]: r for r in csv.DictReader(fh, delimiter="\t")}
    dom = rendered_dom(html, tmp_path)
    # the example's sample names say what each is (examples/README.md)
    expected = {"PATIENT_E77X_HOM": "BIALLELIC", "CARRIER_DEL_CA": "CARRIER", "NO_VARIANT": "NO_QUALIFYING_VARIANT"}
    for sample, verdict in expected.items():
        assert table[sample]["dira.verdict"] == verdict
        assert json.loads((tmp_path / "j" / f"{sample}.json").read_text())["analyses"]["dira"]["verdict"] == verdict
        section = dom.split(f'id="sample-{sample}"', 1)[1].split("</section>", 1)[0]
        cards = section.split('class="plot"', 1)[0]
        assert re.search(r'class="k">dira verdict</div><div class="v">' + verdict + "<", cards), sample
        # the VNTR card: the diplotype, else the call in words ("unknown", "no evidence of the *2 tag haplotype")
        assert re.search(r'class="k">vntr (diplotype|call)</div>', cards), sample
    assert 'class="card alert"' in dom.split('id="sample-PATIENT_E77X_HOM"', 1)[1].split("</section>", 1)[0]


def test_cohort_section_tallies_the_analysis_headlines(tmp_path):
    from il1rn_annot.analyses import AnalysisResult
    from il1rn_annot.report import render_report

    summary = annotate_vcf(str(EXAMPLE), None)
    summary.analyses = [AnalysisResult("dira", per_sample={
        "PATIENT_E77X_HOM": {"verdict": "BIALLELIC"}, "CARRIER_DEL_CA": {"verdict": "CARRIER"},
        "NO_VARIANT": {"verdict": "CARRIER"}})]
    cohort = render_report(summary).split('id="cohort"', 1)[1].split('class="plot"', 1)[0]
    assert "dira verdict (samples)" in cohort
    assert "CARRIER: <b>2</b>" in cohort and "BIALLELIC: <b>1</b>" in cohort


def test_a_crowded_plot_draws_every_variant_and_labels_the_highest_impact_ones():
    """Beyond LABEL_CAP variants (a cohort: 1,550 in the bench's) labels would pile up unreadably: every
    variant keeps its stem and head, the labels go to the highest-ranked (MANE impact), and the titles say so."""
    from il1rn_annot.model.gene_model import load_gene_model
    from il1rn_annot.report.gene_plot import LABEL_CAP, PlotVariant, gene_svg

    model = load_gene_model("GRCh38")
    s = model.mane.span.start
    n = LABEL_CAP + 60
    variants = [PlotVariant(s + 37 * k, s + 37 * k + 1, f"v{k:03d}", f"m{k:03d}", "het", rank=3 if k % 7 == 0 else 0)
                for k in range(n)]
    svg = gene_svg(model, variants, title="crowded")
    locus = [k for k in range(n) if f">v{k:03d}<" in svg]
    assert len(locus) == LABEL_CAP and {k for k in range(n) if k % 7 == 0} <= set(locus)
    assert f"{n:,} variants, labels for the {LABEL_CAP} of highest MANE impact" in svg
    heads = svg.split('<g id="PathCollection_1">', 1)[1].split('<g id="LineCollection_2"', 1)[0]
    assert heads.count("<use ") == n  # every variant's head on the locus panel, labelled or not
    mane = [k for k in range(n) if f">m{k:03d}<" in svg]  # the MANE panel (all n lie on MANE) labels the same ones
    assert mane == locus
    small = gene_svg(model, variants[:LABEL_CAP], title="few")
    assert all(f">v{k:03d}<" in small for k in range(LABEL_CAP)) and "labels for the" not in small


def test_derived_tag_facts_are_marked_where_the_markers_are_shown():
    """The *2 flank SNVs are DERIVED tags (56 haplotypes, moderate confidence): the per-sample marker table and
    the cohort VNTR notes show that word as a mark, not as plain text a reader may skip."""
    from il1rn_annot.report.html import render_report

    page = render_report(annotate_vcf(str(REPO / "tests/fixtures/vntr/star2_flank_het.GRCh38.vcf"), None))
    markers = page.split("tag markers, one by one", 1)[1].split("</details>", 1)[0]
    assert markers.count('<span class="mark">DERIVED</span>') >= 2  # both flank SNVs' evidence/caveat
    assert "DERIVED from 56 haplotypes" in html_lib.unescape(re.sub(r"<[^>]+>", "", markers))
