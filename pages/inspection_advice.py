"""The advice on an inspection item: one tap on a werkpakket of the shop, or the work by hand (what, how long, the
parts) with its price incl. VAT; left empty, the price is worked out as a package's is (hours at the shop's rate
plus the parts, with VAT). The customer sees that price on their status page."""

from functools import partial
from typing import Literal

from nicegui import run, ui

from models.inspection_public import RecommendationInput
from models.planning_public import PackagePartInput
from models.public import InspectionItemPublic
from pages.appointment_section import big_button
from pages.money_input import cents_from, euro_input, price_input
from pages.state import database
from services import packages
from services.billing import duration, euro
from services.errors import Invalid

Cancelled = Literal[False]
REMOVE = "weghalen"  # what the dialog submits for "Advies weghalen"; a tap beside it submits None: cancelled


class PartRow:
    def __init__(self, parent: ui.element) -> None:
        with parent, ui.row().classes("w-full items-start gap-2 no-wrap").props("data-advice-part") as self.root:
            self.description = ui.input("Onderdeel").classes("grow")
            self.quantity = ui.number("Aantal", value=1, min=1, precision=0, format="%d").classes("w-20")
            with ui.element("div").classes("w-56"):
                self.price = price_input()

    def body(self) -> PackagePartInput | None:
        if not (self.description.value or "").strip():
            return None
        price = cents_from(self.price.value or "", "parts")
        return PackagePartInput(
            description=self.description.value, quantity=int(self.quantity.value or 1), unit_price_cents=price
        )


class AdviceDialog(ui.dialog):
    """`ask` answers the advice to save, None to remove the advice, False when the mechanic cancelled."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[PartRow] = []
        with self, ui.card().classes("w-[44rem] max-w-full gap-3").props("data-advice-dialog"):
            self.title = ui.label().classes("text-lg font-semibold")
            ui.label("Een werkpakket (één tik):").classes("text-sm")
            self.packages = ui.row().classes("w-full gap-2")
            ui.label("Of zelf omschrijven:").classes("text-sm pt-2")
            self.description = ui.input("Wat moet er gebeuren").classes("w-full")
            self.minutes = ui.number("Arbeid (minuten)", min=0, precision=0, format="%d").classes("w-48")
            self.part_rows = ui.column().classes("w-full gap-1")
            big_button("Onderdeel erbij", self.add_part, icon="add", colour="grey-8").props("flat")
            self.price = ui.input("Prijs voor de klant (incl. btw)").classes("w-72")
            self.price.props('prefix="€" inputmode=decimal hint="Leeg: uren tegen het uurtarief plus de onderdelen"')
            self.error = ui.label().classes("text-negative text-sm")
            with ui.row().classes("w-full justify-end gap-2"):
                self.weghalen = big_button("Advies weghalen", lambda: self.submit(REMOVE), colour="negative")
                self.weghalen.props("flat")
                big_button("Annuleren", lambda: self.submit(False), colour="grey-7").props("flat")
                big_button("Advies opslaan", self.save_own)

    def add_part(self) -> None:
        self.parts.append(PartRow(self.part_rows))

    async def ask(self, item: InspectionItemPublic) -> RecommendationInput | Cancelled | None:
        offered = await run.io_bound(packages.list_packages, database()) or []
        advice = item.recommendation
        self.title.set_text(f"Advies bij {item.label}")
        self.packages.clear()
        with self.packages:
            for package in offered:
                text = f"{package.name} · {duration(package.labour_minutes)}"
                if package.fixed_price_cents is not None:
                    text += f" · {euro(package.fixed_price_cents)}"
                chosen = RecommendationInput(package_id=package.id)
                big_button(text, partial(self.submit, chosen), colour="primary").props(
                    f"outline data-package-id={package.id}"
                )
        self.description.set_value(advice.description if advice else "")
        self.minutes.set_value(advice.labour_minutes if advice else 0)
        self.price.set_value(euro_input(advice.price_cents) if advice else "")
        self.part_rows.clear()
        self.parts = []
        for part in advice.parts if advice else []:
            self.add_part()
            row = self.parts[-1]
            row.description.set_value(part.description)
            row.quantity.set_value(part.quantity)
            row.price.set_value(euro_input(part.unit_price_cents))
        self.weghalen.set_visibility(advice is not None)
        self.error.set_text("")
        result = await self
        if result == REMOVE:
            return None
        return result if isinstance(result, RecommendationInput) else False

    def save_own(self) -> None:
        try:
            parts = [body for row in self.parts if (body := row.body()) is not None]
            advice = RecommendationInput(
                description=self.description.value or "",
                labour_minutes=int(self.minutes.value or 0),
                parts=parts,
                price_cents=cents_from(self.price.value or "", "priceCents"),
            )
        except Invalid as problem:
            self.error.set_text(problem.message)
            return
        except ValueError:  # the model's bounds
            self.error.set_text("Controleer de minuten, aantallen en bedragen")
            return
        if not (advice.description or "").strip():
            self.error.set_text("Zeg wat er moet gebeuren, of kies een werkpakket")
            return
        self.submit(advice)
