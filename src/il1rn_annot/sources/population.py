"""Reading the user's population-frequency sites VCF (gnomAD or any) for the IL1RN window (``--population-af``).

The file must be bgzipped and indexed (``.tbi`` or ``.csi``): only the IL1RN window is queried.  Its chromosome 2
may be named ``chr2``, ``2`` or by its RefSeq accession; when the header gives chromosome 2's length, it must be
the run's build's (GRCh38 242,193,529; GRCh37 243,199,373), so a file of the other build is refused rather than
matched at the wrong positions.  The frequency field is chosen from the header (``field`` "auto": the first of
:data:`~il1rn_annot.dira.options.POPULATION_FIELDS` declared), with the group it comes from (``grpmax``,
``popmax``, ``fafmax_faf95_max_gen_anc``) and the allele number behind it (``AN_grpmax``, ``AN_<group>``, ``AN``).
Every ALT is split and trimmed; the matching is done in :mod:`il1rn_annot.dira.population`.
"""

from __future__ import annotations

import hashlib
import os
import re

import pysam

from il1rn_annot.dira.options import POPULATION_FIELDS, DiraOptions
from il1rn_annot.dira.population import PopulationFrequencies, PopulationSite
from il1rn_annot.errors import InputError
from il1rn_annot.types import Interval
from il1rn_annot.variants.normalize import trim

CHR2_LENGTH = {"GRCh38": 242_193_529, "GRCh37": 243_199_373}
CHR2_NAMES = ("chr2", "2", "NC_000002.12", "NC_000002.11")
GROUP_FIELD = {"fafmax_faf95_max": "fafmax_faf95_max_gen_anc", "AF_grpmax": "grpmax", "AF_popmax": "popmax",
               "faf95_popmax": "popmax"}
AN_FIELD = {"AF_grpmax": "AN_grpmax", "AF_popmax": "AN_popmax", "AF": "AN"}
_GROUP_AF = re.compile(r"^AF_([a-z]{2,9})$")  # AF_nfe, AF_afr ... (not AF_nfe_XX, AF_grpmax)
NOT_GROUPS = {"grpmax", "popmax", "joint", "raw", "xx", "xy"}


def _first(value):
    if isinstance(value, (tuple, list)):
        return value[0] if value else None
    return value


def _per_alt(value, k: int):
    if isinstance(value, (tuple, list)):
        return value[k] if k < len(value) else None
    return value


def _num(v) -> float | None:
    try:
        return None if v in (None, ".") else float(v)
    except (TypeError, ValueError):
        return None


def _sha(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def choose_field(declared: set[str], wanted: str, path: str) -> str:
    if wanted and wanted != "auto":
        if wanted not in declared:
            raise InputError(f"the population file declares no INFO field {wanted!r} (it has: "
                             f"{', '.join(sorted(k for k in declared if 'AF' in k.upper() or 'faf' in k)[:12]) or 'none'})",
                             file=path, fix="name a declared field with --population-af-field, or use auto")
        return wanted
    for f in POPULATION_FIELDS:
        if f in declared:
            return f
    raise InputError(f"the population file declares none of the frequency fields {', '.join(POPULATION_FIELDS)}",
                     file=path, fix="give --population-af-field with the INFO field holding allele frequencies")


def read_population_af(path: str, build: str, window: Interval, opts: DiraOptions) -> PopulationFrequencies:
    """The file's alleles in ``window`` (0-based half-open, chromosome 2 of ``build``)."""
    if not os.path.exists(path):
        raise InputError("the population-frequency file does not exist", file=path, fix="check the --population-af path")
    if not (os.path.exists(path + ".tbi") or os.path.exists(path + ".csi")):
        raise InputError("the population-frequency file has no index (.tbi or .csi)", file=path,
                         fix="bgzip it and index it: bcftools index -t FILE")
    try:
        vf = pysam.VariantFile(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the population-frequency file as VCF/BCF ({exc})", file=path,
                         fix="give a bgzipped, indexed sites VCF") from None
    with vf:
        contigs = {name: vf.header.contigs[name].length for name in vf.header.contigs}
        index_names = set(getattr(vf.index, "keys", lambda: [])() or []) if vf.index is not None else set()
        names = [n for n in CHR2_NAMES if n in contigs or n in index_names]
        if not names:
            raise InputError("the population-frequency file has no chromosome 2 (chr2, 2 or NC_000002.x)", file=path,
                             fix="give a file covering chromosome 2")
        contig = names[0]
        length = contigs.get(contig)
        want = CHR2_LENGTH.get(build)
        if length and want and length != want:
            other = next((b for b, n in CHR2_LENGTH.items() if n == length), "another assembly")
            raise InputError(f"the population-frequency file is {other} (chromosome 2 is {length:,} bp) but the input "
                             f"is {build}", file=path, fix=f"give the {build} release of the population file")
        declared = set(vf.header.info.keys())
        field = choose_field(declared, opts.population_af_field, path)
        group_key = GROUP_FIELD.get(field, "")
        sites: dict[tuple[int, int, str, str], PopulationSite] = {}
        bases: dict[int, str] = {}
        try:
            records = vf.fetch(contig, window.start, window.end)
            for rec in records:
                ref = rec.ref.upper()
                for i, b in enumerate(ref):
                    if b in "ACGT":
                        bases[rec.start + i] = b
                info = rec.info
                group = str(_first(info.get(group_key))) if group_key and info.get(group_key) is not None else ""
                for k, alt in enumerate(rec.alts or ()):
                    if alt.startswith("<") or alt == "*":
                        continue
                    s, r, a = trim(rec.start, ref, alt.upper())
                    af = _num(_per_alt(info.get(field), k)) if field in info else None
                    an_key = AN_FIELD.get(field) or (f"AN_{group}" if group else "AN")
                    an = _num(_first(info.get(an_key))) if an_key in info else (
                        _num(_first(info.get("AN"))) if "AN" in info and not group else None)
                    nhom = _num(_per_alt(info.get("nhomalt"), k)) if "nhomalt" in info else None
                    groups = []
                    for key in info.keys():
                        m = _GROUP_AF.match(key)
                        if m and m.group(1) not in NOT_GROUPS:
                            g_af = _num(_per_alt(info.get(key), k))
                            g_an = _num(_first(info.get(f"AN_{m.group(1)}"))) if f"AN_{m.group(1)}" in info else None
                            if g_af is not None:
                                groups.append((m.group(1), g_af, int(g_an) if g_an is not None else None))
                    sites[(s, s + len(r), r, a)] = PopulationSite(
                        s, s + len(r), r, a, f"{rec.contig}:{rec.pos} {rec.ref}>{alt}", af, group,
                        int(an) if an is not None else None, int(nhom) if nhom is not None else None, tuple(groups))
        except (ValueError, OSError) as exc:
            raise InputError(f"cannot query the population-frequency file's index ({exc})", file=path,
                             fix="re-index it: bcftools index -t FILE") from None
    label = f"{os.path.basename(path)}:{field}#{_sha(path)[:8]}"
    return PopulationFrequencies(label=label, path=path, field=field, window=window, sites=sites, bases=bases,
                                 founder_groups=tuple(g.lower() for g in opts.population_founder_groups),
                                 min_an=opts.population_min_an)
