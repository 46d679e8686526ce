"""Normalisation of one run's outputs into the golden files, and the store/load/diff of those files.

Used by both ``record.py`` (writes the golden files) and ``tests/test_golden.py`` (compares a fresh run with
them), so the two cannot normalise differently.  What is normalised, and why, is listed in README.md; in short:

* text outputs: absolute paths of the repository, of ../shared/testdata and of the run's output folder become
  ``<REPO>``, ``<TESTDATA>`` and ``<OUT>``;
* the annotated VCF is stored decompressed, with the values of ``##il1rn_annot_command`` and
  ``##il1rn_annot_version`` replaced by ``<COMMAND>`` and ``<VERSION>`` (the lines stay, in place);
* JSON reports: ``provenance.command_line`` and ``provenance.tool.version`` replaced by ``<COMMAND>`` and
  ``<VERSION>``; stored pretty-printed (indent 1, key order as written) so that a diff shows the changed key;
  the tool's own layout (one line of compact JSON per file) is checked instead, see :func:`json_layout_problem`;
* per-sample JSONs of a many-sample case: one ``json/samples.jsonl``, one compact line per sample, sorted by
  sample.

For a case whose input is in ../shared/testdata, the files that copy the input's records or genotypes (the
annotated VCF, the genotype table, the per-sample reports; :func:`fingerprinted`) are stored as a
``NAME.fingerprint`` (:func:`fingerprint`) instead of their content: nothing from ../shared/testdata may be
copied into the repository, not even parts.
"""

from __future__ import annotations

import difflib
import gzip
import hashlib
import io
import json
from pathlib import Path

COMMAND = "<COMMAND>"
VERSION = "<VERSION>"
# key paths (in every JSON report) whose values vary with the command line or the release, not the input
VOLATILE_JSON_KEYS = (("provenance", "command_line"), ("provenance", "tool", "version"))
VOLATILE_VCF_META = ("##il1rn_annot_command=", "##il1rn_annot_version=")
GZIP_OVER = 64 * 1024  # a golden file larger than this (normalised) is stored gzip-compressed, mtime 0
DIFF_LINES = 40
LINE_CUT = 240  # characters of one diff line shown (a 2,504-sample VCF line is ~10 kB)

# The files a run leaves in its output folder besides json/ (the CLI writes OUT.tsv, OUT.genotypes.tsv and
# the tabix index beside OUT); anything else is reported in outputs.txt.
RUN_FILES = {
    "out.vcf.gz": "annotated.vcf",
    "out.tsv": "variants.tsv",
    "out.genotypes.tsv": "genotypes.tsv",
    "samples.tsv": "samples.tsv",
}
RUN_UNSTORED = {"out.vcf.gz.tbi"}  # binary; its presence is recorded in outputs.txt


# ---------------------------------------------------------------------------------------------- normalising
class Paths:
    """Absolute folders replaced by tokens in every text output, longest first (so that a folder inside
    another is replaced as itself)."""

    def __init__(self, repo: Path, testdata: Path, out: Path):
        pairs = [(str(repo), "<REPO>"), (str(testdata), "<TESTDATA>"), (str(out), "<OUT>")]
        self.pairs = sorted(pairs, key=lambda p: -len(p[0]))

    def text(self, s: str) -> str:
        for path, token in self.pairs:
            if path in s:
                s = s.replace(path, token)
        return s

    def value(self, v):
        if isinstance(v, str):
            return self.text(v)
        if isinstance(v, list):
            return [self.value(x) for x in v]
        if isinstance(v, dict):
            return {self.text(k): self.value(x) for k, x in v.items()}
        return v


def vcf_text(raw: str, paths: Paths) -> str:
    out = []
    for line in raw.splitlines(keepends=True):
        if line.startswith("##"):
            for meta in VOLATILE_VCF_META:
                if line.startswith(meta):
                    line = meta + (COMMAND if "command" in meta else VERSION) + "\n"
                    break
        elif not line.startswith("#"):
            out.append(line)  # records: no path or command can be in them
            continue
        out.append(paths.text(line))
    return "".join(out)


def json_doc(doc: dict, paths: Paths) -> dict:
    doc = paths.value(doc)
    for keys in VOLATILE_JSON_KEYS:
        d = doc
        for k in keys[:-1]:
            d = d.get(k) if isinstance(d, dict) else None
        if isinstance(d, dict) and keys[-1] in d:
            d[keys[-1]] = COMMAND if keys[-1] == "command_line" else VERSION
    return doc


def compact(doc) -> str:
    """The tool's layout (io/json_report.py): one line of compact JSON, non-ASCII kept."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def pretty(doc) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def json_layout_problem(raw: str) -> str | None:
    """None when ``raw`` is one line of compact JSON as io/json_report.py writes it; else what differs."""
    try:
        doc = json.loads(raw)
    except ValueError as e:
        return f"not JSON ({e})"
    if raw != compact(doc) + "\n":
        return "not one line of compact JSON (json.dumps(separators=(',', ':'), ensure_ascii=False) + newline)"
    return None


def collect(out: Path, paths: Paths, per_sample_files: bool) -> dict[str, str]:
    """The normalised golden files of one run folder: {name relative to the case folder: text}."""
    files: dict[str, str] = {}
    notes: list[str] = []
    present = sorted(p.name + ("/" if p.is_dir() else "") for p in out.iterdir())
    for name in present:
        if name.rstrip("/") not in RUN_FILES and name not in RUN_UNSTORED and name != "json/":
            notes.append(f"unexpected output: {name}")
    for src, dst in RUN_FILES.items():
        p = out / src
        if not p.exists():
            notes.append(f"missing output: {src}")
            continue
        if src.endswith(".gz"):
            with gzip.open(p, "rt", encoding="utf-8", newline="") as fh:
                files[dst] = vcf_text(fh.read(), paths)
        else:
            files[dst] = paths.text(p.read_text(encoding="utf-8"))

    jdir = out / "json"
    cohort_raw = (jdir / "cohort.json").read_text(encoding="utf-8") if (jdir / "cohort.json").is_file() else None
    if cohort_raw is None:
        notes.append("missing output: json/cohort.json")
    else:
        problem = json_layout_problem(cohort_raw)
        if problem:
            notes.append(f"json/cohort.json: {problem}")
        cohort = json.loads(cohort_raw)
        files["json/cohort.json"] = pretty(json_doc(cohort, paths))
        mapping: dict[str, str] = cohort.get("sample_files", {})
        on_disk = sorted(p.name for p in jdir.iterdir() if p.name != "cohort.json")
        if sorted(mapping.values()) != on_disk:
            extra = sorted(set(on_disk) - set(mapping.values()))[:5]
            missing = sorted(set(mapping.values()) - set(on_disk))[:5]
            notes.append(f"json/: files differ from cohort.json's sample_files (extra {extra}, missing {missing})")
        lines, layout_bad = [], []
        for sample in sorted(mapping):
            p = jdir / mapping[sample]
            if not p.exists():
                continue
            raw = p.read_text(encoding="utf-8")
            problem = json_layout_problem(raw)
            if problem:
                layout_bad.append(f"json/{mapping[sample]}: {problem}")
                continue
            doc = json_doc(json.loads(raw), paths)
            if doc.get("sample") != sample:
                notes.append(f"json/{mapping[sample]}: 'sample' is {doc.get('sample')!r}, cohort.json says {sample!r}")
            if per_sample_files:
                files[f"json/{mapping[sample]}"] = pretty(doc)
            else:
                lines.append(compact(doc) + "\n")
        if layout_bad:
            notes.extend(layout_bad[:5] + ([f"... and {len(layout_bad) - 5} more"] if len(layout_bad) > 5 else []))
        if not per_sample_files:
            files["json/samples.jsonl"] = "".join(lines)
        present = [n if n != "json/" else f"json/ (cohort.json + {len(on_disk)} per-sample reports)" for n in present]
    files["outputs.txt"] = "".join(f"{n}\n" for n in present) + "".join(f"PROBLEM: {n}\n" for n in notes)
    return files


# ---------------------------------------------------------------------------------------------- fingerprints
FINGERPRINT = ".fingerprint"
# Files of a shared-data case kept in full: our own derived output (the records' positions/alleles, per-variant
# counts, per-sample verdicts and the 1000 Genomes sample IDs, which are public identifiers).
KEPT_IN_FULL = ("variants.tsv", "samples.tsv", "json/cohort.json", "outputs.txt")
SHARED_NOTE = ("the content is not stored because it carries data from ../shared/testdata (records and "
               "genotypes of the input), which may not be copied into the repository, not even in part")


def fingerprinted(name: str) -> bool:
    """True for the outputs that copy the input's records or genotypes: the annotated VCF (every input record
    with its sample columns), the genotype table (one row per sample and allele) and the per-sample reports
    (each sample's genotypes).  For a shared-data case these are stored as fingerprints."""
    return name in ("annotated.vcf", "genotypes.tsv") or (name.startswith("json/") and name != "json/cohort.json")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(name: str, text: str) -> str:
    """A small text file standing for the normalised ``text`` of golden file ``name``: its SHA-256 and line
    count; for the VCF also the header (``#`` lines) and the body (records) hashed and counted separately; for
    a table the column header line (our own column names) and the rows hashed; for JSON the number of records.
    Holds nothing of the input's content."""
    lines = text.splitlines(keepends=True)
    out = [f"# {name}: {SHARED_NOTE}; the SHA-256 of its normalised text stands for it (tests/golden/README.md)",
           f"sha256: {_sha(text)}", f"lines: {len(lines)}"]
    if name.endswith(".vcf"):
        n_head = next((i for i, ln in enumerate(lines) if not ln.startswith("#")), len(lines))
        head, body = "".join(lines[:n_head]), "".join(lines[n_head:])
        out += [f"header_lines: {n_head}", f"header_sha256: {_sha(head)}",
                f"body_lines: {len(lines) - n_head}", f"body_sha256: {_sha(body)}"]
    elif name.endswith(".tsv"):
        columns = lines[0].rstrip("\n") if lines else ""
        out += [f"columns: {columns}", f"body_lines: {max(len(lines) - 1, 0)}",
                f"body_sha256: {_sha(''.join(lines[1:]))}"]
    elif name.endswith(".jsonl"):
        out += [f"records: {sum(1 for ln in lines if ln.strip())}"]
    elif name.endswith(".json"):
        out += ["records: 1"]
    return "\n".join(out) + "\n"


def golden_form(files: dict[str, str], shared: bool) -> dict[str, str]:
    """The files as stored: for a shared-data case each :func:`fingerprinted` file becomes ``NAME.fingerprint``."""
    if not shared:
        return dict(files)
    return {(n + FINGERPRINT if fingerprinted(n) else n): (fingerprint(n, t) if fingerprinted(n) else t)
            for n, t in files.items()}


def _fields(fp: str) -> dict[str, str]:
    return dict(ln.split(": ", 1) for ln in fp.splitlines() if ln and not ln.startswith("#") and ": " in ln)


def fingerprint_diff(name: str, want: str, got: str) -> str:
    """Which parts of a fingerprinted file differ (whole/header/body hash, line counts, columns)."""
    w, g = _fields(want), _fields(got)
    base = name[:-len(FINGERPRINT)] if name.endswith(FINGERPRINT) else name
    out = []
    for key in ("lines", "header_lines", "body_lines", "records"):
        if w.get(key) != g.get(key):
            out.append(f"{key.replace('_', ' ')}: golden {w.get(key, '-')}, run {g.get(key, '-')}")
    if w.get("columns") != g.get("columns"):
        wc, gc = (w.get("columns") or "").split("\t"), (g.get("columns") or "").split("\t")
        out.append(f"column header line differs: only in golden {[c for c in wc if c not in gc]}, only in run "
                   f"{[c for c in gc if c not in wc]}" + ("" if set(wc) != set(gc) else " (order changed)"))
    for part in ("header", "body"):
        if w.get(f"{part}_sha256") != g.get(f"{part}_sha256"):
            out.append(f"{part} differs (sha256 of the {part} part)")
    if w.get("sha256") != g.get("sha256") and not out:
        out.append("content differs (sha256), line count the same")
    if not out:
        out.append("fingerprint file differs in form (re-record to update its layout)")
    return (f"{base} (stored as a fingerprint; {SHARED_NOTE}):\n  " + "\n  ".join(out))


# ---------------------------------------------------------------------------------------------- storing
def _gzip_bytes(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as fh:
        fh.write(data)
    return buf.getvalue()


def stored_name(name: str, text: str) -> str:
    return name + ".gz" if len(text.encode("utf-8")) > GZIP_OVER else name


def load(case_dir: Path) -> dict[str, str]:
    """The golden files of a case folder: {name without .gz: text}."""
    files = {}
    for p in sorted(case_dir.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(case_dir).as_posix()
        if rel.endswith(".gz"):
            files[rel[:-3]] = gzip.decompress(p.read_bytes()).decode("utf-8")
        else:
            files[rel] = p.read_text(encoding="utf-8")
    return files


def store(case_dir: Path, files: dict[str, str]) -> list[str]:
    """Write ``files`` into ``case_dir`` (removing golden files no longer produced).  A file whose content
    did not change is left alone, so that re-recording on a machine with another zlib leaves no diff.
    Returns the names written or removed."""
    changed = []
    want = {stored_name(n, t): t for n, t in files.items()}
    if case_dir.exists():
        for p in sorted(case_dir.rglob("*"), reverse=True):
            rel = p.relative_to(case_dir).as_posix()
            if p.is_file() and rel not in want:
                p.unlink()
                changed.append(f"removed {rel}")
            elif p.is_dir() and not any(p.iterdir()):
                p.rmdir()
    for rel, text in sorted(want.items()):
        p = case_dir / rel
        data = text.encode("utf-8")
        if p.exists():
            old = p.read_bytes()
            if (gzip.decompress(old) if rel.endswith(".gz") else old) == data:
                continue
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(_gzip_bytes(data) if rel.endswith(".gz") else data)
        changed.append(f"wrote {rel}")
    return changed


# ---------------------------------------------------------------------------------------------- comparing
def _cut(line: str, at: int = 0) -> str:
    """``line`` cut to LINE_CUT characters, starting a little before column ``at`` (where it differs)."""
    line = line.rstrip("\n")
    if len(line) <= LINE_CUT:
        return line
    start = max(0, min(at - LINE_CUT // 3, len(line) - LINE_CUT))
    if start <= 1:
        return line[:LINE_CUT] + f"... [{len(line)} chars]"
    return f"{line[0]}...[from char {start}] {line[start:start + LINE_CUT]}... [{len(line)} chars]"


def _udiff(a: list[str], b: list[str], name: str) -> list[str]:
    """Unified diff; a long changed line is shown from just before its first differing character."""
    lines = list(difflib.unified_diff(a, b, f"golden/{name}", f"run/{name}", n=2, lineterm=""))
    out, i = [], 0
    while i < len(lines):
        j = i
        while j < len(lines) and lines[j].startswith("-") and not lines[j].startswith("---"):
            j += 1
        k = j
        while k < len(lines) and lines[k].startswith("+") and not lines[k].startswith("+++"):
            k += 1
        if j > i and k - j == j - i:  # a block of changed lines: pair them up
            cols = [1 + next((c for c, (x, y) in enumerate(zip(m[1:], p[1:])) if x != y), min(len(m), len(p)))
                    for m, p in zip(lines[i:j], lines[j:k])]  # [1:]: past the -/+ mark
            out += [_cut(m, c) for m, c in zip(lines[i:j], cols)] + [_cut(p, c) for p, c in zip(lines[j:k], cols)]
            i = k
        else:
            out.append(_cut(lines[i]))
            i += 1
    return out


def _jsonl_diff(name: str, want: str, got: str) -> list[str]:
    wl, gl = want.splitlines(), got.splitlines()
    wd = {json.loads(x).get("sample"): x for x in wl}
    gd = {json.loads(x).get("sample"): x for x in gl}
    head = []
    if wd.keys() != gd.keys():
        head.append(f"samples only in golden: {sorted(set(wd) - set(gd))[:5]}; only in run: "
                    f"{sorted(set(gd) - set(wd))[:5]}")
    differ = [s for s in wd if s in gd and wd[s] != gd[s]]
    if differ:
        s = differ[0]
        head.append(f"{len(differ)} of {len(wd)} samples differ; first: {s!r} (pretty-printed below)")
        head += _udiff(pretty(json.loads(wd[s])).splitlines(), pretty(json.loads(gd[s])).splitlines(), name)
    return head


def diff(name: str, want: str, got: str) -> str:
    """A short report of how ``got`` differs from the golden ``want`` (at most ~DIFF_LINES lines)."""
    if name.endswith(".jsonl"):
        lines = _jsonl_diff(name, want, got)
    else:
        lines = _udiff(want.splitlines(), got.splitlines(), name)
    more = len(lines) - DIFF_LINES
    return "\n".join(lines[:DIFF_LINES] + ([f"... {more} more diff lines"] if more > 0 else []))
