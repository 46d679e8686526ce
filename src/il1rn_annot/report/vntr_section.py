"""The VNTR part of the HTML report: the *2 frequency table of the cohort beside the published frequencies, and
a histogram of the allele lengths measured from spanning long reads (inline SVG, no script)."""

from __future__ import annotations

from il1rn_annot.report.marks import esc as _e
from il1rn_annot.report.marks import marked

UNIT_MARKS = ((172, "*2"), (258, "*4"), (344, "*1"), (430, "*3"), (516, "*5"))  # copies x 86 bp


def _ci(value: str, lo: str, hi: str) -> str:
    return f"{value} [{lo}–{hi}]" if value and lo and hi else value


def frequency_table(rows: list[dict]) -> str:
    head = ["population", "allele", "basis", "samples called / in population", "allele frequency [95% CI]",
            "carrier frequency [95% CI]", "genotypes 0/1/2 *2", "HWE exact p", "methods or source"]
    body = []
    for r in rows:
        called = f"{r['n_called']} / {r['n_samples']}" if r["basis"] != "published" else (
            f"n = {r['n_samples']}" if r["n_samples"] else "n not stated")
        cells = [r["population"], r["allele"], r["basis"], called,
                 _ci(r["allele_frequency"], r["af_ci95_low"], r["af_ci95_high"]),
                 _ci(r["carrier_frequency"], r["cf_ci95_low"], r["cf_ci95_high"]), r["genotypes_0_1_2"],
                 r["hwe_exact_p"], r["methods"] or r["source"]]
        cls = ' class="published"' if r["basis"] == "published" else ""
        body.append(f"<tr{cls}>" + "".join(f"<td>{_e(c)}</td>" for c in cells) + "</tr>")
    return ('<div class="an"><table class="freq"><thead><tr>' + "".join(f"<th>{_e(h)}</th>" for h in head)
            + "</tr></thead><tbody>" + "".join(body) + "</tbody></table></div>")


def length_histogram_svg(histogram: dict[str, int], width: int = 720, height: int = 220) -> str:
    """Bars of spanning reads per allele length (bp), with the whole-unit lengths of *1..*5 marked."""
    if not histogram:
        return ""
    data = sorted((int(k), v) for k, v in histogram.items())
    lo = min(min(x for x, _ in data), 172) - 20
    hi = max(max(x for x, _ in data), 344) + 20
    top = max(v for _, v in data)
    left, right, upper, lower = 48, 12, 14, 40
    pw, ph = width - left - right, height - upper - lower

    def x(bp: float) -> float:
        return left + (bp - lo) / (hi - lo) * pw

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" style="max-width:{width}px" role="img" '
             f'aria-label="allele lengths of spanning long reads">',
             f'<line x1="{left}" y1="{upper + ph}" x2="{left + pw}" y2="{upper + ph}" stroke="#55626f"/>',
             f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{upper + ph}" stroke="#55626f"/>']
    for bp, name in UNIT_MARKS:
        if lo <= bp <= hi:
            parts.append(f'<line x1="{x(bp):.1f}" y1="{upper}" x2="{x(bp):.1f}" y2="{upper + ph}" stroke="#c9d3dc" '
                         f'stroke-dasharray="3,3"/><text x="{x(bp):.1f}" y="{upper + ph + 14}" font-size="10" '
                         f'text-anchor="middle" fill="#55626f">{_e(name)} {bp}</text>')
    bar = max(2.0, pw / (hi - lo))
    for bp, n in data:
        h = n / top * ph
        parts.append(f'<rect x="{x(bp) - bar / 2:.1f}" y="{upper + ph - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                     f'fill="#1b3a5c"><title>{bp} bp: {n} read(s)</title></rect>')
    parts.append(f'<text x="{left - 6}" y="{upper + 8}" font-size="10" text-anchor="end" fill="#55626f">{top}</text>'
                 f'<text x="{left - 6}" y="{upper + ph}" font-size="10" text-anchor="end" fill="#55626f">0</text>'
                 f'<text x="{left + pw / 2:.0f}" y="{height - 6}" font-size="11" text-anchor="middle" fill="#1d2733">'
                 'allele length between the flanks (bp) - spanning long reads</text></svg>')
    return "".join(parts)


def vntr_section(cohort: dict) -> str:
    """The section, from the VNTR analysis' cohort dict ('' when it has no frequency table)."""
    rows = cohort.get("frequencies")
    if not rows:
        return ""
    by = ", ".join(f"{k} {v:,}" for k, v in cohort.get("by_method", {}).items())
    reads = cohort.get("reads") or {}
    hist = length_histogram_svg(reads.get("length_histogram") or {})
    flank = [m for m in cohort.get("markers", []) if m.get("usable")]
    caveats = sorted({m["caveat"] for m in flank if m.get("caveat")})
    notes = [f"Confidence intervals: {cohort.get('ci_method', '')}. Hardy-Weinberg: {cohort.get('hwe_method', '')}.",
             "A tag dosage 0 means no evidence of the *2 tag haplotype, not a measured *1/*1."] + \
        [f"Tag caveat: {c}" for c in caveats] + list(reads.get("notes", []))
    parts = [f'<section id="vntr"><h2>IL1RN intron-2 VNTR (rs2234663)</h2><p class="note">Samples by method: '
             f"{_e(by)}" + (f"; reads: {len(reads.get('files', []))} file(s), {reads.get('measured', 0)} sample(s) "
                            f"measured from spanning long reads, {reads.get('tag_only', 0)} with flank SNVs only"
                            if reads else "") + ".</p>"]
    if hist:
        parts.append(f'<h3>Allele lengths measured from long reads</h3><div class="plot">{hist}</div>')
    parts.append("<h3>Frequencies in this cohort and published</h3>" + frequency_table(rows))
    parts.append("".join(f'<p class="note">{marked(n)}</p>' for n in notes) + "</section>")
    return "".join(parts)
