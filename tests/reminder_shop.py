"""Cars and customers for the reminder tests, made in-process through the services, the way the desk and the RDW
make them: an order per car (its customer with an e-mail address), the RDW's answer with the APK expiry, a service
finished at a chosen moment, work declined on an inspection."""

from datetime import date, datetime

from sqlmodel import col, select

from models import DeferredItem, Role, WorkOrder
from models.planning_public import PackageAdd, PackageCreate
from models.public import WorkOrderCreate
from services import packages, workorders
from services.auth import Principal
from services.db import Database
from services.rdw import RdwVehicle
from services.vehicles import record_answer

DESK = Principal("balie", Role.ADMIN)
KLEINE_BEURT = PackageCreate(name="Kleine beurt", kind="onderhoud", labour_minutes=60, fixed_price_cents=14900)
APK = PackageCreate(name="APK", kind="apk", labour_minutes=45, fixed_price_cents=4950)


def shop_packages(db: Database) -> tuple[int, int]:
    """(Kleine beurt, APK)."""
    return tuple(packages.create_package(db, body, actor=DESK).id for body in (KLEINE_BEURT, APK))  # type: ignore[return-value]


def car(db: Database, number: int, apk_expiry: date | None, email: str | None = "") -> dict:
    """An order for car `number` of a new customer (e-mail klant{number}@example.nl unless given; None: none),
    and the RDW's answer for it now, with its APK expiry."""
    plate = f"RH{number:03d}X"
    address = f"klant{number}@example.nl" if email == "" else email
    new = WorkOrderCreate(customer_name=f"Klant {number}", customer_email=address, license_plate=plate,
                          description="Nieuwe klant", mileage=10_000 + number)  # fmt: skip
    order = workorders.create_work_order(db, new, actor=DESK)
    answer = RdwVehicle("VOLKSWAGEN", "GOLF", "GRIJS", "Benzine", date(2015, 1, 1), apk_expiry)
    record_answer(db, plate, answer, 30, actor=None)
    return order.model_dump(by_alias=True)


def serviced(db: Database, order: dict, package_id: int) -> None:
    """The order gets the maintenance package and is finished now (Afgerond)."""
    packages.add_package(db, order["id"], PackageAdd(package_id=package_id), actor=DESK)
    workorders.move_to_column(db, order["id"], "Afgerond", actor=DESK)


def declined(db: Database, order: dict, labels: list[str], at: datetime) -> None:
    """The customer declined these items on the order's inspection at `at` ("Niet nu"), as the inspection's answer
    stores them on the car."""
    with db.write() as session:
        work_order = session.exec(select(WorkOrder).where(col(WorkOrder.id) == order["id"])).one()
        for label in labels:
            item = DeferredItem(license_plate=work_order.license_plate, label=label,
                                description=f"{label} vervangen", since=at, work_order_id=order["id"])  # fmt: skip
            session.add(item)
