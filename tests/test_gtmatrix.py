"""The columnar genotype path (numpy over samples) equals the per-sample pysam path, call by call and in the
tables.  REF bases inside IL1RN are only those pinned by real records (shared/domain/README.md "Sequence")."""

from __future__ import annotations

import json

import csv
import io

import pysam
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, KG37, KG38, need_shared
from il1rn_annot import api
from il1rn_annot.annotate import Annotator
from il1rn_annot.genotype import allele_counts
from il1rn_annot.gtmatrix import genotype_table_text
from il1rn_annot.types import matrix_of
from il1rn_annot.io import vcf_in
from il1rn_annot.io.gt_parse import format_types, parse_line
from il1rn_annot.io.tables import GENOTYPE_COLUMNS, genotype_rows, genotype_text
from il1rn_annot.model import load_gene_model

SAMPLES = [f"s{i}" for i in range(1, 13)]
HEADER = "\n".join([
    "##fileformat=VCFv4.2",
    "##contig=<ID=chr2,length=242193529,assembly=GRCh38>",
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    '##FORMAT=<ID=GQ,Number=1,Type=Float,Description="Genotype quality (declared Float on purpose)">',
    '##FORMAT=<ID=DP,Number=.,Type=Integer,Description="Depth (Number=. on purpose)">',
    '##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">',
    '##FORMAT=<ID=FT,Number=1,Type=String,Description="Filter">',
    '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
    "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"] + SAMPLES)])
MANY_ALTS = "A,C,T,GA,GC,GT,GAA,GCC,GTT,GAAA,GCCC"  # 11 ALTs: two-digit allele numbers
ROWS = [
    # every odd shape: haploid, missing, half calls, polyploid, phase mixes, dropped trailing fields
    ("113129615", "CA", "C", "GT:GQ:DP:PS:FT", ["0|1:12.3:5:113129000:PASS", "1:.:.:.:.", ".", "./.", ".|.",
                                                  "0/1/1:1::.:LowGQ", "1|.:3", "./1", "0|0|1", "0/0:99:7,8:.:PASS",
                                                  ".:7", "1/1:20.25:100:.:PASS"]),
    ("113129630", "T", "C", "GT:AD:DP:GQ", ["0/0:10,0:10:30", "0/1:5,5:10:29.5", "1/1:0,9:9:27", "./.:.:.:.",
                                             "0|1:3,4:7:20", "1|0:4,3:7:20", "1|1:0,12:12:40", "0/0:8,0:8:24",
                                             "0:3,0:3:9", "1:0,3:3:9", "0/1:.:.:.", "0|0:.:.:."]),
    ("113131068", "G", MANY_ALTS, "GT:DP", ["0/11:9", "10|2:8", "11/11:7", "0/0:6", "3/10:5", "./10:4",
                                           "1/2:3", "0|0:2", "0/1:1", "4/5:0", "6/7:12", "8/9:13"]),
    ("113131216", "A", "T", "GT", ["0/0"] * 6 + ["0/1"] * 4 + ["1/1", "./."]),
    # every call haploid (the columnar parser once failed on a record with no diploid call)
    ("113131216", "A", "C", "GT:DP", ["0:5", "1:7", ".:.", "0:9", "1:3", "0:4", "0:6", "1:8", ".:.", "0:2", "0:1",
                                       "0:3"]),
    ("113132727", "T", "C", "GT:GQ:DP", ["0/1:-1:3", "0/0:0:0", "1/1:1e2:4", "0/1:3.14159:5", "0/0:.:6",
                                         "0/1:50:7", "0/0:60:8", "1/1:70:9", "0/1:80:10", "0/0:90:11",
                                         "0/1:99:12", "0/0:.:."]),
]


@pytest.fixture
def odd_vcf(tmp_path):
    lines = [HEADER] + ["\t".join(["chr2", pos, ".", ref, alt, "50", "PASS", ".", fmt, *calls])
                        for pos, ref, alt, fmt, calls in ROWS]
    p = tmp_path / "odd.vcf"
    p.write_text("\n".join(lines) + "\n")
    return p


def _csv(rows) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter="\t", lineterminator="\n").writerows(["" if v is None else v for v in r] for r in rows)
    return buf.getvalue().encode()


def both_paths(path):
    """(scalar Record, columnar Record) for every record of the file."""
    vf = pysam.VariantFile(str(path))
    samples = tuple(vf.header.samples)
    types = format_types(vf.header)
    out = []
    for n, raw in enumerate(vf):
        m = parse_line(str(raw).encode(), samples, types)
        assert m is not None, f"record {n + 1} fell back to the slow path"
        scalar = vcf_in.to_record(raw, samples, n)
        columnar = vcf_in.to_record(raw, samples, n, genotypes=lambda m=m: m)
        out.append((scalar, columnar))
    vf.close()
    return out


def test_every_call_equals_pysam(odd_vcf):
    pairs = both_paths(odd_vcf)
    assert len(pairs) == len(ROWS)
    for scalar, columnar in pairs:
        assert list(columnar.calls) == list(scalar.calls), scalar.key
        assert columnar.calls == scalar.calls and len(columnar.calls) == len(SAMPLES)
        assert columnar.calls[-1] == scalar.calls[-1]


def test_two_digit_alleles_and_polyploid_calls_are_read(odd_vcf):
    pairs = dict((s.pos, c) for s, c in both_paths(odd_vcf))
    many = pairs[113131068].calls
    assert many[0].alleles == (0, 11) and many[1].alleles == (10, 2) and many[1].phased
    assert pairs[113129615].calls[5].alleles == (0, 1, 1)
    assert pairs[113129615].calls[0].gq == pytest.approx(12.3, rel=1e-6)  # Float read as htslib stores it
    assert pairs[113129615].calls[0].phase_set == 113129000


@pytest.mark.parametrize("rows", [16_384, 7, 1], ids=["one-slice", "slices-of-7", "slices-of-1"])
def test_counts_and_genotype_rows_equal_the_scalar_path(odd_vcf, rows, monkeypatch):
    """(the genotype-table text is built in slices of samples: the slice size must not show)"""
    import il1rn_annot.gtmatrix as gm

    monkeypatch.setattr(gm, "TEXT_ROWS", rows)
    model = load_gene_model("GRCh38")
    annotator = Annotator(model)
    for scalar, columnar in both_paths(odd_vcf):
        for a_s, a_c in zip(annotator.annotate_record(scalar), annotator.annotate_record(columnar)):
            k = a_s.variant.allele_index
            assert allele_counts(columnar.calls, k) == allele_counts(scalar.calls, k)
            assert genotype_text(a_c) == _csv(genotype_rows(a_s)), (scalar.key, k)
            # --genotype-rows nonref: the same rows without the 'ref' ones (GQ/DP/PS/FT of the kept samples
            # parsed for those alone)
            nonref = [r for r in genotype_rows(a_s) if r[8] != "ref"]
            assert [r for r in genotype_rows(a_s, ref_rows=False)] == nonref
            assert genotype_text(a_c, ref_rows=False) == _csv(nonref), (scalar.key, k)


def _annotate(path, out_dir, monkeypatch, columnar: bool):
    monkeypatch.setattr(api, "COLUMNAR_MIN_SAMPLES", 8 if columnar else 10**9)
    s = api.annotate_vcf(str(path), str(out_dir / "o.vcf"), samples_tsv=str(out_dir / "o.samples.tsv"))
    return s, (out_dir / "o.tsv").read_bytes(), (out_dir / "o.genotypes.tsv").read_bytes()


def _per_sample(summary) -> dict:
    """Every analysis' per-sample results (DIRA verdicts with reasons and catalogue-site statuses, VNTR)."""
    return {r.name: {s: json.loads(json.dumps(v, default=str)) for s, v in r.per_sample.items()}
            for r in summary.analyses}


@pytest.mark.parametrize("name", ["scenarios_GRCh38.vcf", "scenarios_GRCh37.vcf"])
def test_dira_scenarios_identical_with_and_without_columnar(name, tmp_path, monkeypatch):
    """The cohort path skips calls that cannot matter and shares the results of samples alike; the
    verdicts, reasons and catalogue-site statuses must be those of the per-sample path."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    sa, *_ = _annotate(FIXTURES / "dira" / name, tmp_path / "a", monkeypatch, True)
    sb, *_ = _annotate(FIXTURES / "dira" / name, tmp_path / "b", monkeypatch, False)
    assert matrix_of(sa.annotations[0].record.calls) is not None
    assert sa.samples >= 30 and _per_sample(sa) == _per_sample(sb)
    samples_a, samples_b = ((tmp_path / d / "o.samples.tsv").read_text() for d in "ab")
    assert samples_a == samples_b and samples_a.count("\n") == sa.samples + 1
    # the streaming writer (one pass, columns padded at the end) = the in-memory table
    from il1rn_annot.io.samples_table import samples_rows, write_samples_tsv

    write_samples_tsv(str(tmp_path / "mem.tsv"), sa, samples_rows(sa))
    assert (tmp_path / "mem.tsv").read_text() == samples_a
    # the per-sample counts were tallied while the genotypes were read (no second pass); a recount agrees
    from il1rn_annot.io.samples_table import _counts

    assert len(sa.sample_tallies.counted) == sa.alleles_annotated
    tallied = _counts(sa, sa.samples)
    sa.sample_tallies = None
    assert _counts(sa, sa.samples) == tallied and sum(tallied[0]) > 0 and sum(tallied[1]) > 0
    # the verdicts written up front (FORMAT, counts) are those of the sections built on demand
    vcf_a, vcf_b = ((tmp_path / d / "o.vcf").read_text().split("\n#CHROM")[1] for d in "ab")
    assert vcf_a == vcf_b
    dira = next(r for r in sa.analyses if r.name == "dira")
    assert dira.format["IL1RN_DIRA"] == {s: d["verdict"] for s, d in dira.per_sample.items()}
    assert len(set(dira.format["IL1RN_DIRA"].values())) >= 4


def test_whole_run_identical_with_and_without_columnar(odd_vcf, tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    sa, tsv_a, gt_a = _annotate(odd_vcf, tmp_path / "a", monkeypatch, True)
    sb, tsv_b, gt_b = _annotate(odd_vcf, tmp_path / "b", monkeypatch, False)
    assert tsv_a == tsv_b and gt_a == gt_b
    assert _per_sample(sa) == _per_sample(sb)
    assert gt_a.splitlines()[0].decode().split("\t") == GENOTYPE_COLUMNS


@pytest.mark.parametrize("path", [KG38, KG37], ids=["GRCh38", "GRCh37"])
def test_1000_genomes_identical_with_and_without_columnar(path, tmp_path, monkeypatch):
    need_shared(path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    sa, tsv_a, gt_a = _annotate(path, tmp_path / "a", monkeypatch, True)
    sb, tsv_b, gt_b = _annotate(path, tmp_path / "b", monkeypatch, False)
    assert sa.samples == 2504 and sa.alleles_annotated == sb.alleles_annotated > 0
    assert tsv_a == tsv_b and gt_a == gt_b
    assert _per_sample(sa) == _per_sample(sb)
    assert (tmp_path / "a" / "o.samples.tsv").read_text() == (tmp_path / "b" / "o.samples.tsv").read_text()
    assert matrix_of(sa.annotations[0].record.calls) is not None  # really the columnar path
    assert matrix_of(sb.annotations[0].record.calls) is None
    # the records stay readable after the run (the spool's file is gone, its handle is not)
    assert len(list(sa.annotations[-1].record.calls)) == 2504


def test_text_builder_matches_for_a_second_allele_of_the_same_record(odd_vcf):
    (scalar, columnar), = [p for p in both_paths(odd_vcf) if p[0].pos == 113131068]
    m = matrix_of(columnar.calls)
    head = "chr2\t113131068\t.\tG\t" + MANY_ALTS
    for k in (1, 10, 11):  # memo of the per-sample cells is shared between alleles
        text = genotype_table_text(m, f"{head}\t{k}", k)
        assert text.count(b"\n") == len(SAMPLES)
        zyg = [ln.split(b"\t")[8].decode() for ln in text.splitlines()]
        assert zyg == [z for z in (r[8] for r in genotype_rows(_fake(scalar, k)))]
        # without the 'ref' rows, for an allele after another allele's full table filled the shared memo
        kept = genotype_table_text(m, f"{head}\t{k}", k, ref_rows=False).splitlines()
        assert kept == [ln for ln in text.splitlines() if ln.split(b"\t")[8] != b"ref"] and 0 < len(kept) < len(SAMPLES)


def _fake(rec, k):
    from il1rn_annot.annotate import record_variants

    class A:  # the two attributes genotype_rows reads
        record = rec
        variant = next(v for v in record_variants(rec) if v.allele_index == k)
    return A


def test_annotate_variants_gives_the_same_calls_columnar_or_not(monkeypatch):
    need_shared(KG38)
    monkeypatch.setattr(api, "COLUMNAR_MIN_SAMPLES", 8)
    fast = list(api.annotate_variants(str(KG38)))
    monkeypatch.setattr(api, "COLUMNAR_MIN_SAMPLES", 10**9)
    slow = list(api.annotate_variants(str(KG38)))
    assert len(fast) == len(slow) > 0
    assert matrix_of(fast[0].record.calls) is not None and matrix_of(slow[0].record.calls) is None
    for a, b in zip(fast, slow):
        assert list(a.record.calls) == list(b.record.calls)


def test_vntr_cohort_groups_equal_the_per_sample_path(tmp_path, monkeypatch):
    """Cohorts: VNTR results are computed once per group of samples with the same genotypes (and PS) at the
    VNTR records.  Per-sample sections, FORMAT values and the cohort summary must equal the per-sample path.
    Records from tests/fixtures/vntr (REF N: unknown base); genotypes cover het/hom/missing/phased in two PS."""
    head = [ln for ln in (FIXTURES / "vntr" / "het_del172.GRCh38.vcf").read_text().splitlines()
            if ln.startswith("##") and not ln.startswith(("##il1rn_annot_expected", "##scenario"))]
    head.append('##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">')
    gts = {"del172": ["0/1", "0/0", "1/1", "./.", "0|1", "0|1", "1|0", "0/1", "0/0", "0|1", "0/1", "0/0", "0|1"],
           "ins86": ["0/0", "0/1", "0/0", "0/1", "1|0", "0|1", "0|1", "0/1", "0/0", "0|1", "0/0", "1/1", "0|1"]}
    # s5 and s12: the same phased genotypes, one phase set (combined per haplotype) vs two (every placement)
    ps = {"del172": [".", ".", ".", ".", "7", "7", "7", ".", ".", "9", ".", ".", "7"],
          "ins86": [".", ".", ".", ".", "7", "7", "7", ".", ".", "9", ".", ".", "8"]}
    samples = [f"s{i}" for i in range(13)]
    lines = head + ["\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples])]
    lines.append("\t".join(["chr2", "113130529", ".", "N", "<DEL>", ".", "PASS", "SVTYPE=DEL;SVLEN=-172;END=113130701",
                            "GT:PS", *(f"{g}:{p}" for g, p in zip(gts["del172"], ps["del172"]))]))
    lines.append("\t".join(["chr2", "113130700", ".", "N", "<INS>", ".", "PASS", "SVTYPE=INS;SVLEN=86", "GT:PS",
                            *(f"{g}:{p}" for g, p in zip(gts["ins86"], ps["ins86"]))]))
    src = tmp_path / "vntr_cohort.vcf"
    src.write_text("\n".join(lines) + "\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    sa, *_ = _annotate(src, tmp_path / "a", monkeypatch, True)
    sb, *_ = _annotate(src, tmp_path / "b", monkeypatch, False)
    va, vb = (next(r for r in s.analyses if r.name == "vntr") for s in (sa, sb))
    assert type(va.per_sample).__name__ == "LazyPerSample" and isinstance(vb.per_sample, dict)
    assert _per_sample(sa) == _per_sample(sb)
    assert va.format == vb.format and va.cohort == vb.cohort
    assert va.format["IL1RN_VNTR"]["s0"] == "IL1RN*1/*2" and va.format["IL1RN_VNTR"]["s2"] == "IL1RN*2/*2"
    assert len(set(va.format["IL1RN_VNTR"].values())) >= 4
    assert va.format["IL1RN_VNTR"]["s5"] != va.format["IL1RN_VNTR"]["s12"]


def test_numeric_fields_are_parsed_on_first_read_and_odd_cells_cell_by_cell():
    import numpy as np

    from il1rn_annot.io.gt_parse import _parse_field

    line = b"chr2\t1\t.\tA\tG\t.\t.\t.\tGT:DP:GQ\t0/1:7:.\t1/1:.:x\t0/0:3,4:20\n"
    m = parse_line(line, ("a", "b", "c"), {"DP": "Integer", "GQ": "Integer"})
    assert m is not None and set(m.values) == {"DP", "GQ"}
    assert m.values.pending_bytes > 0 and m.values._done == {}  # nothing parsed yet
    assert np.array_equal(m.values["DP"], [7, np.nan, 3], equal_nan=True)  # '3,4': the first value
    # 'x' in a field declared Integer: htslib refuses the record, and so do we (a line read as the file has
    # it, raw-text mode, was not checked by htslib); declared String, it is missing
    from il1rn_annot.errors import InputError

    with pytest.raises(InputError, match=r"FORMAT/GQ of sample b is 'x', not an integer"):
        m.values["GQ"]
    m2 = parse_line(line, ("a", "b", "c"), {"DP": "Integer", "GQ": "String"})
    assert np.array_equal(m2.values["GQ"], [np.nan, np.nan, 20], equal_nan=True)
    assert m2.values["DP"] is not None and m2.values.pending_bytes == 0
    arr = np.frombuffer(b"1.5\t.", dtype=np.uint8)
    assert np.array_equal(_parse_field(arr, np.array([0, 4]), np.array([3, 5]), "Float"), [1.5, np.nan], equal_nan=True)


@pytest.mark.parametrize("width", [1, 3, 8, 9, 16, 17])
def test_rows_gathered_as_words_equal_numpy_row_indexing(width):
    """The genotype table's byte rows are gathered 8 bytes at a time: the same rows, widths not a multiple
    of 8 cut back, indices repeated, out of order, 2-D (np.unique's inverse) or empty."""
    import numpy as np

    from il1rn_annot.gtmatrix import _take_rows

    rng = np.random.default_rng(width)
    table = rng.integers(1, 256, size=(7, width), dtype=np.uint8)
    for idx in (np.array([6, 0, 0, 3, 6, 1]), np.arange(7)[::-1], np.array([[2], [5]]), np.array([], dtype=np.int64)):
        got = _take_rows(table, idx)
        assert got.shape == (idx.size, width) and np.array_equal(got, table[idx.ravel()])


_INT_CELLS = st.one_of(st.from_regex(r"[0-9]{1,12}", fullmatch=True), st.sampled_from([".", "", "0", "00", "-3", "+4"]),
                       st.from_regex(r"[0-9]{1,3},[0-9]{1,3}", fullmatch=True))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_INT_CELLS, _INT_CELLS), min_size=1, max_size=40))
def test_integer_fields_vectorised_equal_the_cell_by_cell_reading(cells):
    """Whatever mix of widths, leading zeros, '.', empty cells, signs and lists a column holds, the parsed
    Integer field is what reading each cell alone gives (the first value; '.' and '' missing): the vectorised
    digit-column reader and the general one agree with int() on every cell, or hand the column on."""
    import numpy as np

    def one(cell: str) -> float:
        v = cell.split(",")[0]
        return np.nan if v in ("", ".") else float(int(v))

    samples = tuple(f"s{i}" for i in range(len(cells)))
    line = "\t".join(["chr2", "1", ".", "A", "G", ".", ".", ".", "GT:DP:GQ",
                      *(f"0/1:{dp}:{gq}" for dp, gq in cells)]).encode()
    m = parse_line(line, samples, {"DP": "Integer", "GQ": "Integer"})
    assert m is not None
    for j, key in enumerate(("DP", "GQ")):
        assert np.array_equal(m.values[key], [one(c[j]) for c in cells], equal_nan=True)


_GT_CELLS = st.sampled_from(["0/1", "1|1", "./.", "0", ".", "1/2", "0|0", ""])
_FIELD_TEXT = st.from_regex(r"[0-9.,]{0,3}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4), st.lists(st.tuples(_GT_CELLS, st.lists(_FIELD_TEXT, max_size=5)), min_size=1, max_size=30),
       st.booleans())
def test_sample_columns_are_cut_where_a_split_cuts_them_or_refused(nk, cells, newline):
    """The columns' separators are found in one pass: each sample must be GT then nk-1 colon-separated
    fields.  A line where every sample has that shape is read as splitting it on tabs and colons reads it
    (GT and the FT text of each sample); a line where any sample has fewer or more fields, or an empty GT
    (the last sample's too: the line then ends with a tab), is refused (None: htslib parses it, padding what
    is missing)."""
    keys = ["GT", "DP", "GQ", "FT"][:nk]
    samples = tuple(f"s{i}" for i in range(len(cells)))
    cols = [":".join([gt, *rest]) for gt, rest in cells]
    line = "\t".join(["chr2", "1", ".", "A", "G,T", ".", ".", ".", ":".join(keys), *cols]) + ("\n" if newline else "")
    m = parse_line(line.encode(), samples, {"DP": "String", "GQ": "String", "FT": "String"})
    if any(len(rest) != nk - 1 for _, rest in cells) or any(gt == "" for gt, _ in cells):
        assert m is None  # an empty GT too: htslib reads it
        return
    assert m is not None
    assert [c.gt for c in m.calls()] == [gt for gt, _ in cells]
    if nk == 4:
        assert list(m.ft) == [rest[2] for _, rest in cells]


def test_streamed_samples_table_pads_columns_first_seen_late(tmp_path):
    """With a PED, only trio samples have dira.ped.* columns: earlier rows are padded in the streamed table."""
    from il1rn_annot.io.samples_table import samples_rows, write_samples_tsv

    s = api.annotate_vcf(str(FIXTURES / "dira" / "scenarios_GRCh38.vcf"), str(tmp_path / "o.vcf"),
                         options={"ped": str(FIXTURES / "dira" / "trio.ped")})
    write_samples_tsv(str(tmp_path / "stream.tsv"), s)
    write_samples_tsv(str(tmp_path / "mem.tsv"), s, samples_rows(s))
    text = (tmp_path / "stream.tsv").read_text()
    header = text.splitlines()[0].split("\t")
    assert "dira.ped.father" in header and header.index("dira.ped.father") > header.index("dira.verdict")
    assert text == (tmp_path / "mem.tsv").read_text()
    assert {len(line.split("\t")) for line in text.splitlines()} == {len(header)}


# The uncertain C94F (c.281G>T; its G is the published HGVS base) in every kind of call, beside E77X
# (pathogenic, c.229G>T) and the common rs315952 (T from the real exome): most samples carry only C94F, so
# their per-sample table rows are made without building their DIRA sections (dira.analysis ``flat``).
_C94F_CALLS = ["0/1", "1/1", "0|1:7", "1|0:7", "1|1:7", "./1", "1/.", "1", "./.", "0/1:.:5", "1/1:.:35",
               "0/1:.:50:LowQual", "0/1:.:50:PASS", "0/1:.:.:.:1", "0/0", "0/0:.:3", "1/1:.:.:.:0"]


def _uncertain_cohort(path) -> None:
    head = [x for x in (FIXTURES / "dira" / "scenarios_GRCh38.vcf").read_text().splitlines() if x.startswith("##")]
    rows = {x.split("\t")[2]: x.split("\t")[:9] for x in (FIXTURES / "dira" / "scenarios_GRCh38.vcf").read_text()
            .splitlines() if not x.startswith("#")}
    samples = [f"s{i:02d}" for i in range(len(_C94F_CALLS) + 3)]
    e77x = ["0/0"] * len(_C94F_CALLS) + ["0/1", "1/1", "0/1:.:4"]  # the last three: decisive samples
    c94f = _C94F_CALLS + ["0/1", "0/1", "1/1"]
    common = [("0/1", "1/1", "0/0", "./.")[i % 4] for i in range(len(samples))]
    body = ["\t".join(rows[rid] + calls) for rid, calls in (("E77X", e77x), ("C94F", c94f), ("rs315952", common))]
    path.write_text("\n".join(head + ["\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO",
                                                 "FORMAT"] + samples)] + body) + "\n")


@pytest.mark.parametrize("policy", [{}, {"half_call": "het", "haploid": "biallelic"},
                                    {"half_call": "missing", "haploid": "not_assessable"},
                                    {"filtered": "use", "low_quality": "use", "haploid": "carrier"}],
                         ids=["default", "het-biallelic", "missing-not_assessable", "use-carrier"])
def test_quick_table_rows_are_the_flattened_sections(policy, tmp_path, monkeypatch):
    from il1rn_annot.sample_view import flatten

    _uncertain_cohort(tmp_path / "c.vcf")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.setattr(api, "COLUMNAR_MIN_SAMPLES", 8)
    sa = api.annotate_vcf(str(tmp_path / "c.vcf"), str(tmp_path / "a" / "o.vcf"), options={"dira": policy},
                          samples_tsv=str(tmp_path / "a" / "o.samples.tsv"))
    monkeypatch.setattr(api, "COLUMNAR_MIN_SAMPLES", 10**9)
    api.annotate_vcf(str(tmp_path / "c.vcf"), str(tmp_path / "b" / "o.vcf"), options={"dira": policy},
                     samples_tsv=str(tmp_path / "b" / "o.samples.tsv"))
    dira = next(r for r in sa.analyses if r.name == "dira")
    quick = {s: dira.per_sample.flat(s) for s in dira.per_sample}
    for s, row in quick.items():
        if row is not None:
            full: dict = {}
            flatten("dira", dira.per_sample[s], full)
            assert row == full, s
    with_lines = [s for s, row in quick.items() if row is not None and "does not count" in row["dira.reasons"]]
    assert len(with_lines) >= 8  # the quick rows really carry the uncertain allele's lines
    assert [s for s, row in quick.items() if row is None] == ["s17", "s18", "s19"]  # E77X carriers: built
    # and the table is the per-sample path's, byte for byte
    assert (tmp_path / "a" / "o.samples.tsv").read_text() == (tmp_path / "b" / "o.samples.tsv").read_text()


def test_a_subset_parses_the_numeric_fields_of_its_samples_only():
    """A cohort record's carriers are kept as a subset; their GQ/DP are parsed without parsing everyone's
    (gtmatrix.LazyFields.subset), with the values and errors the whole field's parse gives."""
    import numpy as np

    from il1rn_annot.errors import InputError

    line = b"chr2\t113131120\t.\tG\tT\t.\tPASS\t.\tGT:GQ:DP\t0/1:35:7\t0/0:x:.\t1/1:.:12\t0/1:3,4:9\t./.:.:.\n"
    names = ("a", "b", "c", "d", "e")
    m = parse_line(line, names, {"GQ": "Integer", "DP": "Integer"}, "in.vcf")
    sub = m.subset(np.array([0, 2, 3, 4]))
    assert m.values._done == {}  # the whole record's fields were not parsed
    assert np.array_equal(sub.values["GQ"], [35, np.nan, 3, np.nan], equal_nan=True)
    assert np.array_equal(sub.values["DP"], [7, 12, 9, np.nan], equal_nan=True)
    assert [c.gq for c in sub.calls()] == [35, None, 3, None] and sub.calls()[1].sample == "c"
    full = parse_line(line, names, {"GQ": "String", "DP": "Integer"})
    assert np.array_equal(full.values["DP"][[0, 2, 3, 4]], sub.values["DP"], equal_nan=True)
    with pytest.raises(InputError, match=r"FORMAT/GQ of sample b is 'x'"):
        m.subset(np.array([1, 3]))


def test_zygosity_code_of_an_alleles_row_equals_the_scalar_zygosity_of_its_call():
    """gtmatrix classifies each distinct alleles row once per run (memoised); every row shape a matrix holds
    (ploidy 1-3, missing -1, absent slot -2 at the end, ALT numbers 0-11) gets the scalar function's answer."""
    from itertools import product

    from il1rn_annot.genotype import zygosity
    from il1rn_annot.gtmatrix import ABSENT, MISSING, _ZYG, _alleles, _zygosity_code
    from il1rn_annot.types import SampleCall

    values = (MISSING, 0, 1, 2, 11)
    rows = [r for ploidy in (1, 2, 3) for r in product(values, repeat=ploidy)]
    rows += [r + (ABSENT,) for r in rows if len(r) < 3]  # a haploid/diploid call in a wider matrix
    seen = set()
    for row in rows:
        for k in (1, 2, 11):
            want = zygosity(SampleCall(sample="s", alleles=_alleles(list(row)), phased=False), k)
            assert _ZYG[_zygosity_code(row, k)] is want, (row, k)
            seen.add(want.value)
    assert seen == {z.value for z in _ZYG}  # every class is reached, so a wrong branch cannot hide
