"""Afspraak and Werkpakketten on the work order page. The desk plans the car in (packages picked, then one tap on
one of the first free slots), moves or cancels the appointment and confirms a pick-up time; an order running past
its plan says "loopt uit" and which later appointments of that mechanic today are at risk. Nothing is promised to
the customer but what the desk confirms."""

from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from nicegui import run, ui

from models import Role
from models.planning_public import AppointmentSet, FreeSlot, PackageAdd, PackagePublic
from models.public import WorkOrderPublic, iso_utc
from pages.section_card import Section
from pages.state import database
from pages.theme import TOUCH_TARGET
from services import packages, planning, workorders
from services.auth import Principal
from services.billing import duration, euro
from services.clock import SHOP_ZONE, as_utc, utcnow
from services.errors import Conflict, ServiceError
from services.plates import format_plate

BIG = "unelevated no-caps"  # a button a finger hits: with TOUCH_TARGET at least 44×44 px
SLOTS = 6
DEFAULT_MINUTES = 60  # what a booking without packages starts from
REFRESH_SECONDS = 60  # while someone clocks on the order, its progress is looked at again this often


def big_button(
    text: str, on_click: Callable[[], Any], *, icon: str | None = None, colour: str = "primary"
) -> ui.button:
    button = ui.button(text, icon=icon, on_click=on_click).props(f"{BIG} color={colour}")
    return button.classes(f"{TOUCH_TARGET} px-4")


def _field(caption: str, text: str, name: str) -> None:
    with ui.column().classes("gap-0 min-w-[9rem]"):
        ui.label(caption).classes("text-xs uppercase tracking-wide text-slate-500")
        ui.label(text).props(f"data-field={name}")


def _local(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(SHOP_ZONE)


async def _saved(call: Callable[[], Awaitable[object]], error: ui.label, done: str) -> bool:
    """Runs a save; says so when it worked, shows the service's Dutch reason at `error` when not."""
    try:
        await call()
    except ServiceError as problem:
        error.set_text(problem.message)
        return False
    ui.notify(done, type="positive")
    return True


class PlanDialog(ui.dialog):
    """Inplannen (with packages to pick) or Verplaatsen: the first free slots of its length, one tap each, or a day
    and time of one's own. A refusal for capacity offers "Toch inplannen" (booking over on purpose)."""

    def __init__(self, principal: Principal) -> None:
        super().__init__()
        self.principal = principal
        self.order: WorkOrderPublic | None = None
        self.offered: list[PackagePublic] = []
        self.picked: list[int] = []
        self.last: tuple[datetime, str | None] | None = None
        with self, ui.card().classes("w-[40rem] max-w-full gap-3").props("data-plan-dialog"):
            self.title = ui.label().classes("text-lg font-semibold")
            self.packages = ui.row().classes("w-full gap-2")
            with ui.row().classes("w-full items-end gap-3"):
                self.minutes = ui.number("Duur (minuten)", min=1, precision=0, format="%d").classes("w-40")
                self.minutes.on("change", self.find_slots)
                self.mechanic = ui.select({}, label="Monteur").classes("w-40")
                self.waiting = ui.checkbox("Klant wacht").classes(TOUCH_TARGET)
                self.loan_car = ui.select({}, label="Leenauto").classes("w-44")
            ui.label("Eerste vrije tijden").classes("font-medium")
            self.free = ui.row().classes("w-full gap-2").props("data-slots")
            with ui.row().classes("w-full items-end gap-3"):
                self.day = ui.input("Dag").props("type=date stack-label").classes("w-44")
                self.at = ui.input("Tijd").props("type=time stack-label").classes("w-32")
                big_button("Opslaan", self.save_own, colour="primary")
            self.error = ui.label().classes("text-negative text-sm").props("data-plan-error")
            with ui.row().classes("w-full justify-end gap-2"):
                self.overbook = big_button("Toch inplannen (overboeken)", self.save_over, colour="negative")
                self.overbook.set_visibility(False)
                big_button("Sluiten", self.close, colour="grey-7").props("flat")

    async def plan(self, order: WorkOrderPublic) -> None:
        """Open it for this order (again): packages to pick only while it has no appointment."""
        self.order, self.picked, self.last = order, [], None
        appointment = order.appointment
        self.title.set_text(f"Inplannen: {order.number}" if appointment is None else f"Verplaatsen: {order.number}")
        mechanics = await run.io_bound(planning.list_mechanics, database())
        cars = await run.io_bound(planning.list_loan_cars, database())
        offered = await run.io_bound(packages.list_packages, database()) if appointment is None else []
        self.offered = offered or []
        self.mechanic.set_options({"": "Iedereen", **{m.name: m.name for m in mechanics or [] if m.active}})
        self.loan_car.set_options({"": "Geen", **{c.license_plate: f"{format_plate(c.license_plate)} {c.name}"
                                                  for c in cars or []}})  # fmt: skip
        if appointment is None:
            self.minutes.set_value(order.progress.planned_minutes or DEFAULT_MINUTES)
            self.mechanic.set_value("")
            self.waiting.set_value(False)
            self.loan_car.set_value("")
        else:
            self.minutes.set_value(appointment.minutes)
            self.mechanic.set_value(appointment.mechanic or "")
            self.waiting.set_value(appointment.waiting)
            self.loan_car.set_value(appointment.loan_car or "")
            local = _local(appointment.start)
            self.day.set_value(local.date().isoformat())
            self.at.set_value(f"{local:%H:%M}")
        self.error.set_text("")
        self.overbook.set_visibility(False)
        self._draw_packages()
        self.open()
        await self.find_slots()

    def _draw_packages(self) -> None:
        self.packages.clear()
        with self.packages:
            for package in self.offered:
                chosen = package.id in self.picked
                button = ui.button(
                    f"{package.name} · {duration(package.labour_minutes)}",
                    icon="check" if chosen else "add",
                    on_click=lambda p=package: self._pick(p),
                ).props(f"no-caps {'unelevated' if chosen else 'outline'} data-package-id={package.id}")
                button.classes(f"{TOUCH_TARGET} px-3")

    async def _pick(self, package: PackagePublic) -> None:
        if package.id in self.picked:
            self.picked.remove(package.id)
        else:
            self.picked.append(package.id)
        chosen = [p.labour_minutes for p in self.offered if p.id in self.picked]
        base = self.order.progress.planned_minutes if self.order is not None else 0
        self.minutes.set_value((base + sum(chosen)) or DEFAULT_MINUTES)
        self._draw_packages()
        await self.find_slots()

    def _length(self) -> int | None:
        value = self.minutes.value
        return int(value) if value and 0 < value <= 7 * 24 * 60 else None

    async def find_slots(self) -> None:
        minutes = self._length()
        found: list[FreeSlot] = []
        if minutes is not None:
            try:
                found = await run.io_bound(planning.free_slots, database(), minutes, None, SLOTS * 3) or []
            except ServiceError as problem:
                self.error.set_text(problem.message)
        wanted = self.mechanic.value or None
        shown = [slot for slot in found if wanted is None or slot.mechanic == wanted][:SLOTS]
        self.free.clear()
        with self.free:
            for slot in shown:
                text = f"{planning.dutch_moment(slot.start)} · {slot.mechanic}"
                big_button(text, partial(self.save, slot.start, slot.mechanic), colour="green-8").props(
                    f'data-slot="{iso_utc(slot.start)}" data-mechanic="{slot.mechanic}"'
                )
            if minutes is not None and not shown:
                ui.label("Geen vrije tijd gevonden in de komende drie maanden").classes("text-sm text-slate-500")

    async def save_own(self) -> None:
        try:
            day = datetime.fromisoformat(self.day.value or "").date()
            at = time.fromisoformat(self.at.value or "")
        except ValueError:
            self.error.set_text("Kies een dag en een tijd")
            return
        await self.save(datetime.combine(day, at, SHOP_ZONE), self.mechanic.value or None)

    async def save_over(self) -> None:
        if self.last is not None:
            await self.save(*self.last, allow_overbooking=True)

    async def save(self, start: datetime, mechanic: str | None, *, allow_overbooking: bool = False) -> None:
        order = self.order
        assert order is not None
        self.last = (start, mechanic)
        appointment = order.appointment
        promised = appointment.promised_at if appointment is not None else None
        if promised is not None and as_utc(promised) < as_utc(start):
            promised = None  # a promise before the new start no longer holds: the desk confirms a new one
        body = AppointmentSet(
            start=start, minutes=self._length(), mechanic=mechanic, promised_at=promised,
            waiting=bool(self.waiting.value), loan_car=self.loan_car.value or None,
            allow_overbooking=allow_overbooking, version=order.version,
        )  # fmt: skip
        try:
            if appointment is None:
                saved = await run.io_bound(planning.book, database(), order.id, self.picked, body, actor=self.principal)
            else:
                saved = await run.io_bound(planning.set_appointment, database(), order.id, body, actor=self.principal)
        except ServiceError as problem:
            self.error.set_text(problem.message)
            self.overbook.set_visibility(isinstance(problem, Conflict) and problem.message.startswith("Overboekt"))
            return
        if saved is None:  # the server is shutting down
            return
        verb = "ingepland" if appointment is None else "verplaatst"
        lost = (
            " De beloofde ophaaltijd is vervallen." if appointment and appointment.promised_at and not promised else ""
        )
        ui.notify(f"{saved.number} {verb}: {planning.dutch_moment(start)}{' · ' + mechanic if mechanic else ''}.{lost}",
                  type="positive", multi_line=True)  # fmt: skip
        self.close()


class PickupDialog(ui.dialog):
    """Ophaaltijd bevestigen: the time the desk promises the customer, which their status page then shows."""

    def __init__(self, principal: Principal) -> None:
        super().__init__()
        self.principal = principal
        self.order: WorkOrderPublic | None = None
        with self, ui.card().classes("w-[28rem] max-w-full gap-3").props("data-pickup-dialog"):
            ui.label("Ophaaltijd bevestigen").classes("text-lg font-semibold")
            ui.label("De klant ziet deze tijd op de statuspagina.").classes("text-sm")
            with ui.row().classes("w-full items-end gap-3"):
                self.day = ui.input("Dag").props("type=date stack-label").classes("w-44")
                self.at = ui.input("Tijd").props("type=time stack-label").classes("w-32")
            self.error = ui.label().classes("text-negative text-sm")
            with ui.row().classes("w-full justify-end gap-2"):
                big_button("Annuleren", self.close, colour="grey-7").props("flat")
                big_button("Bevestigen", self.confirm)

    def ask(self, order: WorkOrderPublic) -> None:
        self.order = order
        appointment = order.appointment
        assert appointment is not None
        suggested = appointment.promised_at or as_utc(appointment.start) + timedelta(minutes=appointment.minutes)
        local = _local(max(as_utc(suggested), utcnow()))
        self.day.set_value(local.date().isoformat())
        self.at.set_value(f"{local:%H:%M}")
        self.error.set_text("")
        self.open()

    async def confirm(self) -> None:
        order = self.order
        assert order is not None
        try:
            moment = datetime.combine(
                datetime.fromisoformat(self.day.value or "").date(), time.fromisoformat(self.at.value or ""), SHOP_ZONE
            )
        except ValueError:
            self.error.set_text("Kies een dag en een tijd")
            return
        done = f"Ophaaltijd bevestigd: {planning.dutch_moment(moment)}. De klant ziet die op de statuspagina."
        if await _saved(
            lambda: run.io_bound(
                planning.confirm_pickup, database(), order.id, moment, version=order.version, actor=self.principal
            ),
            self.error,
            done,
        ):
            self.close()


class AppointmentSection(Section):
    """Afspraak: start, length, mechanic, promised pick-up, klant wacht, loan car; the clocked minutes against the
    plan, and while they run past it "loopt uit" with the later appointments of that mechanic today at risk."""

    title = "Afspraak"
    name = "afspraak"

    def __init__(self, order: WorkOrderPublic, principal: Principal) -> None:
        super().__init__(order)
        self.principal = principal
        self.can_plan = principal.role is Role.ADMIN
        self.dialog = PlanDialog(principal) if self.can_plan else None
        self.pickup = PickupDialog(principal) if self.can_plan else None
        with self.card:
            ui.timer(REFRESH_SECONDS, self._refresh)
        self.show(order)

    def part(self, order: WorkOrderPublic) -> object:
        return order.appointment, order.progress, order.column

    async def open_plan(self) -> None:
        if self.dialog is not None:
            await self.dialog.plan(self.order)

    async def _refresh(self) -> None:
        """A running clock makes no event: look at the progress again while one runs."""
        if self.order.active_sessions and self.order.progress.planned_minutes:
            fresh = await run.io_bound(workorders.get_work_order, database(), self.order.id)
            if fresh is not None:
                self.show(fresh)

    def draw(self, order: WorkOrderPublic) -> None:
        appointment = order.appointment
        if appointment is None:
            self.card.props(remove="data-planned-start")
            ui.label("Nog niet ingepland").classes("text-slate-600").props("data-field=appointment")
            if self.can_plan:
                big_button("Inplannen", self.open_plan, icon="event")
            self._progress(order)
            return
        self.card.props(f'data-planned-start="{iso_utc(appointment.start)}"')
        with ui.row().classes("w-full gap-x-6 gap-y-2"):
            _field("Begin", planning.dutch_moment(appointment.start), "start")
            _field("Duur", duration(appointment.minutes), "minutes")
            _field("Monteur", appointment.mechanic or "iedereen", "mechanic")
            promised = planning.dutch_moment(appointment.promised_at) if appointment.promised_at else "nog niet beloofd"
            _field("Ophalen", promised, "promised")
            _field("Klant wacht", "ja" if appointment.waiting else "nee", "waiting")
            _field("Leenauto", format_plate(appointment.loan_car) if appointment.loan_car else "geen", "loan-car")
        self._progress(order)
        if self.can_plan:
            with ui.row().classes("w-full gap-2 pt-1"):
                big_button("Verplaatsen", self.open_plan, icon="edit_calendar")
                big_button("Ophaaltijd bevestigen", lambda: self._ask_pickup(), icon="schedule", colour="green-8")
                big_button("Afspraak annuleren", self._cancel, icon="event_busy", colour="negative").props("outline")

    def _ask_pickup(self) -> None:
        if self.pickup is not None:
            self.pickup.ask(self.order)

    def _progress(self, order: WorkOrderPublic) -> None:
        progress = order.progress
        if not progress.planned_minutes and not progress.clocked_minutes:
            return
        worked = f"Gewerkt: {duration(progress.clocked_minutes)} van {duration(progress.planned_minutes)} gepland"
        ui.label(worked).classes("text-sm").props("data-field=progress")
        if not progress.overrun:
            return
        with ui.column().classes("w-full gap-1 rounded bg-red-50 border border-red-300 p-3").props("data-overrun"):
            ui.label("Loopt uit").classes("font-semibold text-red-800")
            risky = ui.column().classes("w-full gap-1")
            ui.timer(0, partial(self._show_at_risk, risky, order.id), once=True)
            if self.can_plan and order.appointment is not None:
                big_button("Nieuwe ophaaltijd bevestigen", lambda: self._ask_pickup(), colour="green-8")

    async def _show_at_risk(self, place: ui.column, order_id: int) -> None:
        """The later appointments at risk, read off the event loop (a redraw never waits for the database)."""
        risky = await run.io_bound(planning.at_risk, database(), order_id)
        if risky is None or place.is_deleted:  # the server is shutting down, or the section was redrawn meanwhile
            return
        with place:
            if not risky:
                ui.label("Geen latere afspraken vandaag bij deze monteur.").classes("text-sm")
                return
            ui.label("Later vandaag in gevaar:").classes("text-sm")
            for other in risky:
                text = f"{_local(other.start):%H:%M} {other.number} ({format_plate(other.license_plate)})"
                who = f" · {other.mechanic}" if other.mechanic else ""
                ui.link(f"{text}{who}", f"/admin/workorders/{other.work_order_id}").props(
                    f"data-at-risk={other.work_order_id}"
                ).classes("text-sm")

    async def _cancel(self) -> None:
        """Asked first: the slot goes to someone else."""
        appointment = self.order.appointment
        if appointment is None:
            return
        with self.card, ui.dialog() as dialog, ui.card().classes("w-[26rem] max-w-full gap-3"):
            ui.label("Afspraak annuleren?").classes("text-lg font-semibold")
            ui.label(f"De afspraak van {planning.dutch_moment(appointment.start)} vervalt.").classes("text-sm")
            with ui.row().classes("w-full justify-end gap-2"):
                big_button("Nee, houden", lambda: dialog.submit(False), colour="grey-7").props("flat")
                big_button("Ja, annuleren", lambda: dialog.submit(True), colour="negative")
        confirmed = await dialog
        dialog.delete()
        if not confirmed:
            return
        with self.card:  # the button pressed is gone once the section redraws from the cancel
            try:
                await run.io_bound(planning.cancel_appointment, database(), self.order.id, actor=self.principal)
            except ServiceError as problem:
                ui.notify(problem.message, type="warning")
                return
            ui.notify("Afspraak geannuleerd", type="positive")


class PackagesSection(Section):
    """Werkpakketten: the packages on the order; "Werkpakket toevoegen" puts one's priced lines on it."""

    title = "Werkpakketten"
    name = "werkpakketten"

    def __init__(self, order: WorkOrderPublic, principal: Principal, names: list[str]) -> None:
        super().__init__(order)
        self.principal = principal
        self.names = names
        if principal.role is Role.ADMIN:
            with self.card.actions:
                big_button("Werkpakket toevoegen", self.choose, icon="add")
        self.show(order)

    def part(self, order: WorkOrderPublic) -> object:
        return tuple(line.id for line in order.labour), tuple(part.id for part in order.parts)

    def show(self, order: WorkOrderPublic) -> None:
        if isinstance(self._shown, tuple) and self.part(order) != self._shown:
            ui.timer(0, self._reload, once=True)  # a package someone added: its name is read again
        super().show(order)

    async def _reload(self) -> None:
        names = await run.io_bound(packages.packages_on_order, database(), self.order.id)
        if names is not None and names != self.names:
            self.names = names
            self.body.clear()
            with self.body:
                self.draw(self.order)

    def draw(self, order: WorkOrderPublic) -> None:
        if not self.names:
            ui.label("Nog geen werkpakketten").classes("text-slate-600")
        for name in self.names:
            ui.label(name).props("data-order-package")

    async def choose(self) -> None:
        offered = await run.io_bound(packages.list_packages, database())
        with self.card, ui.dialog() as dialog, ui.card().classes("w-[32rem] max-w-full gap-2"):
            ui.label("Werkpakket toevoegen").classes("text-lg font-semibold")
            ui.label("De arbeid en de onderdelen komen met hun prijs op de werkorder.").classes("text-sm")
            for package in offered or []:
                price = f"vaste prijs {euro(package.fixed_price_cents)}" if package.fixed_price_cents is not None else (
                    f"{duration(package.labour_minutes)} arbeid, {len(package.parts)} onderdelen")  # fmt: skip
                big_button(f"{package.name} · {price}", partial(dialog.submit, package), colour="primary").props(
                    f"outline data-package-id={package.id}"
                ).classes("w-full justify-start")
            big_button("Annuleren", lambda: dialog.submit(None), colour="grey-7").props("flat")
        chosen: PackagePublic | None = await dialog
        dialog.delete()
        if chosen is None:
            return
        try:
            await run.io_bound(
                packages.add_package, database(), self.order.id, PackageAdd(package_id=chosen.id), actor=self.principal
            )
        except ServiceError as problem:
            ui.notify(problem.message, type="warning", multi_line=True)
            return
        ui.notify(f"{chosen.name} toegevoegd: de arbeid en onderdelen staan op de werkorder", type="positive")
