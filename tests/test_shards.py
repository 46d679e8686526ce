"""Region-sharded inputs (issue 27): of many VCF/BCF shards only those whose index covers the IL1RN window are
read, and the results are those of the whole file.  The shards are cut at test time from the project's example
and from the real GRCh37 exome (``../shared``), as a UK Biobank pVCF release is cut: each shard a region of one
chromosome, bgzipped and indexed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pysam
import pytest

from conftest import EXOME37, KG38, REPO, need_module, need_shared
from il1rn_annot.api import annotate_variants, annotate_vcf, read_shard_list, vntr_context
from il1rn_annot.errors import InputError
from il1rn_annot.sources.hts_index import read_index_spans

EXAMPLE = REPO / "examples" / "il1rn_example_GRCh38.vcf"
WINDOW37 = (113_859_790, 113_896_593)  # GRCh37 IL1RN window with the default pad (0-based, half-open)


def cut(src: Path, out: dict[str, object], *, bcf: bool = False, samples: list[str] | None = None,
        index: bool = True) -> dict[str, Path]:
    """Write one shard per ``out`` item (name -> keep(record) predicate) from ``src`` in one pass; bgzipped VCF
    (or BCF) with a .tbi (.csi for BCF) unless ``index`` is False."""
    paths, writers = {}, {}
    with pysam.VariantFile(str(src)) as vin:
        if samples is not None:
            vin.subset_samples(samples)
        for name in out:
            paths[name] = Path(name)
            writers[name] = pysam.VariantFile(str(paths[name]), "wb" if bcf else "wz", header=vin.header)
        for rec in vin:
            for name, keep in out.items():
                if keep(rec):
                    writers[name].write(rec)
    for w in writers.values():
        w.close()
    if index:
        for p in paths.values():
            pysam.tabix_index(str(p), preset="bcf" if bcf else "vcf", force=True, keep_original=True)
    return paths


def on(contig: str, lo: int = 0, hi: int = 10**10):
    """Records on ``contig`` with ``lo < POS <= hi``."""
    return lambda rec: rec.contig == contig and lo < rec.pos <= hi


def body(vcf: Path) -> list[str]:
    with pysam.BGZFile(str(vcf), "rb") as fh:
        return [ln for ln in fh.read().decode().splitlines() if not ln.startswith("##")]


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "il1rn_annot", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)


def one_line_error(res) -> str:
    assert res.returncode == 1, res.stderr
    ours = [ln for ln in res.stderr.splitlines() if ln.startswith("il1rn-annot")]
    assert len(ours) == 1 and "Traceback" not in res.stderr, res.stderr
    return ours[0]


def jsonschema_validator():
    from il1rn_annot.sinks.json_reports import load_schema

    jsonschema = need_module("jsonschema", "pip install -e '.[test]'")
    return jsonschema.Draft202012Validator(load_schema())


def same_outputs(a: Path, b: Path) -> None:
    """Two runs' outputs (``a``/``b``: the output VCF paths) agree: VCF records, variant, genotype and
    samples tables."""
    assert body(a) == body(b)
    for ext in (".tsv", ".genotypes.tsv", ".samples.tsv"):
        ta = Path(str(a).replace(".vcf.gz", ext)).read_text()
        tb = Path(str(b).replace(".vcf.gz", ext)).read_text()
        assert ta == tb, ext


# --- the example (no shared data needed) ------------------------------------------------------------------

def example_plus(path: Path) -> Path:
    """The example with records around the window, as a callset has: chr1, chr2 far before, just before the
    window, just after it, far after (outside the window: never read, so every output is the example's)."""
    head, recs = [], []
    for ln in EXAMPLE.read_text().splitlines():
        (recs if not ln.startswith("#") else head).append(ln)
    head.insert(1, "##contig=<ID=chr1,length=248956422,assembly=GRCh38>")
    gts = "\t".join(["GT:GQ:DP", "0/1:99:30", "0/0:99:30", "1/1:99:30"])
    extra = [f"{c}\t{p}\t.\tA\tG\t50\tPASS\t.\t{gts}" for c, p in
             (("chr2", 112_000_000), ("chr2", 113_090_000), ("chr2", 113_140_000), ("chr2", 114_000_000))]
    chr1 = f"chr1\t1000000\t.\tA\tG\t50\tPASS\t.\t{gts}"
    chr2 = sorted(recs + extra, key=lambda ln: int(ln.split("\t")[1]))
    path.write_text("\n".join(head + [chr1] + chr2) + "\n")
    return path


@pytest.fixture
def example_shards(tmp_path, monkeypatch):
    """The example (with records around the window) cut as a chromosome is: chr2 before IL1RN, the window in
    two at chr2:113,131,000 (two of its five records before, three after), chr2 after it, and chr1."""
    monkeypatch.chdir(tmp_path)
    whole = tmp_path / "whole.vcf.gz"
    pysam.tabix_compress(str(example_plus(tmp_path / "plus.vcf")), str(whole))
    pysam.tabix_index(str(whole), preset="vcf")
    shards = cut(whole, {"a_before.vcf.gz": on("chr2", 0, 113_000_000),
                         "b_left.vcf.gz": on("chr2", 113_000_000, 113_131_000),
                         "c_right.vcf.gz": on("chr2", 113_131_000, 113_500_000),
                         "d_chr1.vcf.gz": on("chr1"),
                         "e_after.vcf.gz": on("chr2", 113_500_000)})
    return whole, shards


def test_the_window_across_two_shards_reads_both_and_gives_the_whole_files_results(example_shards, tmp_path):
    whole, shards = example_shards
    ref = annotate_vcf(str(whole), str(tmp_path / "whole.out.vcf.gz"))
    s = annotate_vcf([str(p) for p in shards.values()], str(tmp_path / "sharded.vcf.gz"), json_dir="json")
    read = {c.path: c.read for c in s.shards}
    assert read == {"a_before.vcf.gz": False, "b_left.vcf.gz": True, "c_right.vcf.gz": True, "d_chr1.vcf.gz": False,
                    "e_after.vcf.gz": False}
    assert s.records_in_window == ref.records_in_window == 5
    assert s.mode == "temporary index"  # the joined window, indexed in the run's temporary folder
    assert s.input == "b_left.vcf.gz + c_right.vcf.gz"
    same_outputs(tmp_path / "sharded.vcf.gz", tmp_path / "whole.out.vcf.gz")
    notes = "\n".join(s.read_notes)
    assert not any("missing" in n for n in s.read_notes)
    assert "shards: 2 of 5 read for the window GRCh38 chr2:113,094,315-113,139,016" in notes
    assert "b_left.vcf.gz (holds records in the window)" in notes
    validator = jsonschema_validator()
    for report in (tmp_path / "json").glob("*.json"):
        doc = json.loads(report.read_text())
        if report.name != "cohort.json":
            validator.validate(doc)
            assert doc["provenance"]["input"]["file"] == "b_left.vcf.gz + c_right.vcf.gz"
            assert any(n.startswith("shards: 2 of 5 read") for n in doc["provenance"]["input"]["read_notes"])


def test_shards_of_other_regions_are_skipped_by_their_index_with_the_reason(example_shards, tmp_path):
    s = annotate_vcf(["e_after.vcf.gz", "b_left.vcf.gz", "a_before.vcf.gz", "d_chr1.vcf.gz", "c_right.vcf.gz"],
                     "o.vcf.gz")
    why = {c.path: c.why for c in s.shards}
    assert [c.path for c in s.shards] == ["e_after.vcf.gz", "b_left.vcf.gz", "a_before.vcf.gz", "d_chr1.vcf.gz",
                                          "c_right.vcf.gz"]  # in the order given
    assert why["d_chr1.vcf.gz"] == "its index has no chromosome-2 record, only contigs chr1"
    # 112,000,000 lies in the 16,384-base bin that ends at 112,001,024; 114,000,000 in the one from 113,999,873
    assert why["a_before.vcf.gz"] == "by its index its chromosome-2 records end before the window, at about 112,001,024"
    assert why["e_after.vcf.gz"] == "by its index its chromosome-2 records start after the window, at about 113,999,873"
    assert s.records_in_window == 5
    notes = "\n".join(s.read_notes)
    assert "shards skipped, after the window: 1: e_after.vcf.gz (by its index" in notes
    assert "shards skipped, no chromosome-2 record: 1: d_chr1.vcf.gz" in notes


def test_a_shard_list_file_reads_relative_paths_from_its_folder(example_shards, tmp_path):
    listing = tmp_path / "lists" / "shards.txt"
    listing.parent.mkdir()
    listing.write_text("# IL1RN region shards\n../b_left.vcf.gz\n\n../c_right.vcf.gz\n" + f"{tmp_path}/d_chr1.vcf.gz\n")
    assert read_shard_list(listing) == (str(tmp_path / "b_left.vcf.gz"), str(tmp_path / "c_right.vcf.gz"),
                                        f"{tmp_path}/d_chr1.vcf.gz")
    res = run_cli("annotate", "--shards", listing, "-o", tmp_path / "listed.vcf.gz", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "il1rn-annot: shards: read 2 of 3 (" in res.stderr and "skipped 1" in res.stderr
    assert "5 in the IL1RN window" in res.stderr
    res = run_cli("annotate", "b_left.vcf.gz", "c_right.vcf.gz", "--shards", listing, "-o", "x.vcf.gz", cwd=tmp_path)
    assert res.returncode == 2 and "not both" in res.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    assert "names no file" in one_line_error(run_cli("annotate", "--shards", empty, "-o", "x.vcf.gz", cwd=tmp_path))


def test_shards_with_other_samples_are_refused_with_the_fix(example_shards, tmp_path):
    whole, _ = example_shards
    with pysam.VariantFile(str(whole)) as vf:
        samples = list(vf.header.samples)
    other = cut(whole, {"c_fewer.vcf.gz": on("chr2", 113_131_000)}, samples=samples[:2])
    msg = one_line_error(run_cli("annotate", "b_left.vcf.gz", other["c_fewer.vcf.gz"], "e_after.vcf.gz", "-o",
                                 "o.vcf.gz", cwd=tmp_path))
    assert msg.startswith("il1rn-annot: error: c_fewer.vcf.gz: the IL1RN window crosses two shards, but this one has "
                          "other samples (2 samples there, 3 in b_left.vcf.gz)")
    assert "fix: shards of one callset carry the same samples in the same order" in msg
    assert not (tmp_path / "o.vcf.gz").exists()
    # the same samples in another order: the sample columns of the right half swapped in the text
    lines = EXAMPLE.read_text().splitlines()
    swapped = []
    for ln in lines:
        f = ln.split("\t")
        if ln.startswith("##"):
            swapped.append(ln)
        elif ln.startswith("#") or int(f[1]) > 113_131_000:
            swapped.append("\t".join(f[:9] + f[9:][::-1]))
    text = tmp_path / "c_reordered.vcf"
    text.write_text("\n".join(swapped) + "\n")
    pysam.tabix_compress(str(text), str(tmp_path / "c_reordered.vcf.gz"))
    pysam.tabix_index(str(tmp_path / "c_reordered.vcf.gz"), preset="vcf")
    msg = one_line_error(run_cli("annotate", "b_left.vcf.gz", "c_reordered.vcf.gz", "e_after.vcf.gz", "-o",
                                 "o.vcf.gz", cwd=tmp_path))
    assert "c_reordered.vcf.gz: the IL1RN window crosses two shards, but this one has the same samples in another " \
           "order" in msg


def test_a_shard_without_an_index_is_refused_naming_it_and_the_fix(example_shards, tmp_path):
    os.remove("c_right.vcf.gz.tbi")
    msg = one_line_error(run_cli("annotate", "b_left.vcf.gz", "c_right.vcf.gz", "d_chr1.vcf.gz", "-o", "o.vcf.gz",
                                 cwd=tmp_path))
    assert "1 of 3 shards cannot be searched: c_right.vcf.gz (no index beside the file)" in msg
    assert "fix: index every shard: tabix -p vcf" in msg
    plain = tmp_path / "plain.vcf"
    plain.write_text(EXAMPLE.read_text())
    msg = one_line_error(run_cli("annotate", "b_left.vcf.gz", plain, "-o", "o.vcf.gz", cwd=tmp_path))
    assert "plain.vcf: a shard must be bgzipped (or BCF)" in msg


def test_keep_all_is_refused_when_the_window_crosses_shards(example_shards, tmp_path):
    msg = one_line_error(run_cli("annotate", "b_left.vcf.gz", "c_right.vcf.gz", "--keep-all", "-o", "o.vcf.gz",
                                 cwd=tmp_path))
    assert "--keep-all passes every record of the input through" in msg and "bcftools concat" in msg
    assert "or run without --keep-all" in msg
    # through the API the same refusal names the argument, not the flag
    with pytest.raises(InputError) as caught:
        annotate_vcf(["b_left.vcf.gz", "c_right.vcf.gz"], str(tmp_path / "api.vcf.gz"), keep_all=True)
    assert "keep_all=True passes every record of the input through" in str(caught.value)
    assert not (tmp_path / "api.vcf.gz").exists()


def test_the_api_reads_shards_for_annotations_and_the_vntr(example_shards, tmp_path):
    whole, _ = example_shards
    shards = ["b_left.vcf.gz", "c_right.vcf.gz", "d_chr1.vcf.gz"]
    a = [(x.record.pos, x.variant) for x in annotate_variants(shards)]
    b = [(x.record.pos, x.variant) for x in annotate_variants(str(whole))]
    assert a == b and len(a) == 5
    assert vntr_context(shards).per_sample == vntr_context(str(whole)).per_sample


def test_the_vntr_and_cohort_commands_read_shards_as_the_whole_file(example_shards, tmp_path):
    whole, _ = example_shards
    (tmp_path / "list.txt").write_text("a_before.vcf.gz\nb_left.vcf.gz\nc_right.vcf.gz\nd_chr1.vcf.gz\n")
    sharded = run_cli("vntr", "--json", "b_left.vcf.gz", "c_right.vcf.gz", "e_after.vcf.gz", cwd=tmp_path)
    plain = run_cli("vntr", "--json", whole, cwd=tmp_path)
    assert sharded.returncode == 0 and plain.returncode == 0, sharded.stderr + plain.stderr
    a, b = json.loads(sharded.stdout), json.loads(plain.stdout)
    assert a["per_sample"] == b["per_sample"] and len(a["per_sample"]) == 3
    assert run_cli("cohort", "--shards", "list.txt", "-o", "s", cwd=tmp_path).returncode == 0
    assert run_cli("cohort", whole, "-o", "w", cwd=tmp_path).returncode == 0
    for table in ("vntr_dosage", "vntr_frequencies"):
        assert (tmp_path / f"s.{table}.tsv").read_text() == (tmp_path / f"w.{table}.tsv").read_text()
    both = run_cli("vntr", "b_left.vcf.gz", "--shards", "list.txt", cwd=tmp_path)
    assert both.returncode == 2 and "give the input VCF(s) or --shards FILE, not both" in both.stderr


def test_bcf_shards_with_csi_indexes_are_searched_through_their_header_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shards = cut(EXAMPLE, {"left.bcf": on("chr2", 0, 113_131_000), "right.bcf": on("chr2", 113_131_000)}, bcf=True)
    spans = read_index_spans("left.bcf.csi", bcf="left.bcf")
    assert list(spans.contigs) == ["chr2"]
    assert spans.contigs["chr2"].overlaps(113_129_613, 113_129_616)
    s = annotate_vcf([str(p) for p in shards.values()], "o.vcf.gz")
    assert [c.read for c in s.shards] == [True, True] and s.records_in_window == 5


def test_a_damaged_index_is_refused_naming_the_index(example_shards, tmp_path):
    Path("b_left.vcf.gz.tbi").write_bytes(Path("b_left.vcf.gz.tbi").read_bytes()[:40])
    os.utime("b_left.vcf.gz.tbi")
    with pytest.raises(InputError, match=r"b_left.vcf.gz.tbi: the index .*\(fix: re-create it: tabix -f -p vcf"):
        annotate_vcf(["b_left.vcf.gz", "c_right.vcf.gz"], "o.vcf.gz")


# --- the real GRCh37 exome: 37,709 records over every chromosome --------------------------------------------

@pytest.fixture(scope="module")
def exome_shards(tmp_path_factory):
    """The real exome cut into region shards: chr1; 2:1-100M; 2:100M-113,880,000 (8 window records);
    2:113,880,000-end (the other 8); the rest; and 2:100M-end without the window's records."""
    exome = need_shared(EXOME37)
    work = tmp_path_factory.mktemp("exome_shards")
    old = os.getcwd()
    os.chdir(work)
    try:
        in_window = on("2", WINDOW37[0], WINDOW37[1])
        paths = cut(exome, {"s1_chr1.vcf.gz": on("1"), "s2_chr2_a.vcf.gz": on("2", 0, 100_000_000),
                            "s3_chr2_b.vcf.gz": on("2", 100_000_000, 113_880_000),
                            "s4_chr2_c.vcf.gz": on("2", 113_880_000),
                            "s5_rest.vcf.gz": lambda r: r.contig not in ("1", "2"),
                            "s6_chr2_bc_no_il1rn.vcf.gz": lambda r: on("2", 100_000_000)(r) and not in_window(r)})
    finally:
        os.chdir(old)
    return exome, {k: work / v for k, v in paths.items()}


@pytest.mark.shared
def test_of_four_exome_shards_only_the_one_holding_the_window_is_read(exome_shards, tmp_path):
    exome, sh = exome_shards
    whole = annotate_vcf(str(exome), str(tmp_path / "whole.vcf.gz"))
    one = tmp_path / "s34_chr2_bc.vcf.gz"  # 2:100M-end as one shard
    with pysam.VariantFile(str(exome)) as vin, pysam.VariantFile(str(one), "wz", header=vin.header) as out:
        for rec in vin.fetch("2", 100_000_000):
            out.write(rec)
    pysam.tabix_index(str(one), preset="vcf", force=True)
    shards = [sh["s1_chr1.vcf.gz"], sh["s2_chr2_a.vcf.gz"], one, sh["s5_rest.vcf.gz"]]
    s = annotate_vcf([str(p) for p in shards], str(tmp_path / "sharded.vcf.gz"))
    assert [c.read for c in s.shards] == [False, False, True, False]
    assert s.input == str(one) and s.mode == "indexed"  # through the shard's own index
    why = [c.why for c in s.shards]
    assert why[0] == "its index has no chromosome-2 record, only contigs 1"
    assert why[1].startswith("by its index its chromosome-2 records end before the window, at about 100,")
    assert why[3].startswith("its index has no chromosome-2 record, only contigs 10, 11, 12")
    assert s.records_in_window == whole.records_in_window == 16
    same_outputs(tmp_path / "sharded.vcf.gz", tmp_path / "whole.vcf.gz")


@pytest.mark.shared
def test_exome_window_across_two_shards_gives_the_whole_files_results(exome_shards, tmp_path):
    exome, sh = exome_shards
    annotate_vcf(str(exome), str(tmp_path / "whole.vcf.gz"))
    names = ["s1_chr1.vcf.gz", "s2_chr2_a.vcf.gz", "s3_chr2_b.vcf.gz", "s4_chr2_c.vcf.gz", "s5_rest.vcf.gz"]
    res = run_cli("annotate", *(sh[n] for n in names), "-o", tmp_path / "sharded.vcf.gz", "-v")
    assert res.returncode == 0, res.stderr
    assert "16 in the IL1RN window" in res.stderr
    assert "il1rn-annot: shards: read 2 of 5" in res.stderr
    assert "the 16 records of GRCh37 chr2:113,859,791-113,896,593 in 2 shards were joined" in res.stderr
    assert "shards skipped, no chromosome-2 record: 2:" in res.stderr
    assert "shards skipped, before the window: 1:" in res.stderr
    same_outputs(tmp_path / "sharded.vcf.gz", tmp_path / "whole.vcf.gz")


@pytest.mark.shared
def test_no_shard_holding_the_window_is_refused_saying_where_the_shards_are(exome_shards, tmp_path):
    _, sh = exome_shards
    msg = one_line_error(run_cli("annotate", sh["s1_chr1.vcf.gz"], sh["s5_rest.vcf.gz"], "-o", tmp_path / "o.vcf.gz"))
    assert "none of the 2 shards has a chromosome-2 record by its index (their indexes hold contigs 1, 10," in msg
    assert "fix: give the shards of chromosome 2" in msg
    msg = one_line_error(run_cli("annotate", sh["s1_chr1.vcf.gz"], sh["s2_chr2_a.vcf.gz"], "-o", tmp_path / "o.vcf.gz"))
    assert ("no shard reaches the IL1RN window GRCh37 chr2:113,859,791-113,896,593: the chromosome-2 records of "
            "every shard lie before it") in msg
    assert list(tmp_path.iterdir()) == []


@pytest.mark.shared
def test_a_shard_missing_from_the_list_is_said(exome_shards, tmp_path):
    _, sh = exome_shards
    # the shard holding the window's second half is left out: the run warns that part of the window is in no shard
    s = annotate_vcf([str(sh["s2_chr2_a.vcf.gz"]), str(sh["s3_chr2_b.vcf.gz"])], str(tmp_path / "o.vcf.gz"))
    assert s.records_in_window == 8
    assert any(n.startswith("part of the window (chr2:113,8") and "a shard is missing from the list" in n
               for n in s.read_notes), s.read_notes
    # and with neither window shard given, the window lies between the shards: refused, not NO_IL1RN_RECORDS
    after = tmp_path / "after.vcf.gz"
    with pysam.VariantFile(str(sh["s4_chr2_c.vcf.gz"])) as vin, pysam.VariantFile(str(after), "wz",
                                                                                   header=vin.header) as out:
        for rec in vin.fetch("2", 114_000_000):
            out.write(rec)
    pysam.tabix_index(str(after), preset="vcf")
    msg = one_line_error(run_cli("annotate", sh["s2_chr2_a.vcf.gz"], after, "-o", tmp_path / "o2.vcf.gz"))
    assert "no shard has a record in the IL1RN window GRCh37 chr2:113,859,791-113,896,593, and it lies between the " \
           "shards' regions: a shard seems to be missing from the list" in msg


@pytest.mark.shared
def test_a_shard_spanning_the_window_without_records_there_gives_no_il1rn_records(exome_shards, tmp_path):
    _, sh = exome_shards
    s = annotate_vcf([str(sh["s1_chr1.vcf.gz"]), str(sh["s6_chr2_bc_no_il1rn.vcf.gz"])], str(tmp_path / "o.vcf.gz"))
    assert s.records_in_window == 0
    assert [c.read for c in s.shards] == [False, True]
    assert s.shards[1].why == "its index reaches the window but none of its records falls in it"
    assert any("which lies within the shards' regions" in n for n in s.read_notes)
    verdicts = (tmp_path / "o.samples.tsv").read_text()
    assert "NO_IL1RN_RECORDS" in verdicts


@pytest.mark.shared
def test_index_spans_hold_every_record_of_the_real_files():
    """The index reader against the records themselves: every record lies in a bin the index lists, and no
    contig without records is listed (the 1000 Genomes file and the exome, .tbi as shipped)."""
    for path in (need_shared(KG38), need_shared(EXOME37)):
        spans = read_index_spans(str(path) + ".tbi")
        seen = set()
        with pysam.VariantFile(str(path)) as vf:
            vf.subset_samples([])
            for rec in vf:
                seen.add(rec.contig)
                assert spans.contigs[rec.contig].overlaps(rec.start, rec.stop), (path, rec.contig, rec.pos)
        assert set(spans.contigs) == seen


# --- Snakemake: the packaged rule and the wrapper take shards ----------------------------------------------

@pytest.mark.peer
@pytest.mark.parametrize("how", ["list_file", "paths"])
def test_the_packaged_rule_reads_shards(example_shards, tmp_path, how):
    from test_snakemake_workflows import snakemake

    names = ["a_before.vcf.gz", "b_left.vcf.gz", "c_right.vcf.gz", "d_chr1.vcf.gz", "e_after.vcf.gz"]
    if how == "list_file":
        Path("cohort.shards.txt").write_text("\n".join(names) + "\n")
        shards = "'{sample}.shards.txt'"
    else:
        shards = repr(names)
    Path("Snakefile").write_text(
        "import il1rn_annot.snakemake\n\n"
        "module il1rn:\n"
        "    snakefile: il1rn_annot.snakemake.rule_path()\n"
        f"    config: {{'il1rn_annot': {{'shards': {shards}, 'outdir': 'out'}}}}\n\n"
        "use rule * from il1rn as il1rn_*\n\n"
        "rule all:\n    default_target: True\n    input: 'out/cohort/cohort.il1rn.samples.tsv'\n")
    snakemake(tmp_path)
    log = (tmp_path / "logs" / "il1rn_annot" / "cohort.log").read_text()
    assert "5 in the IL1RN window" in log and "il1rn-annot: shards: read 2 of 5 (" in log
    annotate_vcf("whole.vcf.gz", "whole.out.vcf.gz")
    assert (tmp_path / "out" / "cohort" / "cohort.il1rn.samples.tsv").read_text() == \
        (tmp_path / "whole.out.samples.tsv").read_text()


@pytest.mark.peer
def test_the_wrapper_reads_shards(example_shards, tmp_path):
    from test_snakemake_workflows import snakemake

    wrapper = REPO / "wrappers" / "il1rn_annot"
    Path("Snakefile").write_text(
        "rule il1rn:\n"
        "    input: shards=['b_left.vcf.gz', 'c_right.vcf.gz', 'd_chr1.vcf.gz']\n"
        "    output: vcf='out/cohort.il1rn.vcf.gz', samples='out/cohort.samples.tsv'\n"
        "    log: 'logs/cohort.log'\n"
        f"    wrapper: 'file://{wrapper}'\n")
    snakemake(tmp_path)
    log = (tmp_path / "logs" / "cohort.log").read_text()
    assert "il1rn-annot: shards: read 2 of 3 (" in log
    assert len(body(tmp_path / "out" / "cohort.il1rn.vcf.gz")) == 6  # the #CHROM line and the 5 window records
