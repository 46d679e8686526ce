"""The imported IL1RN locus (``il1rn-annot reference import``), written all-or-nothing."""

from __future__ import annotations

import hashlib

from il1rn_annot.sinks.atomic import AtomicOutputs


def write_locus(path: str, contig: str, offset: int, seq: str, build_name: str, source: str) -> None:
    """Write the extracted locus atomically (header carries offset, build and source)."""
    with AtomicOutputs() as out:
        tmp = out.path(path)
        with open(tmp, "w") as fh:
            sha = hashlib.sha256(seq.encode()).hexdigest()[:16]
            fh.write(f">{contig} offset={offset} build={build_name} source={source} sha256={sha}\n")
            for i in range(0, len(seq), 60):
                fh.write(seq[i:i + 60] + "\n")
