"""/admin/instellingen: the shop's own details as its invoices show them, and how customers reach it (on their
status page); the desk only. Every value that does not check out (KvK, BTW-id, IBAN, postcode, phone, e-mail, rate,
term) is said at its field, all at once; nothing is saved until all of them do."""

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
from services.shop import CONTACT_LABELS, FIELD_LABELS

TEXT_FIELDS = ("name", "street", "postal_code", "city", "kvk", "vat_number", "iban")
OUT_OF_RANGE = "Buiten het toegestane bereik"
HINTS = {"kvk": "8 cijfers", "vat_number": "bijv. NL000099998B57", "iban": "bijv. NL91 ABNA 0417 1643 00",
         "phone": "bijv. 030 123 45 67", "opening_hours": "bijv. ma–vr 08:00–17:30, za 09:00–12:00"}  # fmt: skip


class ShopSettingsForm:
    def __init__(self, principal: Principal, settings: ShopSettingsPublic) -> None:
        self.principal = principal
        with ui.card().classes("w-full max-w-2xl gap-3 p-6").props("data-settings-form"):
            ui.label("Bedrijfsgegevens op de factuur").classes("text-lg font-semibold")
            self.inputs = {
                name: ui.input(FIELD_LABELS[name], value=getattr(settings, name) or "").classes("w-full")
                for name in TEXT_FIELDS
            }
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
            self._contact(settings)
            for name, hint in HINTS.items():
                self.inputs[name].props(f'hint="{hint}"')
            with ui.row().classes("w-full justify-end"):
                ui.button("Opslaan", icon="save", on_click=self.save).props("unelevated no-caps")

    def _contact(self, settings: ShopSettingsPublic) -> None:
        ui.label("Contact voor klanten (op hun statuspagina)").classes("text-lg font-semibold pt-2")
        for name, label in CONTACT_LABELS.items():
            kind = ui.textarea if name == "opening_hours" else ui.input
            self.inputs[name] = kind(label, value=getattr(settings, name) or "").classes("w-full")
        self.inputs["opening_hours"].props("autogrow")

    def _fields(self) -> dict[str, ui.input | ui.number]:
        return {
            **self.inputs,
            "hourly_rate_cents": self.rate,
            "payment_term_days": self.term,
            "billing_unit_minutes": self.unit,
        }

    def _show(self, problems: dict[str, str]) -> None:
        """Every field's problem at that field, all at once; a field without one is cleared."""
        for name, field in self._fields().items():
            field.error = problems.get(name)

    def _checked(self) -> tuple[ShopSettingsUpdate, dict[str, str]]:
        """The form as the service will take it, and every problem in it (the service's own checks, run here too,
        so a bad rate does not hide a bad IBAN until the next save)."""
        problems: dict[str, str] = {}
        numbers: dict[str, int | None] = {
            "payment_term_days": None if self.term.value is None else int(self.term.value),
            "billing_unit_minutes": None if self.unit.value is None else int(self.unit.value),
        }
        try:
            numbers["hourly_rate_cents"] = cents_from(self.rate.value or "", "hourly_rate_cents")
        except Invalid as error:
            problems |= error.fields
        texts: dict[str, object] = {name: field.value for name, field in self.inputs.items()}
        try:
            body = ShopSettingsUpdate.model_validate({**texts, **numbers})
        except ValidationError as error:  # the model's bounds on the rate and the term
            problems |= {to_snake(str(problem["loc"][0])): OUT_OF_RANGE for problem in error.errors()}
            body = ShopSettingsUpdate.model_validate(texts)
        try:
            shop.clean_shop_settings(body)
        except Invalid as error:
            problems |= error.fields
        return body, problems

    async def save(self) -> None:
        body, problems = self._checked()
        self._show(problems)
        if problems:
            return
        try:
            saved = await run.io_bound(shop.update_shop_settings, database(), body, actor=self.principal)
        except Invalid as error:
            self._show(error.fields or {"name": error.message})
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
