"""The desk's "Nieuwe werkorder" dialog. It starts with the plate: the RDW's answer (make, model, fuel, APK)
shows the moment it arrives, while the desk goes on typing. The customer is picked by search or made new in the
same dialog. Creating never waits for the RDW."""

import asyncio
from contextlib import suppress

from nicegui import background_tasks, run, ui

from models import RdwStatus
from models.public import CustomerPublic, VehiclePublic, WorkOrderCreate, WorkOrderPublic
from pages.state import database
from pages.vehicle_summary import vehicle_summary
from services import customers, workorders
from services.auth import Principal
from services.errors import ServiceError
from services.plates import normalize_plate
from services.vehicles import RdwLookups

SEARCH_RESULTS = 6


class CreateWorkOrderDialog(ui.dialog):
    def __init__(self, principal: Principal, rdw: RdwLookups) -> None:
        super().__init__()
        self.principal = principal
        self.rdw = rdw
        self.customer: CustomerPublic | None = None
        self._lookup: asyncio.Task[None] | None = None
        with self, ui.card().classes("w-[34rem] max-w-full gap-2"):
            ui.label("Nieuwe werkorder").classes("text-lg font-semibold")
            self.plate = ui.input("Kenteken", placeholder="AB-123-C").props("autofocus").classes("w-full")
            self.plate.on("blur", self._look_up_plate)
            self.plate.on_value_change(self._look_up_plate)
            self.vehicle = ui.column().classes("w-full gap-0").props("data-rdw")
            self.mileage = ui.number("Kilometerstand", min=0, precision=0, format="%d").classes("w-full")
            ui.separator()
            self.search = ui.input("Zoek klant", placeholder="naam, e-mail of telefoon").props("clearable")
            self.search.classes("w-full").on_value_change(self._search)
            self.results = ui.column().classes("w-full gap-1")
            self.chosen = ui.row().classes("w-full items-center gap-2")
            with ui.column().classes("w-full gap-1") as self.new_customer:
                ui.label("Of een nieuwe klant:").classes("text-sm text-slate-500")
                self.name = ui.input("Klantnaam").classes("w-full")
                with ui.row().classes("w-full no-wrap gap-2"):
                    self.email = ui.input("E-mail").props("type=email").classes("grow")
                    self.phone = ui.input("Telefoon").props("type=tel").classes("grow")
            ui.separator()
            self.description = ui.textarea("Omschrijving").classes("w-full")
            self.error = ui.label().classes("text-negative text-sm")
            with ui.row().classes("w-full justify-end"):
                ui.button("Annuleren", on_click=self.close).props("flat")
                ui.button("Maken en inplannen", on_click=self.create_and_plan).props("outline")
                ui.button("Aanmaken", on_click=self.create)

    async def _look_up_plate(self) -> None:
        """Ask after the desk stops typing; a newer plate cancels the older question."""
        if self._lookup is not None:
            self._lookup.cancel()
        self._lookup = background_tasks.create(self._show_vehicle(self.plate.value or ""), name="rdw lookup")

    async def _show_vehicle(self, raw: str) -> None:
        try:
            plate = normalize_plate(raw)
        except ServiceError:
            self.vehicle.clear()
            return
        await asyncio.sleep(0.4)  # debounce: typing goes on
        self.vehicle.clear()
        with self.vehicle:
            ui.label("RDW wordt gevraagd…").classes("text-sm text-slate-500")
        with suppress(ServiceError):
            found = await self.rdw.look_up(plate, actor=self.principal)
            self._vehicle(found)

    def _vehicle(self, vehicle: VehiclePublic) -> None:
        self.vehicle.clear()
        with self.vehicle:
            if vehicle.rdw.status == RdwStatus.PENDING:
                ui.label("RDW-gegevens volgen na het aanmaken").classes("text-sm text-slate-500")
            else:
                vehicle_summary(vehicle)

    async def _search(self) -> None:
        query = (self.search.value or "").strip()
        found = await run.io_bound(customers.search_customers, database(), query, SEARCH_RESULTS) if query else []
        self.results.clear()
        with self.results:
            for customer in found or []:
                contact = " · ".join(part for part in (customer.email, customer.phone) if part)
                ui.button(f"{customer.name}  {contact}", on_click=lambda c=customer: self._choose(c)).props(
                    f"flat no-caps align=left data-customer-id={customer.id}"
                ).classes("w-full")
            if query and not found:
                ui.label("Geen klant gevonden: vul hieronder een nieuwe klant in").classes("text-sm text-slate-500")

    def _choose(self, customer: CustomerPublic | None) -> None:
        self.customer = customer
        self.results.clear()
        self.chosen.clear()
        if customer is not None:
            with self.chosen:
                ui.icon("person")
                ui.label(customer.name).classes("font-medium").props("data-chosen-customer")
                ui.button("Andere klant", on_click=lambda: self._choose(None)).props("flat dense no-caps")
        self.new_customer.set_visibility(customer is None)
        self.search.set_visibility(customer is None)

    async def create(self) -> WorkOrderPublic | None:
        try:
            new = WorkOrderCreate(
                license_plate=self.plate.value or "",
                description=self.description.value or "",
                mileage=None if self.mileage.value is None else int(self.mileage.value),
                customer_id=self.customer.id if self.customer else None,
                customer_name=None if self.customer else self.name.value,
                customer_email=None if self.customer else self.email.value,
                customer_phone=None if self.customer else self.phone.value,
            )
            created = await run.io_bound(workorders.create_work_order, database(), new, actor=self.principal)
        except ServiceError as problem:
            self.error.set_text(problem.message)
            return None
        except ValueError:  # the mileage field's own bounds
            self.error.set_text("Kilometerstand moet een geheel getal tussen 0 en 9.999.999 zijn")
            return None
        if created is not None:
            ui.notify(f"Werkorder {created.number} aangemaakt", type="positive")
        for field in (self.plate, self.name, self.email, self.phone, self.description, self.search):
            field.set_value("")
        self.mileage.set_value(None)
        self.vehicle.clear()
        self._choose(None)
        self.error.set_text("")
        self.close()
        return created

    async def create_and_plan(self) -> None:
        """The caller on the phone: then the packages and the first free slots, on the new order's own page."""
        created = await self.create()
        if created is not None:
            ui.navigate.to(f"/admin/workorders/{created.id}?inplannen=1")
