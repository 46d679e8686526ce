"""Sample-level analyses that need every IL1RN allele of a run before anything is written (DIRA verdicts,
VNTR diplotypes).  Each analysis is pure: it takes the window's annotations and returns what the writers
need.  :func:`run_analyses` is called once per run by :mod:`il1rn_annot.api`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .annotate import AlleleAnnotation
from .frozen import field, frozen, mutable
from .model import GeneModel


_INDEX: dict[int, tuple[tuple[str, ...], dict[str, int]]] = {}


def sample_index(samples: tuple[str, ...]) -> dict[str, int]:
    """``{sample: column}`` for a run's samples, built once per samples tuple and shared (read-only): a
    100,000-sample cohort would otherwise hold one such dict per analysis."""
    hit = _INDEX.get(id(samples))
    if hit is None or hit[0] is not samples:
        _INDEX.clear()
        hit = _INDEX[id(samples)] = (samples, {s: i for i, s in enumerate(samples)})
    return hit[1]


class LazyPerSample(Mapping):
    """``{sample: value}`` whose values are made when asked for (and not kept): a cohort's per-sample
    JSON sections would otherwise hold memory in proportion to samples x variants.  Iterating builds each
    section once per pass; what a section holds is the same as a dict built up front.

    ``flat`` (optional): ``flat(i)`` is sample ``i``'s section as the per-sample table shows it
    (``sample_view.flatten(name, section)``), made without the section, or None where it has no quicker
    way; the table uses it (a cohort's table would otherwise build every section)."""

    __slots__ = ("_samples", "_index", "_make", "_flat")

    def __init__(self, samples: tuple[str, ...], make: Callable[[int], dict],
                 flat: Callable[[int], dict | None] | None = None):
        self._samples = samples
        self._index = sample_index(samples)
        self._make = make
        self._flat = flat

    def flat(self, sample: str) -> dict | None:
        return None if self._flat is None else self._flat(self._index[sample])

    def __getitem__(self, sample: str) -> dict:
        return self._make(self._index[sample])

    def __contains__(self, sample) -> bool:
        return sample in self._index

    def __iter__(self):
        return iter(self._samples)

    def __len__(self) -> int:
        return len(self._samples)

    def __repr__(self) -> str:
        return f"LazyPerSample(<{len(self)} samples>)"


def grouped_values(samples: tuple[str, ...], inverse, values: list) -> LazyPerSample:
    """``{sample: value}`` where samples fall into groups with one value each (``inverse[i]`` = group of
    sample ``i``): a FORMAT column of a cohort without a dict of 100,000 entries."""
    return LazyPerSample(samples, lambda i: values[int(inverse[i])])


@mutable
class AnalysisResult:
    """What one analysis adds to a run: header definitions, INFO per allele, FORMAT per sample, per-sample and
    cohort results."""
    name: str
    # VCF header declarations: (ID, Number, Type, Description)
    info_defs: list[tuple[str, str, str, str]] = field(default_factory=list)
    format_defs: list[tuple[str, str, str, str]] = field(default_factory=list)
    # per record index -> {INFO ID: value}
    info: dict[int, dict[str, object]] = field(default_factory=dict)
    # FORMAT ID -> {sample: value} (a dict or a grouped_values mapping); written on every annotated record
    format: dict[str, Mapping[str, object]] = field(default_factory=dict)
    # per-sample JSON-able sections and table rows (a dict, or a LazyPerSample for cohorts)
    per_sample: Mapping[str, dict] = field(default_factory=dict)
    cohort: dict = field(default_factory=dict)


@frozen(slots=False)
class Analysis:
    """A registered analysis: its VCF header declarations are static (the header is written before the
    window is reached); ``run`` fills an :class:`AnalysisResult` with the same IDs."""

    name: str
    run: Callable[[list[AlleleAnnotation], tuple[str, ...], GeneModel, dict], AnalysisResult]
    info_defs: tuple[tuple[str, str, str, str], ...] = ()
    format_defs: tuple[tuple[str, str, str, str], ...] = ()
    # Optional per-record step, called while the record's genotypes are at hand (the api reads each record
    # once): prepare(annotations_of_one_record, samples, model, options, state).  ``run`` finds ``state`` in
    # ``options["prepared"][name]``; without it (a direct call of run_analyses) ``run`` does the work itself.
    prepare: Callable[[list[AlleleAnnotation], tuple[str, ...], GeneModel, dict, dict], None] | None = None


# Filled by the modules that implement analyses (registered by name, run in this order).
REGISTRY: dict[str, Analysis] = {}


def register(analysis: Analysis) -> Analysis:
    REGISTRY[analysis.name] = analysis
    return analysis


def load_builtin_analyses() -> dict[str, Analysis]:
    """Import the modules that register analyses (kept lazy for start-up time)."""
    import importlib

    for mod in ("consequence_fields", "dira.analysis", "vntr.analysis"):
        try:
            importlib.import_module(f"il1rn_annot.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("il1rn_annot"):
                continue  # that analysis is not part of this build
            raise
    return REGISTRY


def run_analyses(annotations: list[AlleleAnnotation], samples: tuple[str, ...], model: GeneModel,
                 options: dict | None = None, names: list[str] | None = None) -> list[AnalysisResult]:
    opts = options or {}
    return [REGISTRY[n].run(annotations, samples, model, opts) for n in (names or list(REGISTRY))]


def prepare_analyses(annotations: list[AlleleAnnotation], samples: tuple[str, ...], model: GeneModel,
                     options: dict, names: list[str] | None = None) -> None:
    """The per-record steps of the analyses for one record's annotations; state kept in
    ``options["prepared"]`` for :func:`run_analyses`."""
    prepared = options.setdefault("prepared", {})
    for n in names or list(REGISTRY):
        a = REGISTRY[n]
        if a.prepare is not None and annotations:
            a.prepare(annotations, samples, model, options, prepared.setdefault(n, {}))
