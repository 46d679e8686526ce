"""An output column and how values become text, shared by every writer (pure, no imports of the package).

A :class:`Field` reads one (allele x transcript) row: its getter takes an
:class:`~il1rn_annot.consequence.annotate.AlleleAnnotation` and one of its transcript annotations (or None for
an allele outside every transcript).  The field lists live with their domain (``consequence/fields.py``,
``dira/fields.py``, ``vntr/fields.py``); :mod:`il1rn_annot.fields` puts them together once, so the VCF header,
the CSQ entries and the table columns cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Field:
    """One output field: its name, description and how to read it from an (allele, transcript) row."""

    name: str
    description: str
    get: Callable[[object, object], object]


ESCAPES = {"%": "%25", ",": "%2C", ";": "%3B", "=": "%3D", "|": "%7C", " ": "%20", "\t": "%09"}
_ESCAPE_TABLE = str.maketrans(ESCAPES)


def escape(text: str) -> str:
    """``text`` with every character of :data:`ESCAPES` percent-encoded, in one pass (so the ``%`` of a code
    is never encoded again)."""
    return text.translate(_ESCAPE_TABLE) if text else text


def encode_info_value(value: object) -> str:
    return "" if value is None else escape(str(value))


def cell_text(v: object) -> str:
    """A value as the tables and the CSQ entries write it: '' for None, else ``str``."""
    return v if isinstance(v, str) else "" if v is None else str(v)


def encode_csq_entry(values: list[object]) -> str:
    return "|".join([cell_text(v).translate(_ESCAPE_TABLE) for v in values])


def jsonable(value: object) -> object:
    """Plain JSON values: enums by value, tuples/sets as lists, other objects as strings."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if hasattr(value, "value") and isinstance(getattr(value, "value"), (str, int)):
        return value.value  # Enum
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=str)
    if isinstance(value, (list, tuple, Sequence)):
        return [jsonable(v) for v in value]
    return str(value)


_NESTED = (Mapping, list, tuple, set, frozenset)


def flatten(prefix: str, value: object, out: dict[str, object]) -> None:
    """Flatten ``jsonable(value)`` into ``out`` under ``prefix``, as the per-sample table shows a section
    (nested dicts as ``prefix.key``, lists of scalars joined with ``;``, bools as yes/no).  A list holding
    dicts or lists is left out (the JSON report has it)."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            flatten(f"{prefix}.{k}", v, out)
    elif isinstance(value, (list, tuple, set, frozenset, Sequence)) and not isinstance(value, (str, bytes)):
        if not any(isinstance(v, _NESTED) for v in value):
            out[prefix] = ";".join("" if v is None else str(v) for v in jsonable(value))
    else:
        value = jsonable(value)
        out[prefix] = ("yes" if value else "no") if isinstance(value, bool) else value
