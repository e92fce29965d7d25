"""Onderdelen on the work order page: what the order needs and where each part is. A mechanic asks for a part
in two taps (pages/add_part.py) and reports a received one fitted; the desk and the warehouse remove a part
nobody ordered yet. Redrawn from each event, like every section."""

from collections.abc import Callable

from nicegui import run, ui

from models import PartStatus, Role
from models.public import PartPublic, PartUpdate, WorkOrderPublic
from pages.add_part import AddPartDialog
from pages.confirm import confirm
from pages.feedback import say
from pages.part_badges import part_status_badge, price_text
from pages.section_card import Section
from pages.state import database
from services import parts
from services.auth import Principal
from services.errors import ServiceError
from services.history import dutch_date


class PartsSection(Section):
    """Onderdelen: status, quantity, price and expected date per part."""

    title = "Onderdelen"
    name = "onderdelen"
    wide = True

    def __init__(self, order: WorkOrderPublic, principal: Principal) -> None:
        super().__init__(order)
        self.principal = principal
        self.can_remove = principal.role in (Role.ADMIN, Role.MAGAZIJN)
        self.can_fit = principal.role in (Role.ADMIN, Role.MONTEUR)
        dialog = AddPartDialog(principal)
        with self.card.actions:
            ui.button("Onderdeel", icon="add", on_click=lambda: dialog.ask(self.order)).props("flat no-caps")
        self.show(order)

    def part(self, order: WorkOrderPublic) -> object:
        return order.parts

    def draw(self, order: WorkOrderPublic) -> None:
        if not order.parts:
            ui.label("Nog geen onderdelen").classes("text-sm text-slate-500")
        for part in order.parts:
            self._row(part)

    def _row(self, part: PartPublic) -> None:
        row = ui.row().classes("w-full items-center gap-3 py-1 border-b border-slate-200 last:border-b-0 no-wrap")
        with row.props(f"data-part-id={part.id} data-part-status={part.status}"):
            part_status_badge(part.status)
            ui.label(f"{part.quantity}×").classes("tabular-nums").props("data-field=quantity")
            with ui.column().classes("gap-0 grow"):
                ui.label(part.description).props("data-field=description")
                details = [text for text in (part.article_number, part.supplier) if text]
                if details:
                    ui.label(" · ".join(details)).classes("text-xs text-slate-500")
            if part.expected_at and part.status == PartStatus.BESTELD:
                ui.label(f"verwacht {dutch_date(part.expected_at)}").classes("text-sm").props("data-field=expected")
            ui.label(price_text(part.unit_price_cents)).classes("tabular-nums").props("data-field=price")
            if self.can_fit and part.status == PartStatus.ONTVANGEN:
                ui.button("Gemonteerd", icon="build", on_click=lambda: self._fitted(part)).props(
                    "dense unelevated no-caps"
                )
            if self.can_remove and part.status == PartStatus.NODIG:
                ui.button("Verwijder", icon="delete", on_click=lambda: self._remove(part)).props("flat dense no-caps")

    async def _fitted(self, part: PartPublic) -> None:
        body = PartUpdate(status=PartStatus.GEMONTEERD.value, version=part.version)
        await self._call("Onderdeel gemonteerd", parts.update_part, database(), part.work_order_id, part.id, body)

    async def _remove(self, part: PartPublic) -> None:
        if await confirm(f"Onderdeel '{part.description}' verwijderen?", [], "Verwijderen", danger=True):
            await self._call("Onderdeel verwijderd", parts.remove_part, database(), part.work_order_id, part.id)

    async def _call(self, done: str, change: Callable[..., object], *args: object) -> None:
        """The section redraws from the event and a short notice says it is done; a refusal (someone else changed
        the part first) is said instead."""
        try:
            await run.io_bound(change, *args, actor=self.principal)
        except ServiceError as error:
            say(self.card, error.message, done=False)
        else:
            say(self.card, done)
