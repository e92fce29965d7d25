"""An invoice or credit note as a UBL 2.1 e-invoice per SI-UBL 2.0 (NLCIUS, the Dutch use of EN 16931), the file a
business customer's accounting software reads. Made from the same copy as the PDF (lines, totals, shop, customer as
issued), with the amounts of those totals, so the two never disagree."""

from collections import defaultdict
from decimal import Decimal
from functools import cache
from typing import Final

from lxml import etree
from stdnum import iban

from models import Invoice, InvoiceDocument, InvoiceKind
from models.invoice import InvoiceCustomer
from models.public import InvoiceLine, ShopSettingsPublic
from services.billing import vat_of
from services.clock import shop_day
from services.mail import Attachment
from services.plates import format_plate

CUSTOMIZATION_ID: Final = "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0"
PROFILE_ID: Final = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"  # billing without an order: what Peppol routes
MEDIA_TYPE: Final = "application/xml"
KVK: Final = "0106"  # the ISO 6523 scheme of the Dutch chamber of commerce's numbers
SEPA_CREDIT_TRANSFER: Final = "58"
COMMERCIAL_INVOICE, CREDIT_NOTE = "380", "381"
EACH: Final = "C62"  # UN/ECE rec. 20 "one": a part is counted, a labour line is one job
COUNTRY: Final = "NL"  # the shop and its customers have Dutch addresses (the postcode is checked as one)

_NAMESPACES: Final = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


@cache
def _tag(name: str) -> str:
    prefix, _, local = name.partition(":")
    return f"{{{_NAMESPACES[prefix]}}}{local}"


def _add(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, _tag(name), attributes)
    if text is not None:
        element.text = text
    return element


def _amount(parent: etree._Element, name: str, cents: int) -> None:
    _add(parent, name, f"{Decimal(cents) / 100:.2f}", currencyID="EUR")


def _address(party: etree._Element, street: str | None, postal_code: str | None, city: str | None) -> None:
    """Only what is known: an empty element is a warning, a missing street for a Dutch customer an error (BR-NL-4)."""
    address = _add(party, "cac:PostalAddress")
    for name, value in (("cbc:StreetName", street), ("cbc:CityName", city), ("cbc:PostalZone", postal_code)):
        if value:
            _add(address, name, value)
    _add(_add(address, "cac:Country"), "cbc:IdentificationCode", COUNTRY)


def _tax_scheme(parent: etree._Element) -> None:
    _add(_add(parent, "cac:TaxScheme"), "cbc:ID", "VAT")


def _party(
    role: etree._Element,
    name: str,
    kvk: str | None,
    vat_number: str | None,
    address: tuple[str | None, str | None, str | None],
) -> etree._Element:
    party = _add(role, "cac:Party")
    if kvk:
        _add(party, "cbc:EndpointID", kvk, schemeID=KVK)
    _add(_add(party, "cac:PartyName"), "cbc:Name", name)
    _address(party, *address)
    if vat_number:
        tax = _add(party, "cac:PartyTaxScheme")
        _add(tax, "cbc:CompanyID", vat_number)
        _tax_scheme(tax)
    legal = _add(party, "cac:PartyLegalEntity")
    _add(legal, "cbc:RegistrationName", name)
    if kvk:
        _add(legal, "cbc:CompanyID", kvk, schemeID=KVK)
    return party


def _supplier(root: etree._Element, shop: ShopSettingsPublic) -> None:
    assert shop.name is not None  # an invoice is issued only with complete settings
    party = _party(
        _add(root, "cac:AccountingSupplierParty"),
        shop.name,
        shop.kvk,
        shop.vat_number,
        (shop.street, shop.postal_code, shop.city),
    )
    if shop.phone or shop.email:
        contact = _add(party, "cac:Contact")
        for name, value in (("cbc:Telephone", shop.phone), ("cbc:ElectronicMail", shop.email)):
            if value:
                _add(contact, name, value)


def _customer(root: etree._Element, customer: InvoiceCustomer) -> None:
    address = (customer.street, customer.postal_code, customer.city)
    _party(_add(root, "cac:AccountingCustomerParty"), customer.name, customer.kvk, customer.vat_number, address)


def _category(parent: etree._Element, name: str, rate: int) -> None:
    category = _add(parent, name)
    _add(category, "cbc:ID", "S" if rate else "Z")  # standard rated, or zero rated
    _add(category, "cbc:Percent", str(rate))
    _tax_scheme(category)


def _payment(root: etree._Element, invoice: Invoice, shop: ShopSettingsPublic) -> None:
    """Per SEPA credit transfer to the shop's IBAN, the invoice number as the payment reference; and the term."""
    assert shop.iban is not None
    means = _add(root, "cac:PaymentMeans")
    _add(means, "cbc:PaymentMeansCode", SEPA_CREDIT_TRANSFER)
    _add(means, "cbc:PaymentID", invoice.number)
    _add(_add(means, "cac:PayeeFinancialAccount"), "cbc:ID", iban.compact(shop.iban))
    term = f"Betalen binnen {shop.payment_term_days} dagen, uiterlijk {invoice.due_on:%d-%m-%Y}"
    _add(_add(root, "cac:PaymentTerms"), "cbc:Note", f"{term}, onder vermelding van {invoice.number}")


def _taxes(root: etree._Element, lines: list[InvoiceLine], vat_cents: int) -> None:
    """The VAT per rate over the sum of its lines (as services.billing rounds it); the total is the invoice's own."""
    taxable: dict[int, int] = defaultdict(int)
    for line in lines:
        taxable[line.vat_rate] += line.total_cents
    total = _add(root, "cac:TaxTotal")
    _amount(total, "cbc:TaxAmount", vat_cents)
    for rate, cents in sorted(taxable.items()):
        subtotal = _add(total, "cac:TaxSubtotal")
        _amount(subtotal, "cbc:TaxableAmount", cents)
        _amount(subtotal, "cbc:TaxAmount", vat_of(cents, rate))
        _category(subtotal, "cac:TaxCategory", rate)


def _lines(root: etree._Element, lines: list[InvoiceLine], credit: bool) -> None:
    line_name, quantity_name = (
        ("cac:CreditNoteLine", "cbc:CreditedQuantity") if credit else ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    )
    for number, line in enumerate(lines, start=1):
        element = _add(root, line_name)
        _add(element, "cbc:ID", str(number))
        _add(element, quantity_name, str(line.quantity), unitCode=EACH)
        _amount(element, "cbc:LineExtensionAmount", line.total_cents)
        item = _add(element, "cac:Item")
        _add(item, "cbc:Name", line.description)
        _category(item, "cac:ClassifiedTaxCategory", line.vat_rate)
        _amount(_add(element, "cac:Price"), "cbc:PriceAmount", line.unit_price_cents)


def _as_credited(line: InvoiceLine) -> InvoiceLine:
    """A credit note's lines are stored negated; UBL's CreditNote says "credited" with positive amounts."""
    return line.model_copy(update={"quantity": -line.quantity, "total_cents": -line.total_cents})


def _namespace_map(credit: bool) -> dict[str | None, str]:
    """The document's own namespace as the default, so the file reads <Invoice …> as every example does."""
    own = _NAMESPACES["CreditNote" if credit else "Invoice"]
    return {None: own, "cac": _NAMESPACES["cac"], "cbc": _NAMESPACES["cbc"]}


def render_ubl(invoice: Invoice, document: InvoiceDocument) -> bytes:
    """The UBL document, in the order the UBL 2.1 schema asks for its elements."""
    credit = invoice.kind == InvoiceKind.CREDITNOTA.value
    sign = -1 if credit else 1
    lines = [_as_credited(line) for line in document.lines] if credit else document.lines
    root = etree.Element(_tag("CreditNote:CreditNote" if credit else "Invoice:Invoice"), nsmap=_namespace_map(credit))
    _add(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
    _add(root, "cbc:ProfileID", PROFILE_ID)
    _add(root, "cbc:ID", invoice.number)
    _add(root, "cbc:IssueDate", shop_day(invoice.issued_at).isoformat())
    if credit:
        _add(root, "cbc:CreditNoteTypeCode", CREDIT_NOTE)
    else:
        _add(root, "cbc:DueDate", invoice.due_on.isoformat())
        _add(root, "cbc:InvoiceTypeCode", COMMERCIAL_INVOICE)
    plate = format_plate(document.license_plate)
    _add(root, "cbc:Note", f"Werkorder {document.work_order_number}, kenteken {plate}")
    _add(root, "cbc:DocumentCurrencyCode", "EUR")
    _add(root, "cbc:BuyerReference", plate)  # the car: what a lease or fleet company books a repair on
    if credit:
        assert document.credit_of_number is not None
        reference = _add(_add(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        _add(reference, "cbc:ID", document.credit_of_number)
    _supplier(root, document.shop)
    _customer(root, document.customer)
    _add(_add(root, "cac:Delivery"), "cbc:ActualDeliveryDate", invoice.delivered_on.isoformat())
    if not credit:
        _payment(root, invoice, document.shop)
    totals = document.totals
    _taxes(root, lines, sign * totals.vat_cents)
    monetary = _add(root, "cac:LegalMonetaryTotal")
    _amount(monetary, "cbc:LineExtensionAmount", sign * totals.excluding_vat_cents)
    _amount(monetary, "cbc:TaxExclusiveAmount", sign * totals.excluding_vat_cents)
    _amount(monetary, "cbc:TaxInclusiveAmount", sign * totals.including_vat_cents)
    _amount(monetary, "cbc:PayableAmount", sign * totals.including_vat_cents)
    _lines(root, lines, credit)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def ubl_file(invoice: Invoice, document: InvoiceDocument) -> Attachment:
    """The e-invoice as a file: to download, or to attach beside the PDF."""
    return Attachment(f"factuur-{invoice.number}.xml", MEDIA_TYPE, render_ubl(invoice, document))
