"""An invoice or credit note as an A4 PDF (fpdf2) with what Dutch law asks of an invoice (art. 35a Wet OB): the
shop's name, address, KvK number and BTW-id; the customer's name and address; number, invoice date and delivery
date; per line quantity, description, unit price excl. VAT and VAT rate; the total excl. VAT, the VAT per rate,
the total incl. VAT; the payment term and IBAN."""

from datetime import date

from babel.dates import format_date
from fpdf import FPDF

from models import Invoice, InvoiceDocument, InvoiceKind
from models.public import InvoiceLine
from services.billing import VAT_RATE, euro
from services.clock import shop_day
from services.plates import format_plate

_ENCODING = "cp1252"  # the core fonts' encoding: €, ë and – included, no font file to ship


def _text(value: str) -> str:
    """What the core fonts can print: a character outside cp1252 (an emoji in a description) becomes '?'."""
    return value.encode(_ENCODING, "replace").decode(_ENCODING)


def _day(day: date) -> str:
    return format_date(day, "d MMMM y", locale="nl")


class _InvoicePdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.core_fonts_encoding = _ENCODING
        self.footer_text = footer_text
        self.set_auto_page_break(auto=True, margin=20)
        self.set_margins(18, 18, 18)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("helvetica", size=7)
        self.set_text_color(110)
        self.cell(0, 4, _text(self.footer_text), align="C", new_x="LMARGIN", new_y="NEXT")
        self.cell(0, 4, f"Pagina {self.page_no()}/{{nb}}", align="C")


_COLUMNS = (("Aantal", 14, "R"), ("Omschrijving", 92, "L"), ("Prijs excl. btw", 28, "R"), ("Btw", 14, "R"),
            ("Bedrag excl. btw", 28, "R"))  # fmt: skip
_LINE_HEIGHT = 5.0


def _heading(pdf: FPDF) -> None:
    pdf.set_font("helvetica", "B", 9)
    pdf.set_fill_color(235)
    for title, width, align in _COLUMNS:
        pdf.cell(width, 6, title, align=align, fill=True)  # type: ignore[arg-type]
    pdf.ln(6)
    pdf.set_font("helvetica", size=9)


def _lines(pdf: FPDF, lines: list[InvoiceLine]) -> None:
    """Written with text() at computed places: fpdf2's table() and cell() lay out every cell (ten times slower
    for 40 lines); only a description too wide for its column is wrapped."""
    _heading(pdf)
    description_width = _COLUMNS[1][1] - 2 * pdf.c_margin
    baseline = _LINE_HEIGHT * 0.7
    for line in lines:
        description = _text(line.description)
        wrapped: list[str] = (
            [description]
            if pdf.get_string_width(description) <= description_width
            else pdf.multi_cell(description_width, _LINE_HEIGHT, description, dry_run=True, output="LINES")  # type: ignore[assignment]
        )
        height = _LINE_HEIGHT * len(wrapped)
        if pdf.will_page_break(height):
            pdf.add_page()
            _heading(pdf)
        top = pdf.get_y()
        values = (str(line.quantity), "", _text(euro(line.unit_price_cents)), f"{line.vat_rate}%",
                  _text(euro(line.total_cents)))  # fmt: skip
        x = pdf.l_margin
        for (_, width, align), value in zip(_COLUMNS, values, strict=True):
            if align == "R":
                pdf.text(x + width - pdf.c_margin - pdf.get_string_width(value), top + baseline, value)
            for row, text in enumerate([] if value else wrapped):
                pdf.text(x + pdf.c_margin, top + row * _LINE_HEIGHT + baseline, text)
            x += width
        pdf.set_y(top + height)
        pdf.set_draw_color(210)
        pdf.line(pdf.l_margin, pdf.get_y(), x, pdf.get_y())


def render_invoice(invoice: Invoice, document: InvoiceDocument) -> bytes:
    shop, customer, totals = document.shop, document.customer, document.totals
    credit = invoice.kind == InvoiceKind.CREDITNOTA.value
    pdf = _InvoicePdf(f"{shop.name} · KvK {shop.kvk} · Btw-id {shop.vat_number} · IBAN {shop.iban}")
    pdf.set_title(f"{'Creditnota' if credit else 'Factuur'} {invoice.number}")
    pdf.set_author(_text(shop.name or ""))
    pdf.add_page()

    pdf.set_font("helvetica", "B", 16)
    pdf.cell(0, 8, _text(shop.name or ""), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=9)
    for text in (
        shop.street,
        f"{shop.postal_code} {shop.city}",
        f"KvK-nummer: {shop.kvk}",
        f"Btw-id: {shop.vat_number}",
        f"IBAN: {shop.iban}",
    ):
        pdf.cell(0, 4.5, _text(text or ""), new_x="LMARGIN", new_y="NEXT")

    pdf.ln(8)
    top = pdf.get_y()
    pdf.set_font("helvetica", "B", 10)
    pdf.cell(90, 5, "Factuur aan", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=10)
    address = [customer.name, customer.street, " ".join(p for p in (customer.postal_code, customer.city) if p)]
    for text in address:
        if text:
            pdf.cell(90, 5, _text(text), new_x="LMARGIN", new_y="NEXT")

    meta = [
        ("Creditnota" if credit else "Factuurnummer", invoice.number),
        ("Factuurdatum", _day(shop_day(invoice.issued_at))),
        ("Leverdatum", _day(invoice.delivered_on)),
        ("Werkorder", document.work_order_number),
        ("Kenteken", format_plate(document.license_plate)),
    ]
    if document.credit_of_number:
        meta.append(("Correctie op factuur", document.credit_of_number))
    pdf.set_xy(112, top)
    for label, value in meta:
        pdf.set_x(112)
        pdf.set_font("helvetica", "B", 9)
        pdf.cell(36, 5, label)
        pdf.set_font("helvetica", size=9)
        pdf.cell(44, 5, _text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + 5 * (len(address) + 1)) + 8)

    pdf.set_font("helvetica", "B", 14)
    pdf.cell(0, 8, f"{'Creditnota' if credit else 'Factuur'} {invoice.number}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _lines(pdf, document.lines)

    pdf.ln(4)
    for label, cents, bold in (
        ("Totaal excl. btw", totals.excluding_vat_cents, False),
        (f"Btw {VAT_RATE}% over {euro(totals.excluding_vat_cents)}", totals.vat_cents, False),
        ("Totaal incl. btw", totals.including_vat_cents, True),
    ):
        pdf.set_font("helvetica", "B" if bold else "", 10)
        pdf.set_x(96)
        pdf.cell(60, 6, _text(label), align="R")
        pdf.cell(0, 6, _text(euro(cents)), align="R", new_x="LMARGIN", new_y="NEXT")

    pdf.ln(8)
    pdf.set_font("helvetica", size=9)
    if credit:
        terms = f"Deze creditnota corrigeert factuur {document.credit_of_number}. Het bedrag wordt verrekend."
    else:
        terms = (
            f"Betalingstermijn: {shop.payment_term_days} dagen. Graag het totaal incl. btw vóór "
            f"{_day(invoice.due_on)} overmaken op IBAN {shop.iban} t.n.v. {shop.name}, "
            f"onder vermelding van factuurnummer {invoice.number}."
        )
    pdf.multi_cell(0, 4.5, _text(terms))
    return bytes(pdf.output())
