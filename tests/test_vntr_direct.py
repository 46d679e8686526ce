"""Direct VNTR calls from length changes and repeat-genotyper counts (pure functions, records built in
Python).  Inside the VNTR no reference base is known, so every REF here is N (unknown base)."""

from __future__ import annotations

import pytest

from il1rn_annot.consequence.annotate import record_variants
from il1rn_annot.variants.genotypes import GenotypeMatrix, SampleCall
from il1rn_annot.variants.record import Record
from il1rn_annot.vntr.definition import load_vntr_definition
from il1rn_annot.vntr.direct import TOLERANCE_BP, HaplotypeStatus, direct_calls, diplotype_label
from il1rn_annot.vntr.summary import combine
from il1rn_annot.vntr.tags import TagInference

D38 = load_vntr_definition("GRCh38")
V1 = D38.interval.start + 1  # 1-based first VNTR base
UNIT = D38.unit_bp


def rec(pos, alts, info, gts, *, ref="N", phased=False, ps=None, extra=None, index=0):
    calls = GenotypeMatrix.from_calls(SampleCall(f"S{i}", gt, phased, phase_set=ps, extra=(extra or [{}] * len(gts))[i])
                                      for i, gt in enumerate(gts))
    return Record("chr2", pos, ".", ref, tuple(alts), None, ("PASS",), info, calls, index)


def call(records, n=1):
    samples = tuple(f"S{i}" for i in range(n))
    return direct_calls([(r, record_variants(r)) for r in records], samples, D38)


def labels(c):
    return [diplotype_label(p) for p in c.diplotypes]


@pytest.mark.parametrize("change,expected", [
    (-2 * UNIT, "IL1RN*1/*2"), (-UNIT, "IL1RN*1/*4"), (UNIT, "IL1RN*1/*3"), (2 * UNIT, "IL1RN*1/*5"),
    (-2 * UNIT + TOLERANCE_BP, "IL1RN*1/*2"), (-2 * UNIT - TOLERANCE_BP, "IL1RN*1/*2"),
    (-2 * UNIT + TOLERANCE_BP + 1, f"IL1RN*1/non_unit_change({-2 * UNIT + TOLERANCE_BP + 1:+d}bp)"),
    (-43, "IL1RN*1/non_unit_change(-43bp)"), (3 * UNIT, "IL1RN*1/unnamed(7_copies)"),
])
def test_length_change_to_copies_with_tolerance(change, expected):
    if change < 0:
        r = rec(V1 + 10, ["<DEL>"], {"SVTYPE": "DEL", "SVLEN": (change,), "END": V1 + 10 - change}, [(0, 1)])
    else:
        r = rec(V1 + 10, ["<INS>"], {"SVTYPE": "INS", "SVLEN": (change,)}, [(0, 1)])
    assert labels(call([r])["S0"]) == [expected]


def test_explicit_deletion_of_unknown_bases_counts_like_the_symbolic_one():
    r = rec(V1, ["N"], {}, [(1, 0)], ref="N" * (2 * UNIT + 1))
    c = call([r])["S0"]
    assert labels(c) == ["IL1RN*1/*2"] and c.confidence == "medium"


def test_snv_inside_the_vntr_is_not_copy_number_evidence():
    assert call([rec(V1 + 5, ["N"], {}, [(0, 1)], ref="N")]) == {}


def test_deletion_reaching_outside_the_vntr_is_not_named():
    """The deleted copy is beyond_vntr, never named.  The other copy is REF at a record of a larger SV: the
    call says that copy lacks the SV, not what its repeat length is, so it is not counted as *1."""
    start = D38.interval.end - UNIT  # last unit, then 86 bp beyond the interval
    r = rec(start, ["<DEL>"], {"SVTYPE": "DEL", "SVLEN": (-2 * UNIT,), "END": start + 2 * UNIT}, [(0, 1)])
    (pair,) = call([r])["S0"].diplotypes
    assert {h.status for h in pair} == {HaplotypeStatus.MISSING, HaplotypeStatus.BEYOND_VNTR}


def test_reference_calls_at_a_larger_sv_give_no_repeat_length():
    """A joint-called SV record of a whole-gene deletion spans the VNTR; the samples called 0/0 there were not
    measured at the repeat and get no direct call (before: IL1RN*1/*1 'direct', for every such sample).  A 0/0
    at a record of a VNTR length allele still counts as the reference allele (the caller asserts no length
    change there)."""
    gene_del = rec(D38.interval.start - 100_000, ["<DEL>"],
                   {"SVTYPE": "DEL", "SVLEN": (-200_000,), "END": D38.interval.start + 100_000}, [(0, 0), (0, 1)])
    calls = call([gene_del], n=2)
    assert "S0" not in calls
    assert labels(calls["S1"]) == ["IL1RN_?/beyond_vntr(-200000bp)"]
    star2 = rec(V1 + 10, ["<DEL>"], {"SVTYPE": "DEL", "SVLEN": (-2 * UNIT,), "END": V1 + 10 + 2 * UNIT}, [(0, 0)])
    assert labels(call([star2])["S0"]) == ["IL1RN*1/*1"]
    # both records, S0 0/0 at each: measured by the VNTR record only, and stays *1/*1
    gene_del_s0 = rec(D38.interval.start - 100_000, ["<DEL>"],
                      {"SVTYPE": "DEL", "SVLEN": (-200_000,), "END": D38.interval.start + 100_000}, [(0, 0)])
    assert labels(call([gene_del_s0, star2])["S0"]) == ["IL1RN*1/*1"]


def test_tandem_duplication_adds_units():
    r = rec(V1, ["<DUP>"], {"SVTYPE": "DUP", "END": V1 + UNIT}, [(1, 1)])
    assert labels(call([r])["S0"]) == ["IL1RN*3/*3"]


def test_cnv_tr_counts_are_absolute_and_rn_alone_gives_no_count():
    good = rec(V1 - 1, ["<CNV:TR>", "<CNV:TR>"], {"END": D38.interval.end, "RN": (1, 1), "RUL": (86, 86), "RUC": (2.0, 5.0)},
               [(1, 2)])
    c = call([good])["S0"]
    assert labels(c) == ["IL1RN*2/*3"] and c.confidence == "high"
    rn_only = rec(V1 - 1, ["<CNV:TR>", "<CNV:TR>"], {"END": D38.interval.end, "RN": (2, 4)}, [(1, 2)])
    (pair,) = call([rn_only])["S0"].diplotypes
    assert all(h.status is HaplotypeStatus.UNKNOWN_LENGTH for h in pair)
    s2 = combine("S0", call([rn_only])["S0"], TagInference("S0", "unknown", (), "", ()))
    assert s2.star2_copies == "0-2"


def test_cnv_tr_with_another_unit_uses_bases():
    r = rec(V1 - 1, ["<CNV:TR>"], {"END": D38.interval.end, "RN": (1,), "RUL": (43,), "RUC": (4.0,)}, [(0, 1)])
    assert labels(call([r])["S0"]) == ["IL1RN*1/*2"]


def test_expansionhunter_str_alleles_and_repcn():
    eh = rec(V1 - 1, ["<STR2>", "<STR6>"], {"END": D38.interval.end, "RU": "N" * 86}, [(1, 2)])
    assert labels(call([eh])["S0"]) == ["IL1RN*2/*5"]
    other_unit = rec(V1 - 1, ["<STR2>"], {"END": D38.interval.end, "RU": "NNN"}, [(0, 1)])
    (pair,) = call([other_unit])["S0"].diplotypes
    assert HaplotypeStatus.UNKNOWN_LENGTH in {h.status for h in pair}
    repcn = rec(V1 - 1, ["<STR2>"], {"END": D38.interval.end, "RU": "N" * 86}, [(0, 1)], extra=[{"REPCN": "4/2"}])
    c = call([repcn])["S0"]
    assert labels(c) == ["IL1RN*1/*2"] and c.confidence == "high"


def test_trgt_allele_lengths():
    region = len(D38.interval) + 1  # POS is the padding base before the VNTR; END is its last base
    r = rec(V1 - 1, ["<STR>"], {"END": D38.interval.end}, [(0, 1)], extra=[{"AL": (region, region - 2 * UNIT)}])
    assert labels(call([r])["S0"]) == ["IL1RN*1/*2"]


def test_two_unphased_records_list_every_placement():
    a = rec(V1 + 10, ["<DEL>"], {"SVTYPE": "DEL", "SVLEN": (-UNIT,), "END": V1 + 10 + UNIT}, [(0, 1)], index=0)
    b = rec(V1 + 150, ["<DEL>"], {"SVTYPE": "DEL", "SVLEN": (-UNIT,), "END": V1 + 150 + UNIT}, [(0, 1)], index=1)
    c = call([a, b])["S0"]
    assert labels(c) == ["IL1RN*1/*2", "IL1RN*4/*4"]
    s = combine("S0", c, TagInference("S0", "unknown", (), "", ()))
    assert s.method == "direct" and s.diplotype == "" and s.star2_copies == "0-1"


def test_two_phased_records_combine_per_haplotype():
    a = rec(V1 + 10, ["<DEL>"], {"SVTYPE": "DEL", "SVLEN": (-UNIT,), "END": V1 + 10 + UNIT}, [(0, 1)], phased=True, ps=7)
    b = rec(V1 + 150, ["<DEL>"], {"SVTYPE": "DEL", "SVLEN": (-UNIT,), "END": V1 + 150 + UNIT}, [(1, 0)], phased=True,
            ps=7, index=1)
    assert labels(call([a, b])["S0"]) == ["IL1RN*4/*4"]


def test_missing_and_half_calls():
    r = rec(V1 + 10, ["<DEL>"], {"SVTYPE": "DEL", "SVLEN": (-2 * UNIT,), "END": V1 + 10 + 2 * UNIT},
            [(None, None), (None, 1), (0, 0)], )
    calls = call([r], n=3)
    assert "S0" not in calls  # ./. says nothing
    half = combine("S1", calls["S1"], TagInference("S1", "unknown", (), "", ()))
    assert half.candidates == ("IL1RN*2/?",) and half.star2_copies == "1-2"
    assert labels(calls["S2"]) == ["IL1RN*1/*1"]  # the caller asserted reference on both haplotypes


def test_repeat_genotyper_format_fields_survive_vcf_reading(tmp_path):
    """ExpansionHunter REPCN and TRGT AL read by pysam through the real pipeline (REF N: base unknown)."""
    from il1rn_annot.api import vntr_context

    end = D38.interval.end
    text = "\n".join([
        "##fileformat=VCFv4.2", "##contig=<ID=chr2,length=242193529,assembly=GRCh38>",
        '##ALT=<ID=STR2,Description="2 units">',
        '##INFO=<ID=END,Number=1,Type=Integer,Description="End">',
        '##INFO=<ID=RU,Number=1,Type=String,Description="Repeat unit">',
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        '##FORMAT=<ID=REPCN,Number=1,Type=String,Description="Repeat counts (ExpansionHunter)">',
        '##FORMAT=<ID=AL,Number=.,Type=Integer,Description="Allele lengths (TRGT)">',
        "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", "EH", "TRGT"]),
        "\t".join(["chr2", str(V1 - 1), ".", "N", "<STR2>", ".", "PASS", f"END={end};RU={'N' * 86}",
                   "GT:REPCN:AL", "0/1:4/2:.", f"0/1:.:{len(D38.interval) + 1},{len(D38.interval) + 1 - 2 * UNIT}"]),
    ]) + "\n"
    path = tmp_path / "tr.vcf"
    path.write_text(text)
    ctx = vntr_context(str(path))
    assert ctx.per_sample["EH"].diplotype == "IL1RN*1/*2" and ctx.per_sample["EH"].confidence == "high"
    assert ctx.per_sample["TRGT"].diplotype == "IL1RN*1/*2"
