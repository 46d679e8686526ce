"""The HTML report as a run's sink: rendered (:mod:`il1rn_annot.report.html`) once the run is finished."""

from __future__ import annotations


class HtmlReportSink:
    def __init__(self, path: str, final: str):
        self.path, self.final = path, final

    def write(self, item, alleles) -> None:
        pass

    def finish(self, run) -> list[str]:
        from il1rn_annot.report.html import render_report
        from il1rn_annot.sinks.samples_table import samples_rows

        table = samples_rows(run) if len(run.sample_names) > 1 else None
        with open(self.path, "w", encoding="utf-8") as fh:
            fh.write(render_report(run, table))
        return [self.final]
