"""docs/tables.md is the tables' schema made from the code, and the API gives exactly the documented columns
and types, in a fresh interpreter, whatever was imported first."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import REPO

from il1rn_annot.fields import ALL_FIELDS
from il1rn_annot.frames import table_schemas, tables_markdown
from il1rn_annot.sinks.samples_table import sample_column_names
from il1rn_annot.sinks.tables import CRITERIA_COLUMNS, GENOTYPE_COLUMNS, variant_columns

DOC = REPO / "docs" / "tables.md"
EXAMPLE = REPO / "examples" / "il1rn_example_GRCh38.vcf"


def documented() -> dict[str, list[tuple[str, str]]]:
    """{table: [(column, dtype), ...]} as docs/tables.md lists them."""
    out: dict[str, list[tuple[str, str]]] = {}
    table = ""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            table = line[3:].strip()
            out[table] = []
        m = re.match(r"\| \d+ \| `(.+?)` \| (\w+) \|", line)
        if m:
            out[table].append((m.group(1).replace("\\|", "|"), m.group(2)))
    return out


def test_the_document_equals_the_code():
    assert DOC.read_text(encoding="utf-8") == tables_markdown(), \
        "docs/tables.md is out of date: run python docs/make_tables.py and commit it"


def test_the_schema_lists_what_the_writers_write():
    schemas = {t.name: [c.name for c in t.columns] for t in table_schemas()}
    assert schemas["variants"] == variant_columns()
    assert [f.name for f in ALL_FIELDS] == schemas["variants"][7:7 + len(ALL_FIELDS)]
    assert schemas["genotypes"] == GENOTYPE_COLUMNS
    assert schemas["samples"] == sample_column_names()
    assert schemas["criteria"] == CRITERIA_COLUMNS
    assert all(c.description for t in table_schemas() for c in t.columns)


FRESH = """
import json, sys
{first}
from il1rn_annot import (annotate_variants, annotate_vcf, genotypes_frame, samples_frame, to_dataframe,
                         variants_frame)
vcf = sys.argv[1]
run = annotate_vcf(vcf, None)
frames = {{"variants": to_dataframe(annotate_variants(vcf)), "variants_of_run": variants_frame(run),
           "genotypes": genotypes_frame(annotate_variants(vcf)), "samples": samples_frame(run)}}
print(json.dumps({{k: [[c, str(t)] for c, t in df.dtypes.items()] for k, df in frames.items()}}))
"""


@pytest.mark.parametrize("first", ["", "import il1rn_annot.cli, il1rn_annot.report, il1rn_annot.snakemake",
                                   "import il1rn_annot.frames"],
                         ids=["api only", "cli and report first", "frames first"])
def test_a_fresh_interpreter_gets_the_documented_columns_and_types(first):
    r = subprocess.run([sys.executable, "-c", FRESH.format(first=first), str(EXAMPLE)], capture_output=True,
                       text=True, timeout=120, cwd=str(REPO.parent), check=False)
    assert r.returncode == 0, r.stderr[-3000:]
    got = {k: [tuple(x) for x in v] for k, v in json.loads(r.stdout.strip().splitlines()[-1]).items()}
    doc = documented()
    assert got["variants"] == doc["variants"]
    assert got["variants_of_run"] == doc["variants"]
    assert got["genotypes"] == doc["genotypes"]
    assert got["samples"] == doc["samples"]
    assert len(doc["variants"]) >= 58 and ("Consequence", "string") in doc["variants"] \
        and ("HGVSc", "string") in doc["variants"]
