"""All-or-nothing outputs: every path checked before any work, temporary files renamed only on success.

- A regular file (or a new path) is written as a hidden temporary file beside it and renamed over it at the
  end; a failed or interrupted run removes every temporary file and every folder it made.
- A path that exists and is not a regular file (``/dev/stdout``, ``/dev/null``, a FIFO, or a link to one) is
  written through, never replaced; ``-`` is standard output.
- Temporary names stay within the file-name limit whatever the output's name.
- An output that is the input (or its index), a folder, a path under a file, or one path given for two
  outputs is refused before anything is written.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
from collections.abc import Iterable

from il1rn_annot.errors import InputError

NAME_MAX = 255  # bytes in one path component on the file systems we write to


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def is_special(path: str) -> bool:
    """An existing path that is not a regular file (device, FIFO, socket; links followed)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode) and not stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def same_file(a: str, b: str) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)  # hard links
    except OSError:  # one of them does not exist yet
        return False


def temporary_name(final: str) -> str:
    """A hidden name beside ``final`` that fits the file-name limit, with room for a sidecar's ``.tbi``."""
    folder, name = os.path.split(final)
    token = secrets.token_hex(4)
    room = NAME_MAX - len(f"..{token}.tmp.tbi".encode())
    stem = name.encode()[:room].decode("utf-8", "ignore")
    return os.path.join(folder, f".{stem}.{token}.tmp")


class AtomicOutputs:
    """``with AtomicOutputs() as out: tmp = out.path('x.vcf.gz')`` — on a clean exit every temporary file is
    renamed to its target (sidecars such as ``.tbi`` included); on an exception (SIGTERM and SIGINT arrive as
    exceptions, see :mod:`il1rn_annot.cli`) all are removed, the folders made are removed, and nothing the
    user had before is touched."""

    def __init__(self) -> None:
        self._pending: list[tuple[str, str]] = []  # (temporary, final)
        self._made_dirs: list[str] = []

    # --- checks before any work ---------------------------------------------------------------------------
    @staticmethod
    def check(targets: Iterable[tuple[str, str]], *, inputs: Iterable[tuple[str, str]] = (),
              folders: Iterable[tuple[str, str]] = (), display: str = "") -> None:
        """Refuse, before anything is written, outputs that would replace an input, two outputs sharing one
        path, a folder given as a file, a file given as a folder, and a path under a file.

        ``targets``: (what, path) of each output file; ``inputs``: (what, path) of the files read;
        ``folders``: (what, path) of output folders (made if missing)."""
        targets = [(w, p) for w, p in targets if p and p != "-"]
        inputs = [(w, p) for w, p in inputs if p and p != "-" and os.path.exists(p)]
        for what, path in folders:
            if path and os.path.exists(path) and not os.path.isdir(path):
                raise InputError(f"{what} ({path}) is a file, not a folder", file=display,
                                 fix="give a folder (it is made if missing)")
            _check_parent(what, os.path.join(path, "x") if path else "", display)
        for i, (what, path) in enumerate(targets):
            if os.path.isdir(path):
                raise InputError(f"{what} ({path}) is a folder", file=display,
                                 fix=f"give a file name, e.g. {os.path.join(path, 'annotated.vcf.gz')}")
            _check_parent(what, path, display)
            for src_what, src in inputs:
                if same_file(path, src):
                    raise InputError(f"{what} ({path}) is {src_what}: writing it would replace {src_what}",
                                     file=display, fix="give the outputs paths of their own")
            for other, other_path in targets[:i]:
                if same_file(path, other_path) and not is_special(path):
                    raise InputError(f"{what} and {other} are the same file ({path}): one would replace the other",
                                     file=display, fix="give each output a path of its own")
            for what_f, folder in folders:
                if folder and same_file(path, folder):
                    raise InputError(f"{what} ({path}) is also {what_f}", file=display,
                                     fix="give each output a path of its own")
            if len(os.path.basename(path).encode()) > NAME_MAX:
                raise InputError(f"{what}: the file name is longer than {NAME_MAX} bytes", file=display,
                                 fix="give a shorter name")

    # --- writing -------------------------------------------------------------------------------------------
    def path(self, final: str | os.PathLike) -> str:
        """Where to write ``final``: a temporary file beside it, or ``final`` itself when it is a device, a FIFO
        or a link to one (written through), or ``-`` (standard output)."""
        final = os.fspath(final)
        if final == "-" or is_special(final):
            return final
        folder = os.path.dirname(final)
        self.folder(folder)
        tmp = temporary_name(final)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:  # no permission, no space, read-only file system
            raise InputError(f"cannot write a file in {folder or '.'} ({exc.strerror or exc})", file=final,
                             fix="choose a folder you may write to") from None
        os.close(fd)
        self._pending.append((tmp, final))
        return tmp

    def folder(self, path: str) -> None:
        """Make ``path`` (and missing parents) now; removed again if the run fails."""
        if not path or os.path.isdir(path):
            return
        missing = []
        p = os.path.abspath(path)
        while p and not os.path.exists(p):
            missing.append(p)
            p = os.path.dirname(p)
        try:
            os.makedirs(path, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot make the folder {path} ({exc.strerror or exc})", file=path,
                             fix="choose a folder you may write to") from None
        self._made_dirs.extend(reversed(missing))

    def sidecar(self, tmp: str, final_sidecar: str) -> None:
        """Register a file a tool wrote next to a temporary output (e.g. ``tmp + '.tbi'``) for renaming too."""
        self._pending.append((tmp, final_sidecar))

    def __enter__(self) -> "AtomicOutputs":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()
            return
        mode = 0o666 & ~_umask()  # temporary files are made 0600; give outputs the permissions open() would
        for i, (tmp, final) in enumerate(self._pending):
            try:
                os.chmod(tmp, mode)
                os.replace(tmp, final)
            except OSError as exc:  # the temporary files not yet in place go; the error names the target
                self._remove(self._pending[i:])
                self._pending.clear()
                raise InputError(f"cannot put the output in place ({exc.strerror or exc})", file=final,
                                 fix="check that the path is a file you may write") from None
        self._pending.clear()
        self._made_dirs.clear()

    def abort(self) -> None:
        self._remove(self._pending)
        self._pending.clear()
        for d in reversed(self._made_dirs):
            shutil.rmtree(d, ignore_errors=True)
        self._made_dirs.clear()

    @staticmethod
    def _remove(pending: list[tuple[str, str]]) -> None:
        for tmp, _ in pending:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass


def _check_parent(what: str, path: str, display: str) -> None:
    """The folder a path goes in must be a folder (or missing: it is made), not a file."""
    folder = os.path.dirname(os.path.abspath(path)) if path else ""
    while folder and not os.path.exists(folder):
        folder = os.path.dirname(folder)
    if folder and not os.path.isdir(folder):
        raise InputError(f"{what} ({path}) lies under {folder}, which is a file", file=display,
                         fix="choose a path in a folder")
