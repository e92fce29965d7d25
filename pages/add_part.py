"""Asking for a part in two taps (Onderdeel, Toevoegen), from the work order page or from a board card: what and
how many, and its price per piece excl. VAT when known (left empty, the customer reads "prijs volgt" until the
warehouse fills it in at Besteld). One dialog serves a whole page."""

from nicegui import run, ui

from models.public import PartCreate, WorkOrderBase
from pages.money_input import PRICE_LABEL, cents_from, price_input
from pages.state import database
from services import parts
from services.auth import Principal
from services.errors import Invalid, ServiceError


class AddPartDialog(ui.dialog):
    def __init__(self, principal: Principal) -> None:
        super().__init__()
        self.principal = principal
        self.work_order_id = 0
        with self, ui.card().classes("w-[26rem] max-w-full gap-3"):
            self.title = ui.label().classes("text-lg font-semibold")
            self.description = ui.input("Omschrijving").classes("w-full").props("autofocus")
            self.quantity = ui.number("Aantal", value=1, min=1, precision=0, format="%d").classes("w-full")
            self.price = price_input()
            self.error = ui.label().classes("text-negative text-sm")
            with ui.row().classes("w-full justify-end"):
                ui.button("Annuleren", on_click=self.close).props("flat no-caps")
                ui.button("Toevoegen", on_click=self.save).props("unelevated no-caps")

    def ask(self, order: WorkOrderBase) -> None:
        self.work_order_id = order.id
        self.title.set_text(f"Onderdeel voor {order.number}")
        self.description.set_value("")
        self.quantity.set_value(1)
        self.price.set_value("")
        self.error.set_text("")
        self.open()

    async def save(self) -> None:
        try:
            price = cents_from(self.price.value or "", "unit_price_cents")
            body = PartCreate(
                description=self.description.value or "",
                quantity=int(self.quantity.value or 0),
                unit_price_cents=price,
            )
        except Invalid as error:
            self.error.set_text(f"{PRICE_LABEL}: {error.message}")
            return
        except ValueError:  # the model's bounds on the quantity and the price
            self.error.set_text("Aantal moet minstens 1 zijn en de prijs niet te hoog")
            return
        try:
            await run.io_bound(parts.add_part, database(), self.work_order_id, body, actor=self.principal)
        except ServiceError as error:
            self.error.set_text(error.message)
            return
        self.close()
        ui.notify("Onderdeel toegevoegd", type="positive")
