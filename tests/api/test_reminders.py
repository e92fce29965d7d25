"""The payment reminder (`herinnering`): once, paymentTermDays + 7 days after an invoice that is still open, and
none for a paid one — with the server's wall clock set (tests/clock.py) and the server restarted on each later
day, as a shop's server is at night. Without Mollie the e-mail and the status page ask for a bank transfer."""

from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import httpx

from services.billing import euro
from tests.api.billing import SHOP_SETTINGS, expect
from tests.api.payments import complete_settings, invoiced, sqlite_url
from tests.api.test_notifications import mail_to, notifications
from tests.clock import ServerClock, utc
from tests.server import Server, wait_until
from tests.smtp_server import SmtpServer

PRINTED_IBAN = "NL91 ABNA 0417 1643 00"  # SHOP_SETTINGS' IBAN as the shop's settings keep it
START = utc("2027-03-01 09:00")  # a Monday; a 14-day term: due on 15 March


def kinds(admin: httpx.Client, order: dict) -> list[str]:
    return [notification["kind"] for notification in notifications(admin, order)]


def test_a_reminder_once_a_week_after_the_due_date_and_none_for_a_paid_invoice(tmp_path: Path) -> None:
    with SmtpServer() as smtp:
        clock = ServerClock(tmp_path / "clock", START)
        server = Server(sqlite_url(tmp_path), env={**smtp.env, "MAIL_RETRY_SECONDS": "0.2"}, clock=clock)
        token = server.token("admin")
        with server, server.client(token) as admin:
            complete_settings(admin)
            late, late_invoice = invoiced(admin, email="laat@example.nl")
            paid, paid_invoice = invoiced(admin, email="betaald@example.nl")
            pin = {"method": "pin", "amountCents": 12_100}
            expect(admin.post(f"/api/invoices/{paid_invoice['id']}/payments", json=pin), 201)
            clock.set(START + timedelta(days=1))
            later, later_invoice = invoiced(admin, email="later@example.nl")
        assert (late_invoice["dueAt"], later_invoice["dueAt"]) == ("2027-03-15", "2027-03-16")

        clock.set(utc("2027-03-22 09:00"), running=False)  # a week past the first due date, the second's is tomorrow
        with server, server.client(token) as admin:
            wait_until(lambda: "herinnering" in kinds(admin, late), 15, "the reminder of the late invoice")
            assert "herinnering" not in kinds(admin, later)  # the same look: not yet due
            assert "herinnering" not in kinds(admin, paid)
            rows = expect(admin.get("/api/invoices?status=open"), 200).json()
            overdue = {row["id"]: row["daysOverdue"] for row in rows}
            assert (overdue[late_invoice["id"]], overdue[later_invoice["id"]]) == (7, 6)
            assert paid_invoice["id"] not in overdue

            subject = f"Herinnering: de factuur voor werkorder {late['number']} staat nog open"

            def reminders() -> list[EmailMessage]:
                return [mail for mail in mail_to(smtp, "laat@example.nl") if mail["Subject"] == subject]

            [mail] = wait_until(reminders, 15, "the reminder e-mail sent")
            text = mail.get_body(preferencelist=("plain",))
            assert text is not None
            transfer = (
                f"Betaal per overboeking op {PRINTED_IBAN} t.n.v. {SHOP_SETTINGS['name']}, onder vermelding "
                f"van factuurnummer {late_invoice['number']}."
            )
            assert f"Te betalen: {euro(12_100)} vóór 15 maart 2027." in text.get_content()
            assert transfer in text.get_content()
            [attachment] = list(mail.iter_attachments())
            assert attachment.get_filename() == f"factuur-{late_invoice['number']}.pdf"
            status = httpx.get(f"{server.url}{late['statusUrl']}", timeout=10).text
            assert 'id="pay-action" data-pay>Betaal per overboeking' in status
            assert "/betalen" not in status  # no online payments without Mollie
            off = expect(admin.post(f"/api/invoices/{late_invoice['id']}/payment-link"), 409).json()["detail"]
            assert off == "Online betalen staat uit. Vraag uw beheerder om Mollie in te stellen."

        clock.set(utc("2027-03-23 09:00"), running=False)
        with server, server.client(token) as admin:
            wait_until(lambda: "herinnering" in kinds(admin, later), 15, "the reminder of the second invoice")
            assert kinds(admin, late).count("herinnering") == 1  # once, across restarts
            assert "herinnering" not in kinds(admin, paid)
