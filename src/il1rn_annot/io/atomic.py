"""All-or-nothing outputs: write to temporary files beside the targets, rename only on success."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


class AtomicOutputs:
    """``with AtomicOutputs() as out: tmp = out.path('x.vcf.gz')`` — on a clean exit every temporary file
    is renamed to its target (sidecars such as ``.tbi`` included); on an exception all are removed and
    nothing the user had before is touched."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    def path(self, final: str | os.PathLike, suffix: str = "") -> str:
        final_p = Path(final)
        final_p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{final_p.name}.", suffix=".tmp" + suffix, dir=final_p.parent)
        os.close(fd)
        self._pending.append((Path(tmp), final_p))
        return tmp

    def sidecar(self, tmp: str, final_sidecar: str | os.PathLike) -> None:
        """Register a file a tool wrote next to ``tmp`` (e.g. ``tmp + '.tbi'``) for renaming too."""
        self._pending.append((Path(tmp), Path(final_sidecar)))

    def __enter__(self) -> "AtomicOutputs":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            mode = 0o666 & ~_umask()  # mkstemp makes 0600 files; give outputs the permissions open() would
            for tmp, final in self._pending:
                if tmp.exists():
                    os.chmod(tmp, mode)
                os.replace(tmp, final)
        else:
            for tmp, _ in self._pending:
                try:
                    tmp.unlink()
                except FileNotFoundError:
                    pass
        self._pending.clear()
