"""The shop's loan cars (leenauto's): an appointment may take one; it is never out twice on one day."""

from sqlmodel import col, select

from models import LoanCar
from models.planning_public import LoanCarCreate, LoanCarPublic
from services.auth import Principal
from services.clock import utcnow
from services.db import Database
from services.errors import Conflict
from services.events import mutation
from services.plates import format_plate, normalize_plate
from services.text import clean_line


def loan_car_public(car: LoanCar) -> LoanCarPublic:
    return LoanCarPublic.of_row(car)


def list_loan_cars(db: Database) -> list[LoanCarPublic]:
    with db.read() as session:
        return [loan_car_public(car) for car in session.exec(select(LoanCar).order_by(col(LoanCar.name)))]


def add_loan_car(db: Database, body: LoanCarCreate, *, actor: Principal | None) -> LoanCarPublic:
    plate = normalize_plate(body.license_plate)
    name = clean_line(body.name, "Naam", 200)
    with mutation(db, actor) as change:
        if change.session.exec(select(LoanCar).where(col(LoanCar.license_plate) == plate)).first() is not None:
            raise Conflict(f"Leenauto {format_plate(plate)} bestaat al")
        car = LoanCar(license_plate=plate, name=name, created_at=utcnow())
        change.session.add(car)
        change.session.flush()
        return loan_car_public(car)
