"""/admin/facturen: the open invoices, longest overdue first — who owes what, since when, how many days late — with
one tap to mail the invoice again or to record a payment at the counter (each asks first); and the CSV for the
accountant per period. Live: a payment, from the counter or the webhook, takes its row away the moment it lands."""

from datetime import date, timedelta

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import background_tasks, run, ui

from models import Role
from models.public import InvoiceRow, WorkOrderBase
from pages.access import require
from pages.confirm import confirm
from pages.counter_payment import record_counter_payment
from pages.frame import frame
from pages.live import follow_work_orders
from pages.reread import Reread
from pages.state import database
from pages.theme import PLATE_CLASSES, work_order_path
from services.auth import Principal
from services.billing import euro
from services.clock import shop_day, utcnow
from services.errors import ServiceError
from services.history import dutch_date
from services.invoicing import overview, payments
from services.plates import format_plate
from services.text import counted


def _late(days: int) -> str:
    return "nog niet vervallen" if days <= 0 else f"{counted(days, 'dag', 'dagen')} te laat"


class OpenInvoices:
    """The list, re-read after a commit that touched an invoiced order (one read at a time: a commit that arrives
    while one runs makes one more afterwards, not one per commit)."""

    def __init__(self, principal: Principal, rows: list[InvoiceRow]) -> None:
        self.principal = principal
        self.rows = rows
        self.refresh = Reread(lambda: run.io_bound(overview.invoice_rows, database(), status="open"), self._show)
        self.total = ui.label().classes("text-lg font-semibold").props("data-open-total")
        self.list = ui.column().classes("w-full gap-2").props("data-open-invoices")
        self.draw()

    def draw(self) -> None:
        self.total.set_text(
            f"{counted(len(self.rows), 'factuur', 'facturen')} open, samen "
            f"{euro(sum(row.open_amount_cents for row in self.rows))}"
        )
        self.list.clear()
        with self.list:
            if not self.rows:
                ui.label("Alles is betaald.").classes("text-slate-500").props("data-all-paid")
            for row in self.rows:
                self._row(row)

    def _row(self, row: InvoiceRow) -> None:
        late = row.days_overdue > 0
        card = ui.card().classes("w-full p-3 gap-1" + (" border-l-4 border-red-500" if late else ""))
        with card.props(f"data-invoice-id={row.id} data-days-overdue={row.days_overdue}"):
            with ui.row().classes("w-full items-center gap-3"):
                ui.label(f"Factuur {row.number}").classes("font-semibold")
                ui.label(format_plate(row.license_plate)).classes(f"{PLATE_CLASSES} text-sm")
                ui.link(row.work_order_number, work_order_path(row.work_order_id)).classes("text-sm")
                ui.space()
                ui.label(euro(row.open_amount_cents)).classes("text-lg font-semibold tabular-nums")
            with ui.row().classes("w-full items-center gap-3"):
                ui.label(row.customer_name).classes("font-medium")
                ui.label(f"vervaldatum {dutch_date(row.due_at)}").classes("text-sm text-slate-600")
                ui.label(_late(row.days_overdue)).classes(
                    "text-sm " + ("text-red-700 font-semibold" if late else "text-slate-600")
                )
                ui.space()
                ui.button("Opnieuw mailen", icon="send", on_click=lambda: self._mail(row)).props(
                    "outline no-caps data-resend"
                )
                ui.button("Betaling", icon="point_of_sale", on_click=lambda: self._pay(row)).props(
                    "unelevated no-caps data-pay-counter"
                )

    async def _mail(self, row: InvoiceRow) -> None:
        if not await confirm(
            f"Factuur {row.number} opnieuw mailen?",
            [f"{row.customer_name} krijgt de factuur nog eens, met wat nog open staat: {euro(row.open_amount_cents)}."],
            "Mailen",
            hook="data-confirm=opnieuw-mailen",
        ):
            return
        try:
            await run.io_bound(payments.send_invoice_again, database(), row.id, actor=self.principal)
        except ServiceError as error:
            ui.notify(error.message, type="negative")
            return
        ui.notify("De factuur staat klaar om te versturen", type="positive")

    async def _pay(self, row: InvoiceRow) -> None:
        await record_counter_payment(row, row.customer_name, self.principal)

    def changed(self, order: WorkOrderBase) -> None:
        if order.invoice is not None or any(row.work_order_id == order.id for row in self.rows):
            background_tasks.create(self.refresh(), name="open invoices")

    def _show(self, rows: list[InvoiceRow]) -> None:
        self.rows = rows
        self.draw()


def export_card() -> None:
    """The accountant's CSV of a period: last month by default."""
    first_of_month = shop_day(utcnow()).replace(day=1)
    start, end = (first_of_month - timedelta(days=1)).replace(day=1), first_of_month - timedelta(days=1)
    with ui.card().classes("w-full max-w-2xl gap-3 p-4").props("data-export"):
        ui.label("Export voor de boekhouding").classes("text-lg font-semibold")
        ui.label("Alle facturen en creditnota's van de periode, met wat erop betaald is (CSV voor Excel).").classes(
            "text-sm text-slate-600"
        )
        with ui.row().classes("items-end gap-3"):
            begin = ui.input("Van", value=start.isoformat()).props("type=date data-export-from")
            until = ui.input("Tot en met", value=end.isoformat()).props("type=date data-export-to")

            def download() -> None:
                try:
                    first, last = date.fromisoformat(begin.value), date.fromisoformat(until.value)
                except ValueError:
                    ui.notify("Kies een begin- en einddatum", type="warning")
                    return
                if last < first:
                    ui.notify("De periode eindigt voor ze begint", type="warning")
                    return
                ui.download(f"/api/invoices/export.csv?from={first.isoformat()}&to={last.isoformat()}")

            ui.button("CSV downloaden", icon="download", on_click=download).props("unelevated no-caps")


def invoices_page(request: Request) -> RedirectResponse | None:
    principal = require(request, Role.ADMIN)
    if isinstance(principal, RedirectResponse):
        return principal
    rows = overview.invoice_rows(database(), status="open")
    with frame("Facturen", principal):
        view = OpenInvoices(principal, rows)
        follow_work_orders(view.changed)
        export_card()
    return None
