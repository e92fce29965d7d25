"""/admin/dashboard: the shop's numbers as charts — revenue per week against last year, the mechanics' clocked
against billed hours, the inspection recommendations approved, the parts' lead time, where the orders wait (a
cumulative flow of the last 8 weeks) and today's appointments against capacity — for a period the desk picks, with
the accountant's exports. Live: each tile is re-read, off the event loop and one read at a time, only when a
commit carries a change it shows (an invoice, a payment, a move, …)."""

from collections.abc import Callable
from datetime import date
from typing import Any, Generic, TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import background_tasks, run, ui

from models import Role
from pages import dashboard_charts as charts
from pages.access import require
from pages.frame import frame
from pages.live import follow_change_types
from pages.reread import Reread
from pages.state import database
from services import reports
from services.billing import euro
from services.db import Database
from services.errors import Invalid
from services.reports import Period, dashboard
from services.text import counted

T = TypeVar("T")
CHART_CLASSES = "w-full h-80"
EXPORTS = [("invoices", "Facturen"), ("payments", "Betalingen"), ("mileages", "Tellerstanden")]


class Tile(Generic[T]):
    """One read and how it is shown; re-read when a commit carries one of `changes` (or the period changes)."""

    def __init__(
        self, read: Callable[[Database, Period], T], show: Callable[[T], None], changes: set[str], period: bool
    ) -> None:
        self.read, self.show, self.changes, self.uses_period = read, show, changes, period
        self.period = Period(date.min, date.min)
        self.refresh = Reread(lambda: run.io_bound(self.read, database(), self.period), self.show)

    def draw(self, period: Period) -> None:
        self.period = period
        self.show(self.read(database(), period))


def _chart(name: str, options: dict[str, Any]) -> ui.echart:
    return ui.echart(options).classes(CHART_CLASSES).props(f"data-chart={name}")


def _kpi(name: str, label: str) -> ui.label:
    with ui.card().classes("min-w-[11rem] gap-0 p-3"):
        ui.label(label).classes("text-xs uppercase text-slate-500")
        return ui.label("–").classes("text-2xl font-semibold tabular-nums").props(f"data-kpi={name}")


def _replace(chart: ui.echart, options: dict[str, Any]) -> None:
    chart.options.clear()
    chart.options.update(options)
    chart.update()


class Dashboard:
    def __init__(self, period: Period) -> None:
        self.period = period
        self._period_picker()
        with ui.row().classes("w-full gap-4"):
            self.revenue = _kpi("omzet", "Omzet excl. btw")
            self.count = _kpi("facturen", "Facturen")
            self.average = _kpi("gemiddeld", "Gemiddelde factuur")
            self.received = _kpi("ontvangen", "Ontvangen")
            self.lead = _kpi("levertijd", "Levertijd onderdelen (mediaan)")
        with ui.grid().classes("w-full grid-cols-1 xl:grid-cols-2 gap-4"):
            self.weeks = _chart("omzet", {})
            self.mechanics = _chart("monteurs", {})
            self.inspections = _chart("keuring", {})
            self.flow = _chart("doorstroom", {})
            self.today = _chart("vandaag", {})
        self._exports()
        self.tiles: list[Tile[Any]] = [
            Tile(dashboard.money, self._money, {"invoice", "payment"}, period=True),
            Tile(dashboard.mechanics, lambda m: _replace(self.mechanics, charts.mechanics_options(m)),
                 {"invoice", "session"}, period=True),
            Tile(dashboard.inspections, lambda i: _replace(self.inspections, charts.inspection_options(i)),
                 {"inspection"}, period=True),
            Tile(dashboard.lead_time, self._lead_time, {"parts"}, period=True),
            Tile(lambda db, _: dashboard.weeks(db), lambda w: _replace(self.weeks, charts.revenue_options(w)),
                 {"invoice"}, period=False),
            Tile(lambda db, _: dashboard.flow(db), lambda f: _replace(self.flow, charts.flow_options(f)),
                 {"created", "column"}, period=False),
            Tile(lambda db, _: dashboard.today(db), lambda d: _replace(self.today, charts.today_options(d)),
                 {"appointment"}, period=False),
        ]  # fmt: skip
        for tile in self.tiles:
            tile.draw(period)

    def _period_picker(self) -> None:
        with ui.row().classes("items-end gap-3"):
            self.first = ui.input("Van", value=self.period.first.isoformat()).props("type=date data-period-from")
            self.last = ui.input("Tot en met", value=self.period.last.isoformat()).props("type=date data-period-to")
            ui.button("Toon", icon="refresh", on_click=self._pick).props("unelevated no-caps data-period-show")

    def _exports(self) -> None:
        with ui.card().classes("w-full gap-2 p-4").props("data-export"):
            ui.label("Export voor de boekhouding").classes("text-lg font-semibold")
            ui.label(
                "Facturen en creditnota's, of betalingen, van de gekozen periode: CSV (puntkomma's, UTF-8) of Excel."
            ).classes("text-sm text-slate-600")
            with ui.row().classes("gap-2"):
                for kind, label in EXPORTS:
                    for file_type in ("csv", "xlsx"):
                        ui.button(
                            f"{label} ({file_type.upper()})",
                            icon="download",
                            on_click=lambda kind=kind, file_type=file_type: self._download(kind, file_type),
                        ).props(f"outline no-caps data-export-{kind}-{file_type}")

    def _download(self, kind: str, file_type: str) -> None:
        period = f"from={self.period.first.isoformat()}&to={self.period.last.isoformat()}"
        ui.download(f"/api/reports/{kind}.{file_type}?{period}")

    async def _pick(self) -> None:
        try:
            period = reports.period_of(self.first.value, self.last.value)
        except Invalid as error:
            ui.notify(error.message, type="warning")
            return
        self.period = period
        for tile in self.tiles:
            if tile.uses_period:
                tile.period = period
                await tile.refresh()

    def _money(self, money: dashboard.Money) -> None:
        self.revenue.set_text(euro(money.revenue_cents))
        self.count.set_text(str(money.invoice_count))
        self.average.set_text(euro(money.average_cents))
        self.received.set_text(euro(money.received_cents))

    def _lead_time(self, hours: float | None) -> None:
        if hours is None:
            self.lead.set_text("–")
        elif hours < 48:
            self.lead.set_text(f"{hours:.1f} uur".replace(".", ","))
        else:
            self.lead.set_text(f"{counted(round(hours / 24), 'dag', 'dagen')} ({hours:.0f} uur)")

    def changed(self, change_types: frozenset[str]) -> None:
        for tile in self.tiles:
            if tile.changes & change_types:
                background_tasks.create(tile.refresh(), name="dashboard tile")


def dashboard_page(request: Request) -> RedirectResponse | None:
    principal = require(request, Role.ADMIN)
    if isinstance(principal, RedirectResponse):
        return principal
    with frame("Dashboard", principal):
        view = Dashboard(reports.period_of(None, None))
        follow_change_types(view.changed)
    return None
