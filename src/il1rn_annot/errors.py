"""Errors and warnings: what the user can fix versus what is a bug.

``InputError`` (bad file, bad record, contradictory options) maps to exit code 1 with a one-line
message that names the file, the record and the fix.  ``UsageError`` maps to exit code 2.  Anything
else escaping the library is a bug and shows a traceback.  ``AnnotationWarning`` is recoverable and is
reported, never silently dropped.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

# True while the command line runs a command: errors raised through the API functions then keep naming the
# command line's flags; otherwise the API says its argument names instead (il1rn_annot.api.FLAG_ARGUMENTS).
COMMAND_LINE: ContextVar[bool] = ContextVar("il1rn_annot_command_line", default=False)


@contextlib.contextmanager
def command_line_words() -> Iterator[None]:
    """Within this block error messages keep the command line's flags (the CLI runs its commands in it)."""
    token = COMMAND_LINE.set(True)
    try:
        yield
    finally:
        COMMAND_LINE.reset(token)


class Il1rnAnnotError(Exception):
    """Base class of the errors a user can act on."""


class InputError(Il1rnAnnotError):
    """Bad input: exit code 1.  The message is one line: what, where, how to fix."""

    def __init__(self, what: str, *, file: str | None = None, record: str | None = None, fix: str | None = None):
        self.what, self.file, self.record, self.fix = what, file, record, fix
        parts = []
        if file:
            parts.append(str(file))
        if record:
            parts.append(record)
        where = ": ".join(parts)
        msg = f"{where}: {what}" if where else what
        if fix:
            msg += f" (fix: {fix})"
        super().__init__(msg.replace("\n", " "))


class UsageError(Il1rnAnnotError):
    """Wrong command-line usage: exit code 2."""


class ModelError(Exception):
    """A bundled or user-supplied gene model failed validation (a resource bug or a bad GFF)."""


class AnnotationWarning(UserWarning):
    """Something was annotated with reduced confidence or skipped for a stated reason."""
