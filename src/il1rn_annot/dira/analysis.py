"""The "dira" analysis: classify every IL1RN allele of the run, then give every sample a verdict.

Writes, through :mod:`il1rn_annot.analyses` and the field registry:
- INFO ``IL1RN_DIRA_CLASS`` / ``IL1RN_DIRA_CODES`` / ``IL1RN_DIRA_CATALOGUE`` (Number=A) on each annotated record;
- FORMAT ``IL1RN_DIRA`` (the sample's verdict) on each annotated record;
- the CSQ/table columns ``DIRA_class``, ``DIRA_codes``, ``DIRA_catalogue``, ``DIRA_PVS1``, ``DIRA_SV``;
- ``AnalysisResult.per_sample[sample]``: verdict, qualifying variants, phase evidence, evidence codes and
  reasons in plain words (JSON-serialisable), and ``cohort`` with the options and per-variant summary.

Options (``options`` dict of :func:`il1rn_annot.api.annotate_vcf`): ``options["dira"]`` = keyword
arguments of :class:`~il1rn_annot.dira.options.DiraOptions`; ``options["ped"]`` = ``{sample: Trio}`` (the API
reads a PED path given as a string through :mod:`il1rn_annot.io.ped`); ``options["reference_provider"]`` =
the run's reference sequence provider, if any (set by the API).
"""

from __future__ import annotations

from collections import Counter

from ..analyses import Analysis, AnalysisResult, LazyPerSample, register, sample_index
from ..annotate import AlleleAnnotation
from ..sample_view import flatten
from ..fields import Field, register_fields
from ..model import GeneModel
from ..types import matrix_of
from .catalogue import is_deletion_like, load_catalogue
from .classify import DiraClass, VariantClassification, classify
from .options import DiraOptions
from .verdict import (AlleleItem, CatalogueSites, Hit, SampleVerdict, Trio, Verdict, _hit_for, interesting_samples,
                      issue_mask, missing_sites_lines, no_qualifying_line, other_candidate_line, qualifies,
                      sample_verdict)

INFO_DEFS = (
    ("IL1RN_DIRA_CLASS", "A", "String", "DIRA class per ALT allele (il1rn_annot): pathogenic, likely_pathogenic, "
     "uncertain, likely_benign, benign, not_qualifying"),
    ("IL1RN_DIRA_CODES", "A", "String", "ACMG-style evidence codes per ALT allele, &-joined (reasons in the JSON report)"),
    ("IL1RN_DIRA_CATALOGUE", "A", "String", "DIRA catalogue allele(s) matched per ALT allele, &-joined ('.' none)"),
)
FORMAT_DEFS = (
    ("IL1RN_DIRA", "1", "String", "per-sample DIRA verdict: BIALLELIC, POSSIBLE_BIALLELIC_PHASE_UNKNOWN, CARRIER, "
     "NO_QUALIFYING_VARIANT, NOT_ASSESSABLE (same value on every annotated record of the sample)"),
)


def _dira(a: AlleleAnnotation) -> dict:
    return a.extras.get("dira", {})


def _catalogue_text(d: dict) -> str:
    return "&".join(f"{m['allele_id']}:{m['how']}" for m in d.get("catalogue", ()))


def _dira_row(a: AlleleAnnotation, t) -> list:
    """The five DIRA fields in one call (see fields.register_fields)."""
    d = a.extras.get("dira", {})
    return [d.get("class", ""), "&".join(d.get("codes", ())), _catalogue_text(d), d.get("pvs1", ""), d.get("sv", "")]


register_fields("dira", [
    Field("DIRA_class", "DIRA class of the allele", lambda a, t: _dira(a).get("class", "")),
    Field("DIRA_codes", "ACMG-style evidence codes (&-joined)", lambda a, t: "&".join(_dira(a).get("codes", ()))),
    Field("DIRA_catalogue", "matched DIRA catalogue allele(s) and how they matched",
          lambda a, t: _catalogue_text(_dira(a))),
    Field("DIRA_PVS1", "PVS1 strength and reason on MANE", lambda a, t: _dira(a).get("pvs1", "")),
    Field("DIRA_SV", "structural variant: what it removes", lambda a, t: _dira(a).get("sv", "")),
], _dira_row)


def allele_summary(a: AlleleAnnotation, vc: VariantClassification) -> dict:
    pvs1 = next((f"{e.code}: {e.reason}" for e in vc.evidence if e.code.startswith("PVS1")), "")
    sv = vc.sv
    return {
        "variant": a.variant.vcf_key,
        "allele_index": a.variant.allele_index,
        "record_index": a.record.index,
        "class": vc.dira_class.value,
        "codes": [e.code for e in vc.evidence],
        "evidence": [{"code": e.code, "strength": e.strength.value, "points": e.points, "reason": e.reason}
                     for e in vc.evidence],
        "points": vc.points,
        "summary": vc.summary,
        "catalogue": [{"allele_id": m.allele.allele_id, "how": m.how.value, "detail": m.detail,
                       "catalogue_class": m.allele.dira_class.value, "status": m.allele.status,
                       "hgvs_c": m.allele.hgvs_c, "founder_population": m.allele.founder_population}
                      for m in vc.catalogue],
        "mane_consequences": list(vc.mane_terms),
        "consequence_source": vc.terms_source,
        "hgvs_c": vc.mane_hgvs_c,
        "hgvs_p": vc.mane_hgvs_p,
        "pvs1": pvs1,
        "sv": sv.describe() if sv else "",
        "sv_detail": None if sv is None else {
            "svtype": sv.svtype, "start": sv.interval.start + 1, "end": sv.interval.end, "length": sv.length,
            "transcripts_removed": list(sv.transcripts_removed), "transcripts_partial": list(sv.transcripts_partial),
            "mane_exons_removed": list(sv.mane_exons_removed), "mane_exons_cut": list(sv.mane_exons_cut),
            "whole_mane_removed": sv.whole_mane_removed, "genes_removed": list(sv.cluster_genes_removed),
            "genes_cut": list(sv.cluster_genes_partial)},
    }


def _hit_dict(h: Hit) -> dict:
    a, vc = h.item.ann, h.vc
    d = {"variant": h.key, "allele_index": a.variant.allele_index, "genotype": h.call.gt, "copies": h.copies,
         "class": vc.dira_class.value, "codes": [e.code for e in vc.evidence],
         "catalogue": [m.allele.allele_id for m in vc.catalogue], "hgvs_c": vc.mane_hgvs_c, "hgvs_p": vc.mane_hgvs_p,
         "consequences": list(vc.mane_terms), "flags": list(h.flags), "PS": h.call.phase_set,
         "GQ": h.call.gq, "DP": h.call.dp, "CN": h.call.cn}
    if vc.sv is not None:
        d["sv"] = vc.sv.describe()
        d["genes_removed"] = list(vc.sv.cluster_genes_removed)
        d["transcripts_removed"] = list(vc.sv.transcripts_removed)
    return d


def sample_dict(sv: SampleVerdict) -> dict:
    codes = sorted({e.code for h in sv.qualifying for e in h.vc.evidence if e.points or e.code == "DIRA_CATALOGUE"})
    def short(h: Hit) -> str:
        ids = ",".join(h.vc.catalogue_ids)
        return f"{h.key} {h.call.gt} {h.vc.dira_class.value}" + (f" {ids}" if ids else "")

    return {
        "verdict": sv.verdict.value,
        # one-line scalars for the per-sample table (the lists below are for the JSON report)
        "n_qualifying": len(sv.qualifying),
        "qualifying_summary": "; ".join(short(h) for h in sv.qualifying),
        "phase_summary": "; ".join(f"{p.a} + {p.b}: {p.phase.value} ({p.source.value})" for p in sv.phase),
        "qualifying_variants": [_hit_dict(h) for h in sv.qualifying],
        "other_candidate_variants": [_hit_dict(h) for h in sv.other_candidates],
        "phase_evidence": [{"variants": [p.a, p.b], "phase": p.phase.value, "source": p.source.value,
                            "detail": p.detail, "from_genotypes": p.genotype_phase, "from_ped": p.ped_phase}
                           for p in sv.phase],
        "evidence_codes": codes,
        "flags": list(sv.flags),
        "not_assessable_sites": [{"variant": k, "why": w} for k, w in sv.not_assessable],
        "reasons": list(sv.reasons),
        "catalogue_sites": dict(sv.catalogue_sites),
    }


def _trios(ped, samples: tuple[str, ...]) -> dict[str, Trio]:
    if not ped:
        return {}
    present = set(samples)
    out = {}
    for s, t in dict(ped).items():
        if isinstance(t, Trio):
            father, mother = t.father, t.mother
        else:
            father, mother = t
        out[s] = Trio(s, father if father in present else None, mother if mother in present else None)
    return out


def _item(a: AlleleAnnotation, vc, opts: DiraOptions, names: dict[str, int]):
    """(AlleleItem, indices of the samples whose call can matter or None for all).  Columnar genotypes
    (cohorts): those calls are found with numpy and kept compactly, any other is read on demand, so memory
    and time follow the carriers, not samples x alleles.  The verdicts are the same."""
    m = matrix_of(a.record.calls)
    if m is None:  # per-sample path: every item is looked at for every sample
        return AlleleItem(a, vc, {c.sample: c for c in a.record.calls}), None
    from ..gtmatrix import CallsBySample
    keep = interesting_samples(AlleleItem(a, vc, {}), m, opts)
    return AlleleItem(a, vc, CallsBySample(a.record.calls, names, keep)), keep


def _other_line_ids(item: AlleleItem, keep, opts: DiraOptions, texts: list[str]):
    """For each sample of ``keep`` (the item's candidate calls, columnar): the number in ``texts`` of the
    reason line :func:`sample_verdict` writes for this allele when it does not count toward the verdict, or
    -1 (no line).  Only a non-qualifying uncertain allele gets one.  The calls are grouped by all that
    :func:`_hit_for` reads from them (genotype and phasing, trusted or not, CN of a deletion) and each group is
    judged once by ``_hit_for`` itself, so the lines are the ones sample_verdict writes."""
    import numpy as np

    out = np.full(len(keep), -1, dtype=np.int64)
    if not len(keep) or qualifies(item.vc, opts) or item.vc.dira_class is not DiraClass.UNCERTAIN:
        return out
    sub = item.calls.compact
    cols = [sub.classes()[1].astype(np.float64), issue_mask(item, sub, opts).astype(np.float64)]
    if is_deletion_like(item.ann.variant) and "CN" in sub.values:
        cn = sub.values["CN"]
        cols.append(np.where(np.isnan(cn), -1.0, cn))  # CN >= 0 where given
    _, first, inverse = np.unique(np.column_stack(cols), axis=0, return_index=True, return_inverse=True)
    codes = np.full(len(first), -1, dtype=np.int64)
    for g, j in enumerate(first.tolist()):
        h = _hit_for(item, sub.call(j), opts, [], False)
        if h is not None:
            codes[g] = len(texts)
            texts.append(other_candidate_line(h))
    return codes[inverse.ravel()]


def _setup(samples: tuple[str, ...], model: GeneModel, options: dict, state: dict) -> dict:
    if "opts" not in state:
        state["opts"] = DiraOptions.from_dict(options.get("dira"))
        state["catalogue"] = load_catalogue(model.build.name)
        state["names"] = sample_index(samples)
        state["done"] = {}
    return state


def _one(a: AlleleAnnotation, model: GeneModel, options: dict, state: dict):
    """Classification and the compact calls of one allele: (summary, vc, item, keep)."""
    vc = classify(a, model, state["catalogue"], state["opts"], options.get("reference_provider"))
    summary = allele_summary(a, vc)
    a.extras["dira"] = summary
    item, keep = _item(a, vc, state["opts"], state["names"])
    return summary, vc, item, keep


def prepare(annotations: list[AlleleAnnotation], samples: tuple[str, ...], model: GeneModel, options: dict,
            state: dict) -> None:
    """At read time, while the record's genotypes are parsed: classify and keep the calls that can matter."""
    _setup(samples, model, options, state)
    for a in annotations:
        state["done"][id(a)] = (a, *_one(a, model, options, state))


def run(annotations: list[AlleleAnnotation], samples: tuple[str, ...], model: GeneModel, options: dict) -> AnalysisResult:
    state = _setup(samples, model, options, dict(options.get("prepared", {}).get("dira") or {}))
    opts, catalogue = state["opts"], state["catalogue"]
    trios = _trios(options.get("ped"), samples)
    result = AnalysisResult(name="dira", info_defs=list(INFO_DEFS), format_defs=list(FORMAT_DEFS))
    items: list[AlleleItem] = []
    keeps: list = []  # per item: indices of the samples whose call can matter (columnar)
    all_items = False
    per_record: dict[int, list[tuple[int, VariantClassification]]] = {}
    variants = []
    for a in annotations:
        done = state["done"].get(id(a))
        summary, vc, item, keep = done[1:] if done is not None and done[0] is a else _one(a, model, options, state)
        variants.append(summary)
        items.append(item)
        if keep is None:
            all_items = True
        else:
            keeps.append(keep)
        per_record.setdefault(a.record.index, []).append((a.variant.allele_index, vc))
    for index, alle in per_record.items():
        alle.sort(key=lambda kv: kv[0])
        result.info[index] = {
            "IL1RN_DIRA_CLASS": tuple(vc.dira_class.value for _, vc in alle),
            "IL1RN_DIRA_CODES": tuple("&".join(e.code for e in vc.evidence) or "." for _, vc in alle),
            "IL1RN_DIRA_CATALOGUE": tuple("&".join(vc.catalogue_ids) or "." for _, vc in alle),
        }
    verdicts: dict[str, object] = {}
    sites = CatalogueSites.build(items, catalogue)
    statuses = sites.statuses(samples)
    # Columnar path: a sample none of whose candidate calls is at a qualifying or P/LP allele can have no
    # qualifying hit, no PM3 upgrade to one and no not-assessable site, so its verdict is
    # NO_QUALIFYING_VARIANT without building it; only carriers of such alleles are judged up front.
    decisive = [qualifies(it.vc, opts) or it.vc.dira_class in (DiraClass.PATHOGENIC, DiraClass.LIKELY_PATHOGENIC)
                for it in items]
    # sample -> its candidate items as CSR arrays (item numbers grouped by sample, input order kept)
    item_of = starts = has_decisive = None
    if not all_items and items:
        import numpy as np

        item_of = np.repeat(np.arange(len(items), dtype=np.int32), [len(k) for k in keeps])
        sample_of = np.concatenate(keeps)
        has_decisive = np.zeros(len(samples), dtype=bool)
        has_decisive[sample_of[np.array(decisive)[item_of]]] = True
        order = np.argsort(sample_of, kind="stable")
        item_of = item_of[order]
        starts = np.searchsorted(sample_of[order], np.arange(len(samples) + 1))
        del sample_of

    def candidates_of(i: int):
        if all_items:
            return None
        if item_of is None:
            return []
        return [items[k] for k in item_of[starts[i]:starts[i + 1]].tolist()]

    for i, s in enumerate(samples):
        if all_items or (has_decisive is not None and has_decisive[i]):
            verdicts[s] = sample_verdict(s, items, opts, trios.get(s), catalogue, sites, candidates=candidates_of(i),
                                         site_status=statuses[i]).verdict.value
        else:
            verdicts[s] = Verdict.NO_QUALIFYING_VARIANT.value
    # The per-sample sections (reasons, hits, phase, catalogue sites) are built when read.  A sample with no
    # candidate call shares one section per catalogue-site status (the same genotypes there).
    no_candidates: dict[int, dict] = {}

    def section(i: int) -> dict:
        s, c = samples[i], candidates_of(i)
        if c == []:
            d = no_candidates.get(id(statuses[i]))
            if d is None:
                sv = sample_verdict(s, items, opts, None, catalogue, sites, candidates=[], site_status=statuses[i])
                d = no_candidates[id(statuses[i])] = sample_dict(sv)
        else:
            d = sample_dict(sample_verdict(s, items, opts, trios.get(s), catalogue, sites, candidates=c,
                                           site_status=statuses[i]))
        if s in trios:
            d = {**d, "ped": {"father": trios[s].father, "mother": trios[s].mother}}
        return d

    # The per-sample table's row of a sample whose candidate calls are all at alleles that cannot count (no
    # qualifying or P/LP one, no PED trio): its section is that of a sample with no candidate call and the same
    # catalogue-site status, with the reason lines of the uncertain alleles it carries added.  Made from those
    # lines (each distinct one written once per allele), not by building the section.
    flat_base: dict[int, tuple[dict, list[str]]] = {}
    lines: list = []  # [reason-line number per CSR entry (-1: none), the lines], made on first use

    def flat(i: int) -> dict | None:
        if item_of is None or has_decisive[i] or samples[i] in trios:
            return None
        st = statuses[i]
        base = flat_base.get(id(st))  # statuses holds every status dict for the run: ids stay unique
        if base is None:
            sv = sample_verdict(samples[i], items, opts, None, catalogue, sites, candidates=[], site_status=st)
            part: dict = {}
            flatten("dira", sample_dict(sv), part)
            base = flat_base[id(st)] = (part, missing_sites_lines(st))
        if not lines:
            import numpy as np

            texts: list[str] = []
            ids = np.concatenate([_other_line_ids(it, k, opts, texts) for it, k in zip(items, keeps)])
            lines.extend((ids[order], texts))
        own = [lines[1][k] for k in lines[0][starts[i]:starts[i + 1]].tolist() if k >= 0]
        if not own:
            return base[0]
        out = dict(base[0])
        flatten("dira.reasons", [no_qualifying_line(opts), *own, *base[1]], out)
        del out["dira.other_candidate_variants"]  # one per line: a list of objects now, which the table leaves out
        return out

    result.per_sample = LazyPerSample(samples, section, flat) if not all_items else {
        s: section(i) for i, s in enumerate(samples)}
    result.format["IL1RN_DIRA"] = verdicts
    result.cohort = {
        "options": opts.as_dict(),
        "catalogue": catalogue.label,
        "resources": catalogue.label.split(","),
        "reference_sequence_used": options.get("reference_provider") is not None,
        "build": model.build.name,
        "verdict_counts": dict(Counter(verdicts.values())),
        "variants": variants,
        "ped_trios_used": sorted(s for s, t in trios.items() if t.father or t.mother),
        "ped_samples_not_in_vcf": sorted({x for s, t in dict(options.get("ped") or {}).items()
                                          for x in (s, *((t.father, t.mother) if isinstance(t, Trio) else t))
                                          if x and x not in set(samples)}),
    }
    return result


register(Analysis(name="dira", run=run, info_defs=INFO_DEFS, format_defs=FORMAT_DEFS, prepare=prepare))
