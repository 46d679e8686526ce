"""What the small subcommands print."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO
from il1rn_annot.cli import main
from il1rn_annot.model.gene_model import load_gene_model
from il1rn_annot.vntr.summary import clip

EXAMPLE = REPO / "examples" / "il1rn_example_GRCh38.vcf"
URL = re.compile(r"https?://[^\s;)]+")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "il1rn_annot", *args], capture_output=True, text=True, timeout=120)


# ---------------------------------------------------------------- model, region, vntr

def test_model_prints_each_builds_own_span_and_the_literature_alias_only_for_grch38():
    h38 = cli("model", "--build", "GRCh38").stdout.splitlines()[0]
    h37 = cli("model", "--build", "GRCh37").stdout.splitlines()[0]
    assert h38 == ("# IL1RN GRCh38 chr2:113099315-113134016 (gene span, GENCODE); literature alias "
                   "2:113099364-113134015")
    # the quoted literature span is a GRCh38 coordinate; nothing sourced gives one for GRCh37
    assert h37.startswith("# IL1RN GRCh37 chr2:113864791-113891593 (gene span, GENCODE); ")
    assert "113099364" not in h37 and "113134015" not in h37
    assert "no literature span is sourced for GRCh37" in h37
    assert load_gene_model("GRCh37").literature_span_alias == ""
    assert load_gene_model("GRCh38").literature_span_alias == "2:113099364-113134015"


def test_region_help_names_the_refseq_accession_as_it_is_spelt():
    out = cli("region", "--help").stdout
    assert "NC_000002.x" in out and "NC_0000002" not in out
    assert cli("region", "--style", "refseq").stdout.startswith("NC_000002.12:")
    assert cli("region", "--style", "refseq", "--build", "GRCh37").stdout.startswith("NC_000002.11:")


def test_vntr_prints_every_source_url_whole(capsys):
    from il1rn_annot.api import vntr_context

    assert main(["vntr", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    cohort = vntr_context(str(EXAMPLE)).cohort
    texts = [m["source"] for m in cohort["markers"]] + [f["citation"] for f in cohort["published_frequencies"]]
    urls = {u for t in texts for u in URL.findall(t)}
    assert len(urls) >= 5  # PubMed, journal and proxy pages behind the published frequencies
    shown = set(URL.findall(out))
    assert shown == urls, f"cut or missing: {sorted(shown ^ urls)}"
    # no word is cut either: a shortened text ends at a space, then ' ...'
    for line in out.splitlines():
        assert not re.search(r"\S\.\.\.", line), line


def test_clip_cuts_at_a_space_and_keeps_the_urls_of_what_it_leaves_out():
    text = "Jiang J et al. 'Study on VNTR polymorphism' Int J Immunogenet 2010 (https://example.org/a/b; " \
           "https://example.org/c)"
    assert clip(text, 1000) == text
    short = clip(text, 30)
    assert short == "Jiang J et al. 'Study on VNTR ... https://example.org/a/b https://example.org/c"
    assert clip("https://example.org/" + "x" * 50 + " tail", 20) == "https://example.org/" + "x" * 50 + " ..."
    assert clip("a " * 5 + "https://example.org/kept", 12).endswith("... https://example.org/kept")
