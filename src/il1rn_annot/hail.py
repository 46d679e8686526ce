"""Hail MatrixTables and VariantDatasets (All of Us, UK Biobank on a Spark cluster): the IL1RN window annotated
as a VCF is.  Needs the ``hail`` extra (``pip install -e '.[hail]'`` in a clone) and a Java runtime; see
``docs/hail.md`` for the cloud recipe and what it costs.

>>> import hail as hl                                                        # doctest: +SKIP
>>> from il1rn_annot import hail as il1rn_hail                               # doctest: +SKIP
>>> vds = hl.vds.read_vds("gs://.../aou.vds")                                # doctest: +SKIP
>>> summary = il1rn_hail.annotate(vds, "il1rn.vcf.gz", html="il1rn.html")    # doctest: +SKIP

The route, chosen so that the results are those of the VCF path by construction:

1. **Filter with Hail**: :func:`hl.filter_intervals` (a MatrixTable) or :func:`hl.vds.filter_intervals` then
   :func:`hl.vds.to_dense_mt` (a VariantDataset) to the window the VCF path reads (the bundled gene model's,
   with ``pad``), widened upstream by ``margin`` bases so that a deletion starting before the window and
   reaching into it is kept (the VCF path finds such records through its index).  On a dataset read from
   disk Hail reads only the partitions that overlap the interval.
2. **Make it exportable**: local-allele fields of a VariantDataset become global (``LGT`` to ``GT`` with
   :func:`hl.vds.lgt_to_gt`, ``LAD`` to ``AD``, ``LPGT`` to ``PGT``); ``LA``, ``LPL`` and fields that VCF cannot
   hold (structs, booleans) are dropped; a boolean ``FT`` becomes ``PASS``/``FAIL``.  Each change is a read note.
3. **Export with Hail**: :func:`hl.export_vcf` writes one bgzipped VCF of the window into a local temporary
   folder, keeping the dataset's contig names and reference genome (the ``##contig`` lines carry the
   lengths, from which the build is told as for any VCF).
4. **Annotate it**: :func:`il1rn_annot.api.annotate_vcf` on that file, every keyword setting passed on;
   the outputs name the input as the Hail dataset's window, and the temporary folder is removed.
"""

from __future__ import annotations

import logging
import os
import tempfile

from il1rn_annot.errors import InputError
from il1rn_annot.model.builds import BUILDS, Build, get_build, is_chr2_name
from il1rn_annot.model.gene_model import FLANK, load_gene_model

log = logging.getLogger(__name__)

__all__ = ["annotate", "filter_to_window", "export_window_vcf", "window_interval", "READ_FIELDS", "DEFAULT_MARGIN"]

DEFAULT_MARGIN = 10_000  # bases upstream of the window also exported (deletions starting before it)
#: the FORMAT fields il1rn-annot reads: ``entry_fields=READ_FIELDS`` exports only these (a smaller export)
READ_FIELDS = ("GT", "GQ", "DP", "PS", "FT", "CN", "REPCN", "AL", "MC", "PSL")
_LOCAL = ("LGT", "LA", "LAD", "LPGT", "LPL")
_ROW_FIELDS = ("rsid", "qual", "filters", "info")


def _hail():
    try:
        import hail as hl
    except ModuleNotFoundError:
        raise InputError("the Hail route needs hail, which is not installed",
                         fix="pip install hail (in a clone: pip install -e '.[hail]'; Hail needs a Java runtime: Java 11 or 17)") from None
    return hl


def _read(dataset):
    """A MatrixTable or VariantDataset; a path is read (a folder with ``reference_data`` is a VDS)."""
    hl = _hail()
    if isinstance(dataset, (str, os.PathLike)):
        path = os.fspath(dataset)
        if hl.hadoop_exists(path.rstrip("/") + "/reference_data"):
            return hl.vds.read_vds(path)
        return hl.read_matrix_table(path)
    if isinstance(dataset, (hl.MatrixTable, hl.vds.VariantDataset)):
        return dataset
    raise InputError(f"a {type(dataset).__name__} is not a Hail dataset",
                     fix="give a hail.MatrixTable, a hail.vds.VariantDataset or the path of one")


def _kind(dataset) -> str:
    hl = _hail()
    return "VariantDataset" if isinstance(dataset, hl.vds.VariantDataset) else "MatrixTable"


def _matrix(dataset):
    hl = _hail()
    return dataset.variant_data if isinstance(dataset, hl.vds.VariantDataset) else dataset


def dataset_build(dataset, build: str | None = None) -> tuple[Build, str]:
    """(the build, the contig that is chromosome 2) of ``dataset``'s reference genome; ``build`` is needed only
    when the reference genome is not GRCh38/GRCh37 by name, and must agree with it."""
    hl = _hail()
    mt = _matrix(dataset)
    locus = mt.row_key.dtype.get("locus") if "locus" in mt.row_key else None
    if not isinstance(locus, hl.tlocus):
        raise InputError("the dataset's rows are not keyed by a locus", fix="key the rows by locus and alleles")
    rg = locus.reference_genome
    named = next((b for b in BUILDS.values() if rg.name.lower() in (a.lower() for a in (b.name, *b.aliases))), None)
    if build is not None:
        chosen = get_build(build)
        if named is not None and named is not chosen:
            raise InputError(f"build={chosen.name} contradicts the dataset's reference genome {rg.name}",
                             fix=f"drop build or give build='{named.name}'")
    elif named is None:
        raise InputError(f"cannot tell the build of the reference genome {rg.name!r}",
                         fix="give build='GRCh38' or build='GRCh37'")
    else:
        chosen = named
    contig = next((c for c in rg.contigs if is_chr2_name(c)), None)
    if contig is None:
        raise InputError(f"the reference genome {rg.name} has no chromosome 2 (looked for chr2, 2, NC_000002.x)",
                         fix="IL1RN lies on chromosome 2: give a dataset on a human reference genome")
    length = rg.lengths.get(contig)
    if length is not None and length != chosen.chr2_length:
        raise InputError(f"the reference genome {rg.name} gives {contig} length {length}, not {chosen.name}'s "
                         f"{chosen.chr2_length}", fix="give the build of the dataset")
    return chosen, contig


def window_interval(dataset, *, build: str | None = None, pad: int = FLANK, margin: int = DEFAULT_MARGIN):
    """The Hail locus interval exported: the VCF path's window (the bundled gene model's, ``pad`` bases around
    the gene) and ``margin`` bases upstream."""
    hl = _hail()
    b, contig = dataset_build(dataset, build)
    w = load_gene_model(b).window(pad)
    rg = _matrix(dataset).locus.dtype.reference_genome
    # Hail loci are 1-based: the window's 0-based [start, end) is 1-based [start + 1, end]
    return hl.locus_interval(contig, max(1, w.start + 1 - margin), w.end, includes_start=True, includes_end=True,
                             reference_genome=rg)


def filter_to_window(dataset, *, build: str | None = None, pad: int = FLANK, margin: int = DEFAULT_MARGIN,
                     entry_fields=None, notes: list[str] | None = None):
    """The dataset's IL1RN window as a dense MatrixTable that :func:`hl.export_vcf` can write (see the module's
    description); ``entry_fields``: the entry fields to keep (default every one VCF can hold, e.g.
    :data:`READ_FIELDS` for a smaller export).  ``notes`` collects what was changed."""
    hl = _hail()
    dataset = _read(dataset)
    notes = [] if notes is None else notes
    interval = window_interval(dataset, build=build, pad=pad, margin=margin)
    if isinstance(dataset, hl.vds.VariantDataset):
        mt = hl.vds.to_dense_mt(hl.vds.filter_intervals(dataset, [interval], split_reference_blocks=False))
        notes.append("VariantDataset filtered with hl.vds.filter_intervals and made dense with hl.vds.to_dense_mt "
                     "(reference blocks give the reference calls)")
    else:
        mt = hl.filter_intervals(dataset, [interval])
        notes.append("MatrixTable filtered with hl.filter_intervals")
    return _exportable(mt, entry_fields, notes)


def _vcf_type(hl, t) -> bool:
    scalar = (hl.tint32, hl.tfloat32, hl.tfloat64, hl.tstr)
    if t in scalar or t == hl.tcall:
        return True
    return isinstance(t, (hl.tarray, hl.tset)) and t.element_type in scalar


def _exportable(mt, entry_fields, notes: list[str]):
    hl = _hail()
    e = set(mt.entry)
    if "LGT" in e and "GT" not in e:
        mt = mt.annotate_entries(GT=hl.vds.lgt_to_gt(mt.LGT, mt.LA) if "LA" in e else mt.LGT)
        notes.append("LGT (local alleles) converted to GT with hl.vds.lgt_to_gt")
    if "LPGT" in e and "PGT" not in e and "LA" in e:
        mt = mt.annotate_entries(PGT=hl.vds.lgt_to_gt(mt.LPGT, mt.LA))
    if "LAD" in e and "AD" not in e and "LA" in e:
        mt = mt.annotate_entries(AD=hl.vds.local_to_global(mt.LAD, mt.LA, hl.len(mt.alleles), 0, "R"))
    local = [f for f in _LOCAL if f in mt.entry]
    if local:
        mt = mt.drop(*local)
        notes.append(f"local-allele entry fields dropped after conversion: {', '.join(local)}")
    if "FT" in mt.entry and mt.FT.dtype == hl.tbool:
        mt = mt.annotate_entries(FT=hl.or_missing(hl.is_defined(mt.FT), hl.if_else(mt.FT, "PASS", "FAIL")))
        notes.append("FT (true/false) exported as PASS/FAIL")
    for name, t in list(mt.entry.dtype.items()):
        if t == hl.tint64:
            mt = mt.annotate_entries(**{name: hl.int32(mt[name])})
            notes.append(f"entry field {name} (int64) exported as a 32-bit VCF Integer")
    if entry_fields is not None:
        drop = [f for f in mt.entry if f not in set(entry_fields)]
        if drop:
            mt = mt.drop(*drop)
            notes.append(f"entry fields not asked for left out of the export: {', '.join(drop)}")
    bad = [f for f, t in mt.entry.dtype.items() if not _vcf_type(hl, t)]
    if bad:
        mt = mt.drop(*bad)
        notes.append(f"entry fields VCF cannot hold left out: {', '.join(bad)}")
    if "GT" not in mt.entry:
        raise InputError("the dataset has no GT (or LGT) entry field", fix="give a dataset with genotype calls")
    mt = _exportable_rows(hl, mt, notes)
    key = list(mt.col_key)
    if len(key) != 1 or mt.col_key[key[0]].dtype != hl.tstr:
        mt = mt.key_cols_by(s=hl.delimit(hl.array([hl.str(mt.col_key[k]) for k in key]), "_"))
        notes.append(f"sample IDs made from the column key {', '.join(key)} as text")
    return mt


def _exportable_rows(hl, mt, notes: list[str]):
    keep = {}
    for name in _ROW_FIELDS:
        if name not in mt.row_value:
            continue
        t = mt[name].dtype
        if name == "rsid" and t == hl.tstr or name == "qual" and t == hl.tfloat64 or \
                name == "filters" and t == hl.tset(hl.tstr):
            keep[name] = mt[name]
        elif name == "filters" and t == hl.tarray(hl.tstr):
            keep[name] = hl.set(mt[name])
        elif name == "info" and isinstance(t, hl.tstruct):
            fields = {k: mt.info[k] for k, v in t.items() if _vcf_type(hl, v) and v != hl.tcall or v == hl.tbool}
            left = [k for k in t if k not in fields]
            if left:
                notes.append(f"INFO fields VCF cannot hold left out: {', '.join(left)}")
            keep[name] = hl.struct(**fields)
        else:
            notes.append(f"row field {name} ({t}) left out of the export")
    extra = [f for f in mt.row_value if f not in _ROW_FIELDS]
    mt = mt.select_rows(**keep)
    if extra:
        notes.append(f"row fields without a VCF column left out: {', '.join(extra)}")
    return mt


def export_window_vcf(dataset, path: str, *, build: str | None = None, pad: int = FLANK,
                      margin: int = DEFAULT_MARGIN, entry_fields=None, metadata: dict | None = None) -> list[str]:
    """Write the dataset's IL1RN window as one bgzipped VCF at the local ``path`` (``.vcf.bgz``) with
    :func:`hl.export_vcf`; ``metadata``: Hail's VCF metadata (e.g. :func:`hl.get_vcf_metadata` of the VCF the
    dataset came from) for the header's descriptions.  Returns the notes on what was changed for VCF."""
    hl = _hail()
    notes: list[str] = []
    mt = filter_to_window(dataset, build=build, pad=pad, margin=margin, entry_fields=entry_fields, notes=notes)
    target = os.path.abspath(path)
    hl.export_vcf(mt, "file://" + target, metadata=metadata)
    return notes


def annotate(dataset, output: str | None = None, *, build: str | None = None, pad: int = FLANK,
             margin: int = DEFAULT_MARGIN, entry_fields=None, metadata: dict | None = None,
             workdir: str | None = None, **settings):
    """Annotate the IL1RN window of a Hail ``dataset`` (a MatrixTable, a VariantDataset or the path of one)
    exactly as :func:`il1rn_annot.api.annotate_vcf` annotates a VCF: ``output`` and every keyword setting are
    those of :func:`~il1rn_annot.api.annotate_vcf` (``samples_tsv``, ``html``, ``json_dir``, ``dira``, ...).
    The window is exported with Hail into a temporary folder under ``workdir`` (a local disk of the driver;
    default the system's temporary folder) and removed after the run.  Returns the :class:`RunSummary`, whose
    read notes say how the dataset was filtered and what the export changed."""
    from il1rn_annot.api import annotate_vcf

    dataset = _read(dataset)
    kind = _kind(dataset)
    b, contig = dataset_build(dataset, build)
    w = load_gene_model(b).window(pad)
    label = f"Hail {kind}, {b.name} {contig}:{w.start + 1:,}-{w.end:,} exported with hl.export_vcf"
    settings.setdefault("keep_alleles", True)
    with tempfile.TemporaryDirectory(prefix="il1rn-annot-hail-", dir=workdir) as tmp:
        vcf = os.path.join(tmp, "il1rn_window.vcf.bgz")
        notes = export_window_vcf(dataset, vcf, build=b.name, pad=pad, margin=margin, entry_fields=entry_fields,
                                  metadata=metadata)
        log.info("%s: %s", label, "; ".join(notes))
        return annotate_vcf(vcf, output, build=build, pad=pad, input_label=label, input_notes=tuple(notes),
                            **settings)
