"""Service packages (werkpakketten): the jobs a shop sells again and again (Kleine beurt, APK, …), each with its
norm minutes and default parts, or a fixed price. Adding one to an order adds its priced labour line (or one
fixed-price line) and its parts (nodig) in one transaction, so the estimate the customer signs holds the expected
labour; an order's appointment grows by the package's minutes."""

import json
from decimal import Decimal

from sqlmodel import Session, col, select

from models import Appointment, ServicePackage, WorkOrder, WorkOrderPackage
from models.planning_public import PackageAdd, PackageCreate, PackagePart, PackagePublic, PackageUpdate
from models.public import PartCreate, WorkOrderPublic
from services.auth import Principal
from services.billing import VAT_RATE, half_up, labour_cents, totals_of
from services.clock import utcnow
from services.db import Database
from services.errors import NotFound
from services.events import Mutation, mutation
from services.labour import add_labour_line, open_for_changes
from services.parts import add_part_line
from services.shop import hourly_rate_cents
from services.text import clean_line
from services.views import work_order_public


def package_public(package: ServicePackage) -> PackagePublic:
    fields = package.model_dump()
    fields["parts"] = json.loads(package.parts)
    return PackagePublic.model_validate(fields)


def list_packages(db: Database, include_inactive: bool = False) -> list[PackagePublic]:
    statement = select(ServicePackage).order_by(col(ServicePackage.name))
    if not include_inactive:
        statement = statement.where(col(ServicePackage.active))
    with db.read() as session:
        return [package_public(package) for package in session.exec(statement)]


def _clean_parts(parts: list) -> str:  # type: ignore[type-arg]
    cleaned = [
        PackagePart(
            description=clean_line(part.description, "Omschrijving van het onderdeel", 500),
            article_number=clean_line(part.article_number, "Artikelnummer", 100) if part.article_number else None,
            quantity=part.quantity,
            unit_price_cents=part.unit_price_cents,
        ).model_dump(by_alias=True)
        for part in parts
    ]
    return json.dumps(cleaned, ensure_ascii=False)


def create_package(db: Database, body: PackageCreate, *, actor: Principal | None) -> PackagePublic:
    package = ServicePackage(
        name=clean_line(body.name, "Naam", 200),
        kind=body.kind,
        labour_minutes=body.labour_minutes,
        parts=_clean_parts(body.parts),
        fixed_price_cents=body.fixed_price_cents,
        active=body.active,
        created_at=utcnow(),
    )
    with mutation(db, actor) as change:
        change.session.add(package)
        change.session.flush()
        return package_public(package)


def _package_row(session: Session, package_id: int) -> ServicePackage:
    package = session.get(ServicePackage, package_id)
    if package is None:
        raise NotFound(f"Werkpakket {package_id} bestaat niet")
    return package


def update_package(db: Database, package_id: int, body: PackageUpdate, *, actor: Principal | None) -> PackagePublic:
    """Only the fields sent change (fixedPriceCents null: priced by the hour again). Orders it was added to keep
    what it added then."""
    sent = body.model_fields_set
    with mutation(db, actor) as change:
        package = _package_row(change.session, package_id)
        if "name" in sent:
            package.name = clean_line(body.name, "Naam", 200)
        if "parts" in sent:
            package.parts = _clean_parts(body.parts or [])
        for name in ("kind", "labour_minutes", "active"):
            if name in sent and getattr(body, name) is not None:
                setattr(package, name, getattr(body, name))
        if "fixed_price_cents" in sent:
            package.fixed_price_cents = body.fixed_price_cents
        change.session.add(package)
        change.session.flush()
        return package_public(package)


def package_price_cents(package: ServicePackage, hourly_rate_cents: int | None) -> int | None:
    """What the package adds to an order incl. VAT: its fixed price, or its minutes at the hourly rate plus its
    parts; None while it needs a rate the shop has not set."""
    if package.fixed_price_cents is not None:
        return package.fixed_price_cents
    if package.labour_minutes and hourly_rate_cents is None:
        return None
    parts = [PackagePart.model_validate(part) for part in json.loads(package.parts)]
    labour = labour_cents(package.labour_minutes, hourly_rate_cents or 0)
    return totals_of(labour + sum(part.quantity * (part.unit_price_cents or 0) for part in parts)).including_vat_cents


def fixed_price_rate(minutes: int, excluding_vat_cents: int) -> tuple[int, int]:
    """(minutes, hourly rate) of a labour line worth exactly `excluding_vat_cents`: at the package's own minutes
    when some whole-cent rate gets there (always, up to an hour), else as one hour at that amount."""
    if minutes > 0:
        rate = half_up(Decimal(excluding_vat_cents) * 60 / minutes)
        for candidate in (rate, rate - 1, rate + 1):
            if labour_cents(minutes, candidate) == excluding_vat_cents:
                return minutes, candidate
    return 60, excluding_vat_cents


def excluding_vat(including_vat_cents: int) -> int:
    """The amount excl. VAT whose total incl. VAT (21 % rounded half up) is the fixed price; some totals no amount
    reaches (the VAT jumps a cent): then the one just below."""
    guess = half_up(Decimal(including_vat_cents) * 100 / (100 + VAT_RATE))
    reached = [c for c in (guess - 1, guess, guess + 1) if totals_of(c).including_vat_cents <= including_vat_cents]
    return max(reached, key=lambda cents: totals_of(cents).including_vat_cents)


def add_package(db: Database, work_order_id: int, body: PackageAdd, *, actor: Principal | None) -> WorkOrderPublic:
    """Its labour at the shop's hourly rate (or one line at its fixed price, its parts then included at € 0) and
    its parts as `nodig`: `labour` and `parts` events in one transaction. An inactive package is as unknown."""
    with mutation(db, actor) as change:
        work_order = open_for_changes(change, work_order_id)
        add_package_in(change, work_order, body.package_id)
        return work_order_public(change.session, work_order)


def add_package_in(change: Mutation, work_order: WorkOrder, package_id: int) -> None:
    """add_package inside a transaction someone else opened (the desk's booking plans it in the same one)."""
    session = change.session
    assert work_order.id is not None
    work_order_id = work_order.id
    package = _package_row(session, package_id)
    if not package.active:
        raise NotFound(f"Werkpakket {package.name} is niet meer actief")
    session.add(
        WorkOrderPackage(
            work_order_id=work_order_id,
            package_id=package_id,
            name=package.name,
            labour_minutes=package.labour_minutes,
            created_at=utcnow(),
        )
    )
    appointment = session.get(Appointment, work_order_id)
    if appointment is not None and package.labour_minutes:
        appointment.minutes += package.labour_minutes
        appointment.updated_at = utcnow()
        session.add(appointment)
    fixed = package.fixed_price_cents
    if fixed is not None:
        excluding = excluding_vat(fixed)
        minutes, rate = fixed_price_rate(package.labour_minutes, excluding)
        add_labour_line(change, work_order, f"{package.name} (vaste prijs)", minutes, rate)
    elif package.labour_minutes:
        add_labour_line(change, work_order, package.name, package.labour_minutes, hourly_rate_cents(session))
    for part in json.loads(package.parts):
        line = PackagePart.model_validate(part)
        price = 0 if fixed is not None else line.unit_price_cents
        add_part_line(
            change,
            work_order,
            PartCreate(description=line.description, quantity=line.quantity, unit_price_cents=price),
            line.description,
            line.article_number,
        )
    session.flush()


def packages_on_order(db: Database, work_order_id: int) -> list[str]:
    """The names of the packages added to an order, oldest first (as they were named then)."""
    statement = (
        select(WorkOrderPackage.name)
        .where(col(WorkOrderPackage.work_order_id) == work_order_id)
        .order_by(col(WorkOrderPackage.id))
    )
    with db.read() as session:
        return list(session.exec(statement).all())
