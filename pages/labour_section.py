"""Arbeid on the work order page (the desk): labour lines typed by hand ("Arbeid"), or the mechanics' clocked hours
taken over ("Uren overnemen": one line with the minutes not yet billed, rounded up to the shop's billing unit, shown
first), and removed."""

from nicegui import run, ui

from models import Role
from models.public import LabourCreate, LabourLinePublic, LabourProposal, WorkOrderPublic
from pages.confirm import confirm
from pages.feedback import say
from pages.money_input import cents_from, euro_input
from pages.section_card import Section
from pages.state import database
from services import labour
from services.auth import Principal
from services.billing import duration, euro, labour_cents
from services.errors import Invalid, ServiceError
from services.shop import get_shop_settings


class AddLabourDialog(ui.dialog):
    """What was done and how long; the hourly rate starts at the shop's own."""

    def __init__(self, section: "LabourSection") -> None:
        super().__init__()
        self.section = section
        with self, ui.card().classes("w-[26rem] max-w-full gap-3"):
            ui.label("Arbeid toevoegen").classes("text-lg font-semibold")
            self.description = ui.input("Omschrijving").classes("w-full")
            self.minutes = ui.number("Minuten", value=60, min=1, precision=0, format="%d").classes("w-full")
            self.rate = ui.input("Uurtarief").props('prefix="€" suffix="per uur"').classes("w-full")
            self.error = ui.label().classes("text-negative text-sm")
            with ui.row().classes("w-full justify-end"):
                ui.button("Annuleren", on_click=self.close).props("flat no-caps")
                ui.button("Toevoegen", on_click=self.save).props("unelevated no-caps")

    async def ask(self) -> None:
        settings = await run.io_bound(get_shop_settings, database())
        if settings is None:  # the server is shutting down
            return
        rate = settings.hourly_rate_cents
        self.description.set_value("")
        self.minutes.set_value(60)
        self.rate.set_value(euro_input(rate))
        self.error.set_text("")
        self.open()

    async def save(self) -> None:
        try:
            rate = cents_from(self.rate.value or "", "rate_cents")
            body = LabourCreate(
                description=self.description.value or "", minutes=int(self.minutes.value or 0), rate_cents=rate
            )
        except Invalid as error:
            self.error.set_text(error.message)
            return
        except ValueError:  # the model's bounds
            self.error.set_text("Minuten moet minstens 1 zijn en het tarief niet te hoog")
            return
        try:
            await run.io_bound(labour.add_labour, database(), self.section.order.id, body, actor=self.section.principal)
        except ServiceError as error:
            self.error.set_text(error.message)
            return
        self.close()
        ui.notify("Arbeid toegevoegd", type="positive")


async def confirm_proposal(proposal: LabourProposal) -> bool:
    """The preview of "Uren overnemen": the line as the customer will read it, and the clocked minutes behind it."""
    clocked = ", ".join(f"{line.mechanic} {duration(line.minutes)}" for line in proposal.mechanics)
    unit = duration(proposal.billing_unit_minutes)
    return await confirm(
        "Uren overnemen?",
        [
            f"Op de rekening: Arbeid: {proposal.description}, {duration(proposal.minutes)} à "
            f"{euro(proposal.rate_cents)} per uur = {euro(proposal.amount_cents)} excl. btw.",
            f"Geklokt: {clocked} (samen {duration(proposal.clocked_minutes)}), naar boven afgerond op {unit}.",
        ],
        "Overnemen",
        hook="data-confirm=uren-overnemen",
    )


class LabourSection(Section):
    """Arbeid: per line what, how long, at what rate, and its amount."""

    title = "Arbeid"
    name = "arbeid"
    wide = True

    def __init__(self, order: WorkOrderPublic, principal: Principal) -> None:
        super().__init__(order)
        self.principal = principal
        self.can_edit = principal.role is Role.ADMIN
        if self.can_edit:
            dialog = AddLabourDialog(self)
            with self.card.actions:
                ui.button("Uren overnemen", icon="schedule", on_click=self._from_sessions).props("flat no-caps")
                ui.button("Arbeid", icon="add", on_click=dialog.ask).props("flat no-caps")
        self.show(order)

    def part(self, order: WorkOrderPublic) -> object:
        return order.labour

    def draw(self, order: WorkOrderPublic) -> None:
        if not order.labour:
            ui.label("Nog geen arbeid").classes("text-sm text-slate-500")
        for line in order.labour:
            self._row(line)

    def _row(self, line: LabourLinePublic) -> None:
        row = ui.row().classes("w-full items-center gap-3 py-1 border-b last:border-b-0 no-wrap")
        with row.props(f"data-labour-id={line.id}"):
            ui.label(line.description).classes("grow").props("data-field=description")
            ui.label(duration(line.minutes)).classes("tabular-nums").props("data-field=minutes")
            ui.label(f"à {euro(line.rate_cents)}/u").classes("text-sm text-slate-500 tabular-nums")
            ui.label(euro(labour_cents(line.minutes, line.rate_cents))).classes("tabular-nums").props(
                "data-field=amount"
            )
            if self.can_edit:
                ui.button("Verwijder", icon="delete", on_click=lambda: self._remove(line)).props("flat dense no-caps")

    async def _from_sessions(self) -> None:
        """The line is shown first (rounded up, and whose minutes it takes); only "Overnemen" adds it."""
        try:
            proposal = await run.io_bound(labour.propose_labour_from_sessions, database(), self.order.id)
            if proposal is None or not await confirm_proposal(proposal):  # None: the server is shutting down
                return
            lines = await run.io_bound(labour.labour_from_sessions, database(), self.order.id, actor=self.principal)
        except ServiceError as error:
            ui.notify(error.message, type="warning")
            return
        if lines:
            ui.notify(f"Arbeid overgenomen: {duration(lines[0].minutes)}", type="positive")

    async def _remove(self, line: LabourLinePublic) -> None:
        if not await confirm(f"Arbeid '{line.description}' verwijderen?", [], "Verwijderen", danger=True):
            return
        try:
            await run.io_bound(labour.remove_labour, database(), self.order.id, line.id, actor=self.principal)
        except ServiceError as error:
            say(self.card, error.message, done=False)
        else:
            say(self.card, "Arbeid verwijderd")
