"""Cohort tables for association studies (pure): per-sample *2 dosage, allele and carrier frequencies per
population with 95 % confidence intervals, a Hardy-Weinberg exact test, and the published frequencies beside.

* **Dosage**: ``star2_dosage`` of each sample (0/1/2, NA when the evidence allows more than one count), with
  the method (``long_reads``/``direct`` measured, ``inferred`` from tag SNVs, ``unknown``) and confidence, so
  a regression can be restricted to measured calls or weighted by method.  A tag dosage 0 means "no evidence of
  the *2 tag haplotype": a *2 without the tag (not seen in HPRC, but the tag was learnt without European or
  South Asian samples) would be counted 0.
* **Confidence intervals**: Wilson score intervals (95 %, z = 1.96), which stay inside 0..1 and behave at 0
  and n (Newcombe 1998 compares them with the exact and Wald intervals).
* **Hardy-Weinberg**: the exact test of Wigginton, Cutler & Abecasis (Am J Hum Genet 2005;76:887-893) on the
  *2 / not-*2 genotype counts of the samples with a dosage; the p-value sums the probabilities of every
  heterozygote count no more likely than the one observed.
* **Allele frequencies** of every allele other than *2 come from measured diplotypes only (a tag names *2 and
  nothing else).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from il1rn_annot.vntr.definition import VntrDefinition
from il1rn_annot.vntr.summary import STAR2, SampleVntr

Z95 = 1.959963984540054
UNASSIGNED = "unassigned"  # samples the population map does not name
ALL = "all"
MEASURED = ("long_reads", "direct")
DOSAGE_COLUMNS = ("sample", "population", "star2_dosage", "method", "derived_from", "confidence", "call",
                  "diplotypes", "star2_range", "note")
FREQUENCY_COLUMNS = ("population", "allele", "basis", "n_samples", "n_called", "allele_count", "allele_number",
                     "allele_frequency", "af_ci95_low", "af_ci95_high", "carriers", "carrier_frequency",
                     "cf_ci95_low", "cf_ci95_high", "genotypes_0_1_2", "hwe_exact_p", "methods", "source")
CI_METHOD = "Wilson score interval, 95 % (z = 1.96)"
HWE_METHOD = "exact test (Wigginton, Cutler & Abecasis 2005) on *2 / not-*2 genotypes"


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float] | tuple[None, None]:
    """The Wilson score interval for ``k`` successes in ``n`` trials (None, None when n = 0)."""
    if n <= 0:
        return None, None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def hwe_exact(n_het: int, n_hom1: int, n_hom2: int) -> float | None:
    """Wigginton 2005 exact Hardy-Weinberg p-value for one biallelic locus (None when there are no genotypes)."""
    if min(n_het, n_hom1, n_hom2) < 0:
        raise ValueError("genotype counts must be >= 0")
    n = n_het + n_hom1 + n_hom2
    if n == 0:
        return None
    rare_hom = min(n_hom1, n_hom2)
    rare = 2 * rare_hom + n_het  # copies of the rarer allele
    probs = [0.0] * (rare + 1)
    mid = rare * (2 * n - rare) // (2 * n)
    if mid % 2 != rare % 2:
        mid += 1
    probs[mid] = 1.0
    total = 1.0
    het, hom_r = mid, (rare - mid) // 2
    hom_c = n - het - hom_r
    while het >= 2:  # fewer heterozygotes
        probs[het - 2] = probs[het] * het * (het - 1) / (4.0 * (hom_r + 1) * (hom_c + 1))
        total += probs[het - 2]
        het, hom_r, hom_c = het - 2, hom_r + 1, hom_c + 1
    het, hom_r = mid, (rare - mid) // 2
    hom_c = n - het - hom_r
    while het <= rare - 2:  # more heterozygotes
        probs[het + 2] = probs[het] * 4.0 * hom_r * hom_c / ((het + 2.0) * (het + 1.0))
        total += probs[het + 2]
        het, hom_r, hom_c = het + 2, hom_r - 1, hom_c - 1
    target = probs[n_het]
    p = sum(x for x in probs if x <= target * (1 + 1e-9)) / total
    return min(1.0, p)


def _note(r: SampleVntr) -> str:
    if r.method == "inferred":
        caveats = [m.caveat for m in r.markers if m.caveat and m.state.value == "used"]
        return caveats[0] if caveats else ""
    if r.method == "unknown":
        missing = ", ".join(r.missing_markers)
        return "no measured allele and no usable tag call" + (f" (missing: {missing})" if missing else "")
    return ""


def dosage_rows(results: Mapping[str, SampleVntr], populations: Mapping[str, str] | None = None) -> Iterator[list[str]]:
    """One row per sample (columns :data:`DOSAGE_COLUMNS`), in sample order, made as read."""
    for sample in results:
        r = results[sample]
        yield [sample, (populations or {}).get(sample, UNASSIGNED if populations else ALL), r.star2_dosage, r.method,
               r.derived_from, r.confidence or "", r.call, "|".join(r.candidates), r.star2_copies, _note(r)]


def dosage_rows_from_sections(samples: Iterable[str], per_sample: Mapping[str, dict],
                              populations: Mapping[str, str] | None = None) -> Iterator[list[str]]:
    """:func:`dosage_rows` from the per-sample JSON sections of a run (``{"vntr": SampleVntr.to_json()}``)."""
    for sample in samples:
        v = per_sample[sample]["vntr"]
        if v["method"] == "inferred":
            note = next((m["caveat"] for m in v["markers"] if m["state"] == "used" and m.get("caveat")), "")
        elif v["method"] == "unknown":
            missing = ", ".join(v["missing_markers"])
            note = "no measured allele and no usable tag call" + (f" (missing: {missing})" if missing else "")
        else:
            note = ""
        yield [sample, (populations or {}).get(sample, UNASSIGNED if populations else ALL), v["star2_dosage"],
               v["method"], v["derived_from"], v["confidence"] or "", v["call"], "|".join(v["candidates"]),
               v["star2_copies"], note]


@dataclass
class _Pop:
    samples: int = 0
    dosage: Counter = None  # type: ignore[assignment]
    methods: Counter = None  # type: ignore[assignment]
    measured: int = 0
    measured_alleles: Counter = None  # type: ignore[assignment]
    measured_carriers: Counter = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.dosage, self.methods = Counter(), Counter()
        self.measured_alleles, self.measured_carriers = Counter(), Counter()


def _fmt(x: float | None, digits: int = 4) -> str:
    return "" if x is None else f"{x:.{digits}g}" if x < 1e-3 and x > 0 else f"{round(x, digits):g}"


def frequency_rows(results: Mapping[str, SampleVntr], defn: VntrDefinition,
                   populations: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """Rows of :data:`FREQUENCY_COLUMNS`: per population (and ``all``), the *2 row from every dosage, one row
    per allele from measured diplotypes, then the published frequencies."""
    pops: dict[str, _Pop] = {ALL: _Pop()}  # "all" even for a sites-only file (no sample)
    weighted = results.groups() if hasattr(results, "groups") and not populations else None
    items: Iterable[tuple[SampleVntr, int, str]]
    if weighted is not None:
        items = ((r, w, ALL) for r, w in weighted)
    else:
        items = ((results[s], 1, (populations or {}).get(s, UNASSIGNED)) for s in results)
    for r, w, pop in items:
        for name in ((pop, ALL) if pop != ALL else (ALL,)):
            p = pops.setdefault(name, _Pop())
            p.samples += w
            if r.star2_dosage != "NA":
                p.dosage[int(r.star2_dosage)] += w
                p.methods[r.method] += w
            if r.method in MEASURED and len(r.haplotypes) == 1:
                p.measured += w
                for allele in r.haplotypes[0]:
                    p.measured_alleles[allele] += w
                for allele in set(r.haplotypes[0]):
                    p.measured_carriers[allele] += w
    order = sorted((k for k in pops if k != ALL), key=lambda k: (k == UNASSIGNED, k)) + [ALL]
    names = [a.name for a in defn.alleles]
    rows: list[dict[str, str]] = []
    for name in order:
        p = pops[name]
        n0, n1, n2 = p.dosage[0], p.dosage[1], p.dosage[2]
        called = n0 + n1 + n2
        count = n1 + 2 * n2
        af_lo, af_hi = wilson_interval(count, 2 * called)
        cf_lo, cf_hi = wilson_interval(n1 + n2, called)
        rows.append({"population": name, "allele": STAR2, "basis": "measured + tag SNVs", "n_samples": str(p.samples),
                     "n_called": str(called), "allele_count": str(count), "allele_number": str(2 * called),
                     "allele_frequency": _fmt(count / (2 * called)) if called else "", "af_ci95_low": _fmt(af_lo),
                     "af_ci95_high": _fmt(af_hi), "carriers": str(n1 + n2),
                     "carrier_frequency": _fmt((n1 + n2) / called) if called else "",
                     "cf_ci95_low": _fmt(cf_lo), "cf_ci95_high": _fmt(cf_hi), "genotypes_0_1_2": f"{n0}/{n1}/{n2}",
                     "hwe_exact_p": _fmt(hwe_exact(n1, n0, n2)), "methods": "; ".join(
                         f"{k} {v}" for k, v in sorted(p.methods.items())),
                     "source": "this cohort: samples with a *2 dosage (a tag dosage 0 = no evidence of the *2 tag "
                               "haplotype)"})
        if not p.measured:
            continue
        alleles = sorted(p.measured_alleles, key=lambda a: (a not in names, names.index(a) if a in names else 0, a))
        for allele in alleles:
            k, c = p.measured_alleles[allele], p.measured_carriers[allele]
            lo, hi = wilson_interval(k, 2 * p.measured)
            clo, chi = wilson_interval(c, p.measured)
            rows.append({"population": name, "allele": allele, "basis": "measured", "n_samples": str(p.samples),
                         "n_called": str(p.measured), "allele_count": str(k), "allele_number": str(2 * p.measured),
                         "allele_frequency": _fmt(k / (2 * p.measured)), "af_ci95_low": _fmt(lo),
                         "af_ci95_high": _fmt(hi), "carriers": str(c), "carrier_frequency": _fmt(c / p.measured),
                         "cf_ci95_low": _fmt(clo), "cf_ci95_high": _fmt(chi), "genotypes_0_1_2": "", "hwe_exact_p": "",
                         "methods": "", "source": "this cohort: measured diplotypes (long reads, VCF repeat records)"})
    for f in defn.frequencies:
        rows.append({"population": f.population, "allele": f.allele, "basis": "published",
                     "n_samples": "" if f.n_individuals is None else str(f.n_individuals), "n_called": "",
                     "allele_count": "", "allele_number": "", "allele_frequency": _fmt(f.frequency), "af_ci95_low": "",
                     "af_ci95_high": "", "carriers": "", "carrier_frequency": "", "cf_ci95_low": "", "cf_ci95_high": "",
                     "genotypes_0_1_2": "", "hwe_exact_p": "", "methods": "",
                     "source": f"{f.source.split(':')[0]}: {f.citation}"})
    return rows


def length_histogram(results: Mapping[str, SampleVntr]) -> dict[int, int]:
    """Spanning long-read allele lengths over every sample with reads: {length in bp: reads}."""
    counts: Counter[int] = Counter()
    weighted = results.groups() if hasattr(results, "groups") else [(results[s], 1) for s in results]
    for r, w in weighted:
        if r.reads is not None:
            for length, n in r.reads.length_counts:
                counts[length] += n * w
    return dict(sorted(counts.items()))


def cohort_tables_section(results: Mapping[str, SampleVntr], defn: VntrDefinition,
                          populations: Mapping[str, str] | None = None, reads_files: tuple[str, ...] = (),
                          reads_notes: tuple[str, ...] = ()) -> dict:
    """The cohort JSON's frequency table (with the published rows), the read-length histogram and a reads
    summary (added to :func:`il1rn_annot.vntr.summary.cohort_summary`)."""
    out: dict = {"frequencies": frequency_rows(results, defn, populations), "ci_method": CI_METHOD,
                 "hwe_method": HWE_METHOD, "populations_given": populations is not None}
    if reads_files:
        weighted = results.groups() if hasattr(results, "groups") else [(results[s], 1) for s in results]
        with_reads = [(r.reads, w) for r, w in weighted if r.reads is not None]
        out["reads"] = {"files": list(reads_files), "samples": sum(w for _, w in with_reads),
                        "measured": sum(w for c, w in with_reads if c.measured),
                        "tag_only": sum(w for c, w in with_reads if not c.measured),
                        "length_histogram": {str(k): v for k, v in length_histogram(results).items()},
                        "notes": list(reads_notes)}
    return out
