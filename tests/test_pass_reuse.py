"""Pass 2 reuses pass 1's annotations of up to REUSE_RECORDS records instead of annotating them again: the
outputs must be the same byte for byte as when every record is annotated twice, with and without genotypes."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from il1rn_annot.api import annotate_vcf
from il1rn_annot.pipeline import run as run_module

INPUTS = [REPO / "examples" / "il1rn_example_GRCh38.vcf", FIXTURES / "dira" / "scenarios_GRCh38.vcf", FIXTURES / "dira" / "scenarios_GRCh37.vcf"]


def _outputs(folder: Path, vcf: Path) -> dict[str, bytes]:
    summary = annotate_vcf(str(vcf), str(folder / "out.vcf.gz"), samples_tsv=str(folder / "out.samples.tsv"))
    out = {}
    for path in map(Path, summary.outputs):
        data = path.read_bytes()
        if path.name.endswith(".vcf.gz"):
            data = gzip.decompress(data)
        if not path.name.endswith(".tbi"):
            out[path.name] = data
    return out


@pytest.mark.parametrize("vcf", INPUTS, ids=lambda p: p.name)
def test_reused_annotations_give_the_same_outputs_as_annotating_twice(vcf, tmp_path, monkeypatch):
    assert vcf.exists(), vcf
    (tmp_path / "reuse").mkdir()
    (tmp_path / "again").mkdir()
    reused = _outputs(tmp_path / "reuse", vcf)
    monkeypatch.setattr(run_module, "REUSE_RECORDS", 0)
    again = _outputs(tmp_path / "again", vcf)
    assert reused.keys() == again.keys() and len(reused) >= 4
    for name in reused:
        assert reused[name] == again[name], name


def test_only_a_bounded_number_of_records_is_kept_between_the_passes(monkeypatch, tmp_path):
    seen = []
    original = run_module._write

    def spy(run, keys, sinks):
        seen.append(len(run.reuse))
        return original(run, keys, sinks)

    monkeypatch.setattr(run_module, "REUSE_RECORDS", 2)
    monkeypatch.setattr(run_module, "_write", spy)
    summary = annotate_vcf(str(INPUTS[0]), str(tmp_path / "o.vcf.gz"))
    assert summary.records_in_window > 2 and seen == [2]
