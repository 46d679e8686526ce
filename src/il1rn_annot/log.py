"""The package's messages: sent to the standard :mod:`logging` logger ``il1rn_annot``, which is imported only
when a message is to be shown.

A library user configures logging as usual (every message reaches the logger).  The command line sets a
threshold (its ``-v``/``-q``) and how to show messages (:func:`configure`): a run with nothing to say at that
level then never imports logging, with its traceback, linecache and tokenize (~5 ms of the ~0.13 s a
whole-genome run takes).
"""

from __future__ import annotations

from collections.abc import Callable

NAME = "il1rn_annot"
DEBUG, INFO, WARNING = 10, 20, 30

_threshold = 0  # messages below it are dropped here (0: every message goes to logging)
_attach: Callable | None = None  # called with the logger before its first message (the CLI's handler)


def configure(threshold: int, attach: Callable | None = None) -> None:
    """Drop messages below ``threshold``; ``attach(logger)`` prepares the logger (once, at the first message
    that passes).  :func:`reset` undoes it."""
    global _threshold, _attach
    _threshold, _attach = threshold, attach


def reset() -> None:
    global _threshold, _attach
    _threshold, _attach = 0, None


def debug(msg: str, *args) -> None:
    _send(DEBUG, msg, args)


def warning(msg: str, *args) -> None:
    _send(WARNING, msg, args)


def _send(level: int, msg: str, args: tuple) -> None:
    global _attach
    if level < _threshold:
        return
    import logging

    logger = logging.getLogger(NAME)
    if _attach is not None:
        attach, _attach = _attach, None
        attach(logger)
    logger.log(level, msg, *args)
