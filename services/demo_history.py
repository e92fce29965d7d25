"""The demo shop's past: from January of last year until yesterday, a few cars a week made, worked on, invoiced,
paid and closed through the services at the moments they happened (services.clock.recorded_at), so the dashboard's
every number is a real one: revenue per week against last year, mechanics' clocked against billed hours (each
works at their own pace), inspection recommendations approved and declined, parts' lead times, one credit note."""

import random
from datetime import date, datetime, time, timedelta
from typing import Literal

from models import BoardColumn, Role
from models.inspection_public import InspectionAnswer, InspectionItemUpdate, RecommendationInput
from models.public import CounterPaymentCreate, LabourCreate, PartCreate, PartUpdate, WorkOrderCreate
from services.auth import Principal
from services.clock import SHOP_ZONE, recorded_at, shop_day, utcnow
from services.db import Database
from services.inspections.keuring import answer_inspection, send_inspection, start_inspection, update_item
from services.invoicing.invoices import credit_invoice, issue_invoice
from services.invoicing.payments import record_counter_payment
from services.labour import add_labour
from services.parts import add_part, update_part
from services.work_sessions import start_session, stop_session
from services.workorders import create_work_order, move_to_column

Decision = Literal["akkoord", "afgewezen"]
ANSWERS: list[tuple[Decision, Decision]] = [
    ("akkoord", "afgewezen"),
    ("akkoord", "akkoord"),
    ("afgewezen", "afgewezen"),
]
DESK = Principal("balie", Role.ADMIN)
WAREHOUSE = Principal("magazijn", Role.MAGAZIJN)
PACE = {"jan": 0.9, "fatima": 1.0, "pieter": 1.25}  # clocked ÷ the desk's estimate: jan is quick, pieter careful
JOBS = [  # (description, book minutes, part, its price per piece excl. VAT in cents)
    ("Kleine beurt", 60, "Olie en oliefilter", 7_095),
    ("Grote beurt", 150, "Filterset grote beurt", 5_240),
    ("Remblokken voor vervangen", 90, "Remblokken voor (set)", 5_450),
    ("Distributieriem vervangen", 240, "Distributieset met waterpomp", 28_950),
    ("Accu vervangen", 30, "Accu 70 Ah", 13_900),
    ("Schokdempers achter vervangen", 120, "Schokdemper achter", 7_950),
    ("Airco bijvullen", 45, "Koudemiddel R1234yf", 8_950),
]
NAMES = ["Fam. Jansen", "P. de Jong", "M. van den Berg", "S. Bakker", "Fam. Visser", "R. Smit", "L. Meijer",
         "A. de Boer", "K. Mulder", "Taxi Centraal", "E. de Groot", "Autoverhuur Zuid B.V.", "T. Bos"]  # fmt: skip
RECOMMENDATIONS = [("Remmen voor", "Remschijven voor vervangen", 34_950), ("Ruitenwissers", "Ruitenwissers", 4_500),
                   ("Band linksvoor", "Band linksvoor vervangen", 12_900)]  # fmt: skip
SUPPLIER_HOURS = {"Van Wezel Autoparts": (3, 8), "Onderdelenhuis Midden": (18, 72)}  # same day, or a day or three


def _moments(rng: random.Random, per_week: int) -> list[datetime]:
    """When each car came in: `per_week` working-day mornings a week, from the first ISO week of last year until
    two weeks ago (so the last are closed before the board's week of finished orders)."""
    today = shop_day(utcnow())
    monday = date.fromisocalendar(today.year - 1, 1, 1)
    moments = []
    while monday + timedelta(days=14) < today:
        for day in sorted(rng.sample(range(5), per_week)):
            at = time(8 + rng.randrange(3), rng.choice((0, 15, 30, 45)))
            moments.append(datetime.combine(monday + timedelta(days=day), at, SHOP_ZONE))
        monday += timedelta(days=7)
    return moments


def _inspect(db: Database, order_id: int, status_url: str, at: datetime, signature: str, rng: random.Random) -> None:
    """An inspection with two recommendations; the customer approves one or both, or declines both."""
    with recorded_at(at):
        inspection = start_inspection(db, order_id, actor=Principal("jan", Role.MONTEUR))
        items = {item.label: item.id for item in inspection.items}
        chosen = rng.sample(RECOMMENDATIONS, 2)
        for label, description, price in chosen:
            item_id = next(item_id for name, item_id in items.items() if name.startswith(label))
            body = InspectionItemUpdate(
                grade="rood", recommendation=RecommendationInput(description=description, price_cents=price)
            )
            update_item(db, inspection.id, item_id, body, actor=DESK)
        sent = send_inspection(db, inspection.id, actor=DESK)
    decisions = rng.choice(ANSWERS)
    recommended = [item.id for item in sent.items if item.recommendation is not None]
    answer = InspectionAnswer(
        decisions={str(item_id): decision for item_id, decision in zip(recommended, decisions, strict=True)},
        signer_name="Klant",
        signature=signature,
    )
    with recorded_at(at + timedelta(hours=1)):
        answer_inspection(db, status_url.rsplit("/", 1)[-1], answer)


def seed_demo_history(db: Database, signature: str, per_week: int = 2) -> int:
    """The past orders, oldest first (their invoices are numbered in order, per year); returns how many."""
    rng = random.Random(2026)
    customers: list[int] = []
    moments = _moments(rng, per_week)
    for number, came_in in enumerate(moments):
        description, minutes, part_name, cents = rng.choice(JOBS)
        mechanic = rng.choice(list(PACE))
        supplier = rng.choice(list(SUPPLIER_HOURS))
        plate = f"{rng.choice('GHJKLNPRSTXZ')}{rng.choice('BDFGHJKL')}-{number % 1000:03d}-{rng.choice('BDFGHJK')}"
        repeat = customers and rng.random() < 0.4
        new = WorkOrderCreate(
            license_plate=plate, description=description, mileage=20_000 + rng.randrange(200_000),
            customer_id=rng.choice(customers) if repeat else None,
            customer_name=None if repeat else rng.choice(NAMES),
        )  # fmt: skip
        with recorded_at(came_in):
            order = create_work_order(db, new, actor=DESK)
            customers.append(order.customer_id)
            part = add_part(db, order.id, PartCreate(description=part_name, quantity=1, unit_price_cents=cents,
                                                     supplier=supplier), actor=DESK)  # fmt: skip
            update_part(db, order.id, part.id, PartUpdate(status="besteld"), actor=WAREHOUSE)
            add_labour(db, order.id, LabourCreate(description=description, minutes=minutes), actor=DESK)
        low, high = SUPPLIER_HOURS[supplier]
        received = came_in + timedelta(hours=rng.uniform(low, high))
        with recorded_at(received):
            update_part(db, order.id, part.id, PartUpdate(status="ontvangen"), actor=WAREHOUSE)
        if number % 4 == 0:
            _inspect(db, order.id, order.status_url, came_in + timedelta(minutes=20), signature, rng)
        started = received + timedelta(minutes=10)
        with recorded_at(started):
            move_to_column(db, order.id, BoardColumn.ONDER_HANDEN.value, actor=DESK)
            work = start_session(db, order.id, mechanic, actor=Principal(mechanic, Role.MONTEUR))
        done = started + timedelta(minutes=round(minutes * PACE[mechanic] * rng.uniform(0.8, 1.2)))
        with recorded_at(done):
            stop_session(db, order.id, work.id, actor=Principal(mechanic, Role.MONTEUR))
            update_part(db, order.id, part.id, PartUpdate(status="gemonteerd"), actor=Principal(mechanic, Role.MONTEUR))
            move_to_column(db, order.id, BoardColumn.KLAAR.value, actor=DESK)
            invoice = issue_invoice(db, order.id, actor=DESK)
            if number == 7:  # the wrong customer on it: credited and issued again
                credit_invoice(db, invoice.id, actor=DESK)
                invoice = issue_invoice(db, order.id, actor=DESK)
        with recorded_at(done + timedelta(hours=rng.uniform(1, 30))):
            paid = CounterPaymentCreate(
                method=rng.choice(("pin", "pin", "overboeking")), amount_cents=invoice.totals.including_vat_cents
            )
            record_counter_payment(db, invoice.id, paid, actor=DESK)
            move_to_column(db, order.id, BoardColumn.AFGEROND.value, actor=DESK)
    return len(moments)
