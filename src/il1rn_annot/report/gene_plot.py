"""Drawings of IL1RN with variants placed on them (matplotlib, returned as inline SVG text).

Two panels:
  * the locus: every transcript of the model (MANE first, thick boxes = CDS, thin boxes = UTR / non-coding
    exon, line = intron, arrows = strand), the intron-2 VNTR, and each variant as a lollipop over all tracks
    (labelled; beyond :data:`LABEL_CAP` variants, only the highest-ranked keep a label, as the title says);
  * MANE Select with introns compressed (exons at true scale relative to each other, introns shortened and
    labelled with their real length) so that exonic and near-exon variants are readable; variants are
    labelled with their HGVS c. position.

Coordinates come in 0-based half-open (the package convention); axis labels are 1-based genome positions.
Matplotlib settings are applied inside ``rc_context`` only: no global state is changed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from il1rn_annot.model.gene_model import GeneModel
from il1rn_annot.types import Transcript

ZYGOSITY_COLOURS = {"hom_alt": "#b2182b", "hemizygous": "#b2182b", "het": "#ef8a62", "het_other_alt": "#ef8a62",
                    "half_call": "#999999", "missing": "#999999", "cohort": "#2166ac"}
MANE_COLOUR, OTHER_COLOUR, NONCODING_COLOUR, VNTR_COLOUR = "#1b3a5c", "#6f8fae", "#a9b9c9", "#d98c1f"


@dataclass(frozen=True, slots=True)
class PlotVariant:
    """One allele to draw: 0-based half-open span, a short label, a MANE label and a colour key."""

    start: int
    end: int
    label: str
    mane_label: str
    colour_key: str
    rank: int = 0  # which labels to keep when there are too many to read: higher first (the MANE impact)


LABEL_CAP = 40  # labelled lollipops per panel; beyond it (a cohort) every variant is still drawn, unlabelled


def _spread(xs: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Label positions near the sorted ``xs``, at least ``gap`` apart, inside [lo, hi] where room allows:
    clusters are pushed apart symmetrically around their centre, then clamped to the edges."""
    if not xs:
        return []
    groups: list[list[float]] = []  # [centre-of-mass, count] merged while they would overlap
    for x in xs:
        groups.append([x, 1])
        while len(groups) > 1:
            (c0, n0), (c1, n1) = groups[-2], groups[-1]
            if (c1 - (n1 - 1) * gap / 2) - (c0 + (n0 - 1) * gap / 2) >= gap:
                break
            groups[-2:] = [[(c0 * n0 + c1 * n1) / (n0 + n1), n0 + n1]]
    pos = [c - (n - 1) * gap / 2 + k * gap for c, n in groups for k in range(int(n))]
    shift = max(0.0, lo - pos[0])
    pos = [p + shift for p in pos]
    for i in range(len(pos) - 1, -1, -1):
        limit = hi if i == len(pos) - 1 else pos[i + 1] - gap
        pos[i] = min(pos[i], limit)
    return pos


def _draw_transcript(ax, tx: Transcript, y: float, xmap, colour: str, scale: float = 1.0) -> None:
    s, e = xmap(tx.span.start), xmap(tx.span.end)
    ax.plot([s, e], [y, y], color=colour, lw=1, zorder=2, solid_capstyle="butt")
    for ex in tx.exons:
        parts = []
        if tx.cds is None:
            parts.append(((ex.start, ex.end), 0.22 * scale, NONCODING_COLOUR if colour != MANE_COLOUR else colour))
        else:
            for seg, h in (((ex.start, min(ex.end, tx.cds.start)), 0.16),
                           ((max(ex.start, tx.cds.start), min(ex.end, tx.cds.end)), 0.34),
                           ((max(ex.start, tx.cds.end), ex.end), 0.16)):
                if seg[0] < seg[1]:
                    parts.append((seg, h * scale, colour))
        for seg, h, c in parts:
            x0, x1 = xmap(seg[0]), xmap(seg[1])
            ax.add_patch(_rect(x0, y - h / 2, max(x1 - x0, 0.0), h, c))


def _rect(x, y, w, h, colour, **kw):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, facecolor=colour, edgecolor=colour, lw=0.4, zorder=3, **kw)


def _lollipops(ax, variants: list[PlotVariant], xmap, y_top: float, y_bottom: float, label_y: float,
               lo: float, hi: float, use_mane_label: bool) -> int:
    """Draw the variants; returns how many were left unlabelled (more than :data:`LABEL_CAP`: the stems
    and heads of all are drawn as two collections, the labels of the highest-ranked only)."""
    if not variants:
        return 0
    if len(variants) > LABEL_CAP:
        return _many_lollipops(ax, variants, xmap, y_top, y_bottom, label_y, lo, hi, use_mane_label)
    order = sorted(variants, key=lambda v: v.start)
    xs = [xmap(v.start + max(v.end - v.start, 1) / 2) for v in order]
    gap = (hi - lo) * 0.021
    lx = _spread(xs, gap, lo + gap / 2, hi - gap / 2)
    for v, x, tx in zip(order, xs, lx):
        c = ZYGOSITY_COLOURS.get(v.colour_key, "#444444")
        ax.plot([x, x], [y_bottom, y_top], color=c, lw=0.8, ls=(0, (2, 1.5)), zorder=4)
        ax.plot([x, tx], [y_top, label_y - 0.05], color=c, lw=0.6, zorder=4)
        hollow = v.colour_key in ("half_call", "missing")
        ax.plot([x], [y_top], marker="o", ms=5.5, color=c, mfc="white" if hollow else c, zorder=5)
        ax.text(tx, label_y, v.mane_label if use_mane_label and v.mane_label else v.label, rotation=55,
                ha="left", va="bottom", fontsize=8, color="#222222", zorder=6)
    return 0


def _many_lollipops(ax, variants: list[PlotVariant], xmap, y_top: float, y_bottom: float, label_y: float,
                    lo: float, hi: float, use_mane_label: bool) -> int:
    from matplotlib.collections import LineCollection

    order = sorted(variants, key=lambda v: v.start)
    xs = [xmap(v.start + max(v.end - v.start, 1) / 2) for v in order]
    colours = [ZYGOSITY_COLOURS.get(v.colour_key, "#444444") for v in order]
    ax.add_collection(LineCollection([[(x, y_bottom), (x, y_top)] for x in xs], colors=colours, linewidths=0.5,
                                     zorder=4))
    hollow = [v.colour_key in ("half_call", "missing") for v in order]
    ax.scatter(xs, [y_top] * len(xs), s=12, c=["white" if h else c for h, c in zip(hollow, colours)],
               edgecolors=colours, linewidths=0.6, zorder=5)
    keep = sorted(sorted(range(len(order)), key=lambda k: -order[k].rank)[:LABEL_CAP])  # stable: file order on ties
    gap = (hi - lo) * 0.021
    lx = _spread([xs[k] for k in keep], gap, lo + gap / 2, hi - gap / 2)
    for k, tx in zip(keep, lx):
        v, x = order[k], xs[k]
        ax.plot([x, tx], [y_top, label_y - 0.05], color=colours[k], lw=0.6, zorder=4)
        ax.text(tx, label_y, v.mane_label if use_mane_label and v.mane_label else v.label, rotation=55,
                ha="left", va="bottom", fontsize=8, color="#222222", zorder=6)
    return len(order) - len(keep)


def _genome_ticks(ax, lo: int, hi: int) -> None:
    span = max(hi - lo, 10)
    step = next((st for st in (10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)
                 if span / st <= 8), 200_000)
    ticks = list(range((lo // step + 1) * step, hi, step))
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{t + 1:,}" for t in ticks], fontsize=8)


def _compressed_map(tx: Transcript):
    """Piecewise-linear display coordinate for MANE: exons at scale 1, introns at 12 % (min 120 bp)."""
    segments = []  # (genomic start, genomic end, display start, display end)
    d = 0.0
    for i, ex in enumerate(tx.exons):
        if i:
            prev = tx.exons[i - 1]
            width = max(120.0, 0.12 * (ex.start - prev.end))
            segments.append((prev.end, ex.start, d, d + width))
            d += width
        segments.append((ex.start, ex.end, d, d + (ex.end - ex.start)))
        d += ex.end - ex.start

    def xmap(g: float) -> float:
        if g <= segments[0][0]:
            return segments[0][2] - (segments[0][0] - g) * 0.12
        for gs, ge, ds, de in segments:
            if g <= ge:
                return ds + (g - gs) * (de - ds) / max(ge - gs, 1)
        gs, ge, ds, de = segments[-1]
        return de + (g - ge) * 0.12

    return xmap, d, segments


def require_matplotlib() -> None:
    from il1rn_annot.errors import InputError

    try:
        import matplotlib  # noqa: F401  (only checking that it is installed)
    except ModuleNotFoundError:
        raise InputError("--html needs matplotlib, which is not installed",
                         fix="pip install matplotlib (a base dependency of il1rn_annot: reinstall it), or drop --html") from None


def gene_svg(model: GeneModel, variants: list[PlotVariant], title: str = "") -> str:
    """The two-panel drawing as SVG text (width scales with the page)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    txs = list(model.transcripts)
    mane = model.mane
    lo = min([t.span.start for t in txs] + [v.start for v in variants])
    hi = max([t.span.end for t in txs] + [v.end for v in variants])
    pad = max(300, (hi - lo) // 40)
    lo, hi = lo - pad, hi + pad
    n = len(txs)
    with plt.rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans", "svg.hashsalt": "il1rn_annot"}):
        fig = plt.figure(figsize=(13, 2.4 + 0.3 * n + 2.6))
        h_top = 2.4 + 0.3 * n
        gs = fig.add_gridspec(2, 1, height_ratios=[h_top, 2.6], hspace=0.55)
        ax = fig.add_subplot(gs[0])
        # --- panel 1: locus
        ys = {t.transcript_id: -(i + 1.0) for i, t in enumerate(txs)}
        vntr_y = -(n + 1.0)
        for t in txs:
            colour = MANE_COLOUR if t.mane_select else OTHER_COLOUR
            _draw_transcript(ax, t, ys[t.transcript_id], lambda x: x, colour, scale=1.6)
            name = t.display_name + (" (MANE Select)" if t.mane_select else "")
            if t.ensembl_name and t.ensembl_name != t.display_name:
                name += f" / {t.ensembl_name}"
            ax.text(lo - (hi - lo) * 0.005, ys[t.transcript_id], name, ha="right", va="center", fontsize=8,
                    color=MANE_COLOUR if t.mane_select else "#333333", fontweight="bold" if t.mane_select else "normal")
        if model.vntr:
            ax.add_patch(_rect(model.vntr.start, vntr_y - 0.17, len(model.vntr), 0.34, VNTR_COLOUR, hatch="////"))
            ax.text(lo - (hi - lo) * 0.005, vntr_y, "VNTR (intron 2, rs2234663)", ha="right", va="center",
                    fontsize=8, color=VNTR_COLOUR)
        unlabelled = _lollipops(ax, variants, lambda x: x, 0.55, vntr_y - 0.4, 0.85, lo, hi, use_mane_label=False)
        ax.set_xlim(lo, hi)
        ax.set_ylim(vntr_y - 0.7, 3.6)
        ax.set_yticks([])
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        _genome_ticks(ax, lo, hi)
        ax.set_xlabel(f"{model.contig} position ({model.build.name}, 1-based); strand +  →", fontsize=8)
        ax.set_title((title or f"IL1RN locus ({model.build.name})") + (
            f"; {len(variants):,} variants, labels for the {LABEL_CAP} of highest MANE impact" if unlabelled else ""),
            fontsize=10, loc="left")
        # --- panel 2: MANE, introns compressed
        if mane is not None:
            bx = fig.add_subplot(gs[1])
            xmap, total, segments = _compressed_map(mane)
            _draw_transcript(bx, mane, 0.0, xmap, MANE_COLOUR)
            for k, ex in enumerate(mane.exons):
                bx.text((xmap(ex.start) + xmap(ex.end)) / 2, -0.42, f"exon {mane.exon_number(k)}", ha="center",
                        va="top", fontsize=8, color=MANE_COLOUR)
            for k in range(1, len(mane.exons)):
                a, b = mane.exons[k - 1], mane.exons[k]
                has_vntr = model.vntr is not None and a.end <= model.vntr.start < b.start
                bx.text((xmap(a.end) + xmap(b.start)) / 2, -0.16,
                        f"intron {k}\n{b.start - a.end:,} bp" + ("\n(VNTR inside)" if has_vntr else ""), ha="center",
                        va="top", fontsize=7, color="#555555")
                bx.plot([xmap(a.end) + 20, xmap(b.start) - 20], [0.0, 0.0], color=MANE_COLOUR, lw=1)
            if model.vntr and mane.span.start <= model.vntr.start < mane.span.end:
                x0, x1 = xmap(model.vntr.start), xmap(model.vntr.end)
                bx.add_patch(_rect(x0, -0.09, x1 - x0, 0.18, VNTR_COLOUR, hatch="////", alpha=0.9))
            inside = [v for v in variants if mane.span.start - 50 <= v.start < mane.span.end + 50]
            dlo, dhi = xmap(mane.span.start) - total * 0.03, xmap(mane.span.end) + total * 0.03
            unlabelled_mane = _lollipops(bx, inside, xmap, 0.55, -0.05, 0.8, dlo, dhi, use_mane_label=True)
            bx.set_xlim(dlo, dhi)
            bx.set_ylim(-0.9, 2.6)
            bx.set_yticks([])
            bx.set_xticks([])
            for side in ("left", "right", "top", "bottom"):
                bx.spines[side].set_visible(False)
            outside = len(variants) - len(inside)
            note = f"; {outside} other variant(s) lie outside it (see the locus above)" if outside else ""
            if unlabelled_mane:
                note += f"; labels for the {LABEL_CAP} of highest impact of {len(inside):,}"
            bx.set_title(f"{mane.display_name} (MANE Select, {mane.ensembl_name or mane.transcript_id}): exons to "
                         f"scale, introns shortened; labels are c. positions{note}", fontsize=9, loc="left")
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
        plt.close(fig)
    svg = buf.getvalue()
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
