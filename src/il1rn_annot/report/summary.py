"""A sample's result in plain words, for the clinician who reads the HTML report (pure: the analyses' per-sample
sections in, sentences out).

Four parts, in the order the report shows them: what the verdict means, the evidence behind it, what could not
be assessed and why (catalogue sites with no record, calls not trusted, large deletions that a VCF of SNVs and
small indels cannot show, an unknown VNTR allele), and suggested next steps.  Every sentence says no more than
the analysis found: "not observed" is never "reference", a possible result is never called proven, and what
is inferred rather than measured is marked INFERRED where it is said.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from il1rn_annot.dira.catalogue import load_catalogue

# What each DIRA verdict means, in one or two sentences (docs/methods.md 5.4 gives the rules).
VERDICT_MEANING: dict[str, str] = {
    "BIALLELIC": "Both copies of IL1RN carry a qualifying (pathogenic or likely pathogenic) allele. This genotype "
                 "is consistent with DIRA (deficiency of the IL-1 receptor antagonist); the diagnosis rests on the "
                 "clinical picture as well.",
    "POSSIBLE_BIALLELIC_PHASE_UNKNOWN": "Qualifying alleles were found that would affect both copies of IL1RN, "
                                        "but it is not known that they lie on different copies: possibly "
                                        "biallelic, not proven.",
    "POSSIBLE_BIALLELIC_INCONSISTENT_GENOTYPES": "Qualifying alleles were found, but the genotypes the result "
                                                 "rests on contradict each other: possibly biallelic, not proven.",
    "UNCERTAIN_BIALLELIC_CANDIDATE": "Both copies would be affected only if an allele of uncertain significance "
                                     "counted. This is not a qualifying result.",
    "NOT_ASSESSABLE": "A qualifying site could not be assessed (its call is missing, half-called or not trusted), "
                      "so no verdict can be given.",
    "CARRIER": "One qualifying allele was found (or two on the same copy). A carrier of a recessive disease is "
               "expected to be healthy, unless a second allele was missed (see what could not be assessed).",
    "NO_QUALIFYING_VARIANT": "No qualifying allele was found among the sites this file covers. This does not "
                             "exclude DIRA: see what could not be assessed.",
    "NO_IL1RN_RECORDS": "The file has no record in the IL1RN window, so nothing about IL1RN can be said from it.",
}

# Next steps per verdict, and per flag the analysis raised.
VERDICT_NEXT_STEPS: dict[str, tuple[str, ...]] = {
    "BIALLELIC": ("Confirm the qualifying variant(s) with an independent method (e.g. Sanger sequencing).",
                  "Test the parents: each is expected to carry one of the alleles; this also confirms that the two "
                  "copies are affected (a homozygous call can be one copy opposite a deletion)."),
    "POSSIBLE_BIALLELIC_PHASE_UNKNOWN": ("Establish the phase: test the parents, or phase the variants from the "
                                         "reads (read-backed or long-read phasing).",),
    "POSSIBLE_BIALLELIC_INCONSISTENT_GENOTYPES": ("Check the contradicting calls: confirm the copy number at IL1RN "
                                                  "(MLPA, array or an SV caller) and, for a Mendelian error, sample "
                                                  "identity and parentage.",),
    "UNCERTAIN_BIALLELIC_CANDIDATE": ("More evidence on the allele of uncertain significance (segregation in the "
                                      "family, RNA or functional studies) could change its class.",),
    "NOT_ASSESSABLE": ("Genotype the sites that could not be assessed again (e.g. Sanger sequencing), or re-call "
                       "them with adequate depth and quality.",),
    "CARRIER": ("Look for a second allele that this file cannot show: sequence all IL1RN exons and test for "
                "deletions with a copy-number method.",),
    "NO_QUALIFYING_VARIANT": ("If DIRA is still suspected: sequence all IL1RN exons and test for deletions with a "
                              "copy-number method.",),
    "NO_IL1RN_RECORDS": ("Check that the sequencing covered IL1RN (2q14.1) and that the file's build is the one "
                         "stated.",),
}
FLAG_NEXT_STEPS: dict[str, str] = {
    "possibly_hemizygous": "A homozygous call lies inside a heterozygous deletion: confirm the copy number at IL1RN "
                           "(MLPA, array or an SV caller) and test the parents.",
    "statistical_phase_only": "The phase comes from population (statistical) phasing, which is unreliable for rare "
                              "variants: confirm it by testing the parents or by read-backed phasing.",
    "classification_systems_disagree": "The ClinGen points system and the 2015 rules give a qualifying allele "
                                       "different classes: review its criteria (table below).",
    "mendelian_error": "A call contradicts the parents' genotypes: check sample identity and parentage.",
    "het_variant_in_het_deletion": "A heterozygous call lies inside a heterozygous deletion of the same bases: one of "
                                   "the two calls is wrong; confirm the copy number.",
}
COPIES = {2: "both copies (homozygous)", 1: "one copy (heterozygous)"}


@dataclass(frozen=True)
class RunFacts:
    """What the whole run tells about a sample's result: the build, whether the IL1RN window holds any
    structural-variant record (a symbolic allele or a deletion of ``long_deletion_bp`` or more), and the gene
    model's note when its MANE transcript is PROJECTED from the other build."""

    build: str
    has_sv_records: bool
    projected_note: str = ""


@dataclass(frozen=True)
class SampleSummary:
    """One sample's result in words: the verdict and its meaning, the evidence, what could not be assessed,
    suggested next steps, and the VNTR answer (each a list of sentences)."""

    verdict: str
    meaning: str
    evidence: list[str] = field(default_factory=list)
    not_assessed: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    vntr: list[str] = field(default_factory=list)


def _short_hgvs(text: object) -> str:
    text = "" if text is None else str(text)
    return text.split(":", 1)[1] if ":" in text else text


def _copies(hit: Mapping) -> str:
    gt = str(hit.get("genotype") or "")
    copies = hit.get("copies")
    if isinstance(copies, int) and copies in COPIES:
        return f"{COPIES[copies]}, {gt}"
    if gt and "." in gt:
        return f"a call with a missing allele ({gt})"
    return f"genotype {gt}" if gt else "genotype not given"


def catalogue_status(allele_id: str, build: str) -> str:
    """How exactly the catalogue knows the allele's change: verified, inferred or unknown_breakpoints."""
    try:
        return load_catalogue(build).get(allele_id).status
    except KeyError:
        return ""


def describe_hit(hit: Mapping, build: str) -> str:
    """One qualifying (or candidate) allele in words: where, what, how many copies, its class and criteria."""
    names = [x for x in (_short_hgvs(hit.get("hgvs_c")), _short_hgvs(hit.get("hgvs_p"))) if x]
    catalogue = []
    for aid in hit.get("catalogue") or ():
        status = catalogue_status(aid, build)
        catalogue.append(f"{aid}, exact change INFERRED by the catalogue" if status == "inferred" else aid)
    what = ", ".join(names)
    if catalogue:
        what += ("; " if what else "") + "published DIRA allele " + "; ".join(catalogue)
    if hit.get("sv"):
        what += ("; " if what else "") + str(hit["sv"])
    classes = f"class {hit.get('class', '')}"
    pc, c15 = hit.get("points_class"), hit.get("class_2015")
    if pc and c15 and pc != c15:
        classes += f" (points system: {pc}; 2015 rules: {c15})"
    codes = [c for c in hit.get("codes") or () if c]
    met = f"; criteria met: {', '.join(codes)}" if codes else ""
    phase_set = f"; phase set {hit['PS']}" if hit.get("PS") not in (None, "") else ""
    return f"{hit.get('variant')}" + (f" ({what})" if what else "") + f": {_copies(hit)}; {classes}{met}{phase_set}."


def describe_phase(p: Mapping) -> str:
    a, b = (list(p.get("variants") or ()) + ["", ""])[:2]
    phase, source = p.get("phase", "unknown"), str(p.get("source", "unknown")).replace("_", " ")
    proof = "proven" if p.get("proof") else "not proof"
    where = {"trans": "on different copies (trans)", "cis": "on the same copy (cis)",
             "same_allele": "the same allele written twice"}.get(str(phase), "phase unknown")
    detail = f" ({p['detail']})" if p.get("detail") else ""
    return f"{a} and {b}: {where}, from {source} ({proof}){detail}."


def _catalogue_sentences(sites: Mapping[str, str], facts: RunFacts) -> list[str]:
    out = []
    missing = [a for a, v in sites.items() if v == "not_observed"]
    no_coords = [a for a, v in sites.items() if str(v).startswith("no coordinates")]
    not_called = [f"{a} ({str(v).split(': ', 1)[-1]})" for a, v in sites.items()
                  if str(v).startswith("not assessable")]
    if missing:
        out.append(f"{len(missing)} of the {len(sites)} published DIRA alleles have no record at their site in this "
                   f"file and were NOT OBSERVED: {', '.join(missing)}. A VCF of variants lists only the sites where a "
                   "variant was called, so their absence is not evidence of the reference allele (an all-sites VCF "
                   "or gVCF would show it).")
    if not_called:
        out.append("Sites covered by a record whose call cannot be used: " + "; ".join(not_called) + ".")
    if no_coords:
        out.append(f"{', '.join(no_coords)}: the breakpoints were never published, so only a matching deletion call "
                   "can show them.")
    if not facts.has_sv_records:
        large = [f"{a.allele_id} (founder deletion: {a.founder_population.split(';')[0].split(' (')[0]})"
                 if "founder" in a.founder_population.lower() else a.allele_id
                 for a in load_catalogue(facts.build).alleles if a.is_large_deletion]
        out.append("Large deletions cannot be seen here: the IL1RN window of this file holds no structural-variant "
                   "record (a symbolic <DEL>/<CNV> allele or a long deletion), as is usual for a VCF of SNVs and "
                   f"small indels. The published DIRA deletions, {', '.join(large)}, need a copy-number or SV "
                   "method.")
    return out


def _vntr_sentences(vntr: Mapping | None) -> tuple[list[str], list[str]]:
    """(the VNTR answer in words, what could not be assessed about it)."""
    if not vntr:
        return [], []
    method = str(vntr.get("method") or "unknown")
    call = str(vntr.get("diplotype") or vntr.get("call") or "unknown")
    confidence = f", {vntr['confidence']} confidence" if vntr.get("confidence") else ""
    star2 = vntr.get("star2_copies")
    copies = f"; IL1RN*2 copies: {star2}" if star2 not in (None, "") else ""
    if method == "unknown":
        reasons = [str(n) for n in vntr.get("notes") or ()][:2]
        return ([f"IL1RN*1-*5 VNTR (intron 2): not determined{copies}."],
                ["The IL1RN*1-*5 VNTR allele could not be determined" + (": " + "; ".join(reasons) if reasons else
                                                                         ".")])
    how = "INFERRED from tag SNVs, not measured" if method == "inferred" else \
        "MEASURED from spanning long reads" if method == "long_reads" else "MEASURED from the VCF's VNTR record(s)"
    return [f"IL1RN*1-*5 VNTR (intron 2): {call} ({how}{confidence}){copies}."], []


def summarise(dira: Mapping | None, vntr: Mapping | None, facts: RunFacts) -> SampleSummary:
    """The plain-language summary of one sample from its "dira" section and the inner dict of its "vntr"
    section (either may be None when that analysis did not run)."""
    dira = dira or {}
    verdict = str(dira.get("verdict") or "")
    s = SampleSummary(verdict, VERDICT_MEANING.get(verdict, "No DIRA verdict was made for this sample."
                                                   if not verdict else verdict))
    for hit in dira.get("qualifying_variants") or ():
        s.evidence.append("Qualifying: " + describe_hit(hit, facts.build))
    for hit in dira.get("other_candidate_variants") or ():
        s.evidence.append("Also carried, not counted: " + describe_hit(hit, facts.build))
    for p in dira.get("phase_evidence") or ():
        s.evidence.append("Phase: " + describe_phase(p))
    if verdict and not s.evidence:
        s.evidence.append("No allele of a qualifying class is carried among the records of this file.")
    for site in dira.get("not_assessable_sites") or ():
        s.not_assessed.append(f"{site.get('variant')}: {site.get('why')}.")
    s.not_assessed.extend(_catalogue_sentences(dira.get("catalogue_sites") or {}, facts))
    vntr_words, vntr_gaps = _vntr_sentences(vntr)
    s.vntr.extend(vntr_words)
    s.not_assessed.extend(vntr_gaps)
    steps = list(VERDICT_NEXT_STEPS.get(verdict, ()))
    if dira.get("ped"):  # the parents are in the run already
        steps = [x for x in steps if not x.startswith("Test the parents")]
    for flag in dira.get("flags") or ():
        if flag in FLAG_NEXT_STEPS and FLAG_NEXT_STEPS[flag] not in steps:
            steps.append(FLAG_NEXT_STEPS[flag])
    if facts.has_sv_records:  # the deletion-testing advice is for files that cannot show deletions
        steps = [x.replace(" and test for deletions with a copy-number method", "") for x in steps]
    s.next_steps.extend(steps)
    return s


def has_sv_records(annotations: Sequence, long_deletion_bp: int = 50) -> bool:
    """Does the window hold a structural-variant record: a symbolic ALT or a deletion of at least
    ``long_deletion_bp`` bases?"""
    for a in annotations:
        v = a.variant
        if v.kind.value == "symbolic" or (len(v.ref) - len(v.alt)) >= long_deletion_bp:
            return True
    return False


# --- the cohort in words ---------------------------------------------------------------------------------

# Verdicts in the order a reader needs them (the ones to act on first), with how a group of them is said.
COHORT_VERDICT_WORDS: tuple[tuple[str, str], ...] = (
    ("BIALLELIC", "carry a qualifying allele on both copies of IL1RN (consistent with DIRA; the diagnosis rests on "
                  "the clinical picture as well)"),
    ("POSSIBLE_BIALLELIC_PHASE_UNKNOWN", "carry qualifying alleles that would affect both copies, phase unknown: "
                                         "possibly biallelic, not proven"),
    ("POSSIBLE_BIALLELIC_INCONSISTENT_GENOTYPES", "carry qualifying alleles whose genotypes contradict each other: "
                                                  "possibly biallelic, not proven"),
    ("NOT_ASSESSABLE", "have a qualifying site whose call is missing, half-called or not trusted: no verdict"),
    ("UNCERTAIN_BIALLELIC_CANDIDATE", "would be biallelic only if an allele of uncertain significance counted "
                                      "(not a qualifying result)"),
    ("CARRIER", "carry one qualifying allele (a carrier of a recessive disease is expected to be healthy)"),
    ("NO_QUALIFYING_VARIANT", "carry no qualifying allele among the sites this file covers (this does not "
                              "exclude DIRA)"),
    ("NO_IL1RN_RECORDS", "have no record in the IL1RN window (the file has none)"),
)
ATTENTION = ("BIALLELIC", "POSSIBLE_BIALLELIC_PHASE_UNKNOWN", "POSSIBLE_BIALLELIC_INCONSISTENT_GENOTYPES",
             "NOT_ASSESSABLE", "UNCERTAIN_BIALLELIC_CANDIDATE")
NAMES_SHOWN = 10


@dataclass(frozen=True)
class CohortSummary:
    """The whole file's result in words: the verdicts over the samples (who needs attention, by name), what no
    sample could be assessed for, the VNTR answers, and next steps per group."""

    samples: int
    verdicts: list[str] = field(default_factory=list)
    not_assessed: list[str] = field(default_factory=list)
    vntr: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return shown + (f" and {more:,} more (the samples table lists every one)" if more > 0 else "")


def _verdicts_said(s: CohortSummary) -> set[str]:
    return {v.split(":", 1)[0] for v in s.verdicts}


def summarise_cohort(samples: Iterable[tuple[str, Mapping | None, Mapping | None]], facts: RunFacts) -> CohortSummary:
    """The plain-language summary of a run over several samples, from each sample's (name, "dira" section, inner
    "vntr" dict), read once in one pass (a cohort's sections are made on request).  Says no more than the
    per-sample summaries do: the groups are counted, not merged into a cohort verdict, and what the file cannot
    show is said once for all."""
    by_verdict: dict[str, list[str]] = {}
    shared: dict | None = None  # catalogue site -> its state in every sample so far, or "varies"
    uncalled: list[str] = []
    methods: dict[str, int] = {}
    reasons: dict[str, int] = {}
    total = 0
    for name, dira, vntr in samples:
        total += 1
        dira = dira or {}
        by_verdict.setdefault(str(dira.get("verdict") or ""), []).append(name)
        # a catalogue site with no record (or no published breakpoints) is the same for every sample; a site
        # whose call is unusable differs between samples and is counted below
        sites = dict(dira.get("catalogue_sites") or {})
        if shared is None:
            shared = {a: "varies" if str(v).startswith("not assessable") else v for a, v in sites.items()}
        else:
            for a, v in shared.items():
                if sites.get(a) != v:
                    shared[a] = "varies"
        if dira.get("not_assessable_sites"):
            uncalled.append(name)
        if vntr:
            method = str(vntr.get("method") or "unknown")
            methods[method] = methods.get(method, 0) + 1
            if method == "unknown":
                for note in list(vntr.get("notes") or ())[:1]:
                    reasons[str(note)] = reasons.get(str(note), 0) + 1
    s = CohortSummary(total)
    for verdict, words in COHORT_VERDICT_WORDS:
        names = by_verdict.pop(verdict, [])
        if not names:
            continue
        who = f": {_names(names)}" if verdict in ATTENTION or (verdict == "CARRIER" and len(names) <= NAMES_SHOWN) else ""
        s.verdicts.append(f"{verdict}: {len(names):,} sample(s) {words}{who}.")
    for verdict, names in by_verdict.items():  # a verdict these words do not know, or none made
        s.verdicts.append(f"{verdict or 'no DIRA verdict'}: {len(names):,} sample(s).")
    if not any(by_name in ATTENTION for by_name in _verdicts_said(s)):
        s.verdicts.append("No sample has a biallelic, possibly biallelic or not-assessable result.")
    if shared is not None:
        s.not_assessed.extend(_catalogue_sentences(shared, facts))
    if uncalled:
        s.not_assessed.append(f"{len(uncalled):,} sample(s) have a site whose call could not be used (each one's "
                              f"section and the samples table name the site and why): {_names(uncalled)}.")

    if methods:
        how = {"unknown": "not determined", "inferred": "INFERRED from tag SNVs (not measured)",
               "long_reads": "MEASURED from spanning long reads", "direct": "MEASURED from the VCF's VNTR record(s)"}
        parts = [f"{how.get(m, m)}: {n:,}"
                 for m, n in sorted(methods.items(), key=lambda kv: -kv[1])]
        s.vntr.append("IL1RN*1-*5 VNTR (intron 2), samples by how the allele was found: " + "; ".join(parts) + ".")
        if reasons:
            reason, n = max(reasons.items(), key=lambda kv: kv[1])
            s.vntr.append(f"Why not determined ({n:,} of {methods.get('unknown', 0):,} such samples): {reason}.")

    said = _verdicts_said(s)
    for verdict in ATTENTION:
        if verdict in said:
            s.next_steps.append(f"{verdict}: " + " ".join(VERDICT_NEXT_STEPS.get(verdict, ())))
    if "CARRIER" in said:
        s.next_steps.append("CARRIER, in a sample with signs of DIRA: " + " ".join(VERDICT_NEXT_STEPS["CARRIER"]))
    for verdict in ("NO_QUALIFYING_VARIANT", "NO_IL1RN_RECORDS"):
        if verdict in said:
            s.next_steps.append(f"{verdict}: " + " ".join(VERDICT_NEXT_STEPS[verdict]))
    if facts.has_sv_records:
        s.next_steps[:] = [x.replace(" and test for deletions with a copy-number method", "") for x in s.next_steps]
    return s
