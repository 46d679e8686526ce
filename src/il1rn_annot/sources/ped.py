"""Reading a PED (pedigree) file: family, sample, father, mother, sex, phenotype; '0' = unknown parent."""

from __future__ import annotations

from il1rn_annot.dira.verdict import Trio
from il1rn_annot.errors import InputError


def parse_ped(text: str, *, file: str = "PED") -> dict[str, Trio]:
    out: dict[str, Trio] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split()
        if len(cols) < 4:
            raise InputError(f"PED line has {len(cols)} columns, need at least 4 (family sample father mother)",
                             file=file, record=f"line {n}", fix="use the 6-column PED format, whitespace-separated")
        _, sample, father, mother = cols[:4]
        phenotype = cols[5] if len(cols) > 5 else ""
        out[sample] = Trio(sample, None if father in ("0", ".", "") else father,
                           None if mother in ("0", ".", "") else mother,
                           {"2": True, "1": False}.get(phenotype))
    return out


def read_ped(path: str) -> dict[str, Trio]:
    try:
        with open(path) as fh:
            text = fh.read()
    except OSError as exc:
        raise InputError(f"cannot read the PED file ({exc.strerror})", file=path, fix="check the --ped path") from None
    return parse_ped(text, file=path)
