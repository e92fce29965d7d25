"""A vehicle as the RDW describes it, in one block: make and model, fuel, colour, APK date with a warning when
it has passed or falls within two months (the garage sells the APK with the job). With the RDW lookups off
(RDW_BASE_URL=off) a pending vehicle says it is not asked, rather than "being asked" forever."""

from nicegui import ui

from models import RdwStatus
from models.public import VehiclePublic
from services.clock import shop_day, utcnow
from services.history import dutch_date
from services.vehicles import apk_state

RDW_NOTES = {
    RdwStatus.PENDING: "RDW-gegevens worden opgevraagd…",
    RdwStatus.UNKNOWN: "Kenteken niet bekend bij de RDW",
    RdwStatus.UNREACHABLE: "RDW niet bereikbaar; wordt later opnieuw geprobeerd",
}
RDW_OFF_NOTE = "RDW-gegevens worden niet opgevraagd (de RDW-koppeling staat uit)"


def rdw_note(status: RdwStatus, lookups_on: bool) -> str:
    return RDW_NOTES[status] if lookups_on or status != RdwStatus.PENDING else RDW_OFF_NOTE


def vehicle_summary(vehicle: VehiclePublic, lookups_on: bool) -> None:
    with ui.column().classes("gap-0").props(f"data-rdw-status={vehicle.rdw.status}"):
        car = " ".join(part for part in (vehicle.brand, vehicle.model) if part)
        if car:
            ui.label(car).classes("font-semibold")
            details = " · ".join(part for part in (vehicle.fuel, (vehicle.color or "").lower() or None) if part)
            if details:
                ui.label(details).classes("text-sm text-slate-600")
        if vehicle.rdw.status != RdwStatus.OK:
            ui.label(rdw_note(RdwStatus(vehicle.rdw.status), lookups_on)).classes("text-sm text-slate-500")
        if vehicle.apk_expiry is not None:
            apk_line(vehicle)


def deferred_lines(vehicle: VehiclePublic, work_order_id: int) -> None:
    """What the customer declined on an earlier inspection ("Niet nu"): the desk offers it again on this order."""
    for item in vehicle.deferred:
        if item.work_order_id != work_order_id:
            text = item.description[:1].lower() + item.description[1:] if item.description[1:2].islower() else (
                item.description)  # fmt: skip
            ui.label(f"Vorige keer uitgesteld: {text}").classes(
                "text-sm font-semibold text-amber-800 bg-amber-50 rounded px-2 py-1 w-fit"
            ).props(f'data-deferred="{item.work_order_id}"')


def apk_line(vehicle: VehiclePublic) -> None:
    assert vehicle.apk_expiry is not None
    state = apk_state(vehicle.apk_expiry, shop_day(utcnow()))
    text = f"APK tot {dutch_date(vehicle.apk_expiry)}"
    classes = "text-sm"
    if state == "verlopen":
        text, classes = f"APK verlopen op {dutch_date(vehicle.apk_expiry)}", "text-sm font-semibold text-red-700"
    elif state == "binnenkort":
        text, classes = f"{text}: verloopt binnen twee maanden", "text-sm font-semibold text-amber-700"
    label = ui.label(text).classes(classes).props(f"data-apk={state}")
    if state != "geldig":
        label.props("role=alert")
