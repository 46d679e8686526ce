"""The self-contained HTML report (inline CSS, matplotlib SVG, no scripts, no network)."""

from il1rn_annot.report.html import render_report

__all__ = ["render_report"]
