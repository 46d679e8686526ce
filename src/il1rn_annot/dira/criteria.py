"""ACMG/AMP criteria as data, and the two ways of combining them (pure).

Every criterion evaluated for an allele is one :class:`Criterion`: its code (``PVS1``), the code as applied
(``PVS1_Strong``), strength, status (``met`` / ``not_met`` / ``not_evaluable``), signed points and the reason,
which names the evidence it rests on.  Two classes are computed from the met criteria, side by side:

- the ClinGen points class (Tavtigian et al. 2020; points per strength and class bands in
  ``data/acmg_points.tsv``), and
- the 2015 class (Richards et al. 2015, Table 5), counting each criterion at its applied strength as ClinGen
  SVI does, and reading "criteria for benign and pathogenic are contradictory" as: any pathogenic and any
  benign criterion met together give uncertain significance (BA1 stays stand-alone benign).

Where the two disagree the classification says so (:attr:`Combined.disagreement`).  The rules are checked
against the PyPI package ``acmg-points`` in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from il1rn_annot.model.resources import load_resource

POINTS_FILE = "acmg_points.tsv"


class Status(str, Enum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_EVALUABLE = "not_evaluable"


class Strength(str, Enum):
    VERY_STRONG = "very_strong"
    STRONG = "strong"
    MODERATE = "moderate"
    SUPPORTING = "supporting"
    STAND_ALONE = "stand_alone"
    NOT_SCORED = "not_scored"


class Direction(str, Enum):
    PATHOGENIC = "pathogenic"
    BENIGN = "benign"
    NONE = "none"  # informational (catalogue match, frequency key not used ...)


SUFFIX = {Strength.VERY_STRONG: "VeryStrong", Strength.STRONG: "Strong", Strength.MODERATE: "Moderate",
          Strength.SUPPORTING: "Supporting"}
# the strength each 2015 code has when not modified
DEFAULT_STRENGTH = {"PVS1": Strength.VERY_STRONG, "BA1": Strength.STAND_ALONE,
                    **{f"PS{i}": Strength.STRONG for i in range(1, 5)},
                    **{f"PM{i}": Strength.MODERATE for i in range(1, 7)},
                    **{f"PP{i}": Strength.SUPPORTING for i in range(1, 6)},
                    **{f"BS{i}": Strength.STRONG for i in range(1, 5)},
                    **{f"BP{i}": Strength.SUPPORTING for i in range(1, 8)}}


def direction_of(code: str) -> Direction:
    if code in DEFAULT_STRENGTH:
        return Direction.PATHOGENIC if code.startswith("P") else Direction.BENIGN
    return Direction.NONE


def applied_code(code: str, strength: Strength) -> str:
    """``PVS1`` at strong -> ``PVS1_Strong``; a code at its default strength keeps its bare name."""
    if strength is DEFAULT_STRENGTH.get(code) or strength not in SUFFIX:
        return code
    return f"{code}_{SUFFIX[strength]}"


@lru_cache(maxsize=1)
def _table() -> tuple[dict[Strength, int], list[tuple[str, int | None, int | None]], list[tuple[Strength, float]], str]:
    res = load_resource(POINTS_FILE)
    points = {Strength(r["name"]): int(r["points"]) for r in res.rows if r["kind"] == "strength"}
    bands = [(r["name"], int(r["low"]) if r["low"] else None, int(r["high"]) if r["high"] else None)
             for r in res.rows if r["kind"] == "band"]
    pm3 = sorted(((Strength(r["name"]), float(r["low"])) for r in res.rows if r["kind"] == "pm3_strength"),
                 key=lambda kv: -kv[1])
    return points, bands, pm3, res.label


def points_label() -> str:
    return _table()[3]


def strength_points(strength: Strength, direction: Direction) -> int:
    """Signed points of a met criterion (benign negative; stand-alone BA1 scores -8, as acmg-points does)."""
    if strength is Strength.STAND_ALONE:
        return -8
    p = _table()[0].get(strength, 0)
    return -p if direction is Direction.BENIGN else p if direction is Direction.PATHOGENIC else 0


def pm3_strength(points: float) -> Strength | None:
    """The PM3 strength a sum of SVI PM3 points reaches (None below 0.5)."""
    for strength, low in _table()[2]:
        if points >= low - 1e-9:
            return strength
    return None


@dataclass(frozen=True, slots=True)
class Criterion:
    """One ACMG/AMP criterion as evaluated for one allele (or an informational note when ``direction`` is none)."""
    code: str  # the 2015 code (PVS1, PM2 ...) or a note's name (DIRA_CATALOGUE)
    status: Status
    strength: Strength
    reason: str  # in plain words, naming what it rests on
    points: int = 0  # signed Tavtigian points when met, else 0

    @property
    def direction(self) -> Direction:
        return direction_of(self.code)

    @property
    def applied(self) -> str:
        """The code as reported: ``PVS1_Strong``, ``PM2_Supporting``; the bare code when not met."""
        if self.status is not Status.MET:
            return self.code
        return applied_code(self.code, self.strength)

    @property
    def met(self) -> bool:
        return self.status is Status.MET

    @property
    def is_note(self) -> bool:
        return self.direction is Direction.NONE

    def as_dict(self) -> dict:
        return {"code": self.code, "applied": self.applied, "status": self.status.value,
                "strength": self.strength.value if self.status is Status.MET else "",
                "points": self.points, "reason": self.reason}


def met(code: str, strength: Strength, reason: str) -> Criterion:
    return Criterion(code, Status.MET, strength, reason, strength_points(strength, direction_of(code)))


def not_met(code: str, reason: str) -> Criterion:
    return Criterion(code, Status.NOT_MET, Strength.NOT_SCORED, reason)


def not_evaluable(code: str, reason: str) -> Criterion:
    return Criterion(code, Status.NOT_EVALUABLE, Strength.NOT_SCORED, reason)


def note(code: str, reason: str) -> Criterion:
    return Criterion(code, Status.MET, Strength.NOT_SCORED, reason)


# -- combining ----------------------------------------------------------------------------------------------

CLASS_ORDER = ("benign", "likely_benign", "uncertain", "likely_pathogenic", "pathogenic")


def points_class(criteria) -> tuple[str, int, str]:
    """(class, total points, why) by the Tavtigian 2020 bands; BA1 met = benign (stand-alone)."""
    scored = [c for c in criteria if c.met and not c.is_note]
    total = sum(c.points for c in scored)
    if any(c.code == "BA1" for c in scored):
        return "benign", total, "BA1 met: stand-alone benign"
    for name, low, high in _table()[1]:
        if (low is None or total >= low) and (high is None or total <= high):
            return name, total, f"{total:+d} points ({', '.join(c.applied for c in scored) or 'no criterion met'})"
    return "uncertain", total, f"{total:+d} points"


def _counts(criteria) -> dict[str, int]:
    c = {"PVS": 0, "PS": 0, "PM": 0, "PP": 0, "BA": 0, "BS": 0, "BP": 0}
    for x in criteria:
        if not x.met or x.is_note:
            continue
        if x.direction is Direction.PATHOGENIC:
            c[{Strength.VERY_STRONG: "PVS", Strength.STRONG: "PS", Strength.MODERATE: "PM",
               Strength.SUPPORTING: "PP"}[x.strength]] += 1
        elif x.strength is Strength.STAND_ALONE:
            c["BA"] += 1
        else:  # 2015 has no benign very strong / moderate: counted as strong (as acmg-points does)
            c["BS" if x.strength is not Strength.SUPPORTING else "BP"] += 1
    return c


def rules_2015(criteria) -> tuple[str, str]:
    """(class, why) by Richards et al. 2015 Table 5, criteria counted at their applied strength."""
    n = _counts(criteria)
    pvs, ps, pm, pp, ba, bs, bp = (n[k] for k in ("PVS", "PS", "PM", "PP", "BA", "BS", "BP"))
    path = (pvs >= 1 and (ps >= 1 or pm >= 2 or (pm == 1 and pp >= 1) or pp >= 2)) or ps >= 2 or (
        ps == 1 and (pm >= 3 or (pm == 2 and pp >= 2) or (pm == 1 and pp >= 4)))
    likely_path = (pvs >= 1 and pm == 1) or (ps == 1 and 1 <= pm <= 2) or (ps == 1 and pp >= 2) or pm >= 3 or (
        pm == 2 and pp >= 2) or (pm == 1 and pp >= 4)
    benign = ba >= 1 or bs >= 2
    likely_benign = (bs == 1 and bp >= 1) or bp >= 2
    p_side = "pathogenic" if path else "likely_pathogenic" if likely_path else None
    b_side = "benign" if benign else "likely_benign" if likely_benign else None
    counts = ", ".join(f"{k} {v}" for k, v in n.items() if v)
    if p_side and b_side:
        return "uncertain", f"rules give both {p_side} and {b_side}: contradictory, uncertain ({counts})"
    if ba and not p_side:
        return "benign", f"BA1 is stand-alone benign ({counts})"
    if (pvs + ps + pm + pp) and (ba + bs + bp):
        return "uncertain", (f"pathogenic and benign criteria both met: contradictory, uncertain (alone: "
                             f"{p_side or b_side or 'no rule met'}; {counts})")
    if p_side or b_side:
        return (p_side or b_side), f"Table 5 rule met ({counts})"  # type: ignore[return-value]
    return "uncertain", f"no Table 5 rule met ({counts or 'no criterion met'})"


@dataclass(frozen=True, slots=True)
class Combined:
    """The points class and the 2015 class of one set of criteria, and whether they disagree."""
    points_class: str
    points: int
    points_why: str
    class_2015: str
    why_2015: str

    @property
    def disagreement(self) -> str:
        if self.points_class == self.class_2015:
            return ""
        return f"points system says {self.points_class}, 2015 rules say {self.class_2015}"

    def as_dict(self) -> dict:
        return {"points_class": self.points_class, "points": self.points, "points_reason": self.points_why,
                "class_2015": self.class_2015, "reason_2015": self.why_2015, "disagreement": self.disagreement}


def combine_criteria(criteria) -> Combined:
    pc, total, pwhy = points_class(criteria)
    c15, why15 = rules_2015(criteria)
    return Combined(pc, total, pwhy, c15, why15)
