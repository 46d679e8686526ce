"""Which genome FASTA a run uses (issue 24): --reference, else $IL1RN_ANNOT_REFERENCE, the config file's
[reference] entry, the VCF header's ##reference= (when that file exists), the imported locus; a FASTA found
automatically that carries another build's pinned bases is skipped, and the run says what it used.

No IL1RN genome sequence exists here (and none is made up): the FASTA found is the synthetic genes' one, used
with their own gene model (no pinned bases to check), or offered to an IL1RN run, which must refuse it."""

from __future__ import annotations

import pytest

from il1rn_annot.cli import main
from il1rn_annot.model.gene_model import load_gene_model
from il1rn_annot.model.gff import models_by_contig, parse
from il1rn_annot.sources.fasta import REFERENCE_ENV, find_reference

from conftest import SLICE38, TESTDATA, need_shared

SYN = TESTDATA / "synthetic"


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    monkeypatch.delenv(REFERENCE_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return monkeypatch


def _synthetic_model():
    with open(need_shared(SYN) / "synth.gff3") as fh:
        return next(iter(models_by_contig(parse(fh)).values()))


def test_an_explicit_reference_comes_first(clean_env):
    model = _synthetic_model()
    clean_env.setenv(REFERENCE_ENV, "/nonexistent.fa")
    choice = find_reference(str(SYN / "synth.fa"), model)
    assert choice.provider is not None and choice.description.endswith("(--reference)")


def test_the_environment_variable_then_the_config_file_then_the_header(clean_env, tmp_path):
    model = _synthetic_model()
    fa = str(SYN / "synth.fa")
    assert find_reference(None, model).description == "none"
    # the header's ##reference= (relative to the VCF's folder) when the file exists
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "genome.fa").symlink_to(fa)
    (tmp_path / "in" / "genome.fa.fai").symlink_to(fa + ".fai")
    choice = find_reference(None, model, header_reference="genome.fa", vcf_path=str(tmp_path / "in" / "x.vcf"))
    assert choice.provider is not None and "##reference=" in choice.description
    assert find_reference(None, model, header_reference="file:///nowhere/hg38.fa").description == "none"
    # the config file's [reference] entry for the build beats the header
    cfg = tmp_path / "config" / "il1rn_annot" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text(f'[reference]\n{model.build.name} = "{fa}"\n')
    choice = find_reference(None, model, header_reference="genome.fa", vcf_path=str(tmp_path / "in" / "x.vcf"))
    assert "config.toml [reference]" in choice.description
    # the environment variable beats both
    clean_env.setenv(REFERENCE_ENV, fa)
    assert f"${REFERENCE_ENV}" in find_reference(None, model).description
    # automatic look-up off: nothing but --reference
    assert find_reference(None, model, automatic=False).provider is None


def test_a_fasta_of_another_genome_is_skipped_with_the_reason(clean_env):
    clean_env.setenv(REFERENCE_ENV, str(need_shared(SYN) / "synth.fa"))
    choice = find_reference(None, load_gene_model("GRCh38"))
    assert choice.provider is None and len(choice.skipped) == 1 and REFERENCE_ENV in choice.skipped[0]


def test_a_run_says_which_reference_it_used_and_that_protein_effects_were_inferred(clean_env, tmp_path, capsys):
    need_shared(SLICE38)
    clean_env.setenv(REFERENCE_ENV, str(SYN / "synth.fa"))
    assert main(["annotate", str(SLICE38), "-o", str(tmp_path / "o.vcf")]) == 0
    err = capsys.readouterr().err
    assert "found but not used" in err and REFERENCE_ENV in err
    assert "protein effects inferred from the protein P18510 (verified)" in err
    assert main(["annotate", str(SLICE38), "-o", str(tmp_path / "p.vcf"), "--no-imported-reference"]) == 0
    err = capsys.readouterr().err
    assert "found but not used" not in err and "no genome FASTA (automatic look-up off)" in err
