"""A believable demo shop for an empty database, built through the services: staff, a display token, the shop's
details, its past since January of last year (services.demo_history), ~20 priced orders across the board with
their approvals, parts and invoices."""

import base64
import math
import secrets
import struct
import zlib
from datetime import timedelta
from typing import NamedTuple

from sqlmodel import func, select

from models import BoardColumn, Role, User, WorkOrder
from models.public import CustomerCreate, LabourCreate, PartCreate, PartUpdate, ShopSettingsUpdate, WorkOrderCreate
from services.auth import Principal, create_token, create_user
from services.clock import shop_day, utcnow
from services.customers import create_customer
from services.db import Database
from services.demo_history import seed_demo_history
from services.demo_planning import seed_demo_planning
from services.display import sign_work_order
from services.invoicing.invoices import issue_invoice
from services.labour import add_labour
from services.parts import add_part, update_part
from services.shop import update_shop_settings
from services.work_sessions import start_session
from services.workorders import create_work_order, move_to_column

DESK = Principal("balie", Role.ADMIN)
WAREHOUSE = Principal("magazijn", Role.MAGAZIJN)
IPAD = Principal("balie-ipad", Role.DISPLAY)
STAFF = [("balie", Role.ADMIN), ("jan", Role.MONTEUR), ("fatima", Role.MONTEUR), ("pieter", Role.MONTEUR),
         ("magazijn", Role.MAGAZIJN)]  # fmt: skip


class DemoOrder(NamedTuple):
    customer: str
    plate: str
    description: str
    column: BoardColumn
    parts: tuple[tuple[str, int, int], ...]  # (description, quantity, price per piece excl. VAT in cents)
    minutes: int  # the labour the desk estimated


OIL = (("Oliefilter", 1, 1295), ("Motorolie 5W-30 (liter)", 4, 1450))
ORDERS = [
    DemoOrder("Fam. de Vries", "12-ABC-3", "Grote beurt, remvloeistof vervangen", BoardColumn.GEPLAND,
              (*OIL, ("Luchtfilter", 1, 1995), ("Remvloeistof DOT 4", 1, 1895)), 150),
    DemoOrder("S. Bakker", "GH-512-K", "APK-keuring", BoardColumn.GEPLAND, (), 45),
    DemoOrder("Autoverhuur Zuid B.V.", "VTK-88-Z", "Airco bijvullen en lekkage zoeken", BoardColumn.GEPLAND,
              (("Koudemiddel R1234yf", 1, 8950),), 60),
    DemoOrder("M. Jansen", "4-KXP-77", "Rammelend geluid voorzijde bij drempels", BoardColumn.GEPLAND,
              (("Stabilisatorstang voor", 1, 3450),), 60),
    DemoOrder("R. Visser", "NB-004-R", "Winterbanden monteren en balanceren", BoardColumn.AUTO_BINNEN,
              (("Ventiel", 4, 250),), 45),
    DemoOrder("J. Smit", "7-TRD-45", "Kleine beurt + ruitenwissers", BoardColumn.AUTO_BINNEN,
              (*OIL, ("Ruitenwisserset", 1, 2995)), 60),
    DemoOrder("Installatiebedrijf Meijer", "VDL-12-P", "Distributieriem vervangen", BoardColumn.AUTO_BINNEN,
              (("Distributieset met waterpomp", 1, 28950),), 240),
    DemoOrder("L. de Boer", "XG-771-B", "Koppelingsplaat versleten, koppeling vervangen", BoardColumn.ONDER_HANDEN,
              (("Koppelingsset", 1, 32500),), 300),
    DemoOrder("P. Mulder", "2-ZZL-90", "Uitlaat lekt, middendemper vervangen", BoardColumn.ONDER_HANDEN,
              (("Middendemper", 1, 14950), ("Montageset uitlaat", 1, 1850)), 90),
    DemoOrder("K. de Groot", "HR-338-N", "Storingslampje motor: uitlezen en verhelpen", BoardColumn.ONDER_HANDEN,
              (("Lambdasonde", 1, 8995),), 60),
    DemoOrder("Bloemenhandel Bos", "VRG-31-D", "Remschijven en -blokken voor", BoardColumn.WACHT_OP_ONDERDELEN,
              (("Remschijven voor (set)", 1, 11950), ("Remblokken voor (set)", 1, 5450)), 120),
    DemoOrder("E. Vos", "9-SKJ-12", "Waterpomp lekt", BoardColumn.WACHT_OP_ONDERDELEN,
              (("Waterpomp", 1, 9875), ("Koelvloeistof (liter)", 3, 895)), 150),
    DemoOrder("A. Peters", "ZT-420-F", "Startmotor defect", BoardColumn.WACHT_OP_ONDERDELEN,
              (("Startmotor (revisie)", 1, 21500),), 90),
    DemoOrder("T. Hendriks", "KL-09-PT", "Schokdempers achter vervangen", BoardColumn.KLAAR,
              (("Schokdemper achter", 2, 7950),), 120),
    DemoOrder("Taxi Centraal", "65-XK-RB", "APK + grote beurt", BoardColumn.KLAAR,
              (("Filterset grote beurt", 1, 5240), ("Motorolie 5W-30 (liter)", 5, 1450)), 180),
    DemoOrder("W. van Dijk", "S-226-BV", "Accu vervangen", BoardColumn.KLAAR, (("Accu 70 Ah", 1, 13900),), 30),
    DemoOrder("B. van Leeuwen", "1-HFG-58", "Bandenwissel zomer", BoardColumn.AFGEROND, (("Ventiel", 4, 250),), 45),
    DemoOrder("C. Dekker", "TX-916-L", "Kleine beurt", BoardColumn.AFGEROND, (("Olie en oliefilter", 1, 7095),), 60),
    DemoOrder("N. Brouwer", "JF-747-S", "Ruit gerepareerd (steenslag)", BoardColumn.AFGEROND,
              (("Reparatieset steenslag", 1, 2500),), 30),
    DemoOrder("D. de Wit", "GZ-183-V", "Lampje bandenspanning: sensor vervangen", BoardColumn.AFGEROND,
              (("Bandenspanningssensor", 1, 5995),), 30),
]  # fmt: skip

RUNNING = [("jan", "XG-771-B"), ("fatima", "2-ZZL-90")]

CONTACTS = {  # name: (e-mail, phone, street, postcode, city); the others came in without leaving their details
    "Fam. de Vries": ("devries@example.nl", "06-12345678", "Kerkstraat 12", "3512 AB", "Utrecht"),
    "S. Bakker": ("s.bakker@example.nl", "06-23456789", "Dorpsweg 3", "3732 HG", "De Bilt"),
    "Autoverhuur Zuid B.V.": ("werkplaats@autoverhuurzuid.example", "030-1234567", "Industrieweg 40", "3542 AD",
                              "Utrecht"),
    "L. de Boer": ("l.deboer@example.nl", "06-34567890", None, None, None),
    "Taxi Centraal": ("planning@taxicentraal.example", "030-7654321", "Stationsplein 1", "3511 CE", "Utrecht"),
    "B. van Leeuwen": (None, "06-45678901", "Lindelaan 8", "3571 KA", "Utrecht"),
    "C. Dekker": ("c.dekker@example.nl", None, "Biltstraat 101", "3572 AK", "Utrecht"),
    "N. Brouwer": (None, "06-56789012", "Molenweg 5", "3721 BP", "Bilthoven"),
    "D. de Wit": ("dewit@example.nl", "06-67890123", "Amsterdamsestraatweg 300", "3551 CV", "Utrecht"),
}  # fmt: skip
SHOP = ShopSettingsUpdate(name="Autobedrijf De Werkplaats", street="Industrieweg 12", postal_code="3542 AD",
                          city="Utrecht", kvk="12345678", vat_number="NL000099998B57", iban="NL91ABNA0417164300",
                          hourly_rate_cents=8750, payment_term_days=14, billing_unit_minutes=15,
                          phone="030 123 45 67", email="balie@dewerkplaats.example",
                          opening_hours="ma–vr 08:00–17:30, za 09:00–12:00")  # fmt: skip
SUPPLIERS = ("Van Wezel Autoparts", "Onderdelenhuis Midden")
PAST = [BoardColumn.AUTO_BINNEN, BoardColumn.ONDER_HANDEN, BoardColumn.WACHT_OP_ONDERDELEN, BoardColumn.KLAAR,
        BoardColumn.AFGEROND]  # fmt: skip


def is_empty(db: Database) -> bool:
    with db.read() as session:
        users = session.exec(select(func.count()).select_from(User)).one()
        orders = session.exec(select(func.count()).select_from(WorkOrder)).one()
        return users == 0 and orders == 0


def signature_png() -> str:
    """A pen stroke as a PNG data URL: what a finger leaves on the iPad, made without an image library."""
    width, height = 240, 80
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type: none
        for x in range(width):
            wave = height / 2 + 22 * math.sin(x / 17) * math.cos(x / 53)
            row.append(0 if abs(y - wave) < 1.6 else 255)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode()


def _accounts(db: Database) -> list[str]:
    credentials = []
    for name, role in STAFF:
        password = secrets.token_urlsafe(9)
        create_user(db, name, role.value, password)
        credentials.append(f"  {name:<10} {role.value:<9} wachtwoord: {password}")
    token = create_token(db, "balie-ipad", Role.DISPLAY.value)
    credentials.append(f"  iPad-token (display): {token}   → open /display?token={token}")
    return credentials


def _parts(db: Database, order_id: int, demo: DemoOrder, index: int) -> None:
    """The order's parts, as far along as its column says: needed before the work, ordered (with an expected date)
    while the car waits for the first of them, received while it is worked on, fitted once it is done."""
    supplier = SUPPLIERS[index % len(SUPPLIERS)]
    received, fitted = PartUpdate(status="ontvangen"), PartUpdate(status="gemonteerd")
    for number, (description, quantity, cents) in enumerate(demo.parts):
        new = PartCreate(description=description, quantity=quantity, unit_price_cents=cents, supplier=supplier)
        part = add_part(db, order_id, new, actor=DESK)
        ordered = PartUpdate(
            status="besteld",
            expected_at=shop_day(utcnow()) + timedelta(days=2 + index % 3),
            supplier_reference=f"{supplier[:3].upper()}-{4100 + order_id * 7 + number}",
        )
        steps = {
            BoardColumn.ONDER_HANDEN: [ordered, received],
            BoardColumn.WACHT_OP_ONDERDELEN: [ordered] if number == 0 else [ordered, received],  # waits for the first
            BoardColumn.KLAAR: [ordered, received, fitted],
            BoardColumn.AFGEROND: [ordered, received, fitted],
        }.get(demo.column, [])
        for step in steps:
            part = update_part(db, order_id, part.id, step, actor=WAREHOUSE)


def seed_demo_shop(db: Database) -> list[str]:
    """Fill an empty database through the services (so the log has the history), a believable shop: every order
    priced (parts and the desk's labour estimate), every car past Gepland approved on the iPad, the parts as far as
    the car is, the finished orders invoiced, two mechanics at work. Returns the credentials."""
    credentials = _accounts(db)
    update_shop_settings(db, SHOP, actor=DESK)
    seed_demo_history(db, signature_png())
    seed_demo_planning(db, DESK)
    known = {}
    for name, (email, phone, street, postal_code, city) in CONTACTS.items():
        details = CustomerCreate(name=name, email=email, phone=phone, street=street, postal_code=postal_code, city=city)
        known[name] = create_customer(db, details, actor=DESK).id
    ids = {}
    signature = signature_png()
    for index, demo in enumerate(ORDERS):
        new = WorkOrderCreate(
            license_plate=demo.plate,
            description=demo.description,
            mileage=40_000 + index * 7_919 % 180_000,
            customer_id=known.get(demo.customer),
            customer_name=None if demo.customer in known else demo.customer,
        )
        order = create_work_order(db, new, actor=DESK)
        ids[order.license_plate] = order.id
        add_labour(db, order.id, LabourCreate(description=demo.description, minutes=demo.minutes), actor=DESK)
        _parts(db, order.id, demo, index)
        if demo.column in PAST:
            sign_work_order(db, order.id, demo.customer, signature, actor=IPAD)
        if demo.column is BoardColumn.AFGEROND:
            move_to_column(db, order.id, BoardColumn.KLAAR.value, actor=DESK)
            issue_invoice(db, order.id, actor=DESK)
        if demo.column not in (BoardColumn.GEPLAND, BoardColumn.AUTO_BINNEN):
            move_to_column(db, order.id, demo.column.value, actor=DESK)
    for mechanic, plate in RUNNING:
        start_session(db, ids[plate.replace("-", "")], mechanic, actor=Principal(mechanic, Role.MONTEUR))
    return credentials
