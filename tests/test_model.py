"""The bundled gene model: content, provenance, validation."""

from __future__ import annotations

import dataclasses
import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from il1rn_annot.coords import closed_to_interval
from il1rn_annot.errors import ModelError
from il1rn_annot.model.gene_model import load_gene_model, validate_transcript
from il1rn_annot.model.resources import load_resource


def test_grch38_has_the_14_gencode_transcripts_and_mane_first():
    m = load_gene_model("GRCh38")
    assert len(m.transcripts) == 14
    mane = m.transcripts[0]
    assert mane.mane_select and mane.display_name == "NM_173842.3" and mane.ensembl_id == "ENST00000409930.4"
    assert mane.protein_length == 177 and len(mane.exons) == 4
    assert [e.start + 1 for e in mane.exons] == [113127598, 113129576, 113131045, 113132656]
    assert [e.end for e in mane.exons] == [113127740, 113129664, 113131157, 113134014]
    assert mane.cds == closed_to_interval(113127625, 113132871)
    names = {t.ensembl_name for t in m.transcripts if t.ensembl_name}
    assert names == {"IL1RN-201", "IL1RN-202", "IL1RN-203", "IL1RN-204", "IL1RN-205", "IL1RN-210", "IL1RN-211",
                     "IL1RN-212", "IL1RN-213"}


def test_grch37_has_the_9_gencode_models_plus_projected_mane():
    m = load_gene_model("GRCh37")
    assert len(m.transcripts) == 10
    mane = m.mane
    assert mane.transcript_id == "IL1RN_GRCh37_MANE_projected"
    assert [e.start + 1 for e in mane.exons] == [113885175, 113887153, 113888622, 113890233]
    assert "PROJECTED" in load_resource("gene_model_GRCh37.tsv").get("mane_select")


def test_gene_span_is_the_sourced_gencode_span_and_the_literature_span_only_an_alias():
    m = load_gene_model("GRCh38")
    assert (m.span.start + 1, m.span.end) == (113099315, 113134016)
    assert m.literature_span_alias.startswith("2:113099364-113134015")
    assert (load_gene_model("GRCh37").span.start + 1, load_gene_model("GRCh37").span.end) == (113864791, 113891593)


@pytest.mark.parametrize("name", ["gene_model_GRCh38.tsv", "gene_model_GRCh37.tsv", "il1_cluster_genes.tsv",
                                  "gene_info.tsv", "dira_catalogue.tsv", "vntr_tag_snps.tsv"])
def test_every_resource_carries_a_provenance_header(name):
    res = load_resource(name)
    assert res.version, name
    assert res.get("coordinates"), name
    assert res.rows


def test_resource_digest_is_the_sha256_of_the_shipped_bytes_also_from_a_zipped_package(tmp_path):
    """The label cites the SHA-256 of the file's bytes; a package imported from a zip (no data folder) reads
    the same bytes through importlib.resources."""
    import il1rn_annot

    pkg = Path(il1rn_annot.__file__).parent
    raw = (pkg / "data" / "gene_info.tsv").read_bytes()
    label = load_resource("gene_info.tsv").label
    assert label.endswith("#" + hashlib.sha256(raw).hexdigest()[:8])
    zipped = tmp_path / "pkg.zip"
    with zipfile.ZipFile(zipped, "w") as z:  # the whole package (its __init__ imports the API)
        for p in sorted(pkg.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                z.write(p, f"il1rn_annot/{p.relative_to(pkg).as_posix()}")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from il1rn_annot.model import resources as r; "
            "assert r.__file__.startswith(sys.argv[1]), r.__file__; print(r.load_resource('gene_info.tsv').label)")
    out = subprocess.run([sys.executable, "-c", code, str(zipped)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == label


def test_model_resources_say_which_facts_are_unverified():
    res = load_resource("gene_model_GRCh38.tsv")
    assert any("SYNTHETIC" in u for u in res.get_all("unverified"))


def test_cluster_neighbours_are_loaded_for_deletion_reports():
    genes = {g.gene for g in load_gene_model("GRCh38").cluster_genes}
    assert {"IL1A", "IL1B", "IL36RN", "IL1F10", "IL1RN", "PSD4", "PAX8"} <= genes


def test_validation_rejects_broken_models():
    mane = load_gene_model("GRCh38").mane
    overlapping = dataclasses.replace(mane, exons=(mane.exons[1], mane.exons[0]) + mane.exons[2:])
    with pytest.raises(ModelError, match="not sorted or overlapping"):
        validate_transcript(overlapping)
    short_cds = dataclasses.replace(mane, cds=closed_to_interval(113127625, 113132870), protein_length=None)
    with pytest.raises(ModelError, match="multiple of 3"):
        validate_transcript(short_cds)
    outside = dataclasses.replace(mane, cds=closed_to_interval(113127625, 113129700))
    with pytest.raises(ModelError, match="outside the exons"):
        validate_transcript(outside)
