"""Reading the package's bundled resources (TSV files with ``## key: value`` provenance headers).

Resources are read lazily from the package's ``data`` folder with :mod:`importlib.resources` (a folder or a
zipped package alike), parsed once and cached; nothing is loaded at import time.  This module reads package
data only; user files are opened in :mod:`il1rn_annot.sources`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha256
from importlib import resources


@dataclass(frozen=True, slots=True)
class Resource:
    """A bundled TSV resource: its metadata lines, rows and SHA-256 (for provenance)."""
    name: str
    meta: tuple[tuple[str, str], ...]
    rows: tuple[dict[str, str], ...]
    sha256: str

    def get(self, key: str) -> str:
        for k, v in self.meta:
            if k == key:
                return v
        return ""

    def get_all(self, key: str) -> list[str]:
        return [v for k, v in self.meta if k == key]

    @property
    def version(self) -> str:
        return self.get("resource_version") or self.get("version")

    @property
    def label(self) -> str:
        """``name@version#sha`` — what annotations cite for traceability."""
        return f"{self.name}@{self.version}#{self.sha256[:8]}"


@lru_cache(maxsize=None)
def load_resource(filename: str) -> Resource:
    return parse_resource(filename.rsplit(".", 1)[0], read_data(filename))


def read_data(filename: str) -> bytes:
    """The bytes of ``data/<filename>`` in the package."""
    return _data(filename).read_bytes()


def _data(filename: str):
    return resources.files("il1rn_annot").joinpath("data").joinpath(filename)


def parse_resource(name: str, data: bytes) -> Resource:
    """A resource table from its bytes: ``## key: value`` provenance lines, then a tab-separated table."""
    text = data.decode("utf-8")
    meta: list[tuple[str, str]] = []
    body: list[str] = []
    for line in text.splitlines():
        if line.startswith("## "):
            key, _, value = line[3:].partition(":")
            meta.append((key.strip(), value.strip()))
        elif line.startswith("#") or not line.strip():
            continue
        else:
            body.append(line)
    rows = tuple(dict(r) for r in csv.DictReader(body, delimiter="\t"))
    return Resource(name, tuple(meta), rows, sha256(data).hexdigest())


def resource_exists(filename: str) -> bool:
    return _data(filename).is_file()
