"""Getting paid (issue 21), against a Mollie-shaped server on 127.0.0.1 that our server reaches with Mollie's own
client: a payment link of the open amount, the webhook that believes only what Mollie says (paid, our amount, our
invoice), once per Mollie payment however often it is called, 503 while Mollie is away; payments at the counter,
partial ones too, never more than open; a credit note settles; the open invoices and the accountant's CSV; the
factuur e-mail carries the payment link."""

import csv
import io
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from services.billing import euro
from tests.api.billing import expect
from tests.api.payments import complete_settings, invoice_now, invoiced, pay_link, paying_server, sqlite_url
from tests.api.test_notifications import mail_to, settled
from tests.conftest import Shop, assert_no_event_between
from tests.mollie_server import MollieServer
from tests.smtp_server import SmtpServer

WEBHOOK = "/api/payments/mollie/webhook"


@pytest.fixture(scope="module")
def mollie() -> Iterator[MollieServer]:
    with MollieServer() as server:
        yield server


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture(scope="module")
def till(mollie: MollieServer, smtp: SmtpServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """A shop that takes payments through `mollie` and mails through `smtp`."""
    env = {**smtp.env, "MAIL_RETRY_SECONDS": "0.2", "MAIL_TIMEOUT_SECONDS": "5"}
    server = paying_server(sqlite_url(Path(tmp_path_factory.mktemp("till"))), mollie, env)
    tokens = {role: server.token(role) for role in ("admin", "monteur")}  # each a process of its own: only these
    with server:
        clients = {role: server.client(token) for role, token in tokens.items()}
        complete_settings(clients["admin"])
        yield Shop(server, tokens, clients)
        for client in clients.values():
            client.close()


def webhook(shop: Shop, payment_id: str) -> httpx.Response:
    """What anyone may post: no login, just an id."""
    return httpx.post(f"{shop.server.url}{WEBHOOK}", data={"id": payment_id}, timeout=15)


def test_a_link_paid_through_the_webhook_settles_the_invoice(till: Shop, mollie: MollieServer) -> None:
    order, invoice = invoiced(till.admin)
    fresh = (invoice["status"], invoice["paidCents"], invoice["paymentUrl"], invoice["payments"])
    assert fresh == ("open", 0, None, [])
    with till.stream(query=f"?workOrderId={order['id']}") as stream:
        stream.next()
        payment_id = pay_link(till.admin, invoice, mollie)
        link = stream.next().json
        asked = mollie.created()[-1]
        assert asked["amount"] == {"currency": "EUR", "value": "121.00"}
        assert invoice["number"] in asked["description"]
        assert asked["redirectUrl"] == f"{till.server.url}{order['statusUrl']}"
        assert asked["webhookUrl"] == f"{till.server.url}{WEBHOOK}"
        assert asked["metadata"] == {"invoiceId": str(invoice["id"])}
        assert (link["changeType"], link["action"], link["payment"]) == ("payment", "link", None)
        assert link["invoice"]["paymentUrl"] == f"{mollie.url}/checkout/{payment_id}"

        mollie.pay(payment_id)
        assert mollie.notify(payment_id).status_code == 200
        paid = stream.next().json
    assert (paid["changeType"], paid["action"], paid["actor"]) == ("payment", "paid", None)
    assert paid["payment"]["providerId"] == payment_id
    assert (paid["payment"]["method"], paid["payment"]["amountCents"]) == ("ideal", 12_100)
    assert paid["workOrder"]["invoice"]["status"] == "betaald"
    now = invoice_now(till.admin, invoice)
    assert (now["status"], now["paidCents"], now["paymentUrl"]) == ("betaald", 12_100, None)
    assert [p["providerId"] for p in now["payments"]] == [payment_id]
    history = expect(till.admin.get(f"/api/workorders/{order['id']}/events"), 200).json()
    said = f"De klant betaalde {euro(12_100)} met iDEAL (factuur {invoice['number']}, nu betaald)"
    assert history[-1]["summary"] == said
    status = httpx.get(f"{till.server.url}{order['statusUrl']}", timeout=10).text
    assert "Betaald — bedankt" in status and 'id="paid" data-paid>' in status and " data-pay" not in status
    assert (
        expect(till.admin.post(f"/api/invoices/{invoice['id']}/payment-link"), 409)
        .json()["detail"]
        .endswith("is al betaald")
    )


def test_the_same_webhook_five_times_at_once_records_one_payment(till: Shop, mollie: MollieServer) -> None:
    order, invoice = invoiced(till.admin, 2_500)
    payment_id = pay_link(till.admin, invoice, mollie)
    mollie.pay(payment_id)
    answers: list[int] = []
    calls = [threading.Thread(target=lambda: answers.append(webhook(till, payment_id).status_code)) for _ in range(5)]
    for call in calls:
        call.start()
    for call in calls:
        call.join()
    assert answers == [200] * 5
    now = invoice_now(till.admin, invoice)
    assert (now["status"], len(now["payments"])) == ("betaald", 1)
    history = expect(till.admin.get(f"/api/workorders/{order['id']}/events"), 200).json()
    assert [e["action"] for e in history if e["changeType"] == "payment"] == ["link", "paid"]


def test_a_webhook_believes_mollie_not_the_caller(till: Shop, mollie: MollieServer) -> None:
    """Open at Mollie, unknown at Mollie, not a payment id at all: 200, and nothing changes."""
    _, invoice = invoiced(till.admin)
    payment_id = pay_link(till.admin, invoice, mollie)
    for claimed in (payment_id, "tr_nietbijmollie", "niet-een-id", ""):
        assert_no_event_between(till, lambda claimed=claimed: expect(webhook(till, claimed), 200))
    mollie.set_status(payment_id, "failed")
    assert_no_event_between(till, lambda: expect(mollie.notify(payment_id), 200))
    assert invoice_now(till.admin, invoice)["payments"] == []


def test_a_paid_payment_that_does_not_match_is_not_recorded_and_is_logged(till: Shop, mollie: MollieServer) -> None:
    _, invoice = invoiced(till.admin)
    _, other = invoiced(till.admin)
    cheaper = pay_link(till.admin, invoice, mollie)
    mollie.pay(cheaper)
    mollie.tamper(cheaper, amount={"currency": "EUR", "value": "1.21"})
    elsewhere = pay_link(till.admin, other, mollie)
    mollie.pay(elsewhere)
    mollie.tamper(elsewhere, metadata={"invoiceId": str(invoice["id"])})
    for payment_id in (cheaper, elsewhere):
        assert_no_event_between(till, lambda payment_id=payment_id: expect(mollie.notify(payment_id), 200))
    assert invoice_now(till.admin, invoice)["payments"] == invoice_now(till.admin, other)["payments"] == []
    log = till.server.log_text()
    assert f"Mollie payment {cheaper} is paid but not recorded: amount 121 EUR, asked for 12100 EUR" in log
    assert f"Mollie payment {elsewhere} is paid but not recorded: metadata.invoiceId '{invoice['id']}'" in log


def test_mollie_down_is_503_and_its_retry_records_the_payment(till: Shop, mollie: MollieServer) -> None:
    _, invoice = invoiced(till.admin)
    payment_id = pay_link(till.admin, invoice, mollie)
    mollie.pay(payment_id)
    mollie.stop()
    try:
        refused = webhook(till, payment_id)
        link = till.admin.post(f"/api/invoices/{invoice['id']}/payment-link")
    finally:
        mollie.start()
    assert refused.status_code == 503
    assert (link.status_code, link.json()["detail"]) == (503, "Mollie is nu niet bereikbaar; probeer het zo opnieuw")
    assert invoice_now(till.admin, invoice)["payments"] == []
    assert mollie.notify(payment_id).status_code == 200  # Mollie tries again
    assert invoice_now(till.admin, invoice)["status"] == "betaald"


def test_a_partial_pin_payment_and_ideal_for_the_rest(till: Shop, mollie: MollieServer) -> None:
    _, invoice = invoiced(till.admin)  # € 121,00
    pin = {"method": "pin", "amountCents": 5_000}
    partly = expect(till.admin.post(f"/api/invoices/{invoice['id']}/payments", json=pin), 201).json()
    assert (partly["status"], partly["paidCents"]) == ("open", 5_000)
    too_much = {"method": "contant", "amountCents": 7_101}

    def refused() -> httpx.Response:
        return expect(till.admin.post(f"/api/invoices/{invoice['id']}/payments", json=too_much), 409)

    assert_no_event_between(till, refused)
    detail = f"Op factuur {invoice['number']} staat nog {euro(7_100)} open; {euro(7_101)} is te veel"
    assert refused().json()["detail"] == detail
    expect(till.clients["monteur"].post(f"/api/invoices/{invoice['id']}/payments", json=pin), 403)
    for wrong in ({"method": "ideal", "amountCents": 100}, {"method": "pin", "amountCents": 0}, {"method": "pin"}):
        expect(till.admin.post(f"/api/invoices/{invoice['id']}/payments", json=wrong), 422)

    payment_id = pay_link(till.admin, invoice, mollie)
    assert mollie.created()[-1]["amount"] == {"currency": "EUR", "value": "71.00"}
    assert invoice_now(till.admin, invoice)["paymentUrl"] == f"{mollie.url}/checkout/{payment_id}"
    mollie.pay(payment_id)
    expect(mollie.notify(payment_id), 200)
    now = invoice_now(till.admin, invoice)
    assert (now["status"], now["paidCents"]) == ("betaald", 12_100)
    assert [(p["method"], p["amountCents"]) for p in now["payments"]] == [("pin", 5_000), ("ideal", 7_100)]
    expect(till.admin.post(f"/api/invoices/{invoice['id']}/payments", json={"method": "pin", "amountCents": 1}), 409)


def test_a_credit_note_settles_its_invoice(till: Shop) -> None:
    _, invoice = invoiced(till.admin)
    credit = expect(till.admin.post(f"/api/invoices/{invoice['id']}/credit"), 201).json()
    assert credit["status"] == invoice_now(till.admin, invoice)["status"] == "gecrediteerd"
    for target in (invoice, credit):
        pin = {"method": "pin", "amountCents": 100}
        expect(till.admin.post(f"/api/invoices/{target['id']}/payments", json=pin), 409)
        expect(till.admin.post(f"/api/invoices/{target['id']}/payment-link"), 409)
    assert invoice["id"] not in [row["id"] for row in expect(till.admin.get("/api/invoices?status=open"), 200).json()]


def test_the_open_invoices_and_the_accountants_csv(till: Shop) -> None:
    order, invoice = invoiced(till.admin, 12_345)
    _, paid = invoiced(till.admin, 1_000)
    expect(till.admin.post(f"/api/invoices/{paid['id']}/payments", json={"method": "pin", "amountCents": 1_210}), 201)
    rows = {row["id"]: row for row in expect(till.admin.get("/api/invoices?status=open"), 200).json()}
    assert paid["id"] not in rows and all(row["status"] == "open" for row in rows.values())
    row = rows[invoice["id"]]
    assert (row["daysOverdue"], row["openAmountCents"], row["customerName"]) == (0, 14_937, "Fam. Betaal")
    assert (row["workOrderNumber"], row["licensePlate"]) == (order["number"], order["licensePlate"])
    expect(till.admin.get("/api/invoices?status=onbekend"), 422)
    expect(till.clients["monteur"].get("/api/invoices?status=open"), 403)

    issued = date.fromisoformat(invoice["issuedAt"][:10])  # in UTC; the shop's day is at most one later
    period = f"from={issued - timedelta(days=1)}&to={issued + timedelta(days=1)}"
    export = expect(till.admin.get(f"/api/invoices/export.csv?{period}"), 200)
    assert export.headers["content-type"] == "text/csv; charset=utf-8"
    assert export.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark Dutch Excel needs for UTF-8
    lines = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:3] == ["Factuurnummer", "Soort", "Factuurdatum"]
    by_number = {line[0]: dict(zip(lines[0], line, strict=True)) for line in lines[1:]}
    assert by_number[invoice["number"]]["Incl. btw"] == "149,37"
    assert by_number[invoice["number"]]["Openstaand"] == "149,37"
    assert (by_number[paid["number"]]["Status"], by_number[paid["number"]]["Betaalwijze"]) == ("betaald", "pin")
    expect(till.admin.get(f"/api/invoices/export.csv?from={issued}&to=2000-01-01"), 422)


def test_the_invoice_mail_carries_the_payment_link(till: Shop, mollie: MollieServer, smtp: SmtpServer) -> None:
    order, invoice = invoiced(till.admin, email="betaler@example.nl")
    settled(till.admin, order, 3)
    [mail] = [m for m in mail_to(smtp, "betaler@example.nl") if m["Subject"].startswith("Factuur")]
    text = mail.get_body(preferencelist=("plain",))
    assert text is not None
    pay_url = f"{till.server.url}{order['statusUrl']}/betalen"
    assert f"Te betalen: {euro(12_100)}" in text.get_content() and f"Betalen met iDEAL: {pay_url}" in text.get_content()
    assert "overboeking" not in text.get_content()  # paying online: no transfer asked

    before = len(mollie.created())
    first = httpx.get(pay_url, timeout=15)  # the customer taps it: on to Mollie's checkout
    assert first.status_code == 303
    payment_id = mollie.newest()
    assert first.headers["location"] == f"{mollie.url}/checkout/{payment_id}"
    assert httpx.get(pay_url, timeout=15).headers["location"] == first.headers["location"]  # still open: reused
    assert len(mollie.created()) == before + 1
    mollie.pay(payment_id)
    expect(mollie.notify(payment_id), 200)
    assert invoice_now(till.admin, invoice)["status"] == "betaald"
    done = httpx.get(pay_url, timeout=15)  # nothing left to pay: back to the status page
    assert (done.status_code, done.headers["location"]) == (303, order["statusUrl"])
    assert httpx.get(f"{till.server.url}/status/{'x' * 32}/betalen", timeout=10).status_code == 404
