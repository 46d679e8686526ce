"""Acceptance tests: bad, damaged and unusual INPUTS, against the command-line contract only.

Contract (the lead's; these tests are its executable form):
A. exit 0 done; 1 bad input / unwritable output with ONE ``il1rn-annot: error:`` line naming the file and
   giving ``(fix: ...)``; 2 usage; 3 internal error (says it is a bug, asks for a report, names the file the
   traceback was saved to; -v shows it).  Without -v never a Python traceback on stderr.
B. nothing left behind on failure (output folder compared recursively, hidden files included), nor after
   SIGTERM/SIGINT mid-run (output folder and TMPDIR).
C. records are never lost with exit 0: the right verdicts, or exit 1 with one line.
D. imperfect but common files: right verdicts, or exit 1 with one line; never a traceback.
E. valid files that must not be refused.

Every damaged file is made here, in tmp_path, from the project's own example (tests/damage.py).  The
example's truth: PATIENT_E77X_HOM BIALLELIC (E77X chr2:113131068 G>T 1/1), CARRIER_DEL_CA CARRIER,
NO_VARIANT NO_QUALIFYING_VARIANT.  Verdicts are read from ``--samples-tsv`` by column name.
"""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

import damage as d
from conftest import KG38, need_shared
from damage import EXPECTED, PATIENT


# ---------------------------------------------------------------- helpers

@pytest.fixture
def env(tmp_path):
    """The process environment with a TMPDIR of the test's own (so nothing can leak into /tmp)."""
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    e = dict(os.environ)
    e["TMPDIR"] = str(tmp)
    return e


def annotate(tmp_path, inp, *extra, env=None, stdin=None, out_name="out.vcf.gz", timeout=120):
    """Run the CLI on ``inp`` with outputs in ``tmp_path/out`` and ``--samples-tsv``; a failed run must
    leave the output folder exactly as it was (contract B).  Returns (Run, verdicts or None)."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    before = d.snapshot(out)
    res = d.run(inp, "-o", out / out_name, "--samples-tsv", out / "samples.tsv", *extra, env=env, stdin=stdin,
                timeout=timeout)
    d.assert_no_traceback(res)
    if res.rc != 0:
        after = d.snapshot(out)
        left = sorted(set(after) - set(before))
        assert after == before, f"a failed run (exit {res.rc}) left files behind: {left}\n{res}"
        return res, None
    return res, d.samples_tsv_verdicts(out / "samples.tsv")


def right_or_refused(res, verdicts, path, expected=None, what="", must=()):
    """Right verdicts with exit 0, or exit 1 with one line naming ``path``: never exit 0 with lost records."""
    if res.rc == 0:
        d.assert_right_verdicts(verdicts, expected, what)
    else:
        d.assert_one_line_failure(res, path, must=must)


def indir(tmp_path) -> Path:
    p = tmp_path / "in"
    p.mkdir(exist_ok=True)
    return p


# ---------------------------------------------------------------- A. exit codes

def test_exit_0_on_the_example_with_the_right_verdicts(tmp_path, env):
    """A/baseline: the undamaged example runs (exit 0) and gives the known verdicts (guards the reader helpers)."""
    res, verdicts = annotate(tmp_path, d.EXAMPLE, env=env)
    assert res.rc == 0, res
    d.assert_right_verdicts(verdicts, what="the example")


def test_exit_1_bad_input_is_one_line_naming_the_file_with_a_fix(tmp_path, env):
    """A/exit 1: a file that is not a VCF -> exit 1, one ``il1rn-annot: error:`` line with its path and a fix."""
    bad = d.write(indir(tmp_path) / "notes.vcf", "this is not a VCF\njust text\n")
    res, _ = annotate(tmp_path, bad, env=env)
    d.assert_one_line_failure(res, bad)


def test_exit_1_unwritable_output_is_one_line_naming_the_output(tmp_path, env):
    """A/exit 1: an output that cannot be written (its folder is a regular file) -> exit 1, one line naming it."""
    blocker = d.write(tmp_path / "afile", "a file where a folder should be\n")
    target = blocker / "out.vcf.gz"
    before = d.snapshot(tmp_path)
    res = d.run(d.EXAMPLE, "-o", target, env=env)
    d.assert_one_line_failure(res, target)
    assert d.snapshot(tmp_path) == before


@pytest.mark.parametrize("args", [
    ["--no-such-option"],
    ["--pad", "not-a-number"],
    ["--output-type", "q"],
], ids=["unknown_option", "pad_not_a_number", "bad_choice"])
def test_exit_2_usage(tmp_path, env, args):
    """A/exit 2: a usage error exits 2, without a traceback and without writing anything."""
    out = tmp_path / "out"
    out.mkdir()
    res = d.run(d.EXAMPLE, "-o", out / "out.vcf.gz", *args, env=env)
    assert res.rc == 2, res
    d.assert_no_traceback(res)
    assert d.snapshot(out) == {}


def test_exit_2_usage_missing_output(tmp_path, env):
    """A/exit 2: ``-o`` missing is a usage error (exit 2), no traceback."""
    res = subprocess.run(d.cli(d.EXAMPLE), capture_output=True, cwd=tmp_path, env=env, input=b"")
    assert res.returncode == 2, res.stderr
    assert d.TRACEBACK.encode() not in res.stderr
    assert sorted(os.listdir(tmp_path)) == ["tmpdir"]


def _internal_error_run(tmp_path, monkeypatch, capsys, verbose: bool):
    """il1rn_annot.cli.main in-process with the library's annotate_vcf raising RuntimeError (a bug of ours)."""
    import il1rn_annot.api as api
    from il1rn_annot import cli

    def boom(*a, **k):
        raise RuntimeError("deliberate bug raised by the exit-3 acceptance test")

    monkeypatch.setattr(api, "annotate_vcf", boom)
    tmp = tmp_path / "tmpdir"
    tmp.mkdir(exist_ok=True)
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    out = tmp_path / "out"
    out.mkdir()
    before = d.snapshot(out)
    argv = ["annotate", str(d.EXAMPLE), "-o", str(out / "out.vcf.gz"), "--samples-tsv", str(out / "s.tsv")]
    if verbose:
        argv.insert(1, "-v")
    try:
        rc = cli.main(argv)
    except SystemExit as exc:
        rc = exc.code
    except RuntimeError as exc:
        pytest.fail(f"cli.main() let the internal error escape ({exc!r}): expected exit 3 with a bug report line")
    err = capsys.readouterr().err
    assert rc == 3, f"an internal error must exit 3, got {rc}:\n{err}"
    assert d.snapshot(out) == before, "an internal error left files in the output folder"
    assert re.search(r"\bbug\b", err, re.I), f"stderr does not say it is a bug:\n{err}"
    assert re.search(r"report", err, re.I), f"stderr does not ask to report it:\n{err}"
    return err


def test_exit_3_internal_error_saves_the_traceback_to_a_named_file(tmp_path, monkeypatch, capsys):
    """A/exit 3: a bug of ours (RuntimeError) -> exit 3, 'bug ... report', no traceback on stderr, and the
    file named on stderr holds the traceback."""
    err = _internal_error_run(tmp_path, monkeypatch, capsys, verbose=False)
    assert d.TRACEBACK not in err, f"a traceback on stderr without -v:\n{err}"
    named = []
    for token in re.findall(r"[^\s'\"`()<>,;]+", err):
        token = token.rstrip(".:")
        if os.path.isfile(token) and Path(token).resolve() != d.EXAMPLE.resolve():  # absolute, or in the cwd
            named.append(Path(token).resolve())
    try:
        saved = [p for p in named if "RuntimeError" in p.read_text(errors="replace")]
        assert saved, f"stderr names no existing file holding the traceback:\n{err}"
        text = saved[0].read_text(errors="replace")
        assert d.TRACEBACK in text and "deliberate bug" in text, text[-2000:]
    finally:  # the traceback file may live outside tmp_path (a cache folder): ours to remove
        for p in named:
            if tmp_path.resolve() not in p.parents and "RuntimeError" in p.read_text(errors="replace"):
                p.unlink()


def test_exit_3_internal_error_shows_the_traceback_with_v(tmp_path, monkeypatch, capsys):
    """A/exit 3 with -v: the traceback itself is shown on stderr."""
    err = _internal_error_run(tmp_path, monkeypatch, capsys, verbose=True)
    assert d.TRACEBACK in err and "RuntimeError" in err, err


# ---------------------------------------------------------------- B. interrupted runs

def _big_input(tmp_path) -> Path:
    """~1,000,000 chr1 filler records before the five IL1RN ones: several seconds of --keep-all work today."""
    v = d.padded(d.example(), 1_000_000)
    return d.write(indir(tmp_path) / "big.vcf", v.data())


def _wait_for_temporaries(proc, folders, limit=1.0) -> None:
    """Until a new entry shows up in one of ``folders`` (the run's temporary files) or ``limit`` s pass."""
    before = [set(d.snapshot(f)) for f in folders]
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit and proc.poll() is None:
        if any(set(d.snapshot(f)) - b for f, b in zip(folders, before)):
            time.sleep(0.2)
            return
        time.sleep(0.02)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("feed", ["big_file", "slow_stdin"])
def test_signal_mid_run_leaves_no_temporary_files(tmp_path, env, sig, feed):
    """B/interrupt: SIGTERM or SIGINT mid-run -> non-zero exit, and no temporary file or folder left in the
    output folder or in the TMPDIR given to the process."""
    out = tmp_path / "out"
    out.mkdir()
    tmp = Path(env["TMPDIR"])
    args = ["-o", out / "out.vcf.gz", "--keep-all", "--samples-tsv", out / "samples.tsv"]
    feeder = big = None
    if feed == "big_file":
        big = _big_input(tmp_path)
        proc = subprocess.Popen(d.cli(big, *args), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    else:  # stdin: the header and 100,000 chr1 records now, then nothing (the run waits for more, mid-file)
        first = d.padded(d.example(), 100_000)
        first.records = first.records[:-5]
        proc = subprocess.Popen(d.cli("-", *args), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env)
        feeder = proc.stdin

        def feed_some():
            try:
                feeder.write(first.data())
                feeder.flush()
            except (BrokenPipeError, ValueError, OSError):
                pass

        threading.Thread(target=feed_some, daemon=True).start()
    try:
        time.sleep(0.3)
        _wait_for_temporaries(proc, [out, tmp], limit=0.7)
        if proc.poll() is not None:
            pytest.fail(f"the run ended (exit {proc.returncode}) before the signal: the input is too small to "
                        "interrupt it mid-run; make _big_input bigger")
        proc.send_signal(sig)
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            pytest.fail(f"the run did not stop within 30 s of {sig.name}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if feeder and not feeder.closed:
            try:
                feeder.close()
            except OSError:
                pass
        if big is not None:
            big.unlink()  # ~70 MB: not kept in pytest's last three base temp folders
    assert proc.returncode != 0, f"exit 0 after {sig.name} mid-run"
    left_out = d.snapshot(out)
    left_tmp = d.snapshot(tmp)
    assert left_out == {}, f"after {sig.name}: left in the output folder: {sorted(left_out)}"
    assert left_tmp == {}, f"after {sig.name}: left in TMPDIR: {sorted(left_tmp)}"


# ---------------------------------------------------------------- C. records lost with exit 0 must never happen

@pytest.mark.parametrize("padding", [0, 3000], ids=["one_block", "many_blocks"])
def test_unsorted_bgzip_without_index_is_refused_with_a_sort_fix(tmp_path, env, padding):
    """C1/unsorted: a bgzipped VCF without index whose IL1RN records are swapped -> exit 1, the line says it is
    not sorted and gives ``bcftools sort`` as the fix (a bisection could otherwise skip records)."""
    v = d.with_pos_swapped(d.padded(d.example(), padding) if padding else d.example(), -4, -3)  # E77X before rs419598
    gz = d.write(indir(tmp_path) / "unsorted.vcf.gz", d.bgzf_vcf(v))
    res, _ = annotate(tmp_path, gz, env=env)
    d.assert_one_line_failure(res, gz, must=("sort", "bcftools sort"))


def _foreign_index_case(tmp_path, which):
    """(data file, its expected verdicts) with the .tbi of ANOTHER bgzipped VCF beside it."""
    # one header (chr1 declared in both), so both files' header blocks are the same bytes and every offset of
    # the foreign index lands on a real block of the data: the smaller file's chr2 block is where the bigger
    # one's chr1 filler starts
    small = d.bgzf_vcf(d.padded(d.example(), 0))
    big = d.bgzf_vcf(d.padded(d.example(), 5000))
    assert d.block_payload(small, 0) == d.block_payload(big, 0)
    other = tmp_path / "other"
    other.mkdir()
    data, foreign = (big, small) if which == "index_of_a_smaller_file" else (small, big)
    src = d.write(other / "foreign.vcf.gz", foreign)
    tbi = d.tabix(src)
    target = d.write(indir(tmp_path) / "data.vcf.gz", data)
    os.replace(tbi, str(target) + ".tbi")
    t = target.stat().st_mtime
    os.utime(str(target) + ".tbi", (t + 5, t + 5))  # the index is not older than the data: only foreign
    return target


@pytest.mark.parametrize("which", ["index_of_a_smaller_file", "index_of_a_bigger_file"])
def test_index_of_another_file_never_gives_wrong_verdicts(tmp_path, env, which):
    """C2/foreign .tbi: the .tbi beside the data belongs to another file -> right verdicts or exit 1, never
    exit 0 with records missed."""
    target = _foreign_index_case(tmp_path, which)
    res, verdicts = annotate(tmp_path, target, env=env)
    right_or_refused(res, verdicts, target, what=which)


def test_index_older_than_its_data_uses_the_current_data(tmp_path, env):
    """C3/stale .tbi: the index was built, then the data rewritten with other records (newer mtime) -> the
    current data's records are used (right verdicts) or exit 1."""
    target = d.write(indir(tmp_path) / "data.vcf.gz", d.bgzf_vcf(d.padded(d.example(), 0)))  # header as after
    tbi = d.tabix(target)
    t = tbi.stat().st_mtime
    os.utime(tbi, (t - 100, t - 100))
    d.write(target, d.bgzf_vcf(d.padded(d.example(), 5000)))  # rewritten: 5,000 chr1 records come first now
    os.utime(target, (t, t))
    res, verdicts = annotate(tmp_path, target, env=env)
    right_or_refused(res, verdicts, target, what="stale index")


@pytest.mark.parametrize("indexed", [False, True], ids=["no_index", "tbi"])
@pytest.mark.parametrize("padding", [0, 3000], ids=["small", "padded"])
def test_flipped_crc_bit_in_the_il1rn_block_is_refused(tmp_path, env, indexed, padding):
    """C4/CRC: one flipped bit in the CRC32 footer of the BGZF block holding the IL1RN records -> exit 1,
    one line (the data cannot be trusted)."""
    v = d.padded(d.example(), padding) if padding else d.example()
    good = d.bgzf_vcf(v)
    i = d.block_holding(good, b"113131068")
    bad = d.flip_crc_bit(good, i)
    assert d.gzip_crc_ok(good) and not d.gzip_crc_ok(bad), "the damage must be a CRC mismatch"
    target = d.write(indir(tmp_path) / "crc.vcf.gz", good)
    if indexed:
        tbi = d.tabix(target)
    d.write(target, bad)
    if indexed:
        t = target.stat().st_mtime
        os.utime(tbi, (t + 5, t + 5))
    res, _ = annotate(tmp_path, target, env=env)
    d.assert_one_line_failure(res, target)


@pytest.mark.parametrize("padding", [0, 3000], ids=["small", "padded"])
def test_flipped_isize_bit_is_harmless_or_refused(tmp_path, env, padding):
    """C4/ISIZE: one flipped bit in a block's ISIZE footer -> right verdicts or exit 1 with one line."""
    v = d.padded(d.example(), padding) if padding else d.example()
    good = d.bgzf_vcf(v)
    bad = d.flip_isize_bit(good, d.block_holding(good, b"113131068"))
    target = d.write(indir(tmp_path) / "isize.vcf.gz", bad)
    res, verdicts = annotate(tmp_path, target, env=env)
    right_or_refused(res, verdicts, target, what="ISIZE bit flipped")


@pytest.mark.parametrize("packing", ["plain", "bgzip_tbi"])
@pytest.mark.parametrize("records,header", [("chr2", "2"), ("2", "chr2")],
                         ids=["records_chr2_header_2", "records_2_header_chr2"])
def test_contig_name_differs_between_header_and_records(tmp_path, env, records, header, packing):
    """C5/contig names: records named chr2 under a header declaring only 2 (and the reverse) -> read as
    chromosome 2 (right verdicts) or exit 1; never exit 0 with PATIENT_E77X_HOM not BIALLELIC."""
    v = d.renamed_header_contig(d.renamed_records(d.example(), records), "chr2", header)
    assert f"##contig=<ID={header}," in v.text() and v.records[0][0] == records
    if packing == "plain":
        target = d.write(indir(tmp_path) / "names.vcf", v.data())
    else:
        target = d.write(indir(tmp_path) / "names.vcf.gz", d.bgzf_vcf(v))
        d.tabix(target)
    res, verdicts = annotate(tmp_path, target, env=env)
    right_or_refused(res, verdicts, target, what=f"records {records}, header {header}")


def _cut_file(tmp_path, mid_line: bool) -> Path:
    """chr1 filler first, then the IL1RN records; the text cut inside the chr1 part (before the window)."""
    v = d.padded(d.example(), 2000)
    data = v.data()
    n_head = len(v.meta) + 1
    line_no = n_head + 1000
    line = data.split(b"\n")[line_no]
    if mid_line:  # cut inside the last DP value ("30" -> "3"): what is left still parses as a record
        cut = d.cut_mid_line(data, line_no, len(line) - 1)
        assert cut.endswith(b":3") and not cut.endswith(b"\n")
    else:
        cut = d.cut_at_line_end(data, line_no)
        assert cut.endswith(b"\n") and b"\nchr2\t" not in cut
    return d.write(indir(tmp_path) / "cut.vcf", cut)


def test_plain_text_cut_mid_line_is_refused_as_truncated(tmp_path, env):
    """C6a/truncated text: a plain VCF cut in the middle of a line (before the IL1RN window) -> exit 1, one
    line saying it is truncated (the missing records would otherwise be read as absent)."""
    target = _cut_file(tmp_path, mid_line=True)
    res, _ = annotate(tmp_path, target, env=env)
    d.assert_one_line_failure(res, target, must=("truncat",))


def test_plain_text_cut_at_a_line_end_says_no_il1rn_records(tmp_path, env):
    """C6b/no window records: a plain VCF that ends (at a line end) before the IL1RN window -> exit 0, stderr
    says plainly that no record falls in the IL1RN window, and every verdict is NO_IL1RN_RECORDS (not
    NO_QUALIFYING_VARIANT, which would claim the samples were looked at)."""
    target = _cut_file(tmp_path, mid_line=False)
    res, verdicts = annotate(tmp_path, target, env=env)
    assert res.rc == 0, res
    assert re.search(r"\bno (vcf )?records?\b[^\n]*\bIL1RN window", res.stderr, re.I), \
        f"stderr does not say that no record falls in the IL1RN window:\n{res.stderr}"
    assert verdicts == {s: "NO_IL1RN_RECORDS" for s in EXPECTED}, verdicts


@pytest.mark.parametrize("how", ["garbled_deflate", "crc_bit", "bad_magic", "bsize"])
def test_corrupt_first_bgzf_block_is_one_line(tmp_path, env, how):
    """C7/first block: a bgzipped file whose first BGZF block (the header) is corrupt -> exit 1, one line,
    no traceback."""
    good = d.bgzf_vcf(d.padded(d.example(), 3000))
    if how == "garbled_deflate":
        bad = d.garble_deflate(good, 0)
    elif how == "crc_bit":
        bad = d.flip_crc_bit(good, 0)
    elif how == "bad_magic":
        bad = d.flip_bit(good, 1, 2)  # 0x8b -> 0x8f: no longer gzip
    else:  # BSIZE says the block is 100 bytes shorter than it is
        size = int.from_bytes(good[16:18], "little") - 100
        bad = good[:16] + size.to_bytes(2, "little") + good[18:]
    assert bad != good
    target = d.write(indir(tmp_path) / "first.vcf.gz", bad)
    res, _ = annotate(tmp_path, target, env=env)
    d.assert_one_line_failure(res, target)


@pytest.fixture(scope="module")
def scenario_verdicts(tmp_path_factory):
    """The verdicts of the pristine DIRA scenarios fixture (37 samples, 20 records incl. symbolic deletions)."""
    tmp = tmp_path_factory.mktemp("scenarios")
    res = d.run(d.SCENARIOS, "-o", tmp / "o.vcf", "--samples-tsv", tmp / "s.tsv",
                env=dict(os.environ, TMPDIR=str(tmp)))
    assert res.rc == 0, res
    v = d.samples_tsv_verdicts(tmp / "s.tsv")
    assert len(v) == len(d.load(d.SCENARIOS).samples) and "BIALLELIC" in v.values()
    return v


@pytest.mark.parametrize("kind", ["records_named_2", "index_of_a_bigger_file", "stale_index", "isize_bit"])
def test_damaged_copies_of_the_scenarios_fixture_keep_its_verdicts(tmp_path, env, scenario_verdicts, kind):
    """C2/C3/C4/C5 on tests/fixtures/dira/scenarios_GRCh38.vcf: each damaged copy gives the pristine file's
    verdicts for all 37 samples, or exit 1 with one line; never exit 0 with other verdicts."""
    v = d.load(d.SCENARIOS)
    folder = indir(tmp_path)
    if kind == "records_named_2":  # header still declares only chr2
        target = d.write(folder / "s.vcf", d.renamed_records(v, "2").data())
    else:
        big = d.bgzf_vcf(d.padded(v, 5000))
        small = d.bgzf_vcf(d.padded(v, 0))
        if kind == "isize_bit":
            target = d.write(folder / "s.vcf.gz", d.flip_isize_bit(big, d.block_holding(big, b"\nchr2\t")))
        else:
            first, then = (big, small) if kind == "index_of_a_bigger_file" else (small, big)
            target = d.write(folder / "s.vcf.gz", first)
            tbi = d.tabix(target)
            d.write(target, then)  # the data is replaced after its index was built
            t = tbi.stat().st_mtime
            if kind == "stale_index":
                os.utime(tbi, (t - 100, t - 100))
            else:
                os.utime(tbi, (t + 5, t + 5))
    res, verdicts = annotate(tmp_path, target, env=env)
    if res.rc == 0:
        wrong = {s: (verdicts.get(s), want) for s, want in scenario_verdicts.items() if verdicts.get(s) != want}
        assert not wrong, f"{kind}: exit 0 with other verdicts than the pristine fixture's for {len(wrong)} of " \
                          f"{len(scenario_verdicts)} samples (got, pristine): {dict(list(wrong.items())[:4])}"
    else:
        d.assert_one_line_failure(res, target)


# ---------------------------------------------------------------- D. imperfect but common files

def _latin1(kind: str) -> bytes:
    """The example with one Latin-1 byte (0xE9, 'é') put where ``kind`` says."""
    data = d.EXAMPLE.read_bytes()
    if kind == "sample_name":
        return d.insert_byte(data, b"\tNO_VARIANT\n", b"\tNO_VARI\xe9NT\n")
    if kind == "info_description":
        return d.insert_byte(data, b'Description="What this record is', b'Description="What this r\xe9cord is')
    if kind == "record_id":
        return d.insert_byte(data, b"\tE77X\t", b"\tE77X_\xe9\t")
    if kind == "info_value":
        return d.insert_byte(data, b"EXPECT=c.229G>T_exon3_stop_gained", b"EXPECT=c.229G>T_exon3_stop_gain\xe9")
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["sample_name", "info_description", "record_id", "info_value"])
def test_non_utf8_byte_in_header_or_record_text_is_annotated(tmp_path, env, kind):
    """D/non-UTF-8: a Latin-1 byte in a sample name, an ##INFO Description, a record's ID or an INFO value
    (common in files from old pipelines) -> annotated with the right verdicts (the damaged sample's row
    found by position: its name may be re-encoded)."""
    target = d.write(indir(tmp_path) / f"{kind}.vcf", _latin1(kind))
    res, verdicts = annotate(tmp_path, target, env=env)
    assert res.rc == 0, res
    if kind == "sample_name":
        other = [s for s in verdicts if s not in (d.PATIENT, d.CARRIER)]
        assert len(other) == 1 and "NO_VARI" in other[0], verdicts
        verdicts = {**{k: v for k, v in verdicts.items() if k != other[0]}, d.NOVAR: verdicts[other[0]]}
    d.assert_right_verdicts(verdicts, what=kind)


def test_non_utf8_byte_inside_a_gt_field_never_gives_a_traceback(tmp_path, env):
    """D/GT: a Latin-1 byte inside NO_VARIANT's GT at E77X -> exit 1 with one line, or success in which the
    undamaged samples keep their verdicts; never a traceback."""
    data = d.EXAMPLE.read_bytes()
    line = next(ln for ln in data.split(b"\n") if b"\tE77X\t" in ln)
    damaged = line[:-len(b"0/0:99:30")] + b"0/\xe90:99:30"
    assert line.endswith(b"0/0:99:30")
    target = d.write(indir(tmp_path) / "gt.vcf", data.replace(line, damaged))
    res, verdicts = annotate(tmp_path, target, env=env)
    if res.rc == 0:
        assert verdicts.get(d.PATIENT) == "BIALLELIC" and verdicts.get(d.CARRIER) == "CARRIER", verdicts
    else:
        d.assert_one_line_failure(res, target)


def _header_variant(kind: str) -> bytes:
    text = d.EXAMPLE.read_text()
    gq = '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">\n'
    dp = '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">\n'
    assert gq in text and dp in text
    if kind == "GQ_undeclared":
        text = text.replace(gq, "")
    elif kind == "DP_undeclared":
        text = text.replace(dp, "")
    elif kind == "GQ_DP_undeclared":
        text = text.replace(gq, "").replace(dp, "")
    elif kind == "GQ_type_string":
        text = text.replace(gq, gq.replace("Type=Integer", "Type=String"))
    elif kind == "DP_type_string":
        text = text.replace(dp, dp.replace("Type=Integer", "Type=String"))
    return text.encode()


@pytest.mark.parametrize("kind", ["GQ_undeclared", "DP_undeclared", "GQ_DP_undeclared", "GQ_type_string",
                                  "DP_type_string"])
def test_format_gq_dp_undeclared_or_string(tmp_path, env, kind):
    """D/FORMAT header: GQ or DP used but not declared, or declared Type=String -> right verdicts (GQ 99 and DP
    28-41 are good calls) or exit 1 with one line; never a traceback."""
    target = d.write(indir(tmp_path) / f"{kind}.vcf", _header_variant(kind))
    res, verdicts = annotate(tmp_path, target, env=env)
    right_or_refused(res, verdicts, target, what=kind)


# A symbolic deletion inside intron 3, at the example's rs454078 position: its REF base (A at 113131216) is the
# example's own; it spans c.318+60..c.318+143 (intron 3 only) and nobody carries it (0/0), so it changes no verdict.
DEL_RECORD = "chr2\t113131216\tdel_intron3\tA\t<DEL>\t50\tPASS\tSVTYPE=DEL;SVLEN=-84;END=113131300\tGT:GQ:DP\t" \
             "0/0:99:22\t0/0:99:25\t0/0:99:24\n"


def _symbolic(kind: str) -> bytes:
    text = d.EXAMPLE.read_text()
    decl = ['##ALT=<ID=DEL,Description="Deletion">',
            '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">']
    if kind == "SVLEN_undeclared":
        decl.append('##INFO=<ID=END,Number=1,Type=Integer,Description="End position of the variant">')
    elif kind == "END_type_string":
        decl += ['##INFO=<ID=END,Number=1,Type=String,Description="End position of the variant">',
                 '##INFO=<ID=SVLEN,Number=A,Type=Integer,Description="Length of the SV">']
    elif kind == "END_type_float":
        decl += ['##INFO=<ID=END,Number=1,Type=Float,Description="End position of the variant">',
                 '##INFO=<ID=SVLEN,Number=A,Type=Integer,Description="Length of the SV">']
    anchor = "##FORMAT=<ID=GT"
    text = text.replace(anchor, "\n".join(decl) + "\n" + anchor)
    rs454078 = next(ln for ln in text.splitlines(keepends=True) if "\trs454078\t" in ln)
    text = text.replace(rs454078, rs454078 + DEL_RECORD)
    return text.encode()


@pytest.mark.parametrize("kind", ["SVLEN_undeclared", "END_type_string", "END_type_float"])
def test_symbolic_del_with_undeclared_svlen_or_wrongly_typed_end(tmp_path, env, kind):
    """D/symbolic: a <DEL> record with SVLEN/END where SVLEN is not declared, or END has the wrong Type ->
    right verdicts or exit 1 with one line; never a traceback."""
    target = d.write(indir(tmp_path) / f"{kind}.vcf", _symbolic(kind))
    res, verdicts = annotate(tmp_path, target, env=env)
    right_or_refused(res, verdicts, target, what=kind)


# ---------------------------------------------------------------- E. valid files that must not be refused

@pytest.mark.parametrize("packing", ["plain", "bgzip", "bgzip_tbi"])
def test_big_gatk_dragen_header_with_thousands_of_contigs(tmp_path, env, packing):
    """E/big header: 10 samples under a >64 KB header (3,000 ##contig lines, GATK/DRAGEN command lines) ->
    right verdicts for all 10."""
    v, expected = d.widen(d.big_header(d.example()), 10)
    assert len(v.text().split("#CHROM")[0]) > 64 * 1024
    if packing == "plain":
        target = d.write(indir(tmp_path) / "dragen.vcf", v.data())
    else:
        target = d.write(indir(tmp_path) / "dragen.vcf.gz", d.bgzf_vcf(v))
        if packing == "bgzip_tbi":
            d.tabix(target)
    res, verdicts = annotate(tmp_path, target, env=env)
    assert res.rc == 0, res
    d.assert_right_verdicts(verdicts, expected, what=packing)


def test_20000_sample_plain_text_file(tmp_path, env):
    """E/wide: a 20,000-sample plain-text VCF (the five IL1RN records) -> exit 0, 20,000 rows in the samples
    TSV, every copy of the three example samples with its verdict."""
    v, expected = d.widen(d.example(), 20_000)
    target = d.write(indir(tmp_path) / "wide.vcf", v.data())
    res, verdicts = annotate(tmp_path, target, "--sample-format", "none", "--genotype-rows", "nonref", env=env)
    assert res.rc == 0, res
    assert verdicts[PATIENT] == "BIALLELIC"
    assert len(verdicts) == 20_000
    d.assert_right_verdicts(verdicts, expected, what="20,000 samples")


def _writer(path: Path, data: bytes, errors: list) -> threading.Thread:
    """A thread writing ``data`` into the FIFO ``path`` once a reader opens it (gives up after 60 s)."""

    def go():
        deadline = time.monotonic() + 60
        fd = None
        while fd is None:
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: no reader yet
                if time.monotonic() > deadline:
                    errors.append("nobody opened the FIFO")
                    return
                time.sleep(0.01)
        os.set_blocking(fd, True)
        try:
            view = memoryview(data)
            while view:
                n = os.write(fd, view[:65536])
                view = view[n:]
        except BrokenPipeError:
            errors.append("the reader closed the FIFO early")
        finally:
            os.close(fd)

    t = threading.Thread(target=go, daemon=True)
    t.start()
    return t


@pytest.mark.parametrize("packing", ["plain", "bgzip"])
def test_input_from_a_fifo(tmp_path, env, packing):
    """E/FIFO: the VCF (10 samples) read from a named pipe (no seeking, no index) -> right verdicts."""
    v, expected = d.widen(d.example(), 10)
    data = v.data() if packing == "plain" else d.bgzf_vcf(v)
    fifo = indir(tmp_path) / ("cohort.vcf" if packing == "plain" else "cohort.vcf.gz")
    os.mkfifo(fifo)
    errors: list = []
    t = _writer(fifo, data, errors)
    try:
        res, verdicts = annotate(tmp_path, fifo, env=env, timeout=10)
    finally:
        if t.is_alive():  # the CLI never opened it: let the writer go
            try:
                os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
            except OSError:
                pass
        t.join(10)
    assert res.rc == 0, res
    d.assert_right_verdicts(verdicts, expected, what=f"FIFO {packing}")


@pytest.mark.parametrize("packing", ["plain", "bgzip", "gzip"])
def test_input_from_stdin(tmp_path, env, packing):
    """E/stdin: ``-`` with 10 samples, as plain text, BGZF or plain gzip data -> right verdicts."""
    v, expected = d.widen(d.example(), 10)
    data = {"plain": v.data(), "bgzip": d.bgzf_vcf(v), "gzip": gzip.compress(v.data())}[packing]
    res, verdicts = annotate(tmp_path, "-", env=env, stdin=data)
    assert res.rc == 0, res
    d.assert_right_verdicts(verdicts, expected, what=f"stdin {packing}")


# ---------------------------------------------------------------- real data (../shared/testdata), damaged copies

def _kg38() -> Path:
    return need_shared(KG38)  # the 1000 Genomes 2,504-sample slice


@pytest.fixture(scope="module")
def kg38_verdicts(tmp_path_factory):
    """The verdicts of the pristine, indexed 2,504-sample 1000 Genomes slice (the reference for its copies)."""
    src = _kg38()
    tmp = tmp_path_factory.mktemp("kg38")
    e = dict(os.environ, TMPDIR=str(tmp))
    res = d.run(src, "-o", tmp / "o.vcf.gz", "--samples-tsv", tmp / "s.tsv", "--sample-format", "none",
                "--genotype-rows", "nonref", env=e)
    assert res.rc == 0, res
    v = d.samples_tsv_verdicts(tmp / "s.tsv")
    assert len(v) == 2504
    return v


@pytest.mark.shared
def test_real_2504_samples_as_plain_text_gives_the_same_verdicts(tmp_path, env, kg38_verdicts):
    """E/real wide text: the 1000 Genomes slice decompressed to plain text (2,504 samples) is not refused and
    gives the indexed file's verdicts."""
    target = d.write(indir(tmp_path) / "kg.vcf", gzip.decompress(_kg38().read_bytes()))
    res, verdicts = annotate(tmp_path, target, "--sample-format", "none", "--genotype-rows", "nonref", env=env)
    assert res.rc == 0, res
    assert verdicts == kg38_verdicts


@pytest.mark.shared
def test_real_2504_samples_with_the_index_of_another_file(tmp_path, env, kg38_verdicts):
    """C2 on real data: the 1000 Genomes slice with the .tbi of another real file beside it -> the pristine
    verdicts, or exit 1 with one line."""
    src = _kg38()
    other = src.parent / "exomiser_Pfeiffer_IL1RN_liftedGRCh38_chr2-113092423-113142423.vcf.gz.tbi"
    need_shared(other)
    target = d.write(indir(tmp_path) / "kg.vcf.gz", src.read_bytes())
    d.write(Path(str(target) + ".tbi"), other.read_bytes())
    t = target.stat().st_mtime
    os.utime(str(target) + ".tbi", (t + 5, t + 5))
    res, verdicts = annotate(tmp_path, target, "--sample-format", "none", "--genotype-rows", "nonref", env=env)
    if res.rc == 0:
        assert verdicts == kg38_verdicts, "exit 0 with other verdicts than the pristine file's"
    else:
        d.assert_one_line_failure(res, target)
