"""/admin/planning: a week (or a day) per mechanic. Each appointment is a block sized by its minutes, in the cell
of its mechanic and day; a bar per day shows planned against capacity (green, orange from 80 %, red when full);
loan cars have their own lane. The desk drags a block (mouse, or a finger after a long press) to another day,
time or mechanic; a refused move goes back with the reason. Every open planning page follows each change: the
grid is one element drawn in the browser (pages/planning_week.py), sent a changed block and its days only."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui
from nicegui.events import GenericEventArguments

from models import Role
from models.planning_public import AppointmentSet, PlannedAppointment, Planning, PlanningDay
from models.public import WorkOrderBase, iso_utc
from pages.access import require
from pages.frame import frame
from pages.live import follow_work_orders
from pages.planning_week import Block, DayHead, PlanningWeek, WeekState
from pages.state import database
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


@dataclass(frozen=True)
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


@lru_cache(maxsize=4096)
def block_of(order_id: int, shown: Shown) -> Block:
    """The block as the browser draws it; made once per change and shared by every open page (read only)."""
    local = shown.start.astimezone(SHOP_ZONE)
    return {
        "id": order_id, "day": shown.day.isoformat(), "mechanic": shown.mechanic or UNASSIGNED,
        "start": iso_utc(shown.start), "minutes": shown.minutes, "time": f"{local:%H:%M} · {duration(shown.minutes)}",
        "number": shown.number, "plate": format_plate(shown.plate), "loanCar": shown.loan_car,
        "loanCarText": format_plate(shown.loan_car) if shown.loan_car else None,
    }  # fmt: skip


@lru_cache(maxsize=1024)
def day_head(day: date, holiday: str | None, capacity: int, planned: int) -> DayHead:
    """A day's header: its bar, and planned against capacity in words (shared by the pages, read only)."""
    free = max(0, capacity - planned)
    closed = capacity <= 0 and planned == 0
    return {
        "date": day.isoformat(), "label": planning.dutch_day(day), "holiday": holiday, "capacity": capacity,
        "planned": planned, "bar": bar_colour(planned, capacity),
        "share": 100 if capacity <= 0 else min(100, round(100 * planned / capacity)),
        "words": "dicht" if closed else f"{duration(planned)} van {duration(capacity)} · nog {duration(free)} vrij",
    }  # fmt: skip


class PlanningBoard:
    def __init__(self, principal: Principal) -> None:
        self.can_move = principal.role is Role.ADMIN
        self.principal = principal
        self.view = "week"
        today = shop_day(utcnow())
        self.first = today - timedelta(days=today.weekday())
        self.day = today
        self.shown: dict[int, Shown] = {}
        self.mechanics: list[str] = []
        self.shown_days: dict[date, PlanningDay] = {}
        self.planned: dict[date, int] = {}
        self.hours: dict[str, dict[str, list[str] | None]] = {}
        with ui.row().classes("items-center gap-2"):
            ui.button("Vorige", icon="chevron_left", on_click=lambda: self.go(-1)).props("outline no-caps")
            ui.button("Vandaag", on_click=self.today).props("outline no-caps")
            ui.button("Volgende", icon="chevron_right", on_click=lambda: self.go(1)).props("outline no-caps")
            toggle = ui.toggle({"week": "Week", "dag": "Dag"}, value="week", on_change=lambda e: self.switch(e.value))
            toggle.props("no-caps")
            self.title = ui.label().classes("text-lg font-medium ml-4")
        with ui.element("div").classes("w-full overflow-x-auto"):
            self.week = PlanningWeek(can_move=self.can_move)
        if self.can_move:
            self.week.on("block-dropped", self.dropped)

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
        self.hours = {m.name: m.work_hours for m in mechanics}
        self.draw(plan)

    def draw(self, plan: Planning) -> None:
        days = self.days()
        self.title.set_text(
            f"{planning.dutch_day(days[0])} – {planning.dutch_day(days[-1])}"
            if len(days) > 1
            else planning.dutch_day(days[0])
        )
        self.shown = {a.work_order_id: _shown(a) for a in plan.appointments}
        self.shown_days = {day.date: day for day in plan.days}
        self.planned = {day.date: day.planned_minutes for day in plan.days}
        self.mechanics = [m.name for m in plan.days[0].mechanics] + [UNASSIGNED] if plan.days else [UNASSIGNED]
        self.week.show(
            WeekState(
                days=[self._head(day) for day in self.shown_days],
                mechanics=self.mechanics,
                blocks={order_id: block_of(order_id, shown) for order_id, shown in self.shown.items()},
                pixelsPerMinute=PIXELS_PER_MINUTE[self.view],
            )
        )

    def _head(self, day: date) -> DayHead:
        shown = self.shown_days[day]
        return day_head(day, shown.holiday, shown.capacity_minutes, self.planned[day])

    def changed(self, order: WorkOrderBase) -> None:
        """A change from anywhere: only this order's block and the days it left and entered go to the browser."""
        before = self.shown.pop(order.id, None)
        appointment = order.appointment
        if appointment is not None and shop_day(appointment.start) in self.shown_days:
            self.shown[order.id] = Shown(
                appointment.start, appointment.minutes, appointment.mechanic, appointment.loan_car,
                order.number, order.license_plate,
            )  # fmt: skip
        after = self.shown.get(order.id)
        if before == after:
            return
        for shown, sign in ((before, -1), (after, 1)):
            if shown is not None:
                self.planned[shown.day] += sign * shown.minutes
        touched = sorted({shown.day for shown in (before, after) if shown is not None})
        self.week.apply({order.id: self._block(order.id)}, [self._head(day) for day in touched])

    def _block(self, order_id: int) -> Block | None:
        shown = self.shown.get(order_id)
        return None if shown is None else block_of(order_id, shown)

    async def dropped(self, event: GenericEventArguments) -> None:
        """A block dropped in a cell: the move goes to the service; whatever it says, the block then shows where
        the page's state has it (moved, or back with the reason)."""
        order_id, day_text, mechanic = event.args.get("id"), event.args.get("day"), event.args.get("mechanic")
        if order_id not in self.shown or mechanic not in self.mechanics:
            return
        day = date.fromisoformat(str(day_text))
        if day not in self.shown_days:
            return
        start = self._start_at(order_id, day, mechanic, int(event.args.get("index", 0)))
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
        self.week.apply({order_id: self._block(order_id)}, [])

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
