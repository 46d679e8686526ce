"""DIRA verdicts on real data: the 1000 Genomes panel (2,504 people, both builds) and a real exome."""

from __future__ import annotations

import pytest

from conftest import KG37, KG38, SLICE37, need_shared
from il1rn_annot.api import annotate_vcf


def dira(path, tmp_path):
    s = annotate_vcf(str(need_shared(path)), str(tmp_path / "out.vcf.gz"), use_imported_reference=False)
    return s, next(r for r in s.analyses if r.name == "dira")


@pytest.mark.shared
@pytest.mark.parametrize("path", [KG38, KG37], ids=["GRCh38", "GRCh37"])
def test_1000_genomes_has_no_biallelic_sample_and_every_sample_has_a_verdict(path, tmp_path):
    s, r = dira(path, tmp_path)
    assert s.samples == 2504
    assert len(r.per_sample) == 2504 and len(r.format["IL1RN_DIRA"]) == 2504
    counts = r.cohort["verdict_counts"]
    assert sum(counts.values()) == 2504
    assert counts.get("BIALLELIC", 0) == 0
    # the one IL1RN site in the panel (rs315952, AF 0.35) is too common to matter: BA1
    (v,) = r.cohort["variants"]
    assert v["class"] == "benign" and "BA1" in v["codes"]
    assert all(d["verdict"] for d in r.per_sample.values())


@pytest.mark.shared
def test_a_single_sample_exome_af_is_not_read_as_population_frequency(tmp_path):
    s, r = dira(SLICE37, tmp_path)
    (d,) = r.per_sample.values()
    assert d["verdict"] == "NO_QUALIFYING_VARIANT"
    assert not any("BA1" in v["codes"] for v in r.cohort["variants"])  # AF=0.5 with AN=2 is the sample itself
    assert all("AF_not_used" in v["codes"] for v in r.cohort["variants"])
