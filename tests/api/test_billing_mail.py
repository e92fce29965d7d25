"""The customer hears of money matters too (issues 11 and 12 together), against a real SMTP server: an e-mail asking
for approval again when the total grows past the approved one by more than 10 % (not at +9 %), and the invoice as
a PDF attachment; the status page shows the estimate waiting for approval and the invoice with its PDF."""

import io
import itertools
import json

import httpx
from pypdf import PdfReader

from services.billing import euro
from tests.api.billing import add_part, complete_shop, move, sign_on_ipad
from tests.api.test_notifications import mail_to, notifications, settled
from tests.conftest import Shop
from tests.server import wait_until
from tests.smtp_server import SmtpServer

_emails = itertools.count(1)


def create(garage: Shop) -> tuple[dict, str]:
    address = f"klant{next(_emails)}@geld.example"
    body = {"customerName": "Fam. Geld", "customerEmail": address, "licensePlate": "GD-123-X", "description": "Remmen"}
    response = garage.admin.post("/api/workorders", json=body)
    assert response.status_code == 201, response.text
    return response.json(), address


def kinds(garage: Shop, order: dict) -> list[str]:
    return [notification["kind"] for notification in notifications(garage.admin, order)]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def status_of(garage: Shop, order: dict) -> httpx.Response:
    return httpx.get(f"{garage.server.url}{order['statusUrl']}", timeout=10)


def test_approval_is_asked_again_by_mail_past_ten_percent_only(garage: Shop, smtp: SmtpServer) -> None:
    order, address = create(garage)
    add_part(garage, order, 10_000)  # 121,00 incl. VAT
    page = status_of(garage, order).text
    assert euro(12_100) in page  # the estimate waits for the customer's signature
    sign_on_ipad(garage, order["id"])
    assert euro(12_100) not in status_of(garage, order).text

    add_part(garage, order, 900, description="Borgclip")  # 131,89: +9 %
    add_part(garage, order, 200, description="Ring")  # 134,31: +11 %
    wait_until(lambda: "toestemming" in kinds(garage, order), 10, "the approval e-mail")
    assert kinds(garage, order) == ["ontvangen", "toestemming"]  # once, at the step past 10 % only
    settled(garage.admin, order, 2)
    [asking] = [message for message in mail_to(smtp, address) if "toestemming" in message["Subject"]]
    assert asking["Subject"] == f"Graag uw toestemming voor werkorder {order['number']}"
    text = asking.get_body(preferencelist=("plain",))
    assert text is not None and order["statusUrl"] in text.get_content()
    assert euro(13_431) in status_of(garage, order).text  # the new estimate on the customer's page


def test_the_invoice_goes_by_mail_as_a_pdf_and_on_the_status_page(garage: Shop, smtp: SmtpServer) -> None:
    complete_shop(garage)
    order, address = create(garage)
    add_part(garage, order, 5_000, quantity=2, description="Remblokken")
    assert httpx.get(f"{garage.server.url}{order['statusUrl']}/factuur.pdf", timeout=10).status_code == 404
    move(garage, order["id"], "Klaar")
    issued = garage.admin.post(f"/api/workorders/{order['id']}/invoice")
    assert issued.status_code == 201, issued.text
    invoice = issued.json()
    wait_until(lambda: kinds(garage, order) == ["ontvangen", "klaar", "factuur"], 10, "the invoice e-mail queued")
    settled(garage.admin, order, 3)
    [mail] = [message for message in mail_to(smtp, address) if message["Subject"].startswith("Factuur")]
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == f"factuur-{invoice['number']}.pdf"
    assert attachment.get_content_type() == "application/pdf"
    attached = pdf_text(attachment.get_content())
    assert invoice["number"] in attached and "Remblokken" in attached and "Garage De Vries" in attached

    page = status_of(garage, order).text
    assert invoice["number"] in page and euro(12_100) in page
    customer_pdf = httpx.get(f"{garage.server.url}{order['statusUrl']}/factuur.pdf", timeout=10)
    assert customer_pdf.status_code == 200 and customer_pdf.headers["content-type"] == "application/pdf"
    assert customer_pdf.headers["cache-control"] == "no-store"
    assert invoice["number"] in pdf_text(customer_pdf.content)

    credit = garage.admin.post(f"/api/invoices/{invoice['id']}/credit")
    assert credit.status_code == 201, credit.text
    assert httpx.get(f"{garage.server.url}{order['statusUrl']}/factuur.pdf", timeout=10).status_code == 404
    assert invoice["number"] not in status_of(garage, order).text
    assert kinds(garage, order) == ["ontvangen", "klaar", "factuur"]  # a credit note mails nothing


def test_the_status_stream_carries_the_invoice(garage: Shop) -> None:
    complete_shop(garage)
    order, _ = create(garage)
    add_part(garage, order, 1_000)
    move(garage, order["id"], "Klaar")
    with httpx.stream("GET", f"{garage.server.url}{order['statusUrl']}/stream", timeout=10) as stream:
        lines = stream.iter_lines()
        first = json.loads(next(line for line in lines if line.startswith("data:"))[5:])
        assert first["invoice"] is None
        issued = garage.admin.post(f"/api/workorders/{order['id']}/invoice").json()
        update = json.loads(next(line for line in lines if line.startswith("data:"))[5:])
    assert update["invoice"] == {
        "number": issued["number"],
        "includingVatCents": 1_210,
        "totalText": euro(1_210),
        "pdfUrl": f"{order['statusUrl']}/factuur.pdf",
        "paid": False,
        "openText": euro(1_210),
    }
