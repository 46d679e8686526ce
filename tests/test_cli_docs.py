"""What the small subcommands print, and the README's command-line section against the real parser: every
subcommand and every flag of ``il1rn_annot.cli.build_parser()`` is listed there, so the two cannot drift apart."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

from conftest import REPO
from il1rn_annot.cli import build_parser, main
from il1rn_annot.model.gene_model import load_gene_model
from il1rn_annot.vntr.summary import clip

EXAMPLE = REPO / "examples" / "il1rn_example_GRCh38.vcf"
COMMON = {"-h", "--help", "-v", "--verbose", "-q", "--quiet"}  # every subcommand and the program itself
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


# ---------------------------------------------------------------- the README's command line against the parser

def _subparsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(subcommand path, parser) for the program and every subcommand, depth first."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _subparsers(sub, (*path, name))


def _readme_usage() -> dict[tuple[str, ...], str]:
    """The usage block of README.md's '## Command line': {subcommand path: its lines} ('il1rn-annot SUB ...' and
    the indented lines after it); () holds the lines naming no subcommand."""
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## Command line\n"):]
    section = section[:section.index("\n## ", 1)]
    block = re.search(r"```\n(.*?)```", section, re.S).group(1)
    names = {name for path, _ in _subparsers(build_parser()) for name in path}
    groups: dict[tuple[str, ...], str] = {}
    key: tuple[str, ...] = ()
    for line in block.splitlines():
        if not line.startswith(" "):
            words = line.split()
            key = ()
            if words and words[0] == "il1rn-annot":
                for w in words[1:]:
                    if w not in names:
                        break
                    key = (*key, w)
        groups[key] = groups.get(key, "") + line + "\n"
    return groups


def _has(text: str, token: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(token) + r"(?![\w-])", text) is not None


def _unlisted(top: argparse.ArgumentParser) -> list[str]:
    """Every subcommand, flag and choice list of ``top`` that the README's usage block does not show for that
    subcommand (a flag shown only for another subcommand counts as not shown)."""
    usage = _readme_usage()
    missing = []
    for path, parser in _subparsers(top):
        if not path:
            continue
        text = "".join(v for k, v in usage.items() if k[:len(path)] == path)  # 'reference': 'reference import'
        if not text:
            missing.append(f"il1rn-annot {' '.join(path)}: no usage line")
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction) or not action.option_strings:
                continue
            for flag in action.option_strings:
                if flag not in COMMON and not _has(text, flag):
                    missing.append(f"il1rn-annot {' '.join(path)} {flag}")
            if action.choices:
                choices = "|".join(action.choices)
                if not any(re.search(re.escape(f) + " " + re.escape(choices) + r"(?![\w|])", text)
                           for f in action.option_strings):
                    missing.append(f"il1rn-annot {' '.join(path)} {action.option_strings[-1]} {choices}")
    return missing


def test_readme_usage_lists_every_subcommand_with_every_flag_and_its_choices():
    missing = _unlisted(build_parser())
    assert not missing, "README.md '## Command line' does not list: " + "; ".join(missing)


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sub.choices[name]


def test_the_readme_check_notices_a_new_flag_a_new_choice_and_a_new_subcommand():
    parser = build_parser()
    _subparser(parser, "vntr").add_argument("--keep-all", action="store_true")  # listed, but for annotate only
    _subparser(parser, "model").add_argument("--style", choices=["chr", "plain", "refseq"])  # region's flag
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    sub.add_parser("shards").add_argument("--shard-list")
    assert _unlisted(parser) == ["il1rn-annot vntr --keep-all", "il1rn-annot model --style",
                                 "il1rn-annot model --style chr|plain|refseq", "il1rn-annot shards: no usage line",
                                 "il1rn-annot shards --shard-list"]


def test_readme_usage_lists_the_flags_every_subcommand_shares_and_the_programs_own():
    usage = _readme_usage()
    shared = usage.get((), "")
    every = next((ln for ln in shared.splitlines() if ln.startswith("every subcommand")), "")
    for flag in sorted(COMMON):
        assert _has(every, flag), flag
    top = build_parser()
    own = {f for a in top._actions for f in a.option_strings}
    assert all(_has(shared, f) for f in own), sorted(f for f in own if not _has(shared, f))
    # and they are what argparse really gives every subcommand
    for path, parser in _subparsers(top):
        flags = {f for a in parser._actions for f in a.option_strings}
        assert COMMON <= flags, (path, COMMON - flags)
