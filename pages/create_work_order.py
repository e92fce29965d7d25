"""The desk's "Nieuwe werkorder" dialog. It starts with the plate: the RDW's answer (make, model, fuel, APK)
shows the moment it arrives, while the desk goes on typing. The customer is picked by search or made new in the
same dialog, with an optional address folded away. Every field is checked by the service's own checks: each
wrong one says so at its field, and its message goes the moment it is right. "Aanmaken" opens the new order's
page; creating never waits for the RDW."""

import asyncio
from contextlib import suppress

from nicegui import background_tasks, run, ui
from nicegui.elements.mixins.validation_element import ValidationElement

from models import RdwStatus
from models.public import CustomerPublic, VehiclePublic, WorkOrderCreate, WorkOrderDetails, WorkOrderPublic
from pages.state import database
from pages.theme import work_order_path
from pages.vehicle_summary import RDW_OFF_NOTE, vehicle_summary
from services import customers, workorders
from services.auth import Principal
from services.errors import Invalid, ServiceError, clean_fields
from services.plates import normalize_plate
from services.vehicles import RdwLookups
from services.workorders import NEW_ORDER_FIELDS

SEARCH_RESULTS = 6
MILEAGE_RANGE = "Kilometerstand moet een geheel getal tussen 0 en 9.999.999 zijn"
CHECK_FIELDS = "Controleer de rood gemarkeerde velden"


def checked_mileage(value: float | None) -> int | None:
    """The mileage field's value within the model's bounds, else Invalid (said at the field)."""
    try:
        return WorkOrderDetails(mileage=None if value is None else int(value)).mileage
    except ValueError:
        raise Invalid(MILEAGE_RANGE) from None


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
            self.mileage.on_value_change(self._recheck_mileage)
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
                with ui.expansion("Adres (optioneel)", icon="home").classes("w-full").props("dense") as self.address:
                    self.street = ui.input("Straat en huisnummer").classes("w-full")
                    with ui.row().classes("w-full no-wrap gap-2"):
                        self.postal_code = ui.input("Postcode", placeholder="1234 AB").classes("w-36")
                        self.city = ui.input("Plaats").classes("grow")
            ui.separator()
            self.description = ui.textarea("Omschrijving").classes("w-full")
            self.error = ui.label().classes("text-negative text-sm")
            with ui.row().classes("w-full justify-end"):
                ui.button("Annuleren", on_click=self.close).props("flat")
                ui.button("Maken en inplannen", on_click=self.create_and_plan).props("outline")
                ui.button("Aanmaken", on_click=self.create)
        # Named as WorkOrderCreate names them (and the service's checks, and its refusals' fields).
        self.fields: dict[str, ui.input | ui.textarea] = {
            "license_plate": self.plate,
            "description": self.description,
            "customer_name": self.name,
            "customer_email": self.email,
            "customer_phone": self.phone,
            "customer_street": self.street,
            "customer_postal_code": self.postal_code,
            "customer_city": self.city,
        }
        for name, field in self.fields.items():
            # NiceGUI's own validation would clear the message at every change, before _recheck looks at it
            field.without_auto_validation().on_value_change(lambda _, name=name: self._recheck(name))

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
        if not self.rdw.enabled:
            self._note(RDW_OFF_NOTE)
            return
        await asyncio.sleep(0.4)  # debounce: typing goes on
        self._note("RDW wordt gevraagd…")
        with suppress(ServiceError):
            found = await self.rdw.look_up(plate, actor=self.principal)
            self._vehicle(found)

    def _note(self, text: str) -> None:
        self.vehicle.clear()
        with self.vehicle:
            ui.label(text).classes("text-sm text-slate-500")

    def _vehicle(self, vehicle: VehiclePublic) -> None:
        if vehicle.rdw.status == RdwStatus.PENDING:
            self._note("RDW-gegevens volgen na het aanmaken")
            return
        self.vehicle.clear()
        with self.vehicle:
            vehicle_summary(vehicle, lookups_on=True)

    def _recheck(self, name: str) -> None:
        """A field that was said to be wrong is checked again with every change: right, and its message goes."""
        field = self.fields[name]
        if field.error is not None:
            try:
                NEW_ORDER_FIELDS[name](field.value)
            except Invalid as problem:
                field.error = problem.message
            else:
                field.error = None
        self._clear_summary()

    def _recheck_mileage(self) -> None:
        if self.mileage.error is not None:
            try:
                checked_mileage(self.mileage.value)
            except Invalid as problem:
                self.mileage.error = problem.message
            else:
                self.mileage.error = None
        self._clear_summary()

    def _clear_summary(self) -> None:
        if all(field.error is None for field in self._checked_fields().values()):
            self.error.set_text("")

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
        for name, field in self.fields.items():
            if name.startswith("customer_"):
                field.error = None  # a known customer: what was typed for a new one no longer counts
        self._clear_summary()

    def _checked_fields(self) -> dict[str, ValidationElement]:
        return {**self.fields, "mileage": self.mileage}

    def _entered(self) -> dict[str, str | None]:
        """What the desk typed, by WorkOrderCreate's names: the customer's fields only for a new customer."""
        return {
            name: field.value
            for name, field in self.fields.items()
            if self.customer is None or not name.startswith("customer_")
        }

    def _show_problems(self, problems: dict[str, str]) -> None:
        """Every problem at its field at once; an address field's opens the folded address."""
        for name, field in self._checked_fields().items():
            field.error = problems.get(name)
        if any(name in problems for name in ("customer_street", "customer_postal_code", "customer_city")):
            self.address.open()
        self.error.set_text(CHECK_FIELDS if problems else "")

    async def create(self) -> None:
        """Aanmaken: the new order's page opens (its page and history say it was made)."""
        created = await self._made()
        if created is not None:
            ui.navigate.to(work_order_path(created.id))

    async def create_and_plan(self) -> None:
        """The caller on the phone: then the packages and the first free slots, on the new order's own page."""
        created = await self._made()
        if created is not None:
            ui.navigate.to(f"{work_order_path(created.id)}?inplannen=1")

    async def _made(self) -> WorkOrderPublic | None:
        """The order as the dialog says it, made; None when a field is wrong (said at the field)."""
        entered = self._entered()
        problems: dict[str, str] = {}
        mileage = None
        try:
            mileage = checked_mileage(self.mileage.value)
        except Invalid as problem:
            problems["mileage"] = problem.message
        try:
            clean_fields(NEW_ORDER_FIELDS, entered)  # the service checks the same; here every field is said at once
        except Invalid as problem:
            problems |= problem.fields
        self._show_problems(problems)
        if problems:
            return None
        new = WorkOrderCreate.model_validate(
            {**entered, "mileage": mileage, "customer_id": self.customer.id if self.customer else None}
        )
        try:
            created = await run.io_bound(workorders.create_work_order, database(), new, actor=self.principal)
        except Invalid as problem:
            self._show_problems(problem.fields)
            self.error.set_text(problem.message)
            return None
        except ServiceError as problem:
            self.error.set_text(problem.message)
            return None
        if created is None:  # the server is shutting down
            return None
        self.close()
        return created
