"""A realistic demo shop for an empty database: staff, a display token, ~20 cars across the board."""

import secrets

from sqlmodel import func, select

from models import BoardColumn, Role, User, WorkOrder
from models.public import CustomerCreate, WorkOrderCreate
from services.auth import Principal, create_token, create_user
from services.customers import create_customer
from services.db import Database
from services.demo_planning import seed_demo_planning
from services.work_sessions import start_session
from services.workorders import create_work_order, move_to_column

STAFF = [("balie", Role.ADMIN), ("jan", Role.MONTEUR), ("fatima", Role.MONTEUR), ("pieter", Role.MONTEUR),
         ("magazijn", Role.MAGAZIJN)]  # fmt: skip

ORDERS = [
    ("Fam. de Vries", "12-ABC-3", "Grote beurt, remvloeistof vervangen", BoardColumn.GEPLAND),
    ("S. Bakker", "GH-512-K", "APK-keuring", BoardColumn.GEPLAND),
    ("Autoverhuur Zuid B.V.", "VTK-88-Z", "Airco bijvullen en lekkage zoeken", BoardColumn.GEPLAND),
    ("M. Jansen", "4-KXP-77", "Rammelend geluid voorzijde bij drempels", BoardColumn.GEPLAND),
    ("R. Visser", "NB-004-R", "Winterbanden monteren en balanceren", BoardColumn.AUTO_BINNEN),
    ("J. Smit", "7-TRD-45", "Kleine beurt + ruitenwissers", BoardColumn.AUTO_BINNEN),
    ("Installatiebedrijf Meijer", "VDL-12-P", "Distributieriem vervangen", BoardColumn.AUTO_BINNEN),
    ("L. de Boer", "XG-771-B", "Koppelingsplaat versleten, koppeling vervangen", BoardColumn.ONDER_HANDEN),
    ("P. Mulder", "2-ZZL-90", "Uitlaat lekt, middendemper vervangen", BoardColumn.ONDER_HANDEN),
    ("K. de Groot", "HR-338-N", "Storingslampje motor: uitlezen en verhelpen", BoardColumn.ONDER_HANDEN),
    ("Bloemenhandel Bos", "VRG-31-D", "Remschijven en -blokken voor", BoardColumn.WACHT_OP_ONDERDELEN),
    ("E. Vos", "9-SKJ-12", "Waterpomp lekt", BoardColumn.WACHT_OP_ONDERDELEN),
    ("A. Peters", "ZT-420-F", "Startmotor defect", BoardColumn.WACHT_OP_ONDERDELEN),
    ("T. Hendriks", "KL-09-PT", "Schokdempers achter vervangen", BoardColumn.KLAAR),
    ("Taxi Centraal", "65-XK-RB", "APK + grote beurt", BoardColumn.KLAAR),
    ("W. van Dijk", "S-226-BV", "Accu vervangen", BoardColumn.KLAAR),
    ("B. van Leeuwen", "1-HFG-58", "Bandenwissel zomer", BoardColumn.AFGEROND),
    ("C. Dekker", "TX-916-L", "Kleine beurt", BoardColumn.AFGEROND),
    ("N. Brouwer", "JF-747-S", "Ruit gerepareerd (steenslag)", BoardColumn.AFGEROND),
    ("D. de Wit", "GZ-183-V", "Lampje bandenspanning: sensor vervangen", BoardColumn.AFGEROND),
]

RUNNING = [("jan", "XG-771-B"), ("fatima", "2-ZZL-90")]

CONTACTS = {  # name: (e-mail, phone, street, postcode, city); the others came in without leaving their details
    "Fam. de Vries": ("devries@example.nl", "06-12345678", "Kerkstraat 12", "3512 AB", "Utrecht"),
    "S. Bakker": ("s.bakker@example.nl", "06-23456789", "Dorpsweg 3", "3732 HG", "De Bilt"),
    "Autoverhuur Zuid B.V.": ("werkplaats@autoverhuurzuid.example", "030-1234567", "Industrieweg 40", "3542 AD",
                              "Utrecht"),
    "L. de Boer": ("l.deboer@example.nl", "06-34567890", None, None, None),
    "Taxi Centraal": ("planning@taxicentraal.example", "030-7654321", "Stationsplein 1", "3511 CE", "Utrecht"),
}  # fmt: skip


def is_empty(db: Database) -> bool:
    with db.read() as session:
        users = session.exec(select(func.count()).select_from(User)).one()
        orders = session.exec(select(func.count()).select_from(WorkOrder)).one()
        return users == 0 and orders == 0


def seed_demo_shop(db: Database) -> list[str]:
    """Fill an empty database through the services (so the log has the history); returns the credentials."""
    credentials = []
    for name, role in STAFF:
        password = secrets.token_urlsafe(9)
        create_user(db, name, role.value, password)
        credentials.append(f"  {name:<10} {role.value:<9} wachtwoord: {password}")
    token = create_token(db, "balie-ipad", Role.DISPLAY.value)
    credentials.append(f"  iPad-token (display): {token}   → open /display?token={token}")
    desk = Principal("balie", Role.ADMIN)
    seed_demo_planning(db, desk)
    known = {}
    for name, (email, phone, street, postal_code, city) in CONTACTS.items():
        details = CustomerCreate(name=name, email=email, phone=phone, street=street, postal_code=postal_code, city=city)
        known[name] = create_customer(db, details, actor=desk).id
    ids = {}
    for number, (customer, plate, description, column) in enumerate(ORDERS):
        mileage = 40_000 + number * 7_919 % 180_000
        new = WorkOrderCreate(
            license_plate=plate,
            description=description,
            mileage=mileage,
            customer_id=known.get(customer),
            customer_name=None if customer in known else customer,
        )
        order = create_work_order(db, new, actor=desk)
        ids[order.license_plate] = order.id
        if column is not BoardColumn.GEPLAND:
            move_to_column(db, order.id, column.value, actor=desk)
    for mechanic, plate in RUNNING:
        start_session(db, ids[plate.replace("-", "")], mechanic, actor=Principal(mechanic, Role.MONTEUR))
    return credentials
