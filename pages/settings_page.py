"""/admin/instellingen: the shop's own details as its invoices show them (the desk only). A number that does not
check out (KvK, BTW-id, IBAN, postcode) is said at its field; nothing is saved until all of them do."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui
from pydantic import ValidationError
from pydantic.alias_generators import to_snake

from models import Role
from models.public import MAX_BILLING_UNIT, ShopSettingsPublic, ShopSettingsUpdate
from pages.access import require
from pages.frame import frame
from pages.money_input import cents_from, euro_input
from pages.state import database
from services import shop
from services.auth import Principal
from services.errors import Invalid, ServiceError
from services.shop import FIELD_LABELS

TEXT_FIELDS = ("name", "street", "postal_code", "city", "kvk", "vat_number", "iban")
HINTS = {"kvk": "8 cijfers", "vat_number": "bijv. NL000099998B57", "iban": "bijv. NL91 ABNA 0417 1643 00"}


class ShopSettingsForm:
    def __init__(self, principal: Principal, settings: ShopSettingsPublic) -> None:
        self.principal = principal
        with ui.card().classes("w-full max-w-2xl gap-3 p-6").props("data-settings-form"):
            ui.label("Bedrijfsgegevens op de factuur").classes("text-lg font-semibold")
            self.inputs = {
                name: ui.input(FIELD_LABELS[name], value=getattr(settings, name) or "").classes("w-full")
                for name in TEXT_FIELDS
            }
            for name, hint in HINTS.items():
                self.inputs[name].props(f'hint="{hint}"')
            with ui.row().classes("w-full gap-4 no-wrap"):
                self.rate = ui.input(FIELD_LABELS["hourly_rate_cents"], value=euro_input(settings.hourly_rate_cents))
                self.rate.props('prefix="€" suffix="per uur"').classes("grow")
                self.term = ui.number(
                    FIELD_LABELS["payment_term_days"], value=settings.payment_term_days, min=0, max=365, precision=0
                )
                self.term.props('suffix="dagen"').classes("grow")
                self.unit = ui.number(
                    FIELD_LABELS["billing_unit_minutes"],
                    value=settings.billing_unit_minutes,
                    min=1,
                    max=MAX_BILLING_UNIT,
                    precision=0,
                )
                self.unit.props('suffix="minuten" hint="Uren overnemen rondt naar boven af"').classes("grow")
            with ui.row().classes("w-full justify-end"):
                ui.button("Opslaan", icon="save", on_click=self.save).props("unelevated no-caps")

    def _fields(self) -> dict[str, ui.input | ui.number]:
        return {
            **self.inputs,
            "hourly_rate_cents": self.rate,
            "payment_term_days": self.term,
            "billing_unit_minutes": self.unit,
        }

    async def save(self) -> None:
        for field in self._fields().values():
            field.error = None
        try:
            term = None if self.term.value is None else int(self.term.value)
            body = ShopSettingsUpdate(
                **{name: field.value for name, field in self.inputs.items()},
                hourly_rate_cents=cents_from(self.rate.value or "", "hourly_rate_cents"),
                payment_term_days=term,
                billing_unit_minutes=None if self.unit.value is None else int(self.unit.value),
            )
            saved = await run.io_bound(shop.update_shop_settings, database(), body, actor=self.principal)
        except Invalid as error:
            self._fields()[error.field or "name"].error = error.message
            return
        except ValidationError as error:  # the model's bounds on the rate and the term
            name = to_snake(str(error.errors()[0]["loc"][0]))
            self._fields().get(name, self.term).error = "Buiten het toegestane bereik"
            return
        except ServiceError as error:
            ui.notify(error.message, type="negative")
            return
        if saved is None:  # the server is shutting down
            return
        for name, field in self.inputs.items():
            field.set_value(getattr(saved, name) or "")  # as stored: IBAN grouped, BTW-id compact
        self.unit.set_value(saved.billing_unit_minutes)  # left empty: the default
        ui.notify("Instellingen opgeslagen", type="positive")


def settings_page(request: Request) -> RedirectResponse | None:
    principal = require(request, Role.ADMIN)
    if isinstance(principal, RedirectResponse):
        return principal
    with frame("Instellingen", principal):
        ShopSettingsForm(principal, shop.get_shop_settings(database()))
    return None
