"""Parquet copies of the tables (pyarrow is the optional ``parquet`` extra)."""

from __future__ import annotations

from ..errors import InputError


def require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401  (only checking that it is installed)
    except ModuleNotFoundError:
        raise InputError("--parquet needs pyarrow, which is not installed",
                         fix="pip install 'il1rn_annot[parquet]' (or pip install pyarrow), or drop --parquet") from None


def write_parquet(frame, path: str) -> None:
    require_pyarrow()
    frame.to_parquet(path, engine="pyarrow", index=False)
