"""All-or-nothing outputs: write to temporary files beside the targets, rename only on success."""

from __future__ import annotations

import os
import tempfile

from ..errors import InputError


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


class AtomicOutputs:
    """``with AtomicOutputs() as out: tmp = out.path('x.vcf.gz')`` — on a clean exit every temporary file
    is renamed to its target (sidecars such as ``.tbi`` included); on an exception all are removed and
    nothing the user had before is touched."""

    def __init__(self) -> None:
        self._pending: list[tuple[str, str]] = []  # (temporary, final); os.path, not pathlib: ~4 ms of start-up

    def path(self, final: str | os.PathLike, suffix: str = "") -> str:
        final = os.fspath(final)
        folder, name = os.path.split(final)
        try:
            if folder:
                os.makedirs(folder, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp" + suffix, dir=folder or ".")
        except OSError as exc:  # a file where a folder should be, no such device, no permission, no space
            raise InputError(f"cannot write a file in {folder or '.'} ({exc.strerror or exc})", file=final,
                             fix="choose a folder you may write to") from None
        os.close(fd)
        self._pending.append((tmp, final))
        return tmp

    def sidecar(self, tmp: str, final_sidecar: str | os.PathLike) -> None:
        """Register a file a tool wrote next to ``tmp`` (e.g. ``tmp + '.tbi'``) for renaming too."""
        self._pending.append((tmp, os.fspath(final_sidecar)))

    def __enter__(self) -> "AtomicOutputs":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            mode = 0o666 & ~_umask()  # mkstemp makes 0600 files; give outputs the permissions open() would
            for i, (tmp, final) in enumerate(self._pending):
                try:
                    if os.path.exists(tmp):
                        os.chmod(tmp, mode)
                    os.replace(tmp, final)
                except OSError as exc:  # the temporary files not yet in place go; the error names the target
                    self._remove(self._pending[i:])
                    self._pending.clear()
                    raise InputError(f"cannot put the output in place ({exc.strerror or exc})", file=final,
                                     fix="check that the path is a file you may write") from None
        else:
            self._remove(self._pending)
        self._pending.clear()

    @staticmethod
    def _remove(pending: list[tuple[str, str]]) -> None:
        for tmp, _ in pending:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
