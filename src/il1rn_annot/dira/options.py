"""Every threshold and policy of the DIRA interpretation, with its default and why (see docs/methods.md,
"DIRA interpretation").  One frozen value per run; built from the CLI/API ``options`` dict."""

from __future__ import annotations

from dataclasses import dataclass, fields

# INFO keys read as population allele frequencies, in the order they are reported.  All present keys are
# read; benign criteria use the largest, PM2 needs every present key to be at or below its threshold.
DEFAULT_AF_KEYS = (
    "AF_popmax", "AF_grpmax", "gnomAD_AF_popmax", "gnomADe_AF_popmax", "gnomADg_AF_popmax", "gnomAD_AF_grpmax",
    "gnomAD_AF", "gnomADe_AF", "gnomADg_AF", "gnomAD_exomes_AF", "gnomAD_genomes_AF", "gnomad_AF",
    "ExAC_AF", "AF",
)

CLASS_NAMES = ("pathogenic", "likely_pathogenic", "uncertain", "likely_benign", "benign", "not_qualifying")
HALF_CALL_POLICIES = ("partial", "missing", "het")
CLASS_SYSTEMS = ("points", "2015", "lower")
# gnomAD's genetic-ancestry groups left out of grpmax / fafmax (bottlenecked or not a continental group)
DEFAULT_FOUNDER_GROUPS = ("asj", "fin", "ami", "mid", "remaining", "oth")
# frequency fields tried, in order, when --population-af-field is "auto"
POPULATION_FIELDS = ("fafmax_faf95_max", "AF_grpmax", "AF_popmax", "faf95", "AF")
HAPLOID_POLICIES = ("possible", "biallelic", "carrier", "not_assessable")
UNTRUSTED_POLICIES = ("not_assessable", "use")


@dataclass(frozen=True, slots=True)
class DiraOptions:
    # allele frequency (BA1 / BS1 / PM2_Supporting)
    """Thresholds and policies of the DIRA assessment (allele-frequency cut-offs, half-calls, haploid calls,
    quality)."""
    ba1_af: float = 0.05  # ACMG/ClinGen BA1: > 5 % in a population = benign, stand-alone
    # BS1: the maximum credible allele frequency of a DIRA allele (Whiffin et al. 2017, recessive):
    # sqrt(prevalence 1/6,300, the highest regional incidence, NW Puerto Rico) = 0.0126, which the Puerto Rican
    # founder deletion reaches (allele frequency 1.3 %, 3 carriers in 119 controls); rounded up
    bs1_af: float = 0.013
    pm2_af: float = 0.0001  # PM2_Supporting for recessive disease: absent or <= 0.01 %
    bs2_min_homozygotes: int = 3  # BS2: homozygotes in the population file (nhomalt); DIRA is fully penetrant early
    population_af_field: str = "auto"  # --population-af: the INFO field read (auto: POPULATION_FIELDS in order)
    population_founder_groups: tuple[str, ...] = DEFAULT_FOUNDER_GROUPS  # never used for BA1/BS1
    population_min_an: int = 2000  # ClinGen SVI BA1: a population of at least 2,000 alleles
    class_system: str = "points"  # which class counts: points (Tavtigian 2020), 2015, or the lower of the two
    af_keys: tuple[str, ...] = DEFAULT_AF_KEYS
    cohort_af_min_an: int = 1000  # plain INFO/AF counts as a population AF only with AN >= this
    # structural variants / matching
    long_deletion_bp: int = 50  # explicit deletions this long are also assessed as structural variants
    min_reciprocal_overlap: float = 0.8  # large deletion vs published breakpoints
    # which variant classes count toward the recessive verdict
    qualifying_classes: tuple[str, ...] = ("pathogenic", "likely_pathogenic")
    # genotype policies
    half_call: str = "partial"  # ./1: one copy seen, the other allele unknown
    haploid: str = "possible"  # a haploid ALT call on chr2 (an autosome)
    filtered: str = "not_assessable"  # FILTER / FT not PASS at a qualifying site
    low_quality: str = "not_assessable"  # GQ / DP below the minimum at a qualifying site
    min_gq: float = 20.0
    min_dp: int = 10
    use_pm3: bool = True  # PM3 also from other affected samples of the run (PED phenotype 2), never the sample's own
    min_block_gq: float = 20.0  # a gVCF reference block calls a catalogue site only with a called GT and GQ >= this

    def __post_init__(self) -> None:
        bad = [c for c in self.qualifying_classes if c not in CLASS_NAMES]
        if bad:
            raise ValueError(f"unknown DIRA class(es) {bad}; choose from {', '.join(CLASS_NAMES)}")
        for name, allowed in (("half_call", HALF_CALL_POLICIES), ("haploid", HAPLOID_POLICIES),
                              ("filtered", UNTRUSTED_POLICIES), ("low_quality", UNTRUSTED_POLICIES)):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} policy '{getattr(self, name)}' unknown; choose from {', '.join(allowed)}")
        if self.class_system not in CLASS_SYSTEMS:
            raise ValueError(f"class system '{self.class_system}' unknown; choose from {', '.join(CLASS_SYSTEMS)}")
        if not (0 <= self.pm2_af <= self.bs1_af <= self.ba1_af <= 1):
            raise ValueError(f"allele-frequency thresholds must satisfy 0 <= PM2 ({self.pm2_af}) <= BS1 "
                             f"({self.bs1_af}) <= BA1 ({self.ba1_af}) <= 1")

    @classmethod
    def from_dict(cls, d: dict | None) -> "DiraOptions":
        """Build from ``options["dira"]`` (unknown keys are an error, so a typo is never silently ignored)."""
        d = dict(d or {})
        names = set((f.name for f in fields(cls)))
        unknown = sorted(set(d) - names)
        if unknown:
            raise ValueError(f"unknown DIRA option(s) {unknown}; known: {', '.join(sorted(names))}")
        for k in ("af_keys", "qualifying_classes", "population_founder_groups"):
            if isinstance(d.get(k), str):
                d[k] = tuple(x.strip() for x in d[k].split(",") if x.strip())
            elif k in d:
                d[k] = tuple(d[k])
        return cls(**d)

    def as_dict(self) -> dict:
        """Every option as a JSON-able dict (tuples as lists), as the cohort report records them."""
        return {n: (list(v) if isinstance(v := getattr(self, n), tuple) else v) for n in (f.name for f in fields(self))}
