"""What anyone may ask before booking: the packages with their prices incl. VAT, what the RDW says of a plate, and
the free starts for the packages' minutes (the planning's own free_slots). Nothing here reads a customer."""

from datetime import datetime

from sqlmodel import Session, col, select

from models import ServicePackage
from models.booking_public import BookablePackage, BookingSlot, BookingVehicle
from models.public import VehiclePublic
from services.customer_status import car_text
from services.db import Database
from services.errors import Invalid
from services.packages import package_price_cents
from services.planning import free_slots
from services.planning.calendar import MAX_SLOTS, SLOT_STEP_MINUTES
from services.shop import shop_settings_row

SLOTS_SHOWN = 12
MECHANICS_PER_START = 4  # free_slots gives a start once per mechanic free then: ask enough for `count` starts
EVERY_MINUTES = 60  # besides the first free start of a day, the whole hours a customer may choose from


def bookable_packages(db: Database) -> list[BookablePackage]:
    """The active packages by name, each with its price incl. VAT as the order will get it."""
    with db.read() as session:
        rate = shop_settings_row(session).hourly_rate_cents
        active = select(ServicePackage).where(col(ServicePackage.active)).order_by(col(ServicePackage.name))
        packages = session.exec(active)
        return [
            BookablePackage(id=p.id, name=p.name, kind=p.kind, minutes=p.labour_minutes,  # type: ignore[arg-type]
                            price_cents=package_price_cents(p, rate))
            for p in packages
        ]  # fmt: skip


def chosen_packages(session: Session, package_ids: list[int]) -> list[ServicePackage]:
    """The packages a customer picked, in their order; an unknown, inactive or repeated one is a 422."""
    if not package_ids:
        raise Invalid("Kies minstens één werkpakket", "packageIds")
    if len(set(package_ids)) != len(package_ids):
        raise Invalid("Elk werkpakket kan maar één keer gekozen worden", "packageIds")
    found = {p.id: p for p in session.exec(select(ServicePackage).where(col(ServicePackage.id).in_(package_ids)))}
    missing = [str(i) for i in package_ids if i not in found or not found[i].active]
    if missing:
        raise Invalid(f"Werkpakket {', '.join(missing)} bestaat niet (meer)", "packageIds")
    return [found[i] for i in package_ids]


def booked_minutes(packages: list[ServicePackage]) -> int:
    """The packages' norm minutes; a package without any still takes a slot."""
    return max(sum(p.labour_minutes for p in packages), SLOT_STEP_MINUTES)


def booking_slots(
    db: Database, package_ids: list[int], start_from: datetime | None = None, count: int = SLOTS_SHOWN
) -> list[BookingSlot]:
    """The first `count` free starts for the packages' minutes, earliest first: free_slots' starts, on the whole
    hours too, each once (several mechanics free at one time are one button; who does the work is the shop's)."""
    with db.read() as session:
        minutes = booked_minutes(chosen_packages(session, package_ids))
    if not 0 < count <= MAX_SLOTS:
        raise Invalid(f"count moet tussen 1 en {MAX_SLOTS} liggen", "count")
    starts: list[datetime] = []
    for slot in free_slots(db, minutes, start_from, min(MAX_SLOTS, count * MECHANICS_PER_START), EVERY_MINUTES):
        if slot.start not in starts:
            starts.append(slot.start)
    return [BookingSlot(start=start) for start in starts[:count]]


def booking_vehicle(vehicle: VehiclePublic) -> BookingVehicle:
    """The RDW's public facts of a plate only: never its history with the shop (declined work, orders)."""
    return BookingVehicle(
        license_plate=vehicle.license_plate, car=car_text(vehicle), brand=vehicle.brand, model=vehicle.model,
        color=vehicle.color, fuel=vehicle.fuel, found={"ok": True, "unknown": False}.get(vehicle.rdw.status),
    )  # fmt: skip
