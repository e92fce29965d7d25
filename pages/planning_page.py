"""/admin/planning: a week (or a day) per mechanic. Each appointment is a block sized by its minutes, in the cell
of its mechanic and day; a bar per day shows planned against capacity (green, orange from 80 %, red when full);
loan cars have their own lane. The desk drags a block (mouse, or a finger after a long press) to another day,
time or mechanic; a refused move goes back with the reason. Every open planning page follows each change."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui
from nicegui.events import GenericEventArguments

from models import Role
from models.planning_public import AppointmentSet, PlannedAppointment, Planning, PlanningDay
from models.public import WorkOrderPublic, iso_utc
from pages.access import require
from pages.board import SORTABLE_OPTIONS
from pages.frame import frame
from pages.live import follow_work_orders
from pages.state import database
from pages.theme import PLATE_CLASSES
from services import planning, workorders
from services.auth import Principal
from services.billing import duration
from services.clock import SHOP_ZONE, shop_day, utcnow
from services.errors import ServiceError
from services.plates import format_plate

UNASSIGNED = ""  # the row of appointments without a mechanic
DAY_START = "08:00"  # where a block dropped first in an empty cell starts, when the mechanic's hours say nothing
PIXELS_PER_MINUTE = {"week": 0.5, "dag": 1.2}


def bar_colour(planned: int, capacity: int) -> str:
    """green, orange from 80 %, red when full; grey on a closed day with nothing planned."""
    if capacity <= 0 and planned == 0:
        return "bg-slate-300"
    if planned >= capacity:
        return "bg-red-500"
    return "bg-orange-400" if planned >= 0.8 * capacity else "bg-green-500"


@dataclass
class Shown:
    """An appointment as the page holds it."""

    start: datetime
    minutes: int
    mechanic: str | None
    loan_car: str | None
    number: str
    plate: str

    @property
    def day(self) -> date:
        return shop_day(self.start)


class PlanningBoard:
    def __init__(self, principal: Principal) -> None:
        self.can_move = principal.role is Role.ADMIN
        self.principal = principal
        self.view = "week"
        today = shop_day(utcnow())
        self.first = today - timedelta(days=today.weekday())
        self.day = today
        self.shown: dict[int, Shown] = {}
        self.blocks: dict[int, ui.element] = {}
        self.cells: dict[tuple[date, str], ui.column] = {}
        self.headers: dict[date, tuple[ui.element, ui.label, ui.element]] = {}
        self.lanes: dict[date, ui.row] = {}
        self.plan: Planning | None = None
        self.hours: dict[str, dict[str, list[str] | None]] = {}
        with ui.row().classes("items-center gap-2"):
            ui.button("Vorige", icon="chevron_left", on_click=lambda: self.go(-1)).props("outline no-caps")
            ui.button("Vandaag", on_click=self.today).props("outline no-caps")
            ui.button("Volgende", icon="chevron_right", on_click=lambda: self.go(1)).props("outline no-caps")
            toggle = ui.toggle({"week": "Week", "dag": "Dag"}, value="week", on_change=lambda e: self.switch(e.value))
            toggle.props("no-caps")
            self.title = ui.label().classes("text-lg font-medium ml-4")
        self.grid = ui.element("div").classes("w-full overflow-x-auto")

    def days(self) -> list[date]:
        if self.view == "dag":
            return [self.day]
        return [self.first + timedelta(days=n) for n in range(7)]

    async def go(self, step: int) -> None:
        if self.view == "dag":
            self.day += timedelta(days=step)
        else:
            self.first += timedelta(days=7 * step)
        await self.load()

    async def today(self) -> None:
        today = shop_day(utcnow())
        self.first, self.day = today - timedelta(days=today.weekday()), today
        await self.load()

    async def switch(self, view: str) -> None:
        self.view = view
        if view == "dag":
            self.day = max(self.first, min(self.day, self.first + timedelta(days=6)))
        else:
            self.first = self.day - timedelta(days=self.day.weekday())
        await self.load()

    async def load(self) -> None:
        days = self.days()
        plan = await run.io_bound(planning.planning, database(), days[0], days[-1])
        mechanics = await run.io_bound(planning.list_mechanics, database())
        if plan is None or mechanics is None:  # the server is shutting down
            return
        self.plan, self.hours = plan, {m.name: m.work_hours for m in mechanics}
        self.draw(plan)

    def draw(self, plan: Planning) -> None:
        days = self.days()
        self.title.set_text(
            f"{planning.dutch_day(days[0])} – {planning.dutch_day(days[-1])}"
            if len(days) > 1
            else planning.dutch_day(days[0])
        )
        self.shown = {a.work_order_id: _shown(a) for a in plan.appointments}
        self.blocks, self.cells, self.headers, self.lanes = {}, {}, {}, {}
        mechanics = [m.name for m in plan.days[0].mechanics] + [UNASSIGNED] if plan.days else [UNASSIGNED]
        self.grid.clear()
        columns = f"8rem repeat({len(days)}, minmax({'9rem' if len(days) > 1 else '24rem'}, 1fr))"
        with self.grid, ui.element("div").classes("grid gap-1").style(f"grid-template-columns: {columns}"):
            ui.label("")
            for planned_day in plan.days:
                self._header(planned_day)
            for mechanic in mechanics:
                ui.label(mechanic or "Niet toegewezen").classes("font-medium text-slate-700 pt-2")
                for day in days:
                    self._cell(day, mechanic)
            ui.label("Leenauto's").classes("font-medium text-slate-700 pt-2")
            for day in days:
                self.lanes[day] = (
                    ui.row()
                    .classes("gap-1 min-h-[2.5rem] rounded bg-slate-50 p-1")
                    .props(f'data-loan-lane="{day.isoformat()}"')
                )
        for order_id in sorted(self.shown, key=lambda i: self.shown[i].start):
            self._place(order_id)
        for day in days:
            self._update_day(day)

    def _header(self, day: PlanningDay) -> None:
        capacities = {m.name: m.capacity_minutes for m in day.mechanics}
        with ui.column().classes("gap-1 p-1") as header:
            header.props(f'data-day="{day.date.isoformat()}"')
            header.capacities = capacities  # type: ignore[attr-defined]
            ui.label(planning.dutch_day(day.date)).classes("font-semibold")
            words = ui.label().classes("text-xs text-slate-600")
            if day.holiday:
                ui.label(day.holiday).classes("text-xs text-red-700")
            with ui.element("div").classes("w-full h-2 rounded bg-slate-200 overflow-hidden"):
                bar = ui.element("div").classes("h-2")
        self.headers[day.date] = (header, words, bar)

    def _cell(self, day: date, mechanic: str) -> None:
        cell = ui.column().classes("gap-1 min-h-[3rem] rounded bg-slate-100 p-1")
        cell.props(f'data-cell data-day="{day.isoformat()}" data-mechanic="{mechanic}"')
        if self.can_move:
            cell.make_sortable(SORTABLE_OPTIONS, group="planning")
            cell.on("sortend", self.dropped, js_handler="(event) => emit(event.detail)")
        self.cells[day, mechanic] = cell

    def _place(self, order_id: int) -> None:
        """Put the block in its cell, in time order; only this block is touched."""
        shown = self.shown.get(order_id)
        block = self.blocks.get(order_id)
        cell = None if shown is None else self.cells.get((shown.day, shown.mechanic or UNASSIGNED))
        if shown is None or cell is None:
            if block is not None:
                del self.blocks[order_id]
                block.delete()
            return
        if block is None:
            with cell:
                block = ui.element("div").classes("w-full rounded bg-blue-100 border-l-4 border-blue-600 px-2 py-1")
                block.classes("cursor-grab select-none overflow-hidden text-xs leading-tight")
            self.blocks[order_id] = block
        block.clear()
        local = shown.start.astimezone(SHOP_ZONE)
        with block:
            ui.label(f"{local:%H:%M} · {duration(shown.minutes)}").classes("font-semibold")
            ui.link(shown.number, f"/admin/workorders/{order_id}").classes("font-mono text-blue-900")
            ui.label(format_plate(shown.plate)).classes(f"{PLATE_CLASSES} text-[10px]")
        height = max(56, round(shown.minutes * PIXELS_PER_MINUTE[self.view]))
        block.style(f"height: {height}px")
        block.props(
            f'data-appointment-id="{order_id}" data-mechanic="{shown.mechanic or ""}" '
            f'data-start="{iso_utc(shown.start)}" data-minutes="{shown.minutes}"'
        )
        others = [i for i, b in self.blocks.items() if i != order_id and b.parent_slot is cell.default_slot]
        index = sum(1 for i in others if self.shown[i].start <= shown.start)
        if block.parent_slot is not cell.default_slot or cell.default_slot.children.index(block) != index:
            block.move(target_container=cell, target_index=index)

    def _update_day(self, day: date) -> None:
        entry = self.headers.get(day)
        if entry is None:
            return
        header, words, bar = entry
        capacities: dict[str, int] = header.capacities  # type: ignore[attr-defined]
        capacity = sum(capacities.values())
        planned = sum(s.minutes for s in self.shown.values() if s.day == day)
        header.props(f'data-capacity="{capacity}" data-planned="{planned}"')
        free = max(0, capacity - planned)
        closed = capacity <= 0 and planned == 0
        summary = f"{duration(planned)} van {duration(capacity)} · nog {duration(free)} vrij"
        words.set_text("dicht" if closed else summary)
        share = 100 if capacity <= 0 else min(100, round(100 * planned / capacity))
        bar.classes(replace=f"h-2 {bar_colour(planned, capacity)}").style(f"width: {share}%")
        lane = self.lanes[day]
        lane.clear()
        with lane:
            for order_id, shown in sorted(self.shown.items(), key=lambda item: item[1].start):
                if shown.day == day and shown.loan_car:
                    label = ui.label(format_plate(shown.loan_car)).classes(f"{PLATE_CLASSES} text-xs")
                    label.props(f'data-loan-car="{shown.loan_car}" data-appointment-id="{order_id}"')

    def changed(self, order: WorkOrderPublic) -> None:
        """A change from anywhere: move, resize or remove this order's block and redo the days it touched."""
        before = self.shown.pop(order.id, None)
        appointment = order.appointment
        if appointment is not None and shop_day(appointment.start) in self.headers:
            self.shown[order.id] = Shown(
                appointment.start, appointment.minutes, appointment.mechanic, appointment.loan_car,
                order.number, order.license_plate,
            )  # fmt: skip
        after = self.shown.get(order.id)
        if before == after:
            return
        self._place(order.id)
        for day in {s.day for s in (before, after) if s is not None}:
            self._update_day(day)

    async def dropped(self, event: GenericEventArguments) -> None:
        block = event.client.elements.get(event.args["item_id"])
        target = event.client.elements.get(event.args["to_id"])
        order_id = next((i for i, b in self.blocks.items() if b is block), None)
        where = next((key for key, cell in self.cells.items() if cell is target), None)
        if order_id is None or where is None:
            return
        day, mechanic = where
        start = self._start_at(order_id, day, mechanic, int(event.args["new_index"]))
        try:
            current = await run.io_bound(workorders.get_work_order, database(), order_id)
            if current is None:
                return
            appointment = current.appointment
            if appointment is None:
                raise ServiceError(f"{current.number} heeft geen afspraak meer")
            body = AppointmentSet(
                start=start, minutes=appointment.minutes, mechanic=mechanic or None,
                promised_at=appointment.promised_at, waiting=appointment.waiting, loan_car=appointment.loan_car,
                version=current.version,
            )  # fmt: skip
            moved = await run.io_bound(planning.set_appointment, database(), order_id, body, actor=self.principal)
            if moved is not None:
                self.changed(moved)
        except ServiceError as error:
            ui.notify(error.message, type="warning", multi_line=True)
        self._put_back(order_id)

    def _start_at(self, order_id: int, day: date, mechanic: str, index: int) -> datetime:
        """Dropped first in a cell: the start of the mechanic's day; after a block: where that block ends."""
        others = sorted(
            (s for i, s in self.shown.items() if i != order_id and s.day == day and (s.mechanic or "") == mechanic),
            key=lambda s: s.start,
        )
        if index > 0 and others:
            before = others[min(index, len(others)) - 1]
            return before.start + timedelta(minutes=before.minutes)
        hours = self.hours.get(mechanic, {}).get(str(day.isoweekday())) or [DAY_START]
        return datetime.combine(day, time.fromisoformat(hours[0]), SHOP_ZONE)

    def _put_back(self, order_id: int) -> None:
        """Wherever SortableJS left the node, the block goes where the page's state says (a refused move back)."""
        block, shown = self.blocks.get(order_id), self.shown.get(order_id)
        cell = None if shown is None else self.cells.get((shown.day, shown.mechanic or UNASSIGNED))
        if block is not None and cell is not None:
            block.move(target_container=cell)
            self._place(order_id)


def _shown(appointment: PlannedAppointment) -> Shown:
    return Shown(
        appointment.start, appointment.minutes, appointment.mechanic, appointment.loan_car,
        appointment.number, appointment.license_plate,
    )  # fmt: skip


async def planning_page(request: Request) -> RedirectResponse | None:
    principal = require(request, Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN)
    if isinstance(principal, RedirectResponse):
        return principal
    with frame("Planning", principal):
        board = PlanningBoard(principal)
        follow_work_orders(board.changed)
        await board.load()
    return None
