"""The Hail route (issue 27): a MatrixTable and a VariantDataset made in Hail's local mode from the 2,504-sample
1000 Genomes file give the same verdicts, VNTR answers and tables as the VCF path.  One Hail session is shared by
the module's tests (Hail's start costs seconds); they skip when hail or Java is absent, saying how to install it."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from conftest import KG37, KG38, need_module, need_shared, need_tool
from il1rn_annot.api import annotate_vcf
from il1rn_annot.errors import InputError

pytestmark = pytest.mark.shared
SAMPLE_TABLES = (".samples.tsv", ".tsv", ".genotypes.tsv")
SESSION: dict = {}


def _need_hail():
    """Hail and a Java runtime: skipped on a machine without them, a failure under CI's variables."""
    need_module("hail", "pip install -e '.[hail]' (and a Java runtime)")
    need_tool("java")


@pytest.fixture(scope="module")
def hl(tmp_path_factory):
    _need_hail()
    import hail as hl

    tmp = tmp_path_factory.mktemp("hail")
    t0 = time.perf_counter()
    hl.init(master="local[2]", quiet=True, tmp_dir=str(tmp), local_tmpdir=str(tmp), log=str(tmp / "hail.log"),
            idempotent=True)
    SESSION["start_seconds"] = time.perf_counter() - t0
    yield hl
    hl.stop()


@pytest.fixture(scope="module")
def vcf_path_results(tmp_path_factory):
    """The VCF path's outputs for the 1000 Genomes GRCh38 file (the reference the Hail route must match)."""
    vcf = need_shared(KG38)
    out = tmp_path_factory.mktemp("vcf_path") / "kg.vcf.gz"
    summary = annotate_vcf(str(vcf), str(out), samples_tsv=str(out).replace(".vcf.gz", ".samples.tsv"))
    return summary, out


def tables(out: Path) -> dict[str, str]:
    return {ext: Path(str(out).replace(".vcf.gz", ext)).read_text() for ext in SAMPLE_TABLES}


def per_sample(summary, name: str) -> dict:
    res = next(r for r in summary.analyses if r.name == name)
    return {sample: section for sample, section in res.per_sample.items()}


def verdicts(summary) -> dict[str, str]:
    return {sample: section["verdict"] for sample, section in per_sample(summary, "dira").items()}


def vntr(summary) -> dict:
    """Each sample's VNTR answer, whole (call, diplotype, *2 dosage, the markers and why)."""
    return per_sample(summary, "vntr")


def test_a_matrix_table_gives_the_vcf_paths_verdicts_vntr_and_tables(hl, vcf_path_results, tmp_path):
    from il1rn_annot import hail as il1rn_hail

    ref, ref_out = vcf_path_results
    mt = hl.import_vcf(str(KG38), reference_genome="GRCh38", force_bgz=True)
    t0 = time.perf_counter()
    out = tmp_path / "hail.vcf.gz"
    s = il1rn_hail.annotate(mt, str(out), samples_tsv=str(tmp_path / "hail.samples.tsv"),
                            metadata=hl.get_vcf_metadata(str(KG38)), json_dir=str(tmp_path / "json"))
    SESSION["mt_seconds"] = time.perf_counter() - t0
    assert s.samples == ref.samples == 2504
    assert s.records_in_window == ref.records_in_window == 1
    assert s.input == "Hail MatrixTable, GRCh38 chr2:113,094,315-113,139,016 exported with hl.export_vcf"
    assert verdicts(s) == verdicts(ref)
    assert per_sample(s, "dira") == per_sample(ref, "dira")  # the verdicts' evidence and reasons too
    assert vntr(s) == vntr(ref)
    assert tables(out) == tables(ref_out)
    assert s.read_notes[0] == "MatrixTable filtered with hl.filter_intervals"
    jsonschema = need_module("jsonschema", "pip install -e '.[test]'")
    from il1rn_annot.sinks.json_reports import load_schema

    doc = json.loads((tmp_path / "json" / "HG00096.json").read_text())
    jsonschema.Draft202012Validator(load_schema()).validate(doc)
    assert doc["provenance"]["input"]["file"] == s.input
    assert doc["provenance"]["input"]["read_notes"][0] == "MatrixTable filtered with hl.filter_intervals"


def test_the_window_is_cut_by_hails_interval_filter(hl):
    from il1rn_annot import hail as il1rn_hail

    mt = hl.import_vcf(str(need_shared(KG38)), reference_genome="GRCh38", force_bgz=True)
    iv = hl.eval(il1rn_hail.window_interval(mt))
    assert (iv.start.contig, iv.start.position, iv.end.position) == ("chr2", 113_084_315, 113_139_016)
    window = il1rn_hail.filter_to_window(mt)
    # of the file's 16 records, 113,074,368 lies before the margin, 113,132,727 in the window
    assert window.aggregate_rows(hl.agg.collect(window.locus.position)) == [113_132_727]
    wide = il1rn_hail.filter_to_window(mt, margin=60_000)
    assert wide.aggregate_rows(hl.agg.collect(wide.locus.position)) == [113_074_368, 113_132_727]


def test_a_grch37_matrix_table_keeps_contig_2_and_matches_the_vcf_path(hl, tmp_path):
    from il1rn_annot import hail as il1rn_hail

    vcf = need_shared(KG37)
    ref = annotate_vcf(str(vcf), str(tmp_path / "vcf.vcf.gz"))
    mt = hl.import_vcf(str(vcf), reference_genome="GRCh37", force_bgz=True)
    s = il1rn_hail.annotate(mt, str(tmp_path / "hail.vcf.gz"))
    assert s.build == "GRCh37" and s.input.startswith("Hail MatrixTable, GRCh37 2:113,859,791-")
    assert verdicts(s) == verdicts(ref) and vntr(s) == vntr(ref)
    assert tables(tmp_path / "hail.vcf.gz") == tables(tmp_path / "vcf.vcf.gz")


def test_a_variant_dataset_gives_the_vcf_paths_verdicts_and_vntr(hl, vcf_path_results, tmp_path):
    """A VDS built from the same file (hom-ref calls as 1-base reference blocks, local alleles = all alleles):
    filtered with hl.vds.filter_intervals, made dense, LGT back to GT."""
    from il1rn_annot import hail as il1rn_hail

    ref, ref_out = vcf_path_results
    mt = hl.import_vcf(str(KG38), reference_genome="GRCh38", force_bgz=True)
    mt = mt.select_entries(LGT=mt.GT, LA=hl.range(hl.len(mt.alleles)),
                           END=hl.or_missing(mt.GT.is_hom_ref(), mt.locus.position))
    vds = hl.vds.VariantDataset.from_merged_representation(mt)
    t0 = time.perf_counter()
    s = il1rn_hail.annotate(vds, str(tmp_path / "vds.vcf.gz"), samples_tsv=str(tmp_path / "vds.samples.tsv"))
    SESSION["vds_seconds"] = time.perf_counter() - t0
    assert s.input.startswith("Hail VariantDataset, GRCh38 chr2:113,094,315-")
    assert s.samples == 2504 and s.records_in_window == 1
    assert verdicts(s) == verdicts(ref)
    assert vntr(s) == vntr(ref)
    assert (tmp_path / "vds.samples.tsv").read_text() == tables(ref_out)[".samples.tsv"]
    assert "LGT (local alleles) converted to GT with hl.vds.lgt_to_gt" in s.read_notes


def test_what_is_not_a_hail_dataset_or_not_a_known_build_is_refused(hl):
    from il1rn_annot import hail as il1rn_hail

    with pytest.raises(InputError, match="a list is not a Hail dataset"):
        il1rn_hail.annotate([1, 2], "x.vcf.gz")
    mt = hl.import_vcf(str(need_shared(KG38)), reference_genome="GRCh38", force_bgz=True)
    with pytest.raises(InputError, match="build=GRCh37 contradicts the dataset's reference genome GRCh38"):
        il1rn_hail.annotate(mt, "x.vcf.gz", build="GRCh37")


def test_without_hail_the_route_says_how_to_install_it(monkeypatch):
    from il1rn_annot import hail as il1rn_hail

    monkeypatch.setitem(sys.modules, "hail", None)
    with pytest.raises(InputError,
                       match=r"needs hail, which is not installed \(fix: pip install hail \(in a clone: "
                             r"pip install -e '\.\[hail\]'"):
        il1rn_hail.annotate("any.mt", "x.vcf.gz")
