"""Per-sample JSON reports and ``cohort.json`` (schema: ``data/sample_report.schema.json``, documented in
``docs/json_schema.md``).  Reports are deterministic (no timestamps): the same input and command give
byte-identical files, which keeps workflow managers from re-running downstream steps needlessly.

File names: ``<sample>.json`` with every character outside ``[A-Za-z0-9._-]`` replaced by ``_``; when two
samples map to one name the later ones get ``.<n>`` before ``.json``.  ``cohort.json`` lists the mapping.
"""

from __future__ import annotations

import json
import os
import re

from il1rn_annot.columns import jsonable
from il1rn_annot.sinks.sample_view import (
    analysis_sections,
    genotype_entry,
    variant_entry,
)
from il1rn_annot.variants.genotypes import Zygosity
from il1rn_annot.version import __version__

SCHEMA_ID = "il1rn_annot.sample_report"
COHORT_SCHEMA_ID = "il1rn_annot.cohort_report"
SCHEMA_VERSION = "2.0.0"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def provenance(summary) -> dict:
    m = summary.model
    mane = m.mane if m else None
    return {
        "tool": {"name": "il1rn_annot", "version": __version__},
        "input": {"file": summary.input, "build": summary.build, "build_evidence": summary.build_evidence,
                  "mode": summary.mode, "read_notes": list(summary.read_notes), "records_read": summary.records_read,
                  "records_in_window": summary.records_in_window, "alleles_annotated": summary.alleles_annotated,
                  "samples": summary.samples},
        "command_line": summary.command_line,
        "resources": list(summary.resources),
        "analyses": [r.name for r in summary.analyses],
        "gene": {"symbol": m.gene if m else "IL1RN", "contig": m.contig if m else "",
                 "mane_select": (mane.refseq_cds_numbering or mane.transcript_id) if mane else "",
                 "transcripts": [t.transcript_id for t in m.transcripts] if m else []},
    }


def sample_report(summary, sample: str, index: int | None = None, alleles=None) -> dict:
    """``alleles``: the sample's :func:`sample_alleles` when the caller has them (a cohort's reports get
    them from :func:`alleles_by_sample`)."""
    i = summary.sample_names.index(sample) if index is None else index
    variants = []
    for sa in summary.digest.sample_alleles(i) if alleles is None else alleles:
        entry = variant_entry(sa.annotation)
        entry["genotype"] = genotype_entry(sa.call, sa.annotation.variant.allele_index)
        variants.append(entry)
    return {
        "schema": SCHEMA_ID, "schema_version": SCHEMA_VERSION, "sample": sample,
        "provenance": provenance(summary),
        "n_alleles_in_window": len(summary.annotations),
        "variants": variants,
        "analyses": analysis_sections(summary.analyses, sample),
    }


def file_names(samples) -> dict[str, str]:
    used: set[str] = {"cohort.json"}
    out = {}
    for s in samples:
        base = _UNSAFE.sub("_", s) or "_"
        name, n = f"{base}.json", 1
        while name in used:
            n += 1
            name = f"{base}.{n}.json"
        used.add(name)
        out[s] = name
    return out


def cohort_report(summary, names: dict[str, str] | None = None) -> dict:
    variants = []
    for a in summary.annotations:
        e = variant_entry(a)
        e["counts"] = summary.digest.counts(a)
        variants.append(e)
    carried = {Zygosity.HOM_ALT.value, Zygosity.HET.value, Zygosity.HET_OTHER_ALT.value, Zygosity.HEMIZYGOUS.value}
    return {
        "schema": COHORT_SCHEMA_ID, "schema_version": SCHEMA_VERSION,
        "provenance": provenance(summary),
        "samples": list(summary.sample_names),
        "sample_files": names or {},
        "variants": variants,
        "n_carriers": {f"{v['chrom']}:{v['pos']} {v['ref']}>{v['alt']}": sum(v["counts"][k] for k in carried)
                       for v in variants},
        "analyses": {r.name: jsonable(r.cohort) for r in summary.analyses},
    }


def dumps(doc: dict) -> str:
    """One line of compact JSON (the C encoder: a 2,504-sample cohort writes in about a second); read it
    with ``jq`` or any JSON library."""
    return _compact(doc) + "\n"


_SLOT = "\0variants\0"  # stands for the variants list in the encoded report (NUL: no VCF text holds it)


def _sample_report_text(summary, sample: str, index: int, alleles, encoded: dict[int, str]) -> str:
    """``dumps(sample_report(...))``, with each variant entry (the same for every sample that carries the
    allele, ~80% of a report) encoded once per run and its genotype appended as text."""
    doc = sample_report(summary, sample, index, alleles=[])
    doc["variants"] = _SLOT
    text = dumps(doc)
    slot = json.dumps(_SLOT)
    if text.count(slot) != 1:  # cannot happen; if it did, the plain way
        return dumps(sample_report(summary, sample, index, alleles))
    parts = []
    for sa in alleles:
        a = sa.annotation
        head = encoded.get(id(a))
        if head is None:
            head = encoded[id(a)] = _compact(variant_entry(a))[:-1]  # without its closing brace
        parts.append(f'{head},"genotype":{_compact(genotype_entry(sa.call, a.variant.allele_index))}}}')
    return text.replace(slot, "[" + ",".join(parts) + "]", 1)


def _compact(doc) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def write_json_reports(atomic, json_dir: str, summary) -> list[str]:
    """One ``<sample>.json`` per sample and ``cohort.json`` in ``json_dir`` (written through ``atomic``)."""
    atomic.folder(json_dir)  # made now, removed again if the run fails
    names = file_names(summary.sample_names)
    written = []
    encoded: dict[int, str] = {}  # id(allele) -> its variant entry as JSON (the run keeps the alleles alive)
    by_sample = summary.digest.alleles_by_sample()
    for i, (s, alleles) in enumerate(zip(summary.sample_names, by_sample)):
        target = os.path.join(json_dir, names[s])
        with open(atomic.path(target), "w", encoding="utf-8") as fh:
            fh.write(_sample_report_text(summary, s, i, alleles, encoded))
        written.append(target)
    target = os.path.join(json_dir, "cohort.json")
    with open(atomic.path(target), "w", encoding="utf-8") as fh:
        fh.write(dumps(cohort_report(summary, names)))
    written.append(target)
    return written


def load_schema() -> dict:
    """The JSON Schema (draft 2020-12) both report kinds validate against (package data)."""
    from il1rn_annot.model.resources import read_data

    return json.loads(read_data("sample_report.schema.json").decode("utf-8"))


class JsonReportsSink:
    """One JSON report per sample and ``cohort.json`` in a folder, written once the run is finished."""

    def __init__(self, outputs, folder: str):
        self.outputs, self.folder = outputs, folder

    def write(self, item, alleles) -> None:
        pass

    def finish(self, run) -> list[str]:
        return write_json_reports(self.outputs, self.folder, run)
