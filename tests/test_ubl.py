"""The UBL e-invoice in-process: lines of two VAT rates get a tax subtotal each, rounded as the invoice rounds; and
the checks the API tests rely on do catch a broken file (a wrong total, a missing KvK number, elements out of the
schema's order), so their silence means something."""

from datetime import UTC, date, datetime

import pytest
from lxml import etree

from models import Invoice, InvoiceDocument
from models.invoice import InvoiceCustomer
from models.public import InvoiceLine, ShopSettingsPublic, Totals
from services.invoicing.ubl import render_ubl
from tests.ubl import fatal, schema_errors, schematron_findings

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
SHOP = ShopSettingsPublic(
    name="Garage De Vries", street="Industrieweg 12", postal_code="3542 AD", city="Utrecht", kvk="12345678",
    vat_number="NL000099998B57", iban="NL91 ABNA 0417 1643 00", hourly_rate_cents=8750, payment_term_days=14,
)  # fmt: skip
LEASE = InvoiceCustomer(name="Lease Nederland B.V.", street="Stationsplein 8", postal_code="3511 ED", city="Utrecht",
                        kvk="87654321", vat_number="NL000099998B57")  # fmt: skip


def line(description: str, quantity: int, unit_price_cents: int, vat_rate: int) -> InvoiceLine:
    total = quantity * unit_price_cents
    return InvoiceLine(
        description=description, quantity=quantity, unit_price_cents=unit_price_cents, vat_rate=vat_rate,
        total_cents=total,
    )  # fmt: skip


def invoice_of(document: InvoiceDocument) -> Invoice:
    return Invoice(
        id=1, number="2026-0042", year=2026, sequence=42, kind="factuur", work_order_id=7,
        issued_at=datetime(2026, 12, 2, 9, 30, tzinfo=UTC), delivered_on=date(2026, 12, 1), due_on=date(2026, 12, 16),
        document=document.model_dump_json(by_alias=True),
    )  # fmt: skip


def mixed_rates() -> bytes:
    """Parts and labour at 21 %, a book at 9 %: € 201,28 → € 42,27 and € 59,97 → € 5,40 (each rounded half up)."""
    lines = [
        line("Remblokken voor", 2, 4595, 21),
        line("Arbeid: Remmen vervangen (1 u 15 min à € 87,50 per uur)", 1, 10938, 21),
        line("Werkplaatshandboek", 3, 1999, 9),
    ]
    document = InvoiceDocument(
        lines=lines, totals=Totals(excluding_vat_cents=26125, vat_cents=4767, including_vat_cents=30892), shop=SHOP,
        customer=LEASE, work_order_number="2026-0107", license_plate="GD123X",
    )  # fmt: skip
    return render_ubl(invoice_of(document), document)


def test_each_vat_rate_has_its_subtotal() -> None:
    """To the cent: the schematron's own rounding rule (BR-CO-17) lets a subtotal be off by up to € 1."""
    xml = mixed_rates()
    assert schema_errors(xml) == [] and fatal(schematron_findings(xml)) == []
    subtotals = etree.fromstring(xml).findall("cac:TaxTotal/cac:TaxSubtotal", NS)
    assert [
        tuple(
            subtotal.findtext(path, namespaces=NS)
            for path in ("cac:TaxCategory/cbc:Percent", "cbc:TaxableAmount", "cbc:TaxAmount")
        )
        for subtotal in subtotals
    ] == [("9", "59.97", "5.40"), ("21", "201.28", "42.27")]


@pytest.mark.parametrize(
    ("broken", "rule"),
    [
        ((b'PayableAmount currencyID="EUR">308.92<', b'PayableAmount currencyID="EUR">308.93<'), "BR-CO-16"),
        ((b'<cbc:TaxAmount currencyID="EUR">5.40<', b'<cbc:TaxAmount currencyID="EUR">15.40<'), "BR-CO-17"),
        ((b'<cbc:CompanyID schemeID="0106">12345678</cbc:CompanyID>', b""), "BR-NL-1"),
        ((b"<cbc:BuyerReference>GD-123-X</cbc:BuyerReference>", b""), "BR-NL-2"),
    ],
)
def test_the_schematron_catches_a_broken_invoice(broken: tuple[bytes, bytes], rule: str) -> None:
    original, replacement = broken
    xml = mixed_rates()
    assert xml.count(original) == 1  # the alteration below really happens
    findings = fatal(schematron_findings(xml.replace(original, replacement)))
    assert rule in {finding.rule for finding in findings}, findings


def test_the_schema_catches_elements_out_of_order() -> None:
    xml = mixed_rates()
    note = b"<cbc:Note>Werkorder 2026-0107, kenteken GD-123-X</cbc:Note>"
    moved = xml.replace(note, b"").replace(b"</cbc:CustomizationID>", b"</cbc:CustomizationID>" + note)
    assert moved != xml and schema_errors(moved) != []
