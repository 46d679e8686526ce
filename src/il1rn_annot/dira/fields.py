"""The DIRA columns of the variant table and the VCF CSQ entries: what the "dira" analysis found for each
allele (``AlleleAnnotation.extras["dira"]``, put there from :class:`~il1rn_annot.analyses.AnalysisResult`)."""

from __future__ import annotations

from il1rn_annot.columns import Field


def _dira(a) -> dict:
    return a.extras.get("dira", {})


def _criteria_text(d: dict) -> str:
    """Every criterion as ``CODE:status:points``, &-joined (the VCF INFO's compact form)."""
    return "&".join(f"{c['applied']}:{c['status']}:{c['points']}" for c in d.get("criteria", ()))


def _acmg_text(d: dict) -> str:
    if not d.get("points_class"):
        return ""
    text = f"points:{d['points_class']}({d.get('points', 0):+d})|2015:{d['class_2015']}|used:{d.get('class_source', '')}"
    return text


def _catalogue_text(d: dict) -> str:
    return "&".join(f"{m['allele_id']}:{m['how']}" for m in d.get("catalogue", ()))


DIRA_FIELDS = [
    Field("DIRA_class", "DIRA class of the allele", lambda a, t: _dira(a).get("class", "")),
    Field("DIRA_codes", "ACMG criteria met, as applied (&-joined), and the catalogue/frequency notes",
          lambda a, t: "&".join(_dira(a).get("codes", ()))),
    Field("DIRA_ACMG", "the ClinGen points class (with its points), the 2015 class, and which one the class uses",
          lambda a, t: _acmg_text(_dira(a))),
    Field("DIRA_criteria", "every ACMG criterion evaluated, CODE:status:points (&-joined; met, not_met, not_evaluable)",
          lambda a, t: _criteria_text(_dira(a))),
    Field("DIRA_catalogue", "matched DIRA catalogue allele(s) and how they matched",
          lambda a, t: _catalogue_text(_dira(a))),
    Field("DIRA_PVS1", "PVS1 strength and reason on MANE", lambda a, t: _dira(a).get("pvs1", "")),
    Field("DIRA_SV", "structural variant: what it removes", lambda a, t: _dira(a).get("sv", "")),
]
