"""io/prefetch.py: records read ahead on a worker thread come out as a plain loop gives them.

The unit tests drive it with plain Python iterables (what it is given is any iterable); the last test runs
a cohort-shaped file (9 samples, raw-text mode) through the indexed and bisection paths, where htslib's reads
go through it, and truncates that file inside the window.
"""

from __future__ import annotations

import threading

import pysam
import pytest

from il1rn_annot.io.prefetch import prefetched


def _alive() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "vcf-read-ahead"]


class _Counted:
    """An iterable that records how many items were taken from it."""

    def __init__(self, n: int, fail_at: int | None = None):
        self.n, self.fail_at, self.taken = n, fail_at, 0

    def __iter__(self):
        for i in range(self.n):
            if i == self.fail_at:
                raise OSError(f"read error at item {i}")
            self.taken += 1
            yield i


@pytest.mark.parametrize("n", [0, 1, 15, 16, 17, 33, 1000])
def test_items_come_out_in_order_across_batch_boundaries(n):
    assert list(prefetched(_Counted(n), batch=16, depth=2)) == list(range(n))
    assert not _alive()


@pytest.mark.parametrize("stop_at", [0, 15, 16, 40])
def test_the_read_ends_with_the_item_last_names_and_takes_nothing_after_it(stop_at):
    src = _Counted(100)
    got = list(prefetched(src, lambda i: i == stop_at, batch=16, depth=2))
    assert got == list(range(stop_at + 1))
    assert src.taken == stop_at + 1  # what a loop that breaks after that item takes


@pytest.mark.parametrize("fail_at", [0, 5, 16, 37])
def test_a_read_error_arrives_after_the_items_before_it(fail_at):
    got = []
    with pytest.raises(OSError, match=f"read error at item {fail_at}"):
        for i in prefetched(_Counted(100, fail_at=fail_at), batch=16, depth=2):
            got.append(i)
    assert got == list(range(fail_at))
    assert not _alive()


def test_closing_early_stops_the_thread_and_bounds_the_read_ahead():
    src = _Counted(100_000)
    it = prefetched(src, batch=16, depth=2)
    assert [next(it) for _ in range(3)] == [0, 1, 2]
    it.close()
    assert not _alive()  # joined: the caller may close the file now
    # queue of 2 batches + the batch being filled + the one waiting to be put
    assert src.taken <= 16 * (2 + 2)


def test_cohort_windows_are_read_ahead_and_a_truncated_window_is_an_input_error(tmp_path, monkeypatch):
    """9 samples: the indexed and bisection paths read records through the thread (a spy on the real
    function counts its calls) and agree; cut inside the window, the file is a one-line InputError naming it,
    the thread is gone and there is no output."""
    from test_read_paths import IL1RN_RECORDS, _wide_files, _wide_text, run, write_bgzf

    from il1rn_annot.api import annotate_vcf
    from il1rn_annot.errors import InputError
    from il1rn_annot.io import prefetch

    calls = []
    real = prefetch.prefetched

    def spy(*a, **kw):
        calls.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(prefetch, "prefetched", spy)
    _, gz, noindex = _wide_files(tmp_path, _wide_text(), "wide")
    s_idx, vcf_idx, tab_idx, _ = run(gz, tmp_path, "idx")
    s_bis, vcf_bis, tab_bis, _ = run(noindex, tmp_path, "bis")
    assert (s_idx.mode, s_bis.mode) == ("indexed", "bisect") and len(calls) == 2
    assert vcf_idx == vcf_bis and tab_idx == tab_bis and s_idx.records_in_window > 0
    assert not _alive()

    # the file in two BGZF parts (concatenated BGZF is BGZF): up to the first IL1RN record, and the rest;
    # indexed whole, then the second part cut in half: the read breaks after the window's first record
    lines = _wide_text().splitlines(keepends=True)
    k = next(i for i, ln in enumerate(lines) if ln.startswith(f"chr2\t{IL1RN_RECORDS[0][0]}\t"))
    write_bgzf(tmp_path / "a.vcf.gz", "".join(lines[:k + 1]))
    write_bgzf(tmp_path / "b.vcf.gz", "".join(lines[k + 1:]))
    a, b = (tmp_path / "a.vcf.gz").read_bytes(), (tmp_path / "b.vcf.gz").read_bytes()
    cut = tmp_path / "cut.vcf.gz"
    cut.write_bytes(a + b)
    pysam.tabix_index(str(cut), preset="vcf", force=True)
    cut.write_bytes(a + b[: len(b) // 2])
    with pytest.raises(InputError) as err:
        annotate_vcf(str(cut), str(tmp_path / "cut_out.vcf"))
    assert "cut.vcf.gz" in str(err.value) and "\n" not in str(err.value)
    assert not (tmp_path / "cut_out.vcf").exists() and not _alive()


def test_an_error_raised_while_annotating_a_cohort_window_stops_the_reading_thread(tmp_path, monkeypatch):
    """The run stops on an error of the records' processing (a non-number in an Integer FORMAT field, found
    when the genotypes are read, outside the read loop): closing the input stops and joins the thread that
    reads ahead before htslib's file is closed, whatever still holds the suspended read (here the exception's
    traceback).  A queue of one one-record batch keeps the thread busy with records still to read."""
    from test_read_paths import IL1RN_RECORDS, _wide_files, _wide_text

    from il1rn_annot.api import annotate_vcf
    from il1rn_annot.errors import InputError
    from il1rn_annot.io import prefetch

    real = prefetch.prefetched
    monkeypatch.setattr(prefetch, "prefetched", lambda items, last=None: real(items, last, batch=1, depth=1))

    pos = IL1RN_RECORDS[0][0]

    def bad(p, cols):
        if p == pos:
            cols[11] = cols[11].replace(":32:", ":B:")
        return cols

    _, gz, noindex = _wide_files(tmp_path, _wide_text(bad), "bad")
    for path in (gz, noindex):
        with pytest.raises(InputError, match="not an integer"):
            annotate_vcf(str(path), str(tmp_path / "out.vcf"))
        assert not _alive()


def test_closing_the_input_stops_a_read_left_suspended(tmp_path, monkeypatch):
    """A caller that takes a few records from iter_raw and closes the input without finishing or closing the
    iteration: close() stops and joins the thread before htslib's file is closed."""
    from test_read_paths import _wide_files, _wide_text

    from il1rn_annot.io import prefetch
    from il1rn_annot.io.vcf_in import iter_raw, open_vcf
    from il1rn_annot.model import load_gene_model

    real = prefetch.prefetched
    monkeypatch.setattr(prefetch, "prefetched", lambda items, last=None: real(items, last, batch=1, depth=1))
    _, gz, _ = _wide_files(tmp_path, _wide_text(), "wide")
    vin = open_vcf(str(gz), raw_text=True)
    records = iter_raw(vin, load_gene_model("GRCh38").window())
    first = [next(records) for _ in range(3)]
    assert vin.mode == "indexed" and all(line is not None for _, _, line in first)
    assert _alive()  # reading ahead, blocked on the full queue
    vin.close()
    assert not _alive()


def test_keys_the_header_lacks_are_read_on_the_reading_thread_alike(tmp_path, monkeypatch):
    """htslib adds an undeclared INFO or FILTER key to the header as it reads the record (on the reading
    thread): the main thread gets each record as RecordFields taken there, never the pysam record, and the
    output equals the one htslib gives reading every sample in the main thread."""
    from test_read_paths import IL1RN_RECORDS, _htslib_only, _wide_files, _wide_text, run

    from il1rn_annot.io import vcf_in

    def undeclared(p, cols):
        if p in (IL1RN_RECORDS[1][0], IL1RN_RECORDS[3][0]):
            cols[6] = "NewFilter"
            cols[7] = f"NEWKEY={p % 97};NEWFLAG"
        return cols

    seen = []
    real = vcf_in.to_record

    def spy(raw, *a, **kw):
        seen.append(type(raw).__name__)
        return real(raw, *a, **kw)

    monkeypatch.setattr("il1rn_annot.api.to_record", spy)
    _, gz, noindex = _wide_files(tmp_path, _wide_text(undeclared), "undecl")
    s_idx, vcf_idx, tab_idx, _ = run(gz, tmp_path, "idx")
    s_bis, vcf_bis, tab_bis, _ = run(noindex, tmp_path, "bis")
    assert (s_idx.mode, s_bis.mode) == ("indexed", "bisect") and set(seen) == {"RecordFields"}
    assert any("NEWKEY=" in ln and "NewFilter" in ln for ln in vcf_idx)
    _htslib_only(monkeypatch)
    seen.clear()
    _, vcf_old, tab_old, _ = run(gz, tmp_path, "old")
    assert "RecordFields" not in seen
    assert vcf_idx == vcf_bis == vcf_old and tab_idx == tab_bis == tab_old
