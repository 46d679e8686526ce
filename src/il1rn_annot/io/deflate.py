"""Raw deflate for the BGZF blocks we write and bulk-read: ISA-L when installed, else zlib.

A BGZF block's body is a raw deflate stream (SAM/BAM specification, section 4.1): any conforming
compressor makes a valid block, and every reader (htslib, bgzip, zlib) inflates it to the same text.
ISA-L (Intel's Intelligent Storage Acceleration Library, through ``python-isal``: the optional ``fast``
extra) compresses the repetitive text of a cohort's annotated records 3-4x faster than zlib at level 1,
at the same size or smaller, inflates ~1.6x faster, and computes CRC32 ~4x faster; like zlib it releases
the GIL while it runs (bench/README.md, "Stop 17").

What changes with the backend is the compressed bytes only, not the text, nor where blocks start in the
text (the writer cuts the same 0xff00-byte pieces).  zlib at the same level gives the bytes htslib's own
writer gives; set ``IL1RN_ANNOT_DEFLATE=zlib`` for that (the tests compare the two that way).  The backend
is chosen once, at the first call; :func:`backend_name` says which ran.
"""

from __future__ import annotations

import os
import zlib

from ..errors import UsageError

ENV = "IL1RN_ANNOT_DEFLATE"  # "zlib" forces zlib; "isal" requires ISA-L; unset / "auto": ISA-L when installed
ISAL_MAX_LEVEL = 3  # ISA-L's levels are 0-3 (its 0 still compresses: zlib's 0, stored blocks, stays zlib's)

_impl = None  # the module: isal.isal_zlib or zlib (each with compress, decompress, crc32 and error)
_name = ""


def _choose():
    global _impl, _name
    want = os.environ.get(ENV, "auto").strip().lower() or "auto"
    if want not in ("auto", "zlib", "isal"):
        raise UsageError(f"il1rn-annot: environment variable {ENV}={want!r}: use zlib, isal or auto (or unset it)")
    if want != "zlib":
        try:
            from isal import isal_zlib

            import isal

            _impl, _name = isal_zlib, f"isal {getattr(isal, '__version__', '?')}"
            return _impl
        except ImportError:
            if want == "isal":
                raise UsageError(f"il1rn-annot: environment variable {ENV}=isal, but python-isal is not installed "
                                 "(pip install 'il1rn_annot[fast]', or unset it)") from None
    _impl, _name = zlib, f"zlib {zlib.ZLIB_RUNTIME_VERSION}"
    return _impl


def _backend():
    return _impl if _impl is not None else _choose()


def backend_name() -> str:
    """``"isal 1.9.1"`` or ``"zlib 1.2.13"``: the library the blocks are (de)compressed with."""
    _backend()
    return _name


def compress(data, level: int) -> bytes:
    """Raw deflate (no header, as ``zlib.compress(data, level, -15)``).  ``level`` is zlib's (0-9): ISA-L
    gets ``min(level, 3)``; level 0 (stored blocks) is always zlib's."""
    impl = _backend()
    if level <= 0 or impl is zlib:
        return zlib.compress(data, level, -15)
    return impl.compress(data, min(level, ISAL_MAX_LEVEL), -15)


def decompress(data) -> bytes:
    """Inflate a raw deflate stream; ``ValueError`` when it is corrupt (either backend)."""
    impl = _backend()
    try:
        return impl.decompress(data, -15)
    except (zlib.error, impl.error) as exc:
        raise ValueError(str(exc)) from None


def crc32(data) -> int:
    return _backend().crc32(data)


def reset() -> None:
    """Forget the backend chosen, so that the next call reads ``IL1RN_ANNOT_DEFLATE`` again (tests, bench)."""
    global _impl, _name
    _impl, _name = None, ""
