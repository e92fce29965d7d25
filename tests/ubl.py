"""The official checks of a UBL e-invoice, run here as a receiving party would run them: the OASIS UBL 2.1 schema
(lxml) and the SI-UBL 2.0 / NLCIUS schematron as published, compiled to XSLT 2 (Saxon-HE via saxonche). Both are
kept under tests/data/ubl (see its README for where they come from); nothing is fetched while testing."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree
from saxonche import PySaxonProcessor, PyXsltExecutable

ARTEFACTS = Path(__file__).parent / "data" / "ubl"
SCHEMAS = {"Invoice": "UBL-Invoice-2.1.xsd", "CreditNote": "UBL-CreditNote-2.1.xsd"}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


@cache
def _schema(root: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(ARTEFACTS / "xsdrt" / "maindoc" / SCHEMAS[root]))


def schema_errors(xml: bytes) -> list[str]:
    """What the UBL 2.1 schema of the document's root (Invoice or CreditNote) says is wrong; [] when valid."""
    document = etree.fromstring(xml)
    schema = _schema(etree.QName(document).localname)
    return [] if schema.validate(document) else [str(error) for error in schema.error_log]


@dataclass(frozen=True)
class Finding:
    rule: str  # "BR-NL-1", "BR-CO-15", …
    flag: str  # "fatal" or "warning"
    text: str
    location: str


_processor = PySaxonProcessor(license=False)


@cache
def _schematron() -> PyXsltExecutable:
    return _processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(ARTEFACTS / "si-ubl-2.0.xsl"))


def schematron_findings(xml: bytes) -> list[Finding]:
    """Every failed assertion of the SI-UBL 2.0 schematron (EN 16931 and the Dutch rules), fatal and warning."""
    source = _processor.parse_xml(xml_text=xml.decode("utf-8"))
    report = etree.fromstring(_schematron().transform_to_string(xdm_node=source).encode("utf-8"))
    return [
        Finding(
            rule=failed.get("id") or "",
            flag=failed.get("flag") or "",
            text=" ".join(failed.findtext(f"{SVRL}text", "").split()),
            location=failed.get("location") or "",
        )
        for failed in report.iter(f"{SVRL}failed-assert")
    ]


def fatal(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.flag == "fatal"]
