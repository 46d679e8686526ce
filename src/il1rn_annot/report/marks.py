"""Escaping for the HTML report, and the marks that show, where a value is shown, how it was derived."""

from __future__ import annotations

from html import escape

MARKED_WORDS = ("NOT OBSERVED", "INFERRED", "DERIVED", "PROJECTED", "MEASURED")


def esc(v: object) -> str:
    """``v`` as HTML text (None as '')."""
    return escape("" if v is None else str(v))


def marked(text: str) -> str:
    """``text`` escaped, with the words INFERRED, DERIVED, PROJECTED, MEASURED and NOT OBSERVED shown as marks."""
    out = esc(text)
    for word in MARKED_WORDS:
        out = out.replace(word, f'<span class="mark">{word}</span>')
    return out
