"""Recording money taken at the counter (pin, contant) or seen on the bank statement (overboeking): a dialog that
names the invoice and its open amount, prefilled with all of it; a part is fine, more than open is refused."""

from nicegui import run, ui

from models.public import CounterPaymentCreate, InvoicePublic
from pages.money_input import cents_from, euro_input
from pages.state import database
from services.auth import Principal
from services.billing import euro
from services.errors import ServiceError
from services.invoicing import payments

METHOD_WORDS = {"pin": "Pin", "contant": "Contant", "overboeking": "Overboeking"}


async def record_counter_payment(invoice: InvoicePublic, who: str, principal: Principal) -> bool:
    """Asks how and how much (`who` owes it), records it; True when it was recorded (its event redraws the pages)."""
    with ui.context.client.layout, ui.dialog() as dialog, ui.card().classes("w-[28rem] max-w-full gap-3"):
        dialog.props("data-confirm=betaling")
        ui.label(f"Betaling voor factuur {invoice.number}").classes("text-lg font-semibold")
        ui.label(f"{who}: nog {euro(invoice.open_cents)} open").classes("text-sm")
        method = ui.toggle(METHOD_WORDS, value="pin").props("no-caps")
        amount = ui.input("Bedrag", value=euro_input(invoice.open_cents)).props('prefix="€" inputmode=decimal')
        error = ui.label().classes("text-negative text-sm")

        async def save() -> None:
            try:
                cents = cents_from(amount.value or "", "amount_cents") or 0
                body = CounterPaymentCreate(method=method.value, amount_cents=cents)
            except ServiceError as refused:
                error.set_text(refused.message)
                return
            except ValueError:
                error.set_text("Geef een bedrag groter dan nul")
                return
            try:
                await run.io_bound(payments.record_counter_payment, database(), invoice.id, body, actor=principal)
            except ServiceError as refused:
                error.set_text(refused.message)
                return
            dialog.submit(True)

        with ui.row().classes("w-full justify-end"):
            ui.button("Annuleren", on_click=lambda: dialog.submit(False)).props("flat no-caps")
            ui.button("Vastleggen", on_click=save).props("unelevated no-caps")
    recorded = await dialog
    dialog.delete()
    if recorded:
        ui.notify("Betaling vastgelegd", type="positive")
    return bool(recorded)
