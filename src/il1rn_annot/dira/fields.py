"""The DIRA columns of the variant table and the VCF CSQ entries: what the "dira" analysis found for each
allele (``AlleleAnnotation.extras["dira"]``, put there from :class:`~il1rn_annot.analyses.AnalysisResult`)."""

from __future__ import annotations

from il1rn_annot.columns import Field


def _dira(a) -> dict:
    return a.extras.get("dira", {})


def _catalogue_text(d: dict) -> str:
    return "&".join(f"{m['allele_id']}:{m['how']}" for m in d.get("catalogue", ()))


DIRA_FIELDS = [
    Field("DIRA_class", "DIRA class of the allele", lambda a, t: _dira(a).get("class", "")),
    Field("DIRA_codes", "ACMG-style evidence codes (&-joined)", lambda a, t: "&".join(_dira(a).get("codes", ()))),
    Field("DIRA_catalogue", "matched DIRA catalogue allele(s) and how they matched",
          lambda a, t: _catalogue_text(_dira(a))),
    Field("DIRA_PVS1", "PVS1 strength and reason on MANE", lambda a, t: _dira(a).get("pvs1", "")),
    Field("DIRA_SV", "structural variant: what it removes", lambda a, t: _dira(a).get("sv", "")),
]
