"""Render a run as one self-contained HTML page: no scripts, no external links, inline CSS and SVG.

Layout: a header (with a note when the gene model's MANE transcript is PROJECTED from the other build); a cohort
section when there is more than one sample (the per-sample table of every sample, the cohort's variants with
carrier counts and one drawing); for a file without samples, its variant table and drawing; one section per
sample shown in detail, in the order a clinician reads it: a plain-language summary first (the verdict and
what it means, the evidence in words, what could not be assessed and why, suggested next steps:
:mod:`.summary`), then the ACMG criteria of the alleles behind the verdict, the sample's VNTR answer (MEASURED
or INFERRED), the drawing and the evidence table, and the details (catalogue sites, reasons, phase) as tables and
lists.  Small cohorts (up to ``DETAIL_ALL`` samples) show every sample in detail; larger ones only samples an
analysis flags or that carry a HIGH/MODERATE impact allele, at most ``DETAIL_CAP``, and the page says so; then
the VNTR cohort section (:mod:`.vntr_section`) and the provenance.
"""

from __future__ import annotations

from il1rn_annot.columns import jsonable
from il1rn_annot.report.gene_plot import PlotVariant, gene_svg
from il1rn_annot.report.marks import esc, marked
from il1rn_annot.report.summary import (
    CohortSummary,
    RunFacts,
    SampleSummary,
    catalogue_status,
    has_sv_records,
    summarise,
    summarise_cohort,
)
from il1rn_annot.report.vntr_section import vntr_section
from il1rn_annot.sinks.json_reports import provenance
from il1rn_annot.sinks.sample_view import analysis_sections, mane_placement, placement
from il1rn_annot.sinks.samples_table import samples_rows
from il1rn_annot.variants.genotypes import CARRIED

DETAIL_ALL = 50
DETAIL_CAP = 100
HEADLINE_KEYS = ("verdict", "diplotype", "call", "result", "status", "classification", "summary")
CONTEXT_KEYS = ("method", "confidence", "star2_copies", "phase")
FLAG_KEYS = ("qualifying", "qualifying_variants", "qualifying_alleles", "report_detail")
# registered fields shown as evidence columns when a stage filled them (others fold into the last column)
EVIDENCE_FIELDS = ("HGVSc", "HGVSp", "Consequence", "IMPACT", "DIRA_class", "DIRA_codes", "VNTR_allele")
EVIDENCE_LABELS = {"HGVSc": "HGVS c.", "HGVSp": "HGVS p.", "DIRA_class": "DIRA class", "DIRA_codes": "DIRA codes",
                   "VNTR_allele": "VNTR allele"}
BASE_PLACEMENT = {"Gene", "Feature", "Feature_name", "Ensembl_name", "RefSeq_numbering", "Biotype", "MANE", "Strand",
                  "Region", "Exon", "Intron", "HGVS_pos", "Boundary_distance", "In_VNTR", "Location_rule"}

CSS = """
body{font-family:-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;margin:0;color:#1d2733;background:#f4f6f8;font-size:14px}
header{background:#15304b;color:#fff;padding:14px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.9}
nav{padding:6px 28px;background:#e3e9ef;font-size:13px}nav a{margin-right:14px;color:#1b3a5c}
main{padding:8px 28px 40px;max-width:1500px}
section{background:#fff;border:1px solid #d5dde5;border-radius:6px;margin:16px 0;padding:12px 18px}
h2{font-size:18px;margin:4px 0 10px;color:#1b3a5c}h3{font-size:15px;margin:14px 0 6px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0 10px}
.card{border-radius:6px;padding:8px 14px;min-width:200px;border:1px solid #c9d3dc;background:#f7f9fb}
.card .c{font-size:12px;color:#55626f}.card .k{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#55626f}.card .v{font-size:20px;font-weight:600}
.card.alert{background:#fbe9e7;border-color:#d9534f}.card.warn{background:#fff4e0;border-color:#e0a030}
.card.info{background:#e8f1fb;border-color:#5b8fc7}.card.none{background:#eef5ee;border-color:#7fb07f}
table{border-collapse:collapse;font-size:12.5px;margin:6px 0}th,td{border:1px solid #d5dde5;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#eef2f6}tr:nth-child(even) td{background:#fafbfc}
table.evidence{width:100%;font-size:12px}td.more{max-width:220px;overflow-wrap:break-word}.an{overflow-x:auto}.an td{max-width:520px;overflow-wrap:break-word;font-size:11.5px}td.num{text-align:right;font-variant-numeric:tabular-nums}
.summary{border-left:5px solid #5b8fc7;background:#f7f9fb;padding:8px 16px;margin:8px 0 12px}.summary.alert{border-color:#d9534f;background:#fdf3f2}.summary.warn{border-color:#e0a030;background:#fffaf0}.summary.none{border-color:#7fb07f}
.summary .meaning{font-size:15px;margin:6px 0 8px}.summary h3{font-size:14px;margin:10px 0 4px}.summary ul{margin:2px 0 6px;padding-left:20px}.summary li{margin:2px 0}
table.freq td:last-child{max-width:420px;overflow-wrap:anywhere}
.mark{display:inline-block;font-size:10.5px;font-weight:700;letter-spacing:.04em;padding:0 5px;border-radius:3px;background:#fff1c9;color:#7a5200;border:1px solid #e0b84a;vertical-align:middle}
.projected{background:#fff4e0;border:1px solid #e0a030;border-radius:6px;padding:6px 12px;margin:12px 0;font-size:13px}
.plot svg{width:100%;height:auto}.note{color:#55626f;font-size:12.5px}
dd ul{margin:0;padding-left:18px}dl{display:grid;grid-template-columns:max-content auto;gap:2px 14px;font-size:12.5px;margin:4px 0}dt{color:#55626f}dd{margin:0}
details{margin:4px 0}summary{cursor:pointer;color:#1b3a5c}
.gt-hom_alt,.gt-hemizygous{color:#b2182b;font-weight:600}.gt-het,.gt-het_other_alt{color:#c0601a;font-weight:600}.gt-missing,.gt-half_call{color:#777}
@media print{nav{display:none}details>*{display:block}section{break-inside:avoid-page}}
.legend span{display:inline-block;margin-right:14px}.sw{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:4px;vertical-align:middle}
"""


_e = esc


def _table(columns: list[str], rows: list[list[object]], numeric: frozenset[str] | set[str] = frozenset()) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f'<td class="num">{_e(v)}</td>' if c in numeric else f"<td>{_e(v)}</td>"
                                    for c, v in zip(columns, r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _card_class(value: str) -> str:
    v = value.upper()
    if v in ("NOT DETERMINED", "UNKNOWN", ""):
        return ""
    if "POSSIBLE" in v or "UNCERTAIN" in v or "INDETERMINATE" in v or "UNKNOWN" in v:
        return "warn"
    if "BIALLELIC" in v or "AFFECTED" in v:
        return "alert"
    if "CARRIER" in v or "*" in v:
        return "info"
    if v.startswith("NO") or "REFERENCE" in v:
        return "none"
    return ""


def _headline(section: dict, depth: int = 0) -> tuple[str, str, str] | None:
    """(key, value, context) of the first headline field (verdict, diplotype ...) of an analysis section,
    looking one level into nested sections; an empty headline reads "not determined" with the method."""
    for k in HEADLINE_KEYS:
        v = section.get(k)
        if isinstance(v, (str, int, float)) and not isinstance(v, bool) and v != "":
            return k, str(v), _context(section)
    for k in HEADLINE_KEYS:
        if k in section and section[k] in ("", None):
            return k, "not determined", _context(section)
    if depth == 0:
        for v in section.values():
            if isinstance(v, dict):
                h = _headline(v, 1)
                if h:
                    return h
    return None


def _context(section: dict) -> str:
    parts = [f"{k}: {section[k]}" for k in CONTEXT_KEYS
             if isinstance(section.get(k), (str, int, float)) and section.get(k) not in ("", None)]
    return "; ".join(parts)


def _plot_variants(summary, sample_index: int | None, alleles=None) -> list[PlotVariant]:
    """``alleles``: the sample's :func:`sample_alleles` when the caller has them."""
    out = []
    if sample_index is None:

        for a in summary.annotations:
            counts = summary.digest.counts(a)
            n = sum(counts[z.value] for z in CARRIED)
            out.append(_plot_variant(a, "cohort", f" ({n})" if summary.samples else ""))
        return out
    for sa in summary.digest.sample_alleles(sample_index) if alleles is None else alleles:
        out.append(_plot_variant(sa.annotation, sa.zygosity.value, ""))
    return out


def _plot_variant(a, key: str, suffix: str) -> PlotVariant:
    v, r = a.variant, a.record
    label = (r.id if r.id and r.id != "." else f"{r.pos:,} {v.vcf_ref}>{v.vcf_alt}") + suffix
    t = mane_placement(a)
    impact = getattr(t.effect, "impact", "") if t is not None and t.effect is not None else ""
    return PlotVariant(v.start, max(v.end, v.start + 1), label, _mane_label(a, t), key, _IMPACT_RANK.get(impact, 0))


_IMPACT_RANK = {"HIGH": 3, "MODERATE": 2, "LOW": 1}  # which variants keep their label on a crowded plot


def _mane_label(a, t) -> str:
    """``t``: the allele's MANE placement (:func:`mane_placement`), or None."""
    if t is None:
        return ""
    hgvs_c = getattr(t.effect, "hgvs_c", "") if t.effect is not None else ""
    if hgvs_c:
        return hgvs_c.split(":", 1)[-1]
    pos = t.location.hgvs_position
    v = a.variant
    if pos and t.location.transcript.strand.symbol == "+" and len(v.ref) == 1 and len(v.alt) == 1:
        return f"{pos}{v.ref}>{v.alt}"
    return pos


def _legend(model=None) -> str:
    items = [("#b2182b", "homozygous ALT"), ("#ef8a62", "heterozygous"), ("#999999", "missing / half call"),
             ("#1b3a5c", "MANE Select (tall box = CDS, short = UTR)"), ("#6f8fae", "other transcripts"),
             ("#d98c1f", "VNTR (intron 2)")]
    return '<p class="legend note">' + "".join(
        f'<span><i class="sw" style="background:{c}"></i>{_e(t)}</span>' for c, t in items) + "</p>" + \
        _unnamed_note(model)


def _unnamed_note(model) -> str:
    """Models drawn under an id of ours (the source table names no transcript) are said to be so."""
    unnamed = [t.transcript_id for t in (model.transcripts if model is not None else ())
               if t.display_name == t.transcript_id and not t.ensembl_name]
    if not unnamed:
        return ""
    return (f'<p class="note">{_e(", ".join(unnamed))}: GENCODE models the source table lists without a transcript '
            "name; the id is ours (the source row), not an Ensembl or RefSeq accession, so no c./n. HGVS is written on "
            "them.</p>")


def _short_hgvs(v: object) -> str:
    text = "" if v is None else str(v)
    return text.split(":", 1)[1] if ":" in text else text


def _exon_intron(p: dict) -> str:
    if p.get("Exon"):
        return f"exon {p['Exon']}"
    return f"intron {p['Intron']}" if p.get("Intron") else ""


def _evidence_table(summary, sample_index: int, alleles=None) -> str:
    """One row per allele the sample carries (or could not be called for): genotype, MANE placement, the
    registered consequence/DIRA/VNTR fields that matter most (when those stages ran), other transcripts."""
    if alleles is None:
        alleles = summary.digest.sample_alleles(sample_index)
    if not alleles:
        return ('<p class="note">No ALT allele called in the IL1RN window for this sample (every site of the window '
                'present in the file is called reference).</p>')
    rows_src = []
    for sa in alleles:
        t = mane_placement(sa.annotation)
        rows_src.append((sa, placement(sa.annotation, t) if t else {}))
    extras = [k for k in EVIDENCE_FIELDS if any(p.get(k) not in ("", None) for _, p in rows_src)]
    position = [] if "HGVSc" in extras else ["c. position"]  # HGVS c. already names the position
    columns = ["variant", "ID", "GT", "zygosity", "GQ", "DP", "FILTER", "MANE region", "exon/intron", *position,
               *[EVIDENCE_LABELS.get(k, k) for k in extras], "other transcripts, all fields"]
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = []
    for sa, p in rows_src:
        a, c = sa.annotation, sa.call
        r, v = a.record, a.variant
        others = [placement(a, t) for t in a.transcripts if not t.location.transcript.mane_select]
        rest = {k: x for k, x in p.items() if k not in BASE_PLACEMENT and k not in extras and x not in ("", None)}
        more = _other_transcripts(others)
        if rest:
            more += ("<details><summary>MANE fields</summary>" +
                     "<br>".join(f"{_e(k)}: {_e(x)}" for k, x in rest.items()) + "</details>")
        cells = [f"{r.contig}:{r.pos} {v.vcf_ref}>{v.vcf_alt}", r.id, c.gt, sa.zygosity.value,
                 "" if c.gq is None else f"{c.gq:g}", "" if c.dp is None else c.dp, ";".join(r.filters) or ".",
                 _breakable(p.get("Region", "outside MANE")) if p else "outside MANE", _exon_intron(p),
                 *([p.get("HGVS_pos", "")] if position else [])] + [
                     _short_hgvs(p.get(k)) if k.startswith("HGVS") else _breakable(p.get(k, "")) for k in extras]
        tds = "".join(f'<td class="gt-{sa.zygosity.value}">{_e(x)}</td>' if i == 3 else f"<td>{_e(x)}</td>"
                      for i, x in enumerate(cells))
        body.append(f'<tr>{tds}<td class="more">{more}</td></tr>')
    return (f"<div class=\"an\"><table class=\"evidence\"><thead><tr>{head}</tr></thead><tbody>{''.join(body)}"
            "</tbody></table></div>")


def _breakable(value: object) -> str:
    """An &-joined list (consequence terms, ACMG codes) that may wrap after each '&' or '_' (a zero-width space
    there): the evidence table then fits the page instead of running off its right edge."""
    return ("" if value is None else str(value)).replace("&", "&\u200b").replace("_", "_\u200b")


def _placement_text(o: dict) -> str:
    where = f"exon {o['Exon']}" if o.get("Exon") else f"intron {o['Intron']}" if o.get("Intron") else ""
    region = "&".join(r for r in str(o.get("Region", "")).split("&") if r not in ("exon", "intron"))
    return " ".join(x for x in (f"{o['Feature_name']}:", where, f"({region})" if region else "",
                                str(o.get("HGVS_pos", ""))) if x)


def _other_transcripts(others: list[dict]) -> str:
    """The first transcript with an exon/intron placement inline (Ensembl-named first), the rest folded."""
    if not others:
        return ""
    ranked = sorted(others, key=lambda o: (not (o.get("Exon") or o.get("Intron")), not o.get("Ensembl_name")))
    head = _e(_placement_text(ranked[0]))
    if len(ranked) == 1:
        return head
    rest = "<br>".join(_e(_placement_text(o)) for o in ranked[1:])
    return f"{head}<details><summary>{len(ranked) - 1} more</summary>{rest}</details>"


def _analysis_html(name: str, section: object, level: int = 3) -> str:
    section = jsonable(section)
    tag = f"h{min(level, 5)}"
    if not isinstance(section, dict):
        return f"<{tag}>{_e(name)}</{tag}><p>{_e(section)}</p>"
    scalars: list[tuple[str, str]] = []
    blocks = []
    for k, v in section.items():
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            cols: list[str] = []
            for x in v:
                for kk in x:
                    if kk not in cols:
                        cols.append(kk)
            rows = [[_short(x.get(c, "")) for c in cols] for x in v]
            blocks.append(f"<h{min(level + 1, 5)}>{_e(k)}</h{min(level + 1, 5)}>" + _table(cols, rows))
        elif isinstance(v, list):
            items = "".join(f"<li>{_e(_short(x))}</li>" for x in v)
            scalars.append((k, f"<ul>{items}</ul>" if v else "(none)"))
        elif isinstance(v, dict) and v:
            if all(not isinstance(x, (dict, list)) for x in v.values()) and len(v) > 6:
                rows = [[kk, _short(x)] for kk, x in v.items()]
                blocks.append(f"<h{min(level + 1, 5)}>{_e(k)}</h{min(level + 1, 5)}>" + _table(["key", "value"], rows))
            else:
                blocks.append(_analysis_html(f"{name}: {k}" if level == 3 else k, v, level + 1))
        else:
            scalars.append((k, _e(_short(v))))
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in scalars)
    return f"<{tag}>{_e(name)}</{tag}><dl>{dl}</dl>" + "".join(blocks)


def _short(v: object) -> str:
    """A value as words: lists joined with '; ', mappings as 'key: value' pairs (never raw JSON)."""
    if isinstance(v, dict):
        return "; ".join(f"{k}: {_short(x)}" for k, x in v.items())
    if isinstance(v, list):
        return "; ".join(_short(x) for x in v)
    return "" if v is None else str(v)


def _flagged_by_analysis(summary, sample: str) -> bool:
    """Does an analysis flag ``sample`` (qualifying calls, or a section asking for detail)?"""
    for r in summary.analyses:
        sec = r.per_sample.get(sample)
        if isinstance(sec, dict) and any(sec.get(k) for k in FLAG_KEYS):
            return True
    return False


def _high_or_moderate_on_mane(a) -> bool:
    t = mane_placement(a)
    return t is not None and getattr(t.effect, "impact", "") in ("HIGH", "MODERATE")


def detail_samples(summary) -> tuple[list[int], str, dict[int, list]]:
    """Which samples get a detail section, the sentence that tells the reader, and each shown sample's
    alleles.  Above ``DETAIL_ALL`` samples: those an analysis flags or that carry a HIGH/MODERATE allele on MANE
    Select, found with array work over the listed calls (a sample's allele list is made only for the shown)."""
    n = len(summary.sample_names)
    digest = summary.digest
    if n <= DETAIL_ALL:
        return list(range(n)), "", dict(enumerate(digest.alleles_by_sample()))
    high = digest.carriers(_high_or_moderate_on_mane)
    flagged = [i for i, s in enumerate(summary.sample_names) if high[i] or _flagged_by_analysis(summary, s)]
    carriers = int(digest.carriers(lambda a: True).sum())
    shown = flagged[:DETAIL_CAP]
    msg = (f"{n:,} samples: to keep this page readable, per-sample detail is shown only for samples an analysis flags "
           f"(qualifying calls) or that carry a HIGH/MODERATE-impact allele on MANE Select: {len(flagged):,} such "
           f"sample(s){f', the first {DETAIL_CAP} shown' if len(flagged) > DETAIL_CAP else ''}. {carriers:,} samples "
           "carry at least one non-reference allele in the window; every sample is in the table above and has its own "
           "JSON report (--json).")
    return shown, msg, {i: digest.sample_alleles(i) for i in shown}


def _dira_criteria_html(section: object) -> str:
    """One table per allele the DIRA verdict looks at: every ACMG criterion with its status, strength, points and
    reason, and the allele's points class and 2015 class side by side (a disagreement is marked)."""
    if not isinstance(section, dict):
        return ""
    variants = [*section.get("qualifying_variants", ()), *section.get("other_candidate_variants", ())]
    variants = [v for v in variants if isinstance(v, dict) and v.get("criteria")]
    if not variants:
        return ""
    parts = ['<h3>DIRA: ACMG criteria of the alleles behind the verdict</h3>']
    for v in variants:
        pc, c15 = v.get("points_class", ""), v.get("class_2015", "")
        differ = ' &mdash; <b style="color:#b2182b">the two systems disagree</b>' if pc and c15 and pc != c15 else ""
        parts.append(f"<h4>{_e(v.get('variant'))} {_e(v.get('genotype', ''))}: class used {_e(v.get('class'))}; "
                     f"points system {_e(pc)}, 2015 rules {_e(c15)}{differ}</h4>")
        rows = [[c.get("applied"), c.get("status"), c.get("strength"), c.get("points"), c.get("reason")]
                for c in v["criteria"]]
        parts.append(_table(["criterion", "status", "strength", "points", "reason (the evidence it rests on)"], rows,
                            {"points"}))
    return "".join(parts)


def projected_note(build: str) -> str:
    """The gene model's own statement that its MANE Select transcript is PROJECTED from the other build (the
    GRCh37 model), or '' when it is native."""
    from il1rn_annot.model.resources import load_resource

    try:
        mane = load_resource(f"gene_model_{build}.tsv").get("mane_select")
    except (FileNotFoundError, OSError):
        return ""
    if "PROJECTED" not in mane:
        return ""
    return (f"{build}: the MANE Select transcript ({mane.split(':', 1)[0].strip()}) is defined on GRCh38; the "
            f"{build} model's copy is {mane.split(':', 1)[1].strip()}. Its exon and c. positions on {build} are "
            "projected, not read from a native annotation.")


def run_facts(summary) -> RunFacts:
    """What the whole run says about every sample's summary (build, structural-variant records in the window)."""
    return RunFacts(summary.build, has_sv_records(summary.annotations), projected_note(summary.build))


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(x)}</li>" for x in items) + "</ul>" if items else ""


_marked = marked


def _marked_table(columns: list[str], rows: list[list[object]]) -> str:
    """:func:`_table` with each cell through :func:`_marked` (DERIVED, INFERRED ... shown where they are said)."""
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_marked(str(v))}</td>" for v in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _marked_list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_marked(x)}</li>" for x in items) + "</ul>" if items else ""


def _summary_html(text: SampleSummary, cards: str) -> str:
    """The sample's plain-language summary: the verdict and its meaning, the evidence, what could not be
    assessed, next steps (:func:`il1rn_annot.report.summary.summarise`)."""
    kind = _card_class(text.verdict) if text.verdict else ""
    parts = [f'<div class="summary {kind}" id="summary">{cards}<p class="meaning">{_e(text.meaning)}</p>']
    if text.evidence:
        parts.append(f"<h3>The evidence</h3>{_marked_list(text.evidence)}")
    parts.append(_summary_parts(text.vntr, "What could not be assessed, and why", text.not_assessed, text.next_steps,
                                "The tool reads genotypes, not the patient: every result is a candidate finding "
                                "for a clinical geneticist to review."))
    return "".join(parts)


def _summary_parts(vntr: list[str], gaps_title: str, gaps: list[str], steps: list[str], note: str) -> str:
    """The VNTR sentences, what could not be assessed, next steps and the closing note of a summary box."""
    parts = [f"<h3>VNTR allele context</h3>{_marked_list(vntr)}" if vntr else "",
             f"<h3>{_e(gaps_title)}</h3>{_marked_list(gaps)}" if gaps else "",
             f"<h3>Suggested next steps</h3>{_list(steps)}" if steps else ""]
    return "".join(parts) + f'<p class="note">{_e(note)}</p></div>'


def _vntr_html(section: object) -> str:
    """The sample's VNTR answer as a small table (answer, how it was reached, confidence, *2 copies, markers)
    with its notes and, folded, each marker's state."""
    if not isinstance(section, dict):
        return ""
    v = section.get("vntr", section)
    if not isinstance(v, dict):
        return ""
    method = str(v.get("method") or "unknown")
    how = {"inferred": "INFERRED from tag SNVs (not measured)", "long_reads": "MEASURED from spanning long reads",
           "direct": "MEASURED: the VCF's VNTR record(s)"}.get(method, "no evidence")
    rows = [("answer", v.get("diplotype") or v.get("call") or "unknown"), ("how", how),
            ("derived from", v.get("derived_from", "")), ("confidence", v.get("confidence") or "(none)"),
            ("IL1RN*2 copies", v.get("star2_copies", "")),
            ("diplotypes still possible", ", ".join(v.get("candidates") or ()) or "(any)"),
            ("markers used", ", ".join(v.get("markers_used") or ()) or "(none)"),
            ("markers with no record or call", ", ".join(v.get("missing_markers") or ()) or "(none)"),
            ("evidence", "; ".join(v.get("evidence") or ()) or "(none)")]
    if isinstance(v.get("reads"), dict):
        r = v["reads"]
        rows.append(("from the reads", f"{r.get('diplotype') or 'nothing measured'} "
                                       f"({r.get('spanning_reads', 0)} spanning read(s); {r.get('confidence') or 'no'} "
                                       "confidence)"))
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_marked(str(x))}</dd>" for k, x in rows)
    notes = _marked_list([str(n) for n in v.get("notes") or ()])
    markers = [m for m in v.get("markers") or () if isinstance(m, dict)]
    table = ""
    if markers:
        cols = ["rsid", "state", "genotype", "tagged_allele", "r2", "evidence", "caveat", "reason"]
        mrows = [[m.get(c, "") if m.get(c) is not None else "" for c in cols] for m in markers]
        table = (f"<details><summary>the {len(markers)} tag markers, one by one</summary>"
                 f"{_marked_table(['marker', 'state', 'genotype', 'tagged allele', 'r2', 'evidence', 'caveat', 'why'], mrows)}"
                 "</details>")
    return (f'<h3 id="vntr-sample">IL1RN*1-*5 VNTR (intron 2)</h3><dl>{dl}</dl>'
            + (f"<p class=\"note\">Notes:</p>{notes}" if notes else "") + table)


def _details_html(section: object, build: str) -> str:
    """The DIRA section's details as readable tables and lists: each catalogue allele's site, the reasons
    as the analysis gives them, flags and the trio (JSON report: everything)."""
    if not isinstance(section, dict):
        return ""
    parts = ["<h3>Details of the DIRA analysis</h3>"]
    reasons = [str(r) for r in section.get("reasons") or ()]
    if reasons:
        parts.append(f"<h4>Reasons, as the analysis gives them</h4>{_marked_list(reasons)}")
    flags = [str(f) for f in section.get("flags") or ()]
    if flags:
        parts.append(f"<h4>Flags</h4><p>{_e(', '.join(flags))}</p>")
    if isinstance(section.get("ped"), dict):
        ped = section["ped"]
        parts.append(f"<h4>Trio (PED)</h4><p>father {_e(ped.get('father') or '-')}, mother "
                     f"{_e(ped.get('mother') or '-')}</p>")
    sites = section.get("catalogue_sites")
    if isinstance(sites, dict) and sites:
        rows = []
        for aid, what in sites.items():
            status = catalogue_status(aid, build)
            rows.append([aid, {"verified": "verified", "inferred": "INFERRED",
                               "unknown_breakpoints": "breakpoints unknown"}.get(status, status),
                         str(what).replace("not_observed", "NOT OBSERVED (no record at the site)")])
        head = "".join(f"<th>{c}</th>" for c in ("catalogue allele", "exact change", "what this file says there"))
        body = "".join("<tr>" + "".join(f"<td>{_marked(x)}</td>" for x in r) + "</tr>" for r in rows)
        parts.append("<h4>The published DIRA alleles: what this file says at each site</h4>"
                     f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    return "".join(parts)


def _other_sections_html(sections: dict) -> str:
    """Analyses other than DIRA and the VNTR (e.g. variants sharing a codon), readably."""
    out = []
    for name, sec in sections.items():
        if name in ("dira", "vntr"):
            continue
        if name == "codon_haplotypes" and isinstance(sec, dict):
            out.append(f"<h3>Two variants in one codon</h3>{_list([str(x) for x in sec.get('codon_pairs') or ()])}")
        else:
            out.append(_analysis_html(name, sec))
    return "".join(out)


def _sample_section(summary, i: int, alleles: list, facts: RunFacts | None = None) -> str:
    """``alleles``: the sample's :func:`sample_alleles`.  Summary first, then the criteria, the VNTR, the
    drawing and evidence table, the details."""
    s = summary.sample_names[i]
    sections = analysis_sections(summary.analyses, s)
    facts = facts or run_facts(summary)
    cards = []
    for name, sec in sections.items():
        h = _headline(sec) if isinstance(sec, dict) else None
        if h:
            ctx = f'<div class="c">{_e(h[2])}</div>' if h[2] else ""
            cards.append(f'<div class="card {_card_class(h[1])}"><div class="k">{_e(name)} {_e(h[0])}</div>'
                         f'<div class="v">{_e(h[1])}</div>{ctx}</div>')
    n_var = len(alleles)
    cards.append(f'<div class="card"><div class="k">alleles carried or uncalled</div><div class="v">{n_var}</div></div>')
    dira, vntr = sections.get("dira"), sections.get("vntr")
    inner = vntr.get("vntr", vntr) if isinstance(vntr, dict) else None
    text = summarise(dira if isinstance(dira, dict) else None, inner if isinstance(inner, dict) else None, facts)
    svg = gene_svg(summary.model, _plot_variants(summary, i, alleles), title=f"{s}: IL1RN ({summary.build})")
    head = _summary_html(text, '<div class="cards">' + "".join(cards) + "</div>")
    return (f'<section id="sample-{_e(s)}"><h2>Sample {_e(s)}</h2>{head}'
            f"{_dira_criteria_html(dira)}{_vntr_html(vntr)}"
            f'<h3>Where the sample\'s alleles lie</h3><div class="plot">{svg}</div>{_legend(summary.model)}'
            f"<h3>Evidence: the sample's alleles in the IL1RN window</h3>"
            f"{_evidence_table(summary, i, alleles)}{_details_html(dira, summary.build)}"
            f"{_other_sections_html(sections)}</section>")


def _sites_table(summary) -> str:
    """The variants of a file without samples: where each lies on MANE Select and what it does."""
    rows = []
    for a in summary.annotations:
        t = mane_placement(a)
        p = placement(a, t) if t else {}
        rows.append([f"{a.record.contig}:{a.record.pos} {a.variant.vcf_ref}>{a.variant.vcf_alt}", a.record.id,
                     (t.location.exon_label or t.location.intron_label) if t else "", _mane_label(a, t) if t else "",
                     p.get("Region", "outside MANE") if p else "outside MANE", p.get("Consequence", ""),
                     _short_hgvs(p.get("HGVSp", "")), p.get("DIRA_class", "")])
    if not rows:
        return '<p class="note">No record of the file falls in the IL1RN window.</p>'
    return _table(["variant", "ID", "MANE exon/intron", "MANE position", "MANE region", "consequence", "HGVS p.",
                   "DIRA class"], rows)


COMPACT_SAMPLE_COLUMNS = ("sample", "n_carried_alleles", "n_uncertain_calls", "dira.verdict", "dira.n_qualifying",
                          "vntr.call", "vntr.method", "vntr.confidence", "vntr.star2_copies")


def _compact_samples(columns: list[str], rows) -> tuple[list[str], list[list[object]]]:
    """The per-sample table cut to the counts and the headline fields (verdict, VNTR answer and how it was
    reached): the full table is the --samples-tsv file and the JSON reports."""
    keep = [columns.index(c) for c in COMPACT_SAMPLE_COLUMNS if c in columns]
    return [columns[i] for i in keep], [[r[i] for i in keep] for r in rows]


def _cohort_words_and_cards(summary) -> tuple[CohortSummary, str]:
    """The run's samples in words (:func:`il1rn_annot.report.summary.summarise_cohort`) and the cards counting
    each analysis' headline values (e.g. DIRA verdict: CARRIER 3), from one pass over the samples: each
    sample's sections are made once (they are made on request and not kept)."""
    from collections import Counter

    counts: dict[str, Counter] = {r.name: Counter() for r in summary.analyses}
    keys: dict[str, str] = {}

    def each_sample():
        for s in summary.sample_names:
            sections = {}
            for r in summary.analyses:
                sec = jsonable(r.per_sample.get(s)) if s in r.per_sample else None
                if not isinstance(sec, dict):
                    continue
                sections[r.name] = sec
                h = _headline(sec)
                if h:
                    keys[r.name] = h[0]
                    counts[r.name][h[1]] += 1
            vntr = sections.get("vntr")
            vntr = vntr.get("vntr", vntr) if isinstance(vntr, dict) else None
            yield s, sections.get("dira"), vntr if isinstance(vntr, dict) else None

    words = summarise_cohort(each_sample(), run_facts(summary))
    cards = []
    for r in summary.analyses:
        c = counts[r.name]
        if not c:
            continue
        lines = "".join(f"<div>{_e(v)}: <b>{n:,}</b></div>" for v, n in c.most_common(8))
        more = f"<div>... {len(c) - 8} more values</div>" if len(c) > 8 else ""
        cards.append(f'<div class="card"><div class="k">{_e(r.name)} {_e(keys.get(r.name, ""))} (samples)</div>'
                     f"{lines}{more}</div>")
    return words, (f'<div class="cards">{"".join(cards)}</div>' if cards else "")


def _cohort_summary_html(text: CohortSummary) -> str:
    return ('<div class="summary" id="cohort-summary"><h3>The samples in words</h3>' + _marked_list(text.verdicts)
            + _summary_parts(text.vntr, "What no sample could be assessed for, and why", text.not_assessed,
                             text.next_steps, "Counts of per-sample results, not a cohort verdict: each sample's own "
                             "section (or JSON report) gives its evidence. Every result is a candidate finding for a "
                             "clinical geneticist to review."))


def _cohort_section(summary, samples_table=None) -> str:

    columns, rows = _compact_samples(*(samples_table or samples_rows(summary)))
    numeric = {c for c in columns if c.startswith("n_")}
    vrows = []
    for a in summary.annotations:
        t = mane_placement(a)
        counts = summary.digest.counts(a)
        vrows.append([f"{a.record.contig}:{a.record.pos} {a.variant.vcf_ref}>{a.variant.vcf_alt}", a.record.id,
                      t.location.exon_label or t.location.intron_label if t else "", _mane_label(a, t) if t else "",
                      ",".join(sorted(r.value for r in t.location.regions)) if t else "outside MANE",
                      counts["hom_alt"], counts["het"], counts["het_other_alt"] + counts["hemizygous"],
                      counts["half_call"] + counts["missing"]])
    vcols = ["variant", "ID", "MANE exon/intron", "MANE position", "MANE region", "hom ALT", "het", "other carriers",
             "missing/half"]
    words, tallies = _cohort_words_and_cards(summary)
    svg = gene_svg(summary.model, _plot_variants(summary, None),
                   title=f"Cohort: every allele in the IL1RN window, number of carriers in brackets ({summary.build})")
    cohort_heads = "".join(_analysis_html(r.name, r.cohort) for r in summary.analyses if r.cohort)
    if cohort_heads:
        names = ", ".join(r.name for r in summary.analyses if r.cohort)
        cohort_heads = (f'<h3>Analyses</h3><details><summary>cohort sections of {_e(names)} (options, counts, '
                        f'resources)</summary><div class="an">{cohort_heads}</div></details>')
    return (f'<section id="cohort"><h2>Cohort: {len(summary.sample_names):,} samples, '
            f"{len(summary.annotations)} allele(s) in the IL1RN window</h2>{tallies}"
            f"{_cohort_summary_html(words)}"
            f'<div class="plot">{svg}</div>{_unnamed_note(summary.model)}<h3>Variants</h3>'
            f"{_table(vcols, vrows, {'hom ALT', 'het', 'other carriers', 'missing/half'})}"
            f"<h3>Samples</h3>"
            f'<details {"open" if len(rows) <= DETAIL_ALL else ""}><summary>per-sample table ({len(rows):,} rows; '
            f"headline fields only: every field is in --samples-tsv and the JSON reports)</summary>{_table(columns, rows, numeric)}</details>"
            f"{cohort_heads}</section>")


def _provenance_section(summary) -> str:
    p = provenance(summary)
    rows = [("tool", f"il1rn_annot {p['tool']['version']}"), ("input file", p["input"]["file"]),
            ("build", f"{p['input']['build']} ({p['input']['build_evidence']})"),
            ("command line", p["command_line"] or "(Python API)"),
            ("read mode", p["input"]["mode"]), ("records read", p["input"]["records_read"]),
            ("records in the IL1RN window", p["input"]["records_in_window"]),
            ("alleles annotated", p["input"]["alleles_annotated"]), ("samples", p["input"]["samples"]),
            ("MANE Select", p["gene"]["mane_select"]), ("transcripts", ", ".join(p["gene"]["transcripts"])),
            ("analyses run", ", ".join(p["analyses"]) or "none"), ("resources", ", ".join(p["resources"]))]
    if projected_note(summary.build):
        rows.insert(10, ("gene model", f"PROJECTED: {projected_note(summary.build)}"))
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    return f'<section id="provenance"><h2>Provenance</h2><dl>{dl}</dl></section>'


def render_report(summary, samples_table=None) -> str:
    """The whole report for a :class:`~il1rn_annot.api.RunSummary` as one HTML string (``samples_table``:
    :func:`il1rn_annot.sinks.samples_table.samples_rows` output when the caller already has it)."""
    if summary.model is None:
        raise ValueError("render_report needs a RunSummary from annotate_vcf (it carries the gene model)")
    n = len(summary.sample_names)
    shown, note, alleles_of = detail_samples(summary)
    parts = []
    nav = ['<a href="#provenance">provenance</a>']
    if n > 1:
        parts.append(_cohort_section(summary, samples_table))
        nav.insert(0, '<a href="#cohort">cohort</a>')
    if note:
        parts.append(f'<section id="detail-note"><p class="note">{_e(note)}</p></section>')
    if n == 0:
        parts.append(f'<section id="sites"><h2>Sites only (no samples): {len(summary.annotations)} allele(s) in the '
                     f'IL1RN window</h2><p class="note">The file has no sample columns: there is no genotype, verdict '
                     f'or VNTR answer to give, only the variants and where they lie.</p><div class="plot">'
                     f"{gene_svg(summary.model, _plot_variants(summary, None))}</div>{_legend(summary.model)}"
                     f"<h3>Variants</h3>{_sites_table(summary)}</section>")
    facts = run_facts(summary)
    for i in shown:
        parts.append(_sample_section(summary, i, alleles_of[i], facts))
    if 1 < len(shown) <= 60:
        nav.extend(f'<a href="#sample-{_e(summary.sample_names[i])}">{_e(summary.sample_names[i])}</a>' for i in shown)
    vntr = next((r for r in summary.analyses if r.name == "vntr"), None)
    vntr_html = vntr_section(vntr.cohort) if vntr is not None else ""
    if vntr_html:  # after the samples: a cohort-level table, below each sample's own answer
        parts.append(vntr_html)
        nav.insert(len(nav) - 1 if n <= 1 else 1, '<a href="#vntr">VNTR</a>')
    parts.append(_provenance_section(summary))
    projected = projected_note(summary.build)
    if projected:
        parts.insert(0, f'<div class="projected" id="projected"><span class="mark">PROJECTED</span> {_e(projected)}'
                        "</div>")
    title = f"IL1RN report: {summary.input}"
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head><body>'
            f"<header><h1>IL1RN annotation report</h1><p>{_e(summary.input)} &middot; {_e(summary.build)} &middot; "
            f"{n:,} sample(s) &middot; {summary.alleles_annotated} allele(s) in the IL1RN window &middot; "
            f"il1rn_annot {_e(provenance(summary)['tool']['version'])}</p></header>"
            f'<nav>{"".join(nav)}</nav><main>{"".join(parts)}</main></body></html>\n')
