"""The "dira" analysis: classify every IL1RN allele of the run, then give every sample a verdict.

Writes, through :mod:`il1rn_annot.analyses` and the field registry:
- INFO ``IL1RN_DIRA_CLASS`` / ``IL1RN_DIRA_CODES`` / ``IL1RN_DIRA_CATALOGUE`` (Number=A) on each annotated record;
- FORMAT ``IL1RN_DIRA`` (the sample's verdict) on each annotated record;
- the CSQ/table columns ``DIRA_class``, ``DIRA_codes``, ``DIRA_catalogue``, ``DIRA_PVS1``, ``DIRA_SV``;
- ``AnalysisResult.per_sample[sample]``: verdict, qualifying variants, phase evidence, evidence codes and
  reasons in plain words (JSON-serialisable), and ``cohort`` with the options and per-variant summary.

Options (``options`` dict of :func:`il1rn_annot.api.annotate_vcf`): ``options["dira"]`` = keyword
arguments of :class:`~il1rn_annot.dira.options.DiraOptions`; ``options["ped"]`` = ``{sample: Trio}`` (the API
reads a PED path given as a string through :mod:`il1rn_annot.sources.ped`); ``options["reference_provider"]`` =
the run's reference sequence provider, if any (set by the API).
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from il1rn_annot.analyses import AnalysisResult, LazyPerSample
from il1rn_annot.columns import flatten
from il1rn_annot.consequence.annotate import AlleleAnnotation
from il1rn_annot.dira.catalogue import is_deletion_like, load_catalogue
from il1rn_annot.dira.classify import DiraClass, Pm3Item, VariantClassification, classify, pm3_points, with_pm3
from il1rn_annot.dira.criteria import points_label
from il1rn_annot.dira.options import DiraOptions
from il1rn_annot.dira.population import PopulationFrequencies
from il1rn_annot.dira.verdict import (
    NOT_ASSESSABLE_SITE,
    PROVEN,
    AlleleItem,
    CatalogueSites,
    can_matter,
    Hit,
    Phase,
    mendelian_error,
    phase_pair,
    SampleVerdict,
    Trio,
    Verdict,
    _hit_for,
    _record_span_covers,
    interesting_samples,
    issue_mask,
    missing_sites_lines,
    no_qualifying_line,
    other_candidate_line,
    qualifies,
    sample_verdict,
)
from il1rn_annot.model.gene_model import GeneModel
from il1rn_annot.variants.genotypes import CallsBySample, GenotypeMatrix

INFO_DEFS = (
    ("IL1RN_DIRA_CLASS", "A", "String", "DIRA class per ALT allele (il1rn_annot): pathogenic, likely_pathogenic, "
     "uncertain, likely_benign, benign, not_qualifying"),
    ("IL1RN_DIRA_CODES", "A", "String", "ACMG criteria met per ALT allele (as applied, e.g. PVS1_Strong), &-joined, "
     "with the catalogue and frequency notes (reasons in the JSON report)"),
    ("IL1RN_DIRA_CRITERIA", "A", "String", "every ACMG criterion evaluated per ALT allele, &-joined "
     "CODE:status:points (status met, not_met or not_evaluable; reasons in the JSON report and tables)"),
    ("IL1RN_DIRA_ACMG", "A", "String", "per ALT allele: points class|2015 class|points (ClinGen points system, "
     "Tavtigian 2020, and Richards 2015 Table 5 side by side; they may disagree)"),
    ("IL1RN_DIRA_CATALOGUE", "A", "String", "DIRA catalogue allele(s) matched per ALT allele, &-joined ('.' none)"),
)
FORMAT_DEFS = (
    ("IL1RN_DIRA", "1", "String", "per-sample DIRA verdict: BIALLELIC, POSSIBLE_BIALLELIC_PHASE_UNKNOWN, "
     "POSSIBLE_BIALLELIC_INCONSISTENT_GENOTYPES, UNCERTAIN_BIALLELIC_CANDIDATE, CARRIER, NO_QUALIFYING_VARIANT, "
     "NOT_ASSESSABLE, NO_IL1RN_RECORDS (same value on every annotated record of the sample)"),
)


def allele_summary(a: AlleleAnnotation, vc: VariantClassification) -> dict:
    pvs1 = next((f"{c.applied} ({c.status.value}): {c.reason}" for c in vc.criteria if c.code == "PVS1"), "")
    sv = vc.sv
    comb = vc.combined
    return {
        "variant": a.variant.vcf_key,
        "allele_index": a.variant.allele_index,
        "record_index": a.record.index,
        "id": a.record.id,
        "class": vc.dira_class.value,
        "class_source": vc.class_source,
        "points_class": comb.points_class if comb else "",
        "class_2015": comb.class_2015 if comb else "",
        "classes_disagree": comb.disagreement if comb else "",
        "codes": list(vc.codes),
        "criteria": [c.as_dict() for c in vc.criteria if not c.is_note],
        "notes": [{"code": c.code, "reason": c.reason} for c in vc.criteria if c.is_note],
        "evidence": [{"code": e.applied, "strength": e.strength.value, "points": e.points, "reason": e.reason}
                     for e in vc.evidence],
        "points": vc.points,
        "acmg": comb.as_dict() if comb else None,
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
         "class": vc.dira_class.value, "codes": list(vc.codes),
         "points_class": vc.combined.points_class if vc.combined else "",
         "class_2015": vc.combined.class_2015 if vc.combined else "",
         "catalogue": [m.allele.allele_id for m in vc.catalogue], "hgvs_c": vc.mane_hgvs_c, "hgvs_p": vc.mane_hgvs_p,
         "consequences": list(vc.mane_terms), "flags": list(h.flags), "PS": h.call.phase_set,
         "criteria": [c.as_dict() for c in vc.criteria if not c.is_note],
         "GQ": h.call.gq, "DP": h.call.dp, "CN": h.call.cn}
    if vc.sv is not None:
        d["sv"] = vc.sv.describe()
        d["genes_removed"] = list(vc.sv.cluster_genes_removed)
        d["transcripts_removed"] = list(vc.sv.transcripts_removed)
    return d


def sample_dict(sv: SampleVerdict) -> dict:
    codes = sorted({e.applied for h in sv.qualifying for e in h.vc.evidence if e.points or e.code == "DIRA_CATALOGUE"})
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
                            "proof": p.source in PROVEN, "detail": p.detail, "from_genotypes": p.genotype_phase,
                            "from_ped": p.ped_phase}
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
        affected = None
        if isinstance(t, Trio):
            father, mother, affected = t.father, t.mother, t.affected
        else:
            father, mother = t
        out[s] = Trio(s, father if father in present else None, mother if mother in present else None, affected)
    return out


class AlleleSummaries(Mapping):
    """``{(record index, ALT index): allele_summary}`` for every allele of the run, in file order, each kept as
    compressed compact JSON (a 50,000-record window would otherwise hold 50,000 dicts of criteria and reasons;
    the reasons repeat from allele to allele, so zlib keeps about a fifth of the text)."""

    def __init__(self):
        self._text: dict[tuple[int, int], bytes] = {}
        self._by_record: dict[int, list[int]] = {}

    def add(self, record_index: int, allele_index: int, summary: dict) -> None:
        """Add (or replace, e.g. once PM3 from the run's probands is known) one allele's summary."""
        key = (record_index, allele_index)
        if key not in self._text:
            self._by_record.setdefault(record_index, []).append(allele_index)
        self._text[key] = zlib.compress(json.dumps(summary, separators=(",", ":")).encode(), 1)

    def __getitem__(self, key: tuple[int, int]) -> dict:
        return json.loads(zlib.decompress(self._text[key]))

    def __iter__(self):
        return iter(self._text)

    def __len__(self) -> int:
        return len(self._text)

    def record(self, record_index: int) -> list[dict]:
        """The summaries of one record's alleles, by ALT index."""
        return [self[(record_index, k)] for k in sorted(self._by_record.get(record_index, ()))]

    def records(self) -> list[int]:
        return list(self._by_record)


class SummaryList(Sequence):
    """The summaries as a read-only list (the cohort report's ``variants``), decoded one at a time."""

    def __init__(self, summaries: AlleleSummaries):
        self._summaries = summaries
        self._keys = list(summaries)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._summaries[k] for k in self._keys[i]]
        return self._summaries[self._keys[i]]

    def __len__(self) -> int:
        return len(self._keys)


def _criteria_text(s: dict) -> str:
    return "&".join(f"{c['applied']}:{c['status']}:{c['points']}" for c in s["criteria"]) or "."


def _acmg_text(s: dict) -> str:
    acmg = s.get("acmg")
    return f"{acmg['points_class']}|{acmg['class_2015']}|{s['points']}" if acmg else "."


class RecordInfo(Mapping):
    """``{record index: this analysis's INFO keys}``, made from the allele summaries when a record is written."""

    def __init__(self, summaries: AlleleSummaries):
        self._summaries = summaries
        self._records = summaries.records()

    def __getitem__(self, index: int) -> dict:
        alle = self._summaries.record(index)
        if not alle:
            raise KeyError(index)
        return {"IL1RN_DIRA_CLASS": tuple(s["class"] for s in alle),
                "IL1RN_DIRA_CODES": tuple("&".join(s["codes"]) or "." for s in alle),
                "IL1RN_DIRA_CRITERIA": tuple(_criteria_text(s) for s in alle),
                "IL1RN_DIRA_ACMG": tuple(_acmg_text(s) for s in alle),
                "IL1RN_DIRA_CATALOGUE": tuple("&".join(m["allele_id"] for m in s["catalogue"]) or "." for s in alle)}

    def __iter__(self):
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)


def _other_line_ids(item: AlleleItem, keep: np.ndarray, opts: DiraOptions, texts: list[str]) -> np.ndarray:
    """For each sample of ``keep`` (the item's candidate calls): the number in ``texts`` of the reason line
    :func:`sample_verdict` writes for this allele when it does not count toward the verdict, or -1 (no line).
    Only a non-qualifying uncertain allele gets one.  The calls are grouped by all that :func:`_hit_for` reads
    from them (genotype and phasing, trusted or not, CN of a deletion) and each group is judged once by
    ``_hit_for`` itself, so the lines are the ones sample_verdict writes."""
    out = np.full(len(keep), -1, dtype=np.int64)
    if not len(keep) or qualifies(item.vc, opts) or item.vc.dira_class is not DiraClass.UNCERTAIN:
        return out
    kept = item.calls.kept  # the candidate rows, and the parents' rows when a PED names them
    sub = kept.subset(np.searchsorted(kept.rows, keep)) if len(kept) != len(keep) else kept
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


def _covers_a_catalogue_site(a: AlleleAnnotation, vc: VariantClassification, catalogue) -> bool:
    """Does this record carry a catalogue allele or call the reference bases of a catalogue site?  Its
    genotypes are then read by :meth:`CatalogueSites.for_sample` for every sample."""
    if vc.catalogue:
        return True
    probe = AlleleItem(a, vc, {})
    return any(c.interval is not None and not c.is_large_deletion and _record_span_covers(probe, c.interval)
               for c in catalogue.alleles)


def no_records_line(window: str) -> str:
    return (f"the file has no record in the IL1RN window{f' ({window})' if window else ''}: nothing could be "
            "assessed. Check that the file covers chromosome 2 (an exome without calls there, a file cut short, a "
            "region filter, another build).")


class DiraAnalysis:
    """Classify every IL1RN allele of the run, then give every sample a verdict."""

    name = "dira"
    info_defs = INFO_DEFS
    format_defs = FORMAT_DEFS

    def __init__(self, model: GeneModel, samples: tuple[str, ...], opts: DiraOptions | None = None,
                 ped: dict | None = None, reference=None, window_text: str = "",
                 population: PopulationFrequencies | None = None):
        self.model, self.samples = model, samples
        self.opts = opts or DiraOptions()
        self.ped = dict(ped or {})
        self.trios = _trios(self.ped, samples)
        self.reference = reference
        self.population = population
        self.catalogue = load_catalogue(model.build.name)
        self.names = {s: i for i, s in enumerate(samples)}
        self.parents = np.array(sorted({self.names[x] for t in self.trios.values() for x in (t.father, t.mother)
                                        if x is not None}), dtype=np.int64)
        self.records_observed = 0
        self._classes: dict[tuple[int, int], VariantClassification] = {}  # classified by wants_genotypes
        self.window_text = window_text  # e.g. "GRCh38 chr2:113094315-113139016", for the NO_IL1RN_RECORDS reason
        self.items: list[AlleleItem] = []
        self.keeps: list[np.ndarray] = []
        self.summaries = AlleleSummaries()  # every allele's summary, compactly

    def _classified(self, a: AlleleAnnotation) -> VariantClassification:
        key = (a.record.index, a.variant.allele_index)
        vc = self._classes.get(key)
        if vc is None:
            vc = self._classes[key] = classify(a, self.model, self.catalogue, self.opts, self.reference, self.population)
        return vc

    def _needs_calls(self, a: AlleleAnnotation, vc: VariantClassification | None = None) -> bool:
        vc = vc or self._classified(a)
        return can_matter(AlleleItem(a, vc, {}), self.opts) or _covers_a_catalogue_site(a, vc, self.catalogue)

    def wants_genotypes(self, alleles: list[AlleleAnnotation]) -> bool:
        """The calls can matter at an allele that qualifies, is uncertain or a deletion, and at records that
        carry or cover a catalogue site (every sample's genotype there is reported)."""
        return bool(self.samples) and any(self._needs_calls(a) for a in alleles)

    def observe(self, alleles: list[AlleleAnnotation]) -> None:
        """Classify each allele and keep, compactly, the calls that can matter: every call but a trusted
        reference call (:func:`interesting_samples`), the parents' calls when a PED names them, and every
        sample's genotype at records that carry or cover a catalogue site."""
        self.records_observed += 1
        for a in alleles:
            vc = self._classified(a)
            del self._classes[(a.record.index, a.variant.allele_index)]  # classified once; not kept twice
            self.summaries.add(a.record.index, a.variant.allele_index, allele_summary(a, vc))
            if not self._needs_calls(a, vc):
                continue  # neither a hit nor a catalogue site for any sample: its summary is all that is kept
            calls = a.record.calls
            light = AlleleAnnotation(a.record.slim(), a.variant, (), {})
            if len(calls) != len(self.samples):  # genotypes not read: no call can matter here (wants_genotypes)
                calls = GenotypeMatrix.empty()
                keep = rows = np.zeros(0, dtype=np.int64)
            else:
                keep = interesting_samples(AlleleItem(a, vc, {}), calls, self.opts)
                rows = np.union1d(keep, self.parents) if len(self.parents) else keep
            full = None
            if len(calls) and _covers_a_catalogue_site(a, vc, self.catalogue):
                # alleles and phasing; a reference block's GQ too (it calls a site only with enough GQ)
                gq = calls.values.get("GQ") if a.variant.kind.value == "no_change" else None
                full = GenotypeMatrix(calls.samples, calls.alleles, calls.phased,
                                      {"GQ": gq} if gq is not None else {})
            self.items.append(AlleleItem(light, vc, CallsBySample(self.names, calls.subset(rows), full)))
            self.keeps.append(keep)

    def _cohort_pm3(self, items: list[AlleleItem], candidates_of) -> dict[int, list[Pm3Item]]:
        """PM3 probands among the run's samples: only samples the PED marks affected (phenotype 2) count, each
        for the alleles it carries with a second allele (SVI points by the partner's class before any PM3 of the
        run, and by whether the phase is proven).  Each contribution names its sample, so that a sample's own
        contribution is left out when its own verdict is built (no circularity)."""
        out: dict[int, list[Pm3Item]] = {}
        if not self.opts.use_pm3:
            return out
        index_of = {id(it): k for k, it in enumerate(items)}
        for s, trio in self.trios.items():
            if trio.affected is not True or s not in self.names:
                continue
            hits = []
            for it in candidates_of(self.names[s]):
                if it.vc.dira_class in (DiraClass.BENIGN, DiraClass.LIKELY_BENIGN, DiraClass.NOT_QUALIFYING):
                    continue
                h = _hit_for(it, it.calls.get(s), self.opts, [], False)
                if h is not None and not mendelian_error(it, s, trio):  # a call the parents contradict: no proband
                    hits.append(h)
            for h in hits:
                k = index_of[id(h.item)]
                if h.copies >= 2:
                    out.setdefault(k, []).append(Pm3Item(0.5, "hom", f"homozygous in affected sample {s} (PED)", s))
                    continue
                for g in hits:
                    if g is h or g.copies != 1:
                        continue
                    p = phase_pair(h, g, trio)
                    if p.phase in (Phase.SAME_ALLELE,) or (p.phase is Phase.CIS and p.source in PROVEN):
                        continue
                    partner = g.vc.dira_class.value
                    confirmed = p.phase is Phase.TRANS and p.source in PROVEN
                    pts = pm3_points("trans", partner, confirmed)
                    kind = "trans" if partner in ("pathogenic", "likely_pathogenic") else "vus"
                    out.setdefault(k, []).append(Pm3Item(pts, kind, f"with {g.key} ({partner}) in affected sample {s} "
                                                         f"(PED), phase {p.phase.value} ({p.source.value})", s))
        return out

    def finish(self) -> AnalysisResult:
        opts, catalogue, samples, trios, items, keeps = (self.opts, self.catalogue, self.samples, self.trios,
                                                          self.items, self.keeps)
        result = AnalysisResult(name="dira", info_defs=INFO_DEFS, format_defs=FORMAT_DEFS)
        # sample -> its candidate items as CSR arrays (item numbers grouped by sample, input order kept)
        item_of = np.repeat(np.arange(len(items), dtype=np.int64), [len(k) for k in keeps])
        sample_of = np.concatenate(keeps) if keeps else np.zeros(0, dtype=np.int64)
        order = np.argsort(sample_of, kind="stable")
        item_sorted = item_of[order]
        starts = np.searchsorted(sample_of[order], np.arange(len(samples) + 1))

        def candidates_of(i: int) -> list[AlleleItem]:
            return [items[k] for k in item_sorted[starts[i]:starts[i + 1]].tolist()]

        # PM3 from the run's other affected samples: the alleles' classes for the outputs hold every such
        # proband; a sample's own verdict uses the class without its own contribution
        pm3 = self._cohort_pm3(items, candidates_of)
        base = {k: items[k].vc for k in pm3}
        for k, contribs in pm3.items():
            items[k] = AlleleItem(items[k].ann, with_pm3(base[k], contribs, catalogue, opts), items[k].calls)
            a = items[k].ann
            self.summaries.add(a.record.index, a.variant.allele_index, allele_summary(a, items[k].vc))
        own: dict[tuple[int, str], VariantClassification] = {}
        pm3_of = {id(items[k]): k for k in pm3}

        def vc_for(item: AlleleItem, sample: str) -> VariantClassification:
            k = pm3_of.get(id(item))
            if k is None or not any(c.sample == sample for c in pm3[k]):
                return item.vc
            if (k, sample) not in own:
                own[(k, sample)] = with_pm3(base[k], [c for c in pm3[k] if c.sample != sample], catalogue, opts)
            return own[(k, sample)]

        result.alleles = self.summaries
        result.info = RecordInfo(self.summaries)
        sites = CatalogueSites.build(items, catalogue, opts.min_block_gq)
        statuses = sites.statuses(samples)
        # A sample none of whose candidate calls is at a qualifying, P/LP or uncertain candidate allele, and all
        # of whose catalogue sites are called, can have no qualifying hit, no uncertain biallelic candidate and no
        # not-assessable site, so its verdict is NO_QUALIFYING_VARIANT without building it.
        decisive = np.array([qualifies(it.vc, opts) or it.vc.dira_class in (DiraClass.PATHOGENIC,
                                                                             DiraClass.LIKELY_PATHOGENIC)
                             or (it.vc.dira_class is DiraClass.UNCERTAIN and it.vc.candidate)
                             for it in items], dtype=bool)
        has_decisive = np.zeros(len(samples), dtype=bool)
        if len(item_of):
            has_decisive[sample_of[decisive[item_of]]] = True
        unassessed: dict[int, bool] = {}
        for i, st in enumerate(statuses):
            hit = unassessed.get(id(st))
            if hit is None:
                hit = unassessed[id(st)] = any(v.startswith(NOT_ASSESSABLE_SITE) for v in st.values())
            if hit:
                has_decisive[i] = True

        verdicts: list[str] = []
        empty = self.records_observed == 0
        for i, s in enumerate(samples):
            if empty:
                verdicts.append(Verdict.NO_IL1RN_RECORDS.value)
            elif has_decisive[i] or s in trios:
                verdicts.append(sample_verdict(s, items, opts, trios.get(s), catalogue, sites,
                                               candidates=candidates_of(i), site_status=statuses[i],
                                               vc_for=vc_for).verdict.value)
            else:
                verdicts.append(Verdict.NO_QUALIFYING_VARIANT.value)
        # The per-sample sections (reasons, hits, phase, catalogue sites) are built when read.  A sample with no
        # candidate call shares one section per catalogue-site status (the same genotypes there).
        no_candidates: dict[int, dict] = {}

        def section(i: int) -> dict:
            s, c = samples[i], candidates_of(i)
            if not c and s not in trios and not has_decisive[i]:
                d = no_candidates.get(id(statuses[i]))
                if d is None:
                    sv = sample_verdict(s, items, opts, None, catalogue, sites, candidates=[], site_status=statuses[i])
                    d = no_candidates[id(statuses[i])] = sample_dict(sv)
            else:
                d = sample_dict(sample_verdict(s, items, opts, trios.get(s), catalogue, sites, candidates=c,
                                               site_status=statuses[i], vc_for=vc_for))
            if empty:
                d = {**d, "verdict": Verdict.NO_IL1RN_RECORDS.value,
                     "reasons": [no_records_line(self.window_text), *d["reasons"][1:]]}
            if s in trios:
                d = {**d, "ped": {"father": trios[s].father, "mother": trios[s].mother}}
            return d

        # The per-sample table's row of a sample whose candidate calls are all at alleles that cannot count (no
        # qualifying or P/LP one, no PED trio): its section is that of a sample with no candidate call and the
        # same catalogue-site status, with the reason lines of the uncertain alleles it carries added.
        flat_base: dict[int, tuple[dict, list[str]]] = {}
        lines: list = []  # [reason-line number per CSR entry (-1: none), the lines], made on first use

        def flat(i: int) -> dict | None:
            if empty or has_decisive[i] or samples[i] in trios:
                return None
            st = statuses[i]
            base = flat_base.get(id(st))  # statuses holds every status dict for the run: ids stay unique
            if base is None:
                sv = sample_verdict(samples[i], items, opts, None, catalogue, sites, candidates=[], site_status=st)
                part: dict = {}
                flatten("dira", sample_dict(sv), part)
                base = flat_base[id(st)] = (part, missing_sites_lines(st))
            if not lines:
                texts: list[str] = []
                ids = np.concatenate([_other_line_ids(it, k, opts, texts) for it, k in zip(items, keeps)]) \
                    if items else np.zeros(0, dtype=np.int64)
                lines.extend((ids[order], texts))
            own = [lines[1][k] for k in lines[0][starts[i]:starts[i + 1]].tolist() if k >= 0]
            if not own:
                return base[0]
            out = dict(base[0])
            flatten("dira.reasons", [no_qualifying_line(opts), *own, *base[1]], out)
            del out["dira.other_candidate_variants"]  # one per line: a list of objects now, which the table leaves out
            return out

        result.per_sample = LazyPerSample(samples, section, flat)
        result.format["IL1RN_DIRA"] = verdicts
        result.cohort = {
            "options": opts.as_dict(),
            "catalogue": catalogue.label,
            "resources": catalogue.label.split(",") + [points_label()],
            "population_af": self.population.label if self.population is not None else "",
            "reference_sequence_used": self.reference is not None,
            "build": self.model.build.name,
            "verdict_counts": dict(Counter(verdicts)),
            "variants": SummaryList(self.summaries),
            "ped_trios_used": sorted(s for s, t in trios.items() if t.father or t.mother),
            "ped_samples_not_in_vcf": sorted({x for s, t in self.ped.items()
                                              for x in (s, *((t.father, t.mother) if isinstance(t, Trio) else t))
                                              if x and x not in set(samples)}),
        }
        return result
