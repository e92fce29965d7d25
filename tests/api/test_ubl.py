"""The UBL e-invoice over real HTTP (issue 21): an invoice with parts and labour and its credit note, each checked
against the OASIS UBL 2.1 schema and the official SI-UBL 2.0 (NLCIUS) schematron with no fatal finding, and read
back for what they must say; a business customer's `factuur` e-mail carries the file beside the PDF (through a
real SMTP server), a private customer's does not; only the desk may download it."""

import itertools
from decimal import Decimal

import httpx
from lxml import etree

from services.invoicing.ubl import CUSTOMIZATION_ID
from tests.api.billing import add_labour, add_part, complete_shop, expect, move
from tests.api.test_notifications import mail_to, notifications, settled
from tests.conftest import Shop
from tests.server import wait_until
from tests.smtp_server import SmtpServer
from tests.ubl import fatal, schema_errors, schematron_findings

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
LEASE = {"street": "Stationsplein 8", "postalCode": "3511 ED", "city": "Utrecht", "kvk": "87654321",
         "vatNumber": "NL000099998B57"}  # fmt: skip
_addresses = itertools.count(1)


def invoiced(garage: Shop, customer: dict) -> tuple[dict, dict, str]:
    """An order for a customer with these details, with parts and labour, invoiced: (order, invoice, address)."""
    complete_shop(garage)
    address = f"boekhouding{next(_addresses)}@lease.example"
    body = {"customerName": "Lease Nederland B.V.", "customerEmail": address, "licensePlate": "GD-123-X",
            "description": "Grote beurt"}  # fmt: skip
    order = expect(garage.admin.post("/api/workorders", json=body), 201).json()
    expect(garage.admin.patch(f"/api/customers/{order['customerId']}", json=customer), 200)
    add_part(garage, order, 4595, 2, "Remblokken voor")
    add_part(garage, order, 1999, 3, "Motorolie 5W-30 (liter)")
    add_labour(garage, order, 75, description="Remmen vervangen")  # 75 min à € 87,50: € 109,375, rounded
    move(garage, order["id"], "Klaar")
    invoice = expect(garage.admin.post(f"/api/workorders/{order['id']}/invoice"), 201).json()
    return order, invoice, address


def ubl(garage: Shop, invoice_id: int) -> bytes:
    response = expect(garage.admin.get(f"/api/invoices/{invoice_id}/ubl"), 200)
    assert response.headers["content-type"].startswith("application/xml")
    return response.content


def assert_valid(xml: bytes) -> None:
    assert schema_errors(xml) == []
    assert fatal(schematron_findings(xml)) == []


def euros(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def test_an_invoice_and_its_credit_note_are_valid_si_ubl(garage: Shop) -> None:
    _, invoice, _ = invoiced(garage, LEASE)
    xml = ubl(garage, invoice["id"])
    assert_valid(xml)
    document = etree.fromstring(xml)
    text = document.findtext
    assert etree.QName(document).localname == "Invoice"
    assert (text("cbc:CustomizationID", namespaces=NS), text("cbc:ID", namespaces=NS)) == (
        CUSTOMIZATION_ID, invoice["number"])  # fmt: skip
    assert text("cbc:DueDate", namespaces=NS) == invoice["dueAt"]
    supplier = document.find("cac:AccountingSupplierParty/cac:Party", NS)
    assert supplier.find("cac:PartyLegalEntity/cbc:CompanyID", NS).attrib == {"schemeID": "0106"}
    assert supplier.findtext("cac:PartyLegalEntity/cbc:CompanyID", namespaces=NS) == "12345678"
    assert supplier.findtext("cac:PartyTaxScheme/cbc:CompanyID", namespaces=NS) == "NL000099998B57"
    customer = document.find("cac:AccountingCustomerParty/cac:Party", NS)
    assert customer.findtext("cac:PartyLegalEntity/cbc:CompanyID", namespaces=NS) == "87654321"
    assert customer.findtext("cac:PartyLegalEntity/cbc:RegistrationName", namespaces=NS) == "Lease Nederland B.V."
    means = document.find("cac:PaymentMeans", NS)
    assert means.findtext("cbc:PaymentMeansCode", namespaces=NS) == "58"
    assert means.findtext("cac:PayeeFinancialAccount/cbc:ID", namespaces=NS) == "NL91ABNA0417164300"
    assert means.findtext("cbc:PaymentID", namespaces=NS) == invoice["number"]
    lines = document.findall("cac:InvoiceLine", NS)
    assert [line.findtext("cac:Item/cbc:Name", namespaces=NS) for line in lines] == [
        line["description"] for line in invoice["lines"]
    ]
    assert [line.findtext("cbc:LineExtensionAmount", namespaces=NS) for line in lines] == [
        euros(line["totalCents"]) for line in invoice["lines"]
    ]
    assert {line.findtext("cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", namespaces=NS) for line in lines} == {"21"}
    totals = invoice["totals"]  # the UBL's amounts are the invoice's own, to the cent
    assert text("cac:TaxTotal/cbc:TaxAmount", namespaces=NS) == euros(totals["vatCents"])
    assert text("cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", namespaces=NS) == euros(totals["excludingVatCents"])
    assert text("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == euros(totals["includingVatCents"])

    credit = expect(garage.admin.post(f"/api/invoices/{invoice['id']}/credit"), 201).json()
    credit_xml = ubl(garage, credit["id"])
    assert_valid(credit_xml)
    note = etree.fromstring(credit_xml)
    assert etree.QName(note).localname == "CreditNote"
    assert note.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    assert note.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS) == invoice["number"]
    assert note.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == euros(
        totals["includingVatCents"]
    )
    assert [
        line.findtext("cbc:CreditedQuantity", namespaces=NS) for line in note.findall("cac:CreditNoteLine", NS)
    ] == [
        str(line["quantity"]) for line in invoice["lines"]
    ]  # positive: a credit note credits what the invoice charged


def test_only_the_desk_downloads_the_ubl(garage: Shop) -> None:
    _, invoice, _ = invoiced(garage, LEASE)
    path = f"/api/invoices/{invoice['id']}/ubl"
    for role in ("monteur", "magazijn", "display"):
        expect(garage.clients[role].get(path), 403)
    assert httpx.get(f"{garage.server.url}{path}", timeout=10).status_code == 401
    expect(garage.admin.get("/api/invoices/999999/ubl"), 404)


def factuur_mail(garage: Shop, smtp: SmtpServer, order: dict, address: str):  # type: ignore[no-untyped-def]
    wait_until(lambda: any(n["kind"] == "factuur" for n in notifications(garage.admin, order)), 10, "the invoice mail")
    settled(garage.admin, order, len(notifications(garage.admin, order)))
    [mail] = [message for message in mail_to(smtp, address) if message["Subject"].startswith("Factuur")]
    return mail


def test_a_business_customer_gets_the_ubl_beside_the_pdf(garage: Shop, smtp: SmtpServer) -> None:
    order, invoice, address = invoiced(garage, LEASE)
    mail = factuur_mail(garage, smtp, order, address)
    pdf, xml = mail.iter_attachments()
    assert (pdf.get_filename(), pdf.get_content_type()) == (f"factuur-{invoice['number']}.pdf", "application/pdf")
    assert (xml.get_filename(), xml.get_content_type()) == (f"factuur-{invoice['number']}.xml", "application/xml")
    assert xml.get_content() == ubl(garage, invoice["id"])  # the same file the desk downloads
    assert "UBL-bestand" in mail.get_body(preferencelist=("plain",)).get_content()


def test_a_private_customer_gets_the_pdf_only(garage: Shop, smtp: SmtpServer) -> None:
    private = {name: value for name, value in LEASE.items() if name not in ("kvk", "vatNumber")}
    order, invoice, address = invoiced(garage, private)
    mail = factuur_mail(garage, smtp, order, address)
    assert [part.get_filename() for part in mail.iter_attachments()] == [f"factuur-{invoice['number']}.pdf"]
    assert "UBL-bestand" not in mail.get_body(preferencelist=("plain",)).get_content()
