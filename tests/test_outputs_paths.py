"""Acceptance tests: unusual OUTPUT paths, against the command-line contract only (contract F; A/B for the
failures).

- ``-o -`` writes the annotated VCF to standard output and no file named ``-``; tables only where explicit
  paths are given;
- ``-o /dev/null`` works and /dev/null stays a character device; a symlink output pointing to a FIFO or a
  device is written through, not replaced;
- a legal 240-character file name works and leaves no temporary file;
- every output path problem (``--json DIR`` on the default table path, a folder where a file goes, ...) is
  reported before any work: exit 1, one line naming the path, nothing written.

/dev/null safety: a tool that writes a temporary file and renames it over its target would, run as root,
replace the machine's /dev/null.  As root the runs that target /dev/null therefore go through a private mount
namespace in which /dev/null is bind-mounted on itself: a mount point cannot be renamed over or unlinked
(EBUSY), so such a tool fails the test instead of breaking the machine.  Without root /dev is not writable.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest

import damage as d

DEV = Path("/dev")


@pytest.fixture
def env(tmp_path):
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    return dict(os.environ, TMPDIR=str(tmp))


def _is_chr(path) -> bool:
    return stat.S_ISCHR(os.stat(path).st_mode)


@pytest.fixture
def devnull_guard():
    """``wrap(argv)`` for runs that target /dev/null (see the module docstring); afterwards /dev/null must still
    be a character device and /dev must hold no new file named after it (removed if one appeared)."""
    if not _is_chr("/dev/null"):
        pytest.fail("/dev/null is not a character device before the test: the machine is already damaged")
    wrap = None
    if os.geteuid() == 0:
        unshare = shutil.which("unshare")
        probe = subprocess.run([unshare, "--mount", "--propagation", "private", "sh", "-c",
                                "mount --bind /dev/null /dev/null && test -c /dev/null"],
                               capture_output=True) if unshare else None
        if probe is None or probe.returncode != 0:
            pytest.skip("running as root without a private mount namespace (unshare --mount): a tool that "
                        "renames a temporary file over -o /dev/null would replace the machine's /dev/null")

        def wrap(argv):
            return [unshare, "--mount", "--propagation", "private", "sh", "-c",
                    'mount --bind /dev/null /dev/null && exec "$@"', "sh", *argv]
    before = set(os.listdir(DEV))
    yield wrap
    new = set(os.listdir(DEV)) - before
    stray = sorted(n for n in new if "null" in n)
    for n in stray:  # ours to clean: temporary or table files a run put beside /dev/null
        p = DEV / n
        if p.is_file() and not p.is_symlink():
            p.unlink()
    assert _is_chr("/dev/null"), "/dev/null is no longer a character device"
    assert not stray, f"the run left files in /dev: {stray}"


def _verdicts_from_vcf(stdout: bytes) -> dict[str, str]:
    return d.vcf_dira_verdicts(stdout.decode("utf-8", errors="replace"))


# ---------------------------------------------------------------- -o -

def test_stdout_output_writes_the_vcf_and_no_file(tmp_path, env):
    """F/-o -: the annotated VCF goes to standard output (it starts with ##fileformat=VCF, carries the right
    FORMAT/IL1RN_DIRA verdicts) and no file is written: neither one named '-' nor default tables ('-.tsv')."""
    work = tmp_path / "work"
    work.mkdir()
    res = d.run(d.EXAMPLE, "-o", "-", cwd=work, env=env)
    d.assert_no_traceback(res)
    assert res.rc == 0, res
    assert res.stdout.startswith(b"##fileformat=VCF"), res.stdout[:200]
    d.assert_right_verdicts(_verdicts_from_vcf(res.stdout), what="-o - (FORMAT/IL1RN_DIRA)")
    assert d.snapshot(work) == {}, f"files written with -o -: {sorted(d.snapshot(work))}"
    assert d.snapshot(Path(env["TMPDIR"])) == {}


def test_stdout_output_writes_tables_only_at_explicit_paths(tmp_path, env):
    """F/-o - with --table F: the variant table is written at F (the samples table at its path), nothing else
    (no genotype table by default, no file named '-')."""
    work = tmp_path / "work"
    work.mkdir()
    res = d.run(d.EXAMPLE, "-o", "-", "--table", "variants.tsv", "--samples-tsv", "samples.tsv", cwd=work, env=env)
    d.assert_no_traceback(res)
    assert res.rc == 0, res
    assert res.stdout.startswith(b"##fileformat=VCF")
    assert sorted(d.snapshot(work)) == ["samples.tsv", "variants.tsv"]
    table = (work / "variants.tsv").read_text()
    assert str(d.E77X_POS) in table and len(table.splitlines()) > 5
    d.assert_right_verdicts(d.samples_tsv_verdicts(work / "samples.tsv"), what="-o - --samples-tsv")


# ---------------------------------------------------------------- devices, FIFOs and links to them

def test_dev_null_output_stays_a_character_device(tmp_path, env, devnull_guard):
    """F/-o /dev/null: exit 0 (the tables at their explicit paths, right verdicts) and /dev/null is still a
    character device afterwards (never renamed over)."""
    res = d.run(d.EXAMPLE, "-o", "/dev/null", "--table", tmp_path / "t.tsv", "--genotypes", tmp_path / "g.tsv",
                "--samples-tsv", tmp_path / "s.tsv", env=env, wrap=devnull_guard)
    d.assert_no_traceback(res)
    assert res.rc == 0, res
    assert _is_chr("/dev/null")
    d.assert_right_verdicts(d.samples_tsv_verdicts(tmp_path / "s.tsv"), what="-o /dev/null")
    assert (tmp_path / "t.tsv").stat().st_size > 0


def test_symlink_to_dev_null_is_written_through(tmp_path, env, devnull_guard):
    """F/link to a device: -o LINK where LINK -> /dev/null: exit 0, LINK is still a symlink to /dev/null and
    /dev/null still a character device."""
    link = tmp_path / "out.vcf"
    link.symlink_to("/dev/null")
    res = d.run(d.EXAMPLE, "-o", link, "--samples-tsv", tmp_path / "s.tsv", env=env, wrap=devnull_guard)
    d.assert_no_traceback(res)
    assert res.rc == 0, res
    assert link.is_symlink() and os.readlink(link) == "/dev/null", "the link was replaced"
    assert _is_chr("/dev/null")
    d.assert_right_verdicts(d.samples_tsv_verdicts(tmp_path / "s.tsv"), what="-o link->/dev/null")


class FifoReader:
    """Reads a FIFO in a thread until told the writer has gone (opened non-blocking first, so a writer never
    waits for us and a writer that never comes cannot hang the test)."""

    def __init__(self, path: Path):
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self.chunks: list[bytes] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                chunk = None
            if chunk:
                self.chunks.append(chunk)
                continue
            if chunk == b"" and self.done.is_set():
                return
            time.sleep(0.01)

    def finish(self) -> bytes:
        self.done.set()
        self.thread.join(10)
        os.close(self.fd)
        return b"".join(self.chunks)


def test_symlink_to_a_fifo_is_written_through(tmp_path, env):
    """F/link to a FIFO: -o LINK where LINK -> a FIFO: the VCF comes out of the FIFO (right FORMAT/IL1RN_DIRA
    verdicts), LINK is still a link and the FIFO still a FIFO."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.vcf"
    link.symlink_to(fifo)
    reader = FifoReader(fifo)
    try:
        res = d.run(d.EXAMPLE, "-o", link, "-O", "v", "--table", tmp_path / "t.tsv", "--genotypes", "",
                    "--samples-tsv", tmp_path / "s.tsv", env=env, timeout=30)
    finally:
        got = reader.finish()
    d.assert_no_traceback(res)
    assert link.is_symlink() and Path(os.readlink(link)) == fifo, "the link was replaced"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced"
    assert res.rc == 0, res
    assert got.startswith(b"##fileformat=VCF"), f"nothing (or not a VCF) came out of the FIFO: {got[:120]!r}"
    d.assert_right_verdicts(_verdicts_from_vcf(got), what="-o link->FIFO")


# ---------------------------------------------------------------- long names

def test_240_character_output_name(tmp_path, env):
    """F/long name: a legal 240-character output file name (limit 255 bytes) -> exit 0, the VCF, its index and
    both default tables exist, and no temporary file is left (a temporary name must not outgrow the limit)."""
    out = tmp_path / "out"
    out.mkdir()
    name = "a" * (240 - len(".vcf.gz")) + ".vcf.gz"
    assert len(name) == 240
    stem = name[: -len(".vcf.gz")]
    res = d.run(d.EXAMPLE, "-o", out / name, "--samples-tsv", tmp_path / "s.tsv", env=env)
    d.assert_no_traceback(res)
    assert res.rc == 0, res
    expected = {name, name + ".tbi", stem + ".tsv", stem + ".genotypes.tsv"}
    assert set(d.snapshot(out)) == expected, f"got {sorted(d.snapshot(out))}"
    d.assert_right_verdicts(d.samples_tsv_verdicts(tmp_path / "s.tsv"), what="240-character name")
    assert d.snapshot(Path(env["TMPDIR"])) == {}


# ---------------------------------------------------------------- output path problems: before any work

def _input_bad_at_the_end(folder: Path) -> Path:
    """The example cut inside its last line: an input problem found only after reading every record, so an
    output-path error reported for it proves the paths were checked first."""
    data = d.EXAMPLE.read_bytes().rstrip(b"\n")
    return d.write(folder / "in.vcf", data[:-3])


def _path_problem(tmp_path, case):
    """(extra args, the offending path) for one output-path problem."""
    w = tmp_path / "w"
    blocker = d.write(w / "afile", "a file where a folder should be\n")
    folder = w / "afolder"
    folder.mkdir()
    if case == "output_parent_is_a_file":
        return ["-o", blocker / "out.vcf.gz"], blocker / "out.vcf.gz"
    if case == "output_is_a_folder":
        return ["-o", folder], folder
    if case == "table_parent_is_a_file":
        return ["--table", blocker / "t.tsv"], blocker / "t.tsv"
    if case == "genotypes_parent_is_a_file":
        return ["--genotypes", blocker / "g.tsv"], blocker / "g.tsv"
    if case == "samples_tsv_is_a_folder":
        return ["--samples-tsv", folder], folder
    if case == "html_parent_is_a_file":
        return ["--html", blocker / "r.html"], blocker / "r.html"
    if case == "json_dir_is_a_file":
        return ["--json", blocker], blocker
    if case == "table_and_genotypes_same_path":
        return ["--table", w / "same.tsv", "--genotypes", w / "same.tsv"], w / "same.tsv"
    if case == "output_is_the_input":
        return ["-o", tmp_path / "in" / "in.vcf"], tmp_path / "in" / "in.vcf"
    raise AssertionError(case)


PATH_PROBLEMS = ["output_parent_is_a_file", "output_is_a_folder", "table_parent_is_a_file",
                 "genotypes_parent_is_a_file", "samples_tsv_is_a_folder", "html_parent_is_a_file",
                 "json_dir_is_a_file", "table_and_genotypes_same_path", "output_is_the_input"]


@pytest.mark.parametrize("case", PATH_PROBLEMS)
def test_output_path_problem_is_reported_before_any_work(tmp_path, env, case):
    """F/path checks first: each output path problem -> exit 1, one line naming that path (not the input's
    late problem), and nothing written anywhere (the input untouched)."""
    inp = tmp_path / "in"
    inp.mkdir()
    src = _input_bad_at_the_end(inp)
    data = src.read_bytes()
    w = tmp_path / "w"
    w.mkdir()
    extra, bad = _path_problem(tmp_path, case)
    args = [src, *extra]
    if "-o" not in extra:
        args += ["-o", w / "out.vcf.gz"]
    if "--samples-tsv" not in extra:
        args += ["--samples-tsv", w / "s.tsv"]
    before_w, before_in = d.snapshot(w), d.snapshot(inp)
    res = d.run(*args, env=env)
    line = d.assert_one_line_failure(res, bad)
    assert "truncat" not in line.lower(), f"the input's late problem was reached before the path check:\n{line}"
    assert d.snapshot(w) == before_w, f"written: {sorted(set(d.snapshot(w)) - set(before_w))}"
    assert d.snapshot(inp) == before_in and src.read_bytes() == data
    assert d.snapshot(Path(env["TMPDIR"])) == {}


def test_json_dir_on_the_default_table_path_is_refused_before_writing(tmp_path, env):
    """F/--json on the table path: --json DIR where DIR is the default variant table path (OUT stem + .tsv)
    -> exit 1 before anything is written: no VCF, no table, no folder."""
    out = tmp_path / "out"
    out.mkdir()
    res = d.run(d.EXAMPLE, "-o", out / "res.vcf.gz", "--json", out / "res.tsv", env=env)
    d.assert_one_line_failure(res, out / "res.tsv")
    assert d.snapshot(out) == {}, f"written: {sorted(d.snapshot(out))}"
    assert d.snapshot(Path(env["TMPDIR"])) == {}
