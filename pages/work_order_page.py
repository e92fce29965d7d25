"""/admin/workorders/{id}: one work order, every section of it and its whole history, all live. Each event
gives the history a new entry on top; the sections redraw from the complete order, read again once per commit (the
stream's order is the lean one: no approval snapshot, invoice lines or inspection items)."""

from collections.abc import Awaitable

from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from models import RdwStatus, Role
from models.messages import NotificationEvent, SessionEvent, WorkOrderUpdate
from models.public import (
    MAX_ID,
    CustomerPublic,
    CustomerUpdate,
    HistoryEntry,
    NotificationPublic,
    SessionPublic,
    WorkOrderDetails,
    WorkOrderPublic,
)
from pages.access import require
from pages.appointment_section import AppointmentSection, PackagesSection
from pages.billing_sections import ApprovalsSection, InvoiceSection, TotalsSection
from pages.create_work_order import MILEAGE_RANGE
from pages.frame import frame
from pages.history_list import AMSTERDAM, HistoryList
from pages.inspection_section import InspectionSection
from pages.labour_section import LabourSection
from pages.live import follow_work_order_events
from pages.notifications_section import NotificationsSection
from pages.parts_section import PartsSection
from pages.payments_section import PaymentsSection
from pages.presence_badge import follow_viewing, viewing_label
from pages.reread import Reread
from pages.section_card import Section, SectionCard, section_grid
from pages.state import database, mail_enabled, rdw_lookups
from pages.status_badge import plate_badge, status_badge
from pages.status_link import share_status_link
from pages.vehicle_summary import deferred_lines, rdw_note, vehicle_summary
from pages.work_time import WorkTimeSection
from services import customers, notifications, packages, work_sessions, workorders
from services.auth import Principal
from services.clock import as_utc
from services.errors import Conflict, NotFound, ServiceError
from services.history import dutch_date, history_entry, work_order_history

EDITED_MEANWHILE = "Iemand anders heeft deze werkorder intussen gewijzigd; hieronder staan de nieuwe gegevens."


def mileage_text(mileage: int | None) -> str:
    return "onbekend" if mileage is None else f"{format_decimal(mileage, locale='nl')} km"


def _field(caption: str, text: str, name: str) -> None:
    """A small caption over its value; `data-field` lets a test or script read the value alone."""
    with ui.column().classes("gap-0"):
        ui.label(caption).classes("text-xs uppercase tracking-wide text-slate-500")
        ui.label(text).classes("whitespace-pre-line").props(f"data-field={name}")


class DetailsDialog(ui.dialog):
    """Omschrijving and kilometerstand, saved with the version the admin started from. A change by someone else
    to these two fields meanwhile is shown, not overwritten; one that only moved the card is no reason to refuse."""

    def __init__(self, principal: Principal) -> None:
        super().__init__()
        self.principal = principal
        self.started_from: WorkOrderPublic | None = None
        with self, ui.card().classes("w-[32rem] max-w-full gap-2"):
            ui.label("Werkorder wijzigen").classes("text-lg font-semibold")
            self.description = ui.textarea("Omschrijving").classes("w-full")
            self.mileage = ui.number("Kilometerstand", min=0, precision=0, format="%d").classes("w-full")
            self.error = ui.label().classes("text-negative text-sm")
            with ui.row().classes("w-full justify-end"):
                ui.button("Annuleren", on_click=self.close).props("flat")
                ui.button("Opslaan", on_click=self.save)

    def edit(self, order: WorkOrderPublic) -> None:
        self._fill(order)
        self.error.set_text("")
        self.open()

    def _fill(self, order: WorkOrderPublic) -> None:
        self.started_from = order
        self.description.set_value(order.description)
        self.mileage.set_value(order.mileage)

    async def save(self) -> None:
        order = self.started_from
        assert order is not None
        try:
            mileage = None if self.mileage.value is None else int(self.mileage.value)
            wanted = WorkOrderDetails(description=self.description.value or "", mileage=mileage)
        except ValueError:  # the model's bounds on the mileage
            self.error.set_text(MILEAGE_RANGE)
            return
        for attempt in range(2):
            try:
                details = wanted.model_copy(update={"version": order.version})
                await run.io_bound(workorders.update_details, database(), order.id, details, actor=self.principal)
                break
            except Conflict:
                fresh = await run.io_bound(workorders.get_work_order, database(), order.id)
                if fresh is None:  # the server is shutting down
                    return
                if attempt == 0 and (fresh.description, fresh.mileage) == (order.description, order.mileage):
                    order = fresh  # only the card moved meanwhile: what the admin changed still stands
                    continue
                self._fill(fresh)
                self.error.set_text(EDITED_MEANWHILE)
                ui.notify(EDITED_MEANWHILE, type="warning")
                return
            except ServiceError as error:
                self.error.set_text(error.message)
                return
        self.close()
        ui.notify("Werkorder opgeslagen", type="positive")


CUSTOMER_FIELDS = {
    "name": "Naam",
    "email": "E-mail",
    "phone": "Telefoon",
    "street": "Straat en huisnummer",
    "postal_code": "Postcode",
    "city": "Plaats",
    "kvk": "KvK-nummer",
    "vat_number": "BTW-id",
}


class CustomerDialog(ui.dialog):
    """Sends only the fields the admin changed, so a field someone else changed meanwhile is kept. The service
    checks them all before it saves any: a bad e-mail address or postcode is said here and nothing changes."""

    def __init__(self, principal: Principal) -> None:
        super().__init__()
        self.principal = principal
        self.customer: CustomerPublic | None = None
        with self, ui.card().classes("w-[32rem] max-w-full gap-2"):
            ui.label("Klant wijzigen").classes("text-lg font-semibold")
            self.inputs = {name: ui.input(label).classes("w-full") for name, label in CUSTOMER_FIELDS.items()}
            self.inputs["email"].props("type=email")
            self.inputs["phone"].props("type=tel")
            self.inputs["kvk"].props('hint="Een zakelijke klant krijgt de factuur ook als UBL-bestand"')
            self.error = ui.label().classes("text-negative text-sm")
            with ui.row().classes("w-full justify-end"):
                ui.button("Annuleren", on_click=self.close).props("flat")
                ui.button("Opslaan", on_click=self.save)

    def edit(self, customer: CustomerPublic) -> None:
        self.customer = customer
        for name, field in self.inputs.items():
            field.set_value(getattr(customer, name) or "")
        self.error.set_text("")
        self.open()

    async def save(self) -> None:
        customer = self.customer
        assert customer is not None
        entered = {name: (field.value or "").strip() or None for name, field in self.inputs.items()}
        changed = {name: value for name, value in entered.items() if value != getattr(customer, name)}
        if changed:
            try:
                await run.io_bound(
                    customers.update_customer,
                    database(),
                    customer.id,
                    CustomerUpdate.model_validate(changed),
                    actor=self.principal,
                )
            except ServiceError as error:
                self.error.set_text(error.message)
                return
            ui.notify("Klant opgeslagen", type="positive")
        self.close()


class DetailsSection(Section):
    """Kop: what the order is, where it stands, and what the customer asked for."""

    title = "Opdracht"
    name = "kop"
    wide = True

    def __init__(self, order: WorkOrderPublic, principal: Principal) -> None:
        super().__init__(order)
        if principal.role is Role.ADMIN:
            dialog = DetailsDialog(principal)
            with self.card.actions:
                ui.button("Wijzig", icon="edit", on_click=lambda: dialog.edit(self.order)).props("flat dense no-caps")
        self.show(order)

    def part(self, order: WorkOrderPublic) -> object:
        return order.license_plate, order.status, order.column, order.description, order.mileage, order.mileage_warning

    def draw(self, order: WorkOrderPublic) -> None:
        with ui.row().classes("items-center gap-3"):
            ui.label(order.number).classes("font-mono text-xl font-semibold")
            plate_badge(order.license_plate)
            status_badge(order.column, order.status).props("data-field=column").classes("text-sm")
            created = as_utc(order.created_at).astimezone(AMSTERDAM).date()
            ui.label(f"aangemaakt op {dutch_date(created)}").classes("text-sm text-slate-500")
        with ui.row().classes("w-full gap-8 pt-1"):
            with ui.element("div").classes("grow max-w-2xl"):
                _field("Omschrijving", order.description, "description")
            with ui.column().classes("gap-1"):
                _field("Kilometerstand", mileage_text(order.mileage), "mileage")
                if order.mileage_warning:
                    ui.label("teller lager dan vorige keer").classes(
                        "text-sm font-medium text-amber-800 bg-amber-100 rounded px-2"
                    ).props("data-mileage-warning")


class CustomerSection(Section):
    """Klant: how to reach them (the links open the mail program or dial on a phone) and where they live."""

    title = "Klant"
    name = "klant"

    def __init__(self, order: WorkOrderPublic, principal: Principal) -> None:
        super().__init__(order)
        if principal.role is Role.ADMIN:
            dialog = CustomerDialog(principal)
            with self.card.actions:
                ui.button("Wijzig klant", icon="edit", on_click=lambda: dialog.edit(self.order.customer)).props(
                    "flat dense no-caps"
                )
            with self.card:
                share_status_link(order)
        self.show(order)

    def part(self, order: WorkOrderPublic) -> object:
        return order.customer

    def draw(self, order: WorkOrderPublic) -> None:
        customer = order.customer
        ui.label(customer.name).classes("font-medium").props("data-field=customer-name")
        if customer.email:
            ui.link(customer.email, f"mailto:{customer.email}").props("data-field=email")
        if customer.phone:
            ui.link(customer.phone, customers.tel_uri(customer.phone)).props("data-field=phone")
        town = " ".join(part for part in (customer.postal_code, customer.city) if part)
        for line in (customer.street, town):
            if line:
                ui.label(line).classes("text-sm").props("data-field=address")
        business = [
            f"{label} {number}" for label, number in (("KvK", customer.kvk), ("BTW", customer.vat_number)) if number
        ]
        if business:
            ui.label(" · ".join(business)).classes("text-sm").props("data-field=business")
        if not (customer.email or customer.phone):
            ui.label("Geen e-mailadres of telefoonnummer bekend").classes("text-sm text-slate-500")


class VehicleSection(Section):
    """Voertuig: the RDW's description of the car and its APK; admin and mechanics may ask the RDW again (while
    the lookups are on)."""

    title = "Voertuig"
    name = "voertuig"

    def __init__(self, order: WorkOrderPublic, principal: Principal) -> None:
        super().__init__(order)
        self.principal = principal
        self.lookups_on = rdw_lookups().enabled
        if principal.role in (Role.ADMIN, Role.MONTEUR) and self.lookups_on:  # off: the vehicle says so instead
            with self.card.actions:
                self.refresh_button = ui.button("Vernieuw RDW", icon="refresh", on_click=self.refresh)
                self.refresh_button.props("flat dense no-caps")
        self.show(order)

    def part(self, order: WorkOrderPublic) -> object:
        return order.vehicle

    def draw(self, order: WorkOrderPublic) -> None:
        plate_badge(order.license_plate)
        vehicle_summary(order.vehicle, self.lookups_on)
        deferred_lines(order.vehicle, order.id)

    async def refresh(self) -> None:
        """The answer arrives as a vehicle event, like anyone else's refresh: this section redraws from it."""
        self.refresh_button.props("loading")
        try:
            vehicle = await rdw_lookups().refresh(self.order.license_plate, actor=self.principal)
        except ServiceError as error:
            ui.notify(error.message, type="warning")
        else:
            status = RdwStatus(vehicle.rdw.status)
            answered = status == RdwStatus.OK
            ui.notify("RDW-gegevens vernieuwd" if answered else rdw_note(status, lookups_on=True),
                      type="positive" if answered else "warning")  # fmt: skip
        finally:
            self.refresh_button.props(remove="loading")


class WorkOrderView:
    """The sections in one grid, the history beside them (below, on a narrow screen)."""

    def __init__(
        self,
        principal: Principal,
        order: WorkOrderPublic,
        sessions: list[SessionPublic],
        history: list[HistoryEntry],
        sent: list[NotificationPublic],
        package_names: list[str],
    ) -> None:
        layout = "w-full grid grid-cols-1 xl:grid-cols-[minmax(0,2fr)_minmax(22rem,1fr)] gap-4 items-start"
        with ui.element("div").classes(layout) as root:
            root.props(f"data-workorder-id={order.id}")
            with section_grid():
                details = DetailsSection(order, principal)
                customer = CustomerSection(order, principal)
                vehicle = VehicleSection(order, principal)
                self.appointment = AppointmentSection(order, principal)
                package_list = PackagesSection(order, principal, package_names)
                inspection = InspectionSection(order, principal)
                self.work_time = WorkTimeSection(order, sessions)
                parts = PartsSection(order, principal)
                self.mail = NotificationsSection(order, principal, sent, mail_enabled())
                labour = LabourSection(order, principal)
                totals = TotalsSection(order)
                approval = ApprovalsSection(order, principal)
                invoice = InvoiceSection(order, principal)
                paid = PaymentsSection(order, principal)
            with details.card.actions:
                follow_viewing(root, viewing_label().classes("text-sm py-1"), order.id)
            self.sections: list[Section] = [
                details,
                customer,
                vehicle,
                self.appointment,
                package_list,
                inspection,
                self.work_time,
                parts,
                labour,
                totals,
                approval,
                invoice,
                paid,
                self.mail,
            ]
            self.reread = Reread(lambda: run.io_bound(workorders.get_work_order, database(), order.id), self.show)
            history_card = SectionCard("Geschiedenis", "geschiedenis").classes("xl:sticky xl:top-16")
            with history_card, ui.element("div").classes("w-full xl:max-h-[calc(100vh-10rem)] overflow-y-auto"):
                self.history = HistoryList(history)

    def apply(self, events: list[tuple[int, WorkOrderUpdate]]) -> Awaitable[None] | None:
        """A commit's events of this order: into the history at once, then the sections from the order read again."""
        new = [(event_id, update) for event_id, update in events if event_id > self.history.newest]
        if not new:
            return None  # committed before the page loaded: already in its history and its sections
        for event_id, update in new:
            self.history.add(history_entry(event_id, update))
            if isinstance(update, SessionEvent):
                self.work_time.record(update.session)
            if isinstance(update, NotificationEvent):
                self.mail.record(update.notification)
        return self.reread()

    def show(self, order: WorkOrderPublic) -> None:
        for section in self.sections:
            section.show(order)


def not_found(message: str, principal: Principal) -> None:
    ui.status_code(404)
    with frame("Werkorder niet gevonden", principal):
        ui.label(message).classes("text-lg").props("data-not-found")
        ui.link("Naar alle werkorders", "/admin/workorders")


def work_order_page(request: Request, work_order_id: str) -> RedirectResponse | None:
    """The id is read here, not by FastAPI, so a mistyped address gets this Dutch 404 rather than a JSON 422."""
    principal = require(request, Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN)
    if isinstance(principal, RedirectResponse):
        return principal
    order_id = int(work_order_id) if work_order_id.isascii() and work_order_id.isdigit() else 0
    if not 0 < order_id <= MAX_ID:
        not_found(f"Werkorder {work_order_id} bestaat niet", principal)
        return None
    # Loaded and subscribed in one step of the event loop (nothing awaited): an event committed while these reads
    # ran reaches the page afterwards and is skipped when its id is in the history, applied in order when it is not.
    try:
        history = work_order_history(database(), order_id)
        order = workorders.get_work_order(database(), order_id)
        sessions = work_sessions.sessions_of(database(), order_id)
        sent = notifications.list_notifications(database(), order_id)
        package_names = packages.packages_on_order(database(), order_id)
    except NotFound as missing:
        not_found(missing.message, principal)
        return None
    with frame(f"Werkorder {order.number}", principal):
        view = WorkOrderView(principal, order, sessions, history, sent, package_names)
        follow_work_order_events(order.id, view.apply)
        if "inplannen" in request.query_params and order.appointment is None:
            ui.timer(0, view.appointment.open_plan, once=True)  # "Maken en inplannen": straight to the slots
    return None
