"""The annotated VCF is written as text for -O v/z (the record's htslib text plus our INFO and FORMAT values)
and through pysam for -O b and re-annotation.  The two must give the same bytes: pysam is the oracle here."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from il1rn_annot import annotate_vcf
from il1rn_annot.io.vcf_out import VcfWriter
from conftest import FIXTURES, KG38, SLICE37, need_shared
from vcf_text import header, record, write

REPO = Path(__file__).resolve().parents[1]


def _body(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as fh:
        return [ln for ln in fh if not ln.startswith("##il1rn_annot_command")]


def both_paths(src, tmp_path: Path, monkeypatch, suffix: str = ".vcf.gz", **kw) -> tuple[list[str], list[str]]:
    outs = []
    for text in (True, False):
        monkeypatch.setattr(VcfWriter, "TEXT_PATH", text)
        out = tmp_path / f"{'text' if text else 'pysam'}{suffix}"
        annotate_vcf(str(src), str(out), table="", genotypes="", **kw)
        outs.append(_body(out))
    return outs[0], outs[1]


@pytest.mark.parametrize("src", [
    FIXTURES / "dira" / "scenarios_GRCh38.vcf",
    FIXTURES / "dira" / "scenarios_GRCh37.vcf",
    FIXTURES / "vntr" / "het_del172.GRCh38.vcf",
    FIXTURES / "vntr" / "cnv_tr_2_4.GRCh37.vcf",
    REPO / "examples" / "il1rn_example_GRCh38.vcf",
], ids=lambda p: p.name)
def test_text_and_pysam_writers_agree_on_fixtures(src, tmp_path, monkeypatch):
    text, ref = both_paths(src, tmp_path, monkeypatch)
    assert any("IL1RN_CSQ=" in ln for ln in text)
    assert text == ref


def test_text_and_pysam_writers_agree_on_the_1000_genomes_slice(tmp_path, monkeypatch):
    text, ref = both_paths(need_shared(KG38), tmp_path, monkeypatch)
    body = [ln for ln in text if not ln.startswith("#")]
    assert body and all(ln.split("\t")[8].endswith(":IL1RN_DIRA:IL1RN_VNTR:IL1RN_VNTR_METHOD:IL1RN_VNTR_CONF:IL1RN_VNTR_STAR2")
                        for ln in body)
    assert text == ref


def test_text_and_pysam_writers_agree_with_keep_all(tmp_path, monkeypatch):
    text, ref = both_paths(need_shared(SLICE37), tmp_path, monkeypatch, keep_all=True)
    assert text == ref


def test_sites_only_and_info_dot_records(tmp_path, monkeypatch):
    """No samples at all, and INFO '.' (our keys replace the dot)."""
    h = header(samples=()).replace("\tFORMAT\n", "\n")
    src = write(tmp_path / "sites.vcf", h + "chr2\t113131068\t.\tG\tT\t.\tPASS\t.\n"
                + "chr2\t113132727\t.\tT\tC\t.\tPASS\tEXPECT=x\n")
    text, ref = both_paths(src, tmp_path, monkeypatch, suffix=".vcf")
    assert text == ref
    body = [ln for ln in text if not ln.startswith("#")]
    assert body[0].split("\t")[7].startswith("IL1RN_CSQ=") and len(body[0].rstrip("\n").split("\t")) == 8
    assert body[1].split("\t")[7].startswith("EXPECT=x;IL1RN_CSQ=")


def test_reannotating_our_own_output_goes_through_pysam_and_replaces_values(tmp_path, monkeypatch):
    src = write(tmp_path / "in.vcf", header(samples=("a", "b"))
                + record("chr2", 113131068, "G", "T", gts=("0/1", "1/1")))
    first = tmp_path / "first.vcf"
    annotate_vcf(str(src), str(first), table="", genotypes="")
    again = tmp_path / "again.vcf"
    annotate_vcf(str(first), str(again), table="", genotypes="")
    line = [ln for ln in again.read_text().splitlines() if not ln.startswith("#")][0]
    cols = line.split("\t")
    assert cols[7].count("IL1RN_CSQ=") == 1 and cols[8].count("IL1RN_DIRA") == 1
    assert cols[10].split(":")[cols[8].split(":").index("IL1RN_DIRA")] == "BIALLELIC"


from hypothesis import given, strategies as st  # noqa: E402

_COL = st.sampled_from([b"0/1", b".", b"1|1:3:.", b"./.:.:.", b"0|0:12:99"])


@given(st.lists(st.tuples(_COL, st.booleans(), st.sampled_from([b":B", b":C:D"])), min_size=1, max_size=80),
       st.sampled_from([b":NO_QUALIFYING_VARIANT:.:unknown:.:0-2", b":A", b""]))
def test_appending_per_sample_values_equals_per_column_concatenation(cols, common):
    """The fast paths (one replace per run of samples with the most common values; columns interleaved with
    their suffixes when many differ) against the plain per-column concatenation."""
    from il1rn_annot.io.vcf_out import append_to_columns, tab_suffixes

    data = b"\t".join(c for c, _, _ in cols)
    suffix = [common if same else other for _, same, other in cols]
    exceptions = [i for i, x in enumerate(suffix) if x != common]
    want = b"\t".join(c + x for (c, _, _), x in zip(cols, suffix))
    assert append_to_columns(data, suffix, common, exceptions) == want
    assert append_to_columns(data, suffix, common, exceptions, tab_suffixes(suffix)) == want
    if exceptions:  # a column more than the header's samples (never reaches the writer: htslib re-renders it)
        with pytest.raises(ValueError, match="sample columns"):
            append_to_columns(data + b"\t0/0", suffix, common, exceptions)


def test_csq_entries_and_variant_table_rows_carry_the_same_values(tmp_path):
    """The two writers share one RowCache: each CSQ entry must equal the field columns of its table row
    (a cache handing one allele x transcript's values to another would break this)."""
    from urllib.parse import unquote

    import pysam

    from il1rn_annot.fields import all_fields

    from il1rn_annot.io.tables import variant_rows

    out = tmp_path / "o.vcf"
    summary = annotate_vcf(str(REPO / "examples" / "il1rn_example_GRCh38.vcf"), str(out))
    names = [f.name for f in all_fields()]
    from_vcf = []
    with pysam.VariantFile(str(out)) as vf:
        for rec in vf:
            for entry in rec.info.get("IL1RN_CSQ", ()):
                from_vcf.append(tuple(unquote(x) for x in entry.split("|")))
    lines = (tmp_path / "o.tsv").read_text().splitlines()
    cols = lines[0].split("\t")
    at = [cols.index(n) for n in names]
    from_table = [tuple(row.split("\t")[i] for i in at) for row in lines[1:]]
    from_table = [r for r in from_table if r[names.index("Feature")] or r[names.index("Note")]]
    assert len(from_vcf) > 20 and len({r[names.index("Feature")] for r in from_vcf}) > 3
    assert from_vcf == from_table
    # and both equal values computed afresh, without the cache
    fresh = [tuple("" if v is None else str(v) for v in row[7:7 + len(names)])
             for a in summary.annotations for row in variant_rows(a, summary.build)]
    assert [tuple(row.split("\t")[i] for i in at) for row in lines[1:]] == fresh


@given(st.lists(st.one_of(st.none(), st.integers(-5, 10**6), st.booleans(), st.floats(allow_nan=False),
                          st.text(alphabet="ac|;=,% \t\x00T>G", max_size=8)), max_size=12))
def test_a_csq_entry_escapes_each_value_as_one_by_one(values):
    """encode_csq_entry escapes the joined entry once (NUL as the provisional separator): it must equal
    escaping each value, whatever the values hold (separators, escapes, a NUL)."""
    from il1rn_annot.fields import encode_csq_entry, encode_info_value

    assert encode_csq_entry(values) == "|".join(encode_info_value(v) for v in values)


@given(st.text(alphabet="%25,;=| \t7Cac\x00>:&", max_size=40))
def test_escape_encodes_each_character_once(text):
    """The chained replaces of fields.escape equal substituting every character at once (str.translate over
    ESCAPES): an escape added for one character is never escaped again, and unescaping gives the text back."""
    from urllib.parse import unquote

    from il1rn_annot.fields import ESCAPES, escape

    assert escape(text) == text.translate(str.maketrans(ESCAPES))
    assert unquote(escape(text)) == text


def test_bcf_output_of_a_wide_text_input_carries_every_sample(tmp_path):
    """With 8+ samples in a VCF text file the input is read in raw-text mode, where htslib's header has no
    samples and the writer is given them: the BCF (pysam path, samples added to its header) must hold the
    same samples and records as the text output."""
    import pysam

    src = FIXTURES / "dira" / "scenarios_GRCh38.vcf"
    outs = {}
    for suffix in (".vcf.gz", ".bcf"):
        out = tmp_path / f"o{suffix}"
        annotate_vcf(str(src), str(out), table="", genotypes="")
        with pysam.VariantFile(str(out)) as vf:
            outs[suffix] = (tuple(vf.header.samples), [str(r) for r in vf])
    with pysam.VariantFile(str(src)) as vf:
        samples = tuple(vf.header.samples)
    assert len(samples) >= 8 and outs[".bcf"][0] == outs[".vcf.gz"][0] == samples
    assert outs[".bcf"][1] == outs[".vcf.gz"][1] and all("IL1RN_DIRA" in r for r in outs[".bcf"][1])
