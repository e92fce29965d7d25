"""Betalingen on the work order page: how far the current invoice is paid (`data-invoice-status`), every payment
(iDEAL through Mollie, pin, contant, overboeking) and, for the desk, "Betaling vastleggen" and — with Mollie set
up — "Betaallink maken" (the link copied to hand on). Live: the webhook's payment shows the moment it lands."""

from nicegui import run, ui

from models import Role
from models.public import InvoicePublic, PaymentPublic, WorkOrderPublic
from pages.clipboard import copy_text
from pages.counter_payment import record_counter_payment
from pages.history_list import dutch_datetime
from pages.section_card import Section
from pages.state import database, mollie, public_url
from services.auth import Principal
from services.billing import euro
from services.errors import ServiceError
from services.invoicing import payments

METHOD_WORDS = {"ideal": "iDEAL", "creditcard": "Creditcard", "bancontact": "Bancontact", "pin": "Pin",
                "contant": "Contant", "overboeking": "Overboeking"}  # fmt: skip


def invoice_state(invoice: InvoicePublic) -> str:
    """ "Betaald", or what is still open."""
    if invoice.status == "betaald":
        return "Betaald"
    if invoice.paid_cents:
        return f"Nog {euro(invoice.open_cents)} open van {euro(invoice.totals.including_vat_cents)}"
    return f"Open: {euro(invoice.open_cents)}"


class PaymentsSection(Section):
    title = "Betalingen"
    name = "betalingen"

    def __init__(self, order: WorkOrderPublic, principal: Principal) -> None:
        super().__init__(order)
        self.principal = principal
        self.show(order)

    def part(self, order: WorkOrderPublic) -> object:
        return order.invoice

    def draw(self, order: WorkOrderPublic) -> None:
        invoice = order.invoice
        if invoice is None:
            ui.label("Nog geen factuur").classes("text-sm text-slate-500")
            return
        paid = invoice.status == "betaald"
        ui.label(invoice_state(invoice)).classes(
            "font-semibold " + ("text-green-700" if paid else "text-slate-800")
        ).props(f"data-invoice-status={invoice.status}")
        for payment in invoice.payments:
            self._row(payment)
        if self.principal.role is not Role.ADMIN or paid:
            return
        with ui.row().classes("gap-2"):
            ui.button("Betaling vastleggen", icon="point_of_sale", on_click=self._record).props("unelevated no-caps")
            if mollie() is not None:
                ui.button("Betaallink maken", icon="link", on_click=self._link).props("outline no-caps")
        if invoice.payment_url:
            link = ui.link("Betaallink (Mollie)", invoice.payment_url, new_tab=True)
            link.classes("text-sm").props("data-payment-url")

    @staticmethod
    def _row(payment: PaymentPublic) -> None:
        with ui.row().classes("w-full justify-between text-sm").props(f"data-payment-id={payment.id}"):
            ui.label(f"{METHOD_WORDS[payment.method]}, {dutch_datetime(payment.at, 'd MMM y HH:mm')}")
            ui.label(euro(payment.amount_cents)).classes("tabular-nums")

    async def _record(self) -> None:
        invoice = self.order.invoice
        assert invoice is not None
        await record_counter_payment(invoice, self.order.customer_name, self.principal)

    async def _link(self) -> None:
        invoice = self.order.invoice
        assert invoice is not None
        try:
            link = await run.io_bound(
                payments.create_payment_link, database(), mollie(), invoice.id, public_url(), actor=self.principal
            )
        except ServiceError as error:
            ui.notify(error.message, type="negative")
            return
        if link is not None:
            await copy_text(link.payment_url, "Betaallink gekopieerd")
