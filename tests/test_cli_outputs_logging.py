"""CLI options for the extra outputs, logging levels (-q / -v) and the progress bar."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from conftest import EXOME37, REPO, need_shared
from il1rn_annot import api
from il1rn_annot.cli import main
from il1rn_annot.progress import ProgressBar

EXAMPLE = REPO / "examples" / "il1rn_example_GRCh38.vcf"


def test_annotate_writes_every_requested_output(tmp_path, capsys):
    o = tmp_path / "out" / "ex.vcf.gz"
    rc = main(["annotate", str(EXAMPLE), "-o", str(o), "--json", str(tmp_path / "json"), "--samples-tsv",
               str(tmp_path / "out" / "ex.samples.tsv"), "--html", str(tmp_path / "ex.html"), "--parquet"])
    assert rc == 0
    err = capsys.readouterr().err
    assert "5 records read" in err and "3 samples" in err and err.count("\n") == 1  # just the summary line
    for name in ("ex.vcf.gz", "ex.vcf.gz.tbi", "ex.tsv", "ex.genotypes.tsv", "ex.samples.tsv", "ex.parquet",
                 "ex.genotypes.parquet", "ex.samples.parquet"):
        assert (tmp_path / "out" / name).stat().st_size > 0, name
    doc = json.loads((tmp_path / "json" / "NO_VARIANT.json").read_text())
    assert doc["provenance"]["command_line"].startswith("il1rn-annot annotate ")
    assert "--parquet" in doc["provenance"]["command_line"]
    assert "NO_VARIANT" in (tmp_path / "ex.html").read_text()
    samples = pd.read_parquet(tmp_path / "out" / "ex.samples.parquet").set_index("sample")
    assert samples.loc["NO_VARIANT", "n_carried_alleles"] == 1
    assert samples.loc["PATIENT_E77X_HOM", "n_carried_alleles"] == 3


def test_outputs_get_the_umask_permissions_not_0600(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        assert main(["annotate", "-q", str(EXAMPLE), "-o", str(tmp_path / "o.vcf"), "--html", str(tmp_path / "r.html")]) == 0
    finally:
        os.umask(old)
    assert (tmp_path / "r.html").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "o.vcf").stat().st_mode & 0o777 == 0o644


def test_quiet_prints_nothing_and_verbose_prints_details(tmp_path, capsys):
    import logging

    before = list(logging.getLogger("il1rn_annot").handlers)  # pytest's own capture handlers may be there
    assert main(["annotate", "-q", str(EXAMPLE), "-o", str(tmp_path / "a.vcf")]) == 0
    assert capsys.readouterr().err == ""
    assert main(["annotate", "-v", str(EXAMPLE), "-o", str(tmp_path / "b.vcf")]) == 0
    err = capsys.readouterr().err
    assert "debug: build GRCh38" in err and f"debug: wrote {tmp_path / 'b.vcf'}" in err
    assert "5 records read" in err
    # the handler main() adds does not outlive it
    assert logging.getLogger("il1rn_annot").handlers == before


def test_warnings_are_shown_under_quiet_and_reach_a_library_users_handler(tmp_path, capsys):
    """-q keeps warnings; a library user's handler still gets every message (warnings and details)."""
    import logging

    from vcf_text import GRCH38_LEN, header, record, write

    # chromosome 2 records, none in the IL1RN window: the run warns that nothing could be assessed
    vcf = write(tmp_path / "far.vcf", header("chr2", GRCH38_LEN) + record("chr2", 1000, "N", "A")
                + record("chr2", 200_000_000, "N", "C"))
    assert main(["annotate", "-q", str(vcf), "-o", str(tmp_path / "a.vcf")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"il1rn-annot: warning: {vcf}: ") and "no record" in err[0]

    seen = []
    catch = logging.Handler(logging.DEBUG)
    catch.emit = lambda record: seen.append((record.levelname, record.getMessage()))
    logger = logging.getLogger("il1rn_annot")
    assert (logger.level, logger.propagate) == (logging.NOTSET, True)  # main() put the logger back as it was
    logger.addHandler(catch)
    logger.setLevel(logging.DEBUG)  # as a library user asking for details would
    try:
        api.annotate_vcf(str(vcf), str(tmp_path / "b.vcf"))  # nothing of main()'s -q is left to drop them
    finally:
        logger.removeHandler(catch)
        logger.setLevel(logging.NOTSET)
    assert ("WARNING", err[0].split("warning: ", 1)[1]) in seen and any(level == "DEBUG" for level, _ in seen)


def test_progress_bar_only_on_a_terminal_and_not_quiet():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert ProgressBar.wanted(Tty(), quiet=False)
    assert not ProgressBar.wanted(Tty(), quiet=True)
    assert not ProgressBar.wanted(io.StringIO(), quiet=False)
    t = Tty()
    bar = ProgressBar(t, min_interval=0)
    bar.update(40_000, 0.5)
    assert "50.0%" in t.getvalue() and "40,000 records" in t.getvalue() and "#" * 15 + "-" * 15 in t.getvalue()
    bar.close()
    assert t.getvalue().endswith("\r\x1b[K")


@pytest.mark.shared
def test_a_whole_file_scan_reports_progress_every_n_records(tmp_path, monkeypatch):
    """--keep-all reads every record of a 37,709-record exome: the progress callback hears every
    PROGRESS_EVERY records, then (records read, 1.0) at the end."""
    from il1rn_annot.pipeline import run

    need_shared(EXOME37)
    monkeypatch.setattr(run, "PROGRESS_EVERY", 5_000)
    calls = []
    s = api.annotate_vcf(str(EXOME37), str(tmp_path / "o.vcf.gz"), keep_all=True,
                         progress=lambda n, f: calls.append((n, f)))
    assert s.mode == "indexed" and s.records_read > 20_000
    assert [n for n, _ in calls[:-1]] == list(range(5_000, s.records_read + 1, 5_000))
    fractions = [f for _, f in calls[:-1] if f is not None]
    assert all(0 < f <= 1 for f in fractions) and fractions == sorted(fractions)
    assert calls[-1] == (s.records_read, 1.0)


def test_progress_bar_stays_off_when_stderr_is_not_a_terminal(tmp_path, capsys):
    assert main(["annotate", str(EXAMPLE), "-o", str(tmp_path / "a.vcf"), "--keep-all"]) == 0
    assert "\r" not in capsys.readouterr().err
