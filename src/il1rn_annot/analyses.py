"""Sample-level analyses that need every IL1RN allele of a run before anything is written (DIRA verdicts,
VNTR diplotypes).  Each analysis is pure: it takes the window's annotations and returns what the writers
need.  :func:`run_analyses` is called once per run by :mod:`il1rn_annot.api`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .annotate import AlleleAnnotation
from .model import GeneModel


@dataclass
class AnalysisResult:
    name: str
    # VCF header declarations: (ID, Number, Type, Description)
    info_defs: list[tuple[str, str, str, str]] = field(default_factory=list)
    format_defs: list[tuple[str, str, str, str]] = field(default_factory=list)
    # per record index -> {INFO ID: value}
    info: dict[int, dict[str, object]] = field(default_factory=dict)
    # FORMAT ID -> {sample: value}; written on every annotated record
    format: dict[str, dict[str, object]] = field(default_factory=dict)
    # per-sample JSON-able sections and table rows
    per_sample: dict[str, dict] = field(default_factory=dict)
    cohort: dict = field(default_factory=dict)


@dataclass(frozen=True)
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
