"""GA4GH Phenopacket Schema v2 per sample: the DIRA interpretation as an exchangeable document (``--phenopacket DIR``).

Per sample: one ``Interpretation`` whose ``Diagnosis`` is DIRA (OMIM:612852), with one ``GenomicInterpretation``
per IL1RN allele the verdict rests on (qualifying alleles, and uncertain candidates), each holding a
``VariantInterpretation``: the ACMG class, a ``VariationDescriptor`` with the HGVS expressions, the VCF record,
the zygosity (GENO) and every ACMG criterion with its status, points and reason (as ``extensions``).

What it does not claim: the tool sees genotypes, not the patient, so every interpretation is ``IN_PROGRESS``
(decision support awaiting sign-off) and every variant ``CANDIDATE``, whatever the verdict; the verdict and its
reasons are in ``Interpretation.summary``.  Written with the ``phenopackets`` package (optional extra
``pip install -e '.[phenopacket]'``): each document is built as JSON and parsed into ``Phenopacket`` strictly (unknown
fields or wrong enum values are an error), so what is written validates against the schema.
"""

from __future__ import annotations

import datetime as _dt
import json
import os

from il1rn_annot.errors import InputError
from il1rn_annot.sinks.json_reports import file_names
from il1rn_annot.version import __version__

DIRA = {"id": "OMIM:612852", "label": "Interleukin 1 receptor antagonist deficiency"}
IL1RN = {"valueId": "HGNC:6000", "symbol": "IL1RN"}
MANE_REFSEQ = "NM_173842.3"
GENO = {2: {"id": "GENO:0000136", "label": "homozygous"}, 1: {"id": "GENO:0000135", "label": "heterozygous"}}
ACMG = {"pathogenic": "PATHOGENIC", "likely_pathogenic": "LIKELY_PATHOGENIC", "uncertain": "UNCERTAIN_SIGNIFICANCE",
        "likely_benign": "LIKELY_BENIGN", "benign": "BENIGN", "not_qualifying": "NOT_PROVIDED"}
RESOURCES = [
    {"id": "omim", "name": "Online Mendelian Inheritance in Man", "url": "https://www.omim.org",
     "version": "unknown", "namespacePrefix": "OMIM", "iriPrefix": "https://omim.org/entry/"},
    {"id": "geno", "name": "Genotype Ontology", "url": "http://purl.obolibrary.org/obo/geno.owl",
     "version": "unknown", "namespacePrefix": "GENO", "iriPrefix": "http://purl.obolibrary.org/obo/GENO_"},
    {"id": "hgnc", "name": "HUGO Gene Nomenclature Committee", "url": "https://www.genenames.org",
     "version": "unknown", "namespacePrefix": "HGNC", "iriPrefix": "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/"},
]


def require_phenopackets() -> None:
    try:
        import phenopackets  # noqa: F401  (only checks that the optional extra is installed)
    except ImportError:
        raise InputError("--phenopacket needs the phenopackets package",
                         fix="pip install phenopackets (in a clone: pip install -e '.[phenopacket]')") from None


def _created() -> str:
    """The time the document is made (``SOURCE_DATE_EPOCH`` when set, for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc) if epoch else _dt.datetime.now(_dt.timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _vcf_record(variant: str, build: str) -> dict:
    where, change = variant.split(" ", 1)
    chrom, pos = where.rsplit(":", 1)
    ref, alt = change.split(">", 1)
    return {"genomeAssembly": build, "chrom": chrom, "pos": pos, "ref": ref, "alt": alt}


def _variant_interpretation(sample: str, v: dict, build: str, n: int) -> dict:
    expressions = []
    if v.get("hgvs_c"):
        c = v["hgvs_c"]
        expressions.append({"syntax": "hgvs.c", "value": c if ":" in c else f"{MANE_REFSEQ}:{c}"})
    if v.get("hgvs_p") and "?" not in v["hgvs_p"]:
        expressions.append({"syntax": "hgvs.p", "value": v["hgvs_p"].split(" ")[0]})
    descriptor = {
        "id": f"{sample}-v{n}",
        "label": v["variant"] + (f" ({', '.join(v['catalogue'])})" if v.get("catalogue") else ""),
        "geneContext": IL1RN,
        "expressions": expressions,
        "vcfRecord": _vcf_record(v["variant"], build),
        "moleculeContext": "genomic",
        "extensions": [{"name": f"ACMG {c['applied']}", "value": f"{c['status']}; {c['points']:+d} points; {c['reason']}"}
                       for c in v.get("criteria", ())],
    }
    copies = v.get("copies")
    if copies in GENO and "haploid" not in v.get("flags", ()):
        descriptor["allelicState"] = GENO[copies]
    descriptor["extensions"].insert(0, {"name": "genotype", "value": f"{v.get('genotype', '')} ({copies} copies)"})
    descriptor["extensions"].insert(1, {"name": "ACMG classes", "value": f"points system: {v.get('points_class', '')}; "
                                        f"2015 rules: {v.get('class_2015', '')}; class used: {v.get('class', '')}"})
    return {"subjectOrBiosampleId": sample, "interpretationStatus": "CANDIDATE",
            "variantInterpretation": {"acmgPathogenicityClassification": ACMG.get(v.get("class", ""), "NOT_PROVIDED"),
                                      "therapeuticActionability": "UNKNOWN_ACTIONABILITY",
                                      "variationDescriptor": descriptor}}


def phenopacket_doc(sample: str, section: dict, build: str, created: str | None = None) -> dict:
    """The Phenopacket (as JSON) of one sample's DIRA section (``AnalysisResult("dira").per_sample[sample]``)."""
    variants = [*section.get("qualifying_variants", ()),
                *(v for v in section.get("other_candidate_variants", ()) if v.get("class") == "uncertain")]
    genomic = [_variant_interpretation(sample, v, build, n) for n, v in enumerate(variants, start=1)]
    verdict = section.get("verdict", "")
    summary = f"il1rn_annot DIRA verdict: {verdict}. " + " ".join(section.get("reasons", ()))
    if section.get("flags"):
        summary += f" Flags: {', '.join(section['flags'])}."
    diagnosis: dict = {"disease": DIRA}
    if genomic:
        diagnosis["genomicInterpretations"] = genomic
    return {
        "id": f"il1rn_annot-{sample}",
        "subject": {"id": sample},
        "interpretations": [{"id": f"il1rn_annot-{sample}-DIRA", "progressStatus": "IN_PROGRESS",
                             "diagnosis": diagnosis, "summary": summary}],
        "metaData": {"created": created or _created(), "createdBy": f"il1rn_annot {__version__}",
                     "resources": RESOURCES, "phenopacketSchemaVersion": "2.0"},
    }


def validate(doc: dict):
    """Parse the document into the schema's ``Phenopacket`` message; unknown fields and bad enums raise."""
    from google.protobuf import json_format
    from phenopackets import Phenopacket

    return json_format.Parse(json.dumps(doc), Phenopacket(), ignore_unknown_fields=False)


def write_phenopackets(atomic, folder: str, summary) -> list[str]:
    """``<sample>.phenopacket.json`` per sample into ``folder`` (through ``atomic``); each is validated first."""
    result = next((r for r in summary.analyses if r.name == "dira"), None)
    if result is None:
        return []
    atomic.folder(folder)
    created = _created()
    written = []
    for s, name in file_names(summary.sample_names).items():
        doc = phenopacket_doc(s, result.per_sample[s], summary.build, created)
        validate(doc)
        target = os.path.join(folder, name[:-len(".json")] + ".phenopacket.json")
        with open(atomic.path(target), "w", encoding="utf-8") as fh:
            fh.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
        written.append(target)
    return written


class PhenopacketSink:
    """One GA4GH Phenopacket (v2) per sample in a folder, made from the finished run."""

    def __init__(self, outputs, folder: str):
        self.outputs, self.folder = outputs, folder

    def write(self, item, alleles) -> None:
        pass

    def finish(self, run) -> list[str]:
        return write_phenopackets(self.outputs, self.folder, run)
