"""Tiny helpers to write test VCFs.  Reference bases: only known ones, else ``N`` (VCF's unknown base)."""

from __future__ import annotations

from pathlib import Path

GRCH38_LEN, GRCH37_LEN = 242_193_529, 243_199_373
OFFSET37 = 757_577  # GRCh37 = GRCh38 + offset inside the IL1RN window (shared/domain)


def header(contig: str = "chr2", length: int | None = GRCH38_LEN, samples=("S1",), extra: str = "",
           assembly: str | None = None) -> str:
    ln = f",length={length}" if length else ""
    asm = f",assembly={assembly}" if assembly else ""
    lines = [
        "##fileformat=VCFv4.2",
        '##FILTER=<ID=PASS,Description="All filters passed">',
        f"##contig=<ID={contig}{ln}{asm}>",
        '##INFO=<ID=EXPECT,Number=1,Type=String,Description="Expected annotation (test fixture)">',
        '##INFO=<ID=END,Number=1,Type=Integer,Description="End position">',
        '##INFO=<ID=SVLEN,Number=A,Type=Integer,Description="SV length">',
        '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="SV type">',
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    ]
    if extra:
        lines.append(extra.rstrip("\n"))
    lines.append("\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples]))
    return "\n".join(lines) + "\n"


def record(contig: str, pos: int, ref: str, alt: str, *, id_: str = ".", info: str = ".", gts=("0/1",)) -> str:
    return "\t".join([contig, str(pos), id_, ref, alt, ".", "PASS", info, "GT", *gts]) + "\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


# --- reading test VCFs into the core's records -------------------------------------------------------------

def file_records(path, *, samples: bool = True) -> list:
    """Every record of a VCF on any contig (the synthetic genes of ../shared/testdata are not on chromosome 2,
    which is all VcfSource reads), in file order: the fixed columns and INFO through pysam, the genotypes as a
    GenotypeMatrix through cyvcf2 and ``sources/genotype_reader.py``, as VcfSource makes them.  ``samples=False``
    reads no genotypes (``GenotypeMatrix.empty()``)."""
    import cyvcf2
    import pysam

    from il1rn_annot.sources.genotype_reader import genotype_matrix
    from il1rn_annot.variants.genotypes import GenotypeMatrix
    from il1rn_annot.variants.record import Record

    out = []
    with pysam.VariantFile(str(path)) as vf:
        names = tuple(vf.header.samples) if samples else ()
        types = {k: v.type for k, v in vf.header.formats.items()}
        reader = cyvcf2.VCF(str(path), lazy=False)
        notes: set[str] = set()
        try:
            for i, (site, variant) in enumerate(zip(vf, reader, strict=True)):
                assert (site.pos, site.ref) == (variant.POS, variant.REF)
                info = {}
                for k in site.info.keys():
                    try:
                        info[k] = site.info[k]
                    except (ValueError, KeyError):  # declared with a bad Number/Type: the record is kept
                        continue
                if "END" not in info and site.stop != site.pos - 1 + len(site.ref or ""):
                    info["END"] = site.stop  # pysam folds INFO/END into rec.stop
                calls = genotype_matrix(variant, names, types, notes) if names else GenotypeMatrix.empty()
                out.append(Record(site.chrom, site.pos, site.id or ".", site.ref or "", tuple(site.alts or ()),
                                  site.qual, tuple(site.filter.keys()), info, calls, i))
        finally:
            reader.close()
    return out
