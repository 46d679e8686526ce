"""A disk spool for the records of the IL1RN window, so memory stays bounded whatever the number of samples.

The api buffers the window (analyses need every allele before anything is written).  With 100,000 samples a
record is megabytes in pysam; the spool keeps each record as text in a temporary VCF (the line as read from
the file in raw-text mode, see :func:`il1rn_annot.io.vcf_in.open_vcf`; else the text htslib renders for it), gives back its columnar genotypes on demand (parsed with :mod:`il1rn_annot.io.gt_parse`, kept in a
small LRU cache with a byte budget) and replays the records as pysam objects for the writer.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import OrderedDict

CACHE_BYTES = 16 << 20  # 3 records' genotypes at 100,000 samples; 32 MB cost 30 MB of peak RSS and no measurable time


class RecordSpool:
    def __init__(self, header_text: str, types: dict[str, str], samples: tuple[str, ...], *,
                 cache_bytes: int = CACHE_BYTES, source: str | None = None):
        """``header_text``: the input's header, samples included; ``types``: FORMAT key -> declared Type;
        ``source``: the input's name, for errors in lines read as the file has them (raw-text mode)."""
        self.source = source
        self.dir = tempfile.mkdtemp(prefix="il1rn_annot_spool_")
        self.path = os.path.join(self.dir, "window.vcf")
        self.fh = open(self.path, "w+b")
        self.fh.write(header_text.encode())
        self.samples = samples
        self.types = types
        self.spans: list[tuple[int, int]] = []
        self.cache: OrderedDict[int, object] = OrderedDict()
        self.cache_bytes = cache_bytes
        self.cached = 0
        self.sizes: dict[int, tuple[int, int]] = {}  # record -> (bytes, memo entries when counted)
        self.parsed = 0

    def add(self, raw, line: bytes | None = None) -> int:
        """Spool one record: ``line``, its text as read from the file without its newline (raw-text mode),
        else htslib's rendering (which ends with one)."""
        if line is None:
            line = str(raw).encode()
        self.spans.append((self.fh.tell(), len(line) + (not line.endswith(b"\n"))))
        self.fh.write(line)
        if not line.endswith(b"\n"):
            self.fh.write(b"\n")  # not line + b"\n": a copy of a 100,000-sample line
        return len(self.spans) - 1

    def __len__(self) -> int:
        return len(self.spans)

    def line(self, i: int) -> bytes:
        self.fh.flush()
        off, n = self.spans[i]
        return os.pread(self.fh.fileno(), n, off)

    def head(self, i: int, n: int) -> bytes:
        """The first ``n`` bytes of spooled record ``i``."""
        self.fh.flush()
        return os.pread(self.fh.fileno(), n, self.spans[i][0])

    def matrix(self, i: int):
        """The GenotypeMatrix of spooled record ``i`` (None if its sample columns need the slow path)."""
        m = self.cache.get(i)
        if m is not None:
            self.cache.move_to_end(i)
            self._resize(i, m)
            return m
        from .gt_parse import parse_line

        m = parse_line(self.line(i), self.samples, self.types, self.source)
        self.parsed += 1
        if m is not None:
            self.cache[i] = m
            self._resize(i, m)
        return m

    def _resize(self, i: int, m) -> None:
        """Account the (maybe grown: memo arrays) size of ``m``; evict least recently used beyond the budget."""
        seen = self.sizes.get(i)
        if seen is not None and seen[1] == len(m.memo):  # unchanged since last counted
            return
        size = m.nbytes
        self.cached += size - (seen[0] if seen else 0)
        self.sizes[i] = (size, len(m.memo))
        while self.cached > self.cache_bytes and len(self.cache) > 1:
            j, _ = self.cache.popitem(last=False)
            self.cached -= self.sizes.pop(j)[0]

    def loader(self, i: int):
        def load():
            m = self.matrix(i)
            if m is None:  # cannot happen for a record whose first parse succeeded
                raise RuntimeError(f"spooled record {i} no longer parses")
            return m
        return load

    def reparse_last(self):
        """Raw-text mode, for a record whose sample columns the vectorised parser refuses (say, trailing
        FORMAT fields left out, which htslib pads): htslib parses the last spooled line with every sample and
        its rendering replaces the line, so the writer, which appends FORMAT values to each sample, sees
        every field.  Returns the pysam record."""
        import pysam

        off, _ = self.spans[-1]
        self.fh.flush()
        vf = pysam.VariantFile(self.path)
        try:
            vf.seek(off)
            raw = next(vf)
        except (OSError, ValueError, StopIteration) as exc:
            from ..errors import InputError

            head = self.line(len(self.spans) - 1)[:60].split(b"\t")
            raise InputError(f"htslib cannot parse the record's sample columns ({exc or exc.__class__.__name__})",
                             file=self.source, record=":".join(x.decode(errors="replace") for x in head[:2]),
                             fix="check the record with: bcftools view in.vcf.gz REGION") from None
        finally:
            vf.close()
        line = str(raw).encode()
        self.fh.truncate(off)
        self.fh.seek(off)
        self.fh.write(line)
        self.spans[-1] = (off, len(line))
        self.cache.pop(len(self.spans) - 1, None)
        return raw

    def records(self):
        """The spooled records, in order, as pysam records."""
        import pysam

        self.fh.flush()
        vf = pysam.VariantFile(self.path)
        try:
            yield from vf
        finally:
            vf.close()

    def finish(self) -> None:
        """Remove the files.  The open handle keeps the data readable (POSIX) for records that still
        point here (``RunSummary.annotations``); it closes when the last of them is gone."""
        self.fh.flush()
        shutil.rmtree(self.dir, ignore_errors=True)
