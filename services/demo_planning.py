"""The demo shop's service packages (2026 prices of a Dutch independent garage) and loan cars."""

from models.planning_public import LoanCarCreate, PackageCreate, PackagePartInput
from services.auth import Principal
from services.db import Database
from services.packages import create_package
from services.planning import add_loan_car


def _part(description: str, article_number: str, quantity: int, cents: int) -> PackagePartInput:
    return PackagePartInput(
        description=description, article_number=article_number, quantity=quantity, unit_price_cents=cents
    )


OIL = _part("Motorolie 5W-30 (5 liter)", "CAS-15D5E8", 1, 4_995)
OIL_FILTER = _part("Oliefilter", "MANN-W712/95", 1, 1_395)
DRAIN_SEAL = _part("Afdichtring carterplug", "ELR-813.010", 1, 150)

PACKAGES = [
    PackageCreate(name="Kleine beurt", kind="onderhoud", labour_minutes=60, parts=[OIL, OIL_FILTER, DRAIN_SEAL]),
    PackageCreate(
        name="Grote beurt",
        kind="onderhoud",
        labour_minutes=150,
        parts=[
            OIL,
            OIL_FILTER,
            DRAIN_SEAL,
            _part("Luchtfilter", "MANN-C27009", 1, 2_495),
            _part("Interieurfilter (koolstof)", "MANN-CUK2939", 1, 2_895),
            _part("Bougie", "NGK-94201", 4, 1_250),
            _part("Remvloeistof DOT 4 (1 liter)", "ATE-03.9901-5802.2", 1, 1_495),
        ],
    ),
    PackageCreate(name="APK", kind="apk", labour_minutes=45, fixed_price_cents=4_950),
    PackageCreate(name="Banden wisselen", kind="banden", labour_minutes=45, fixed_price_cents=5_900),
    PackageCreate(
        name="Airco-service",
        kind="onderhoud",
        labour_minutes=60,
        fixed_price_cents=11_900,
        parts=[_part("Koudemiddel R1234yf (tot 600 g)", "R1234YF-600", 1, 0)],
    ),
    PackageCreate(
        name="Remmen voor",
        kind="reparatie",
        labour_minutes=90,
        parts=[
            _part("Remschijven voor (set)", "BREMBO-09.A820.11", 1, 11_950),
            _part("Remblokken voor (set)", "BREMBO-P85075", 1, 5_495),
            _part("Remmenreiniger", "LM-3389", 1, 695),
        ],
    ),
]

LOAN_CARS = [LoanCarCreate(license_plate="ZH-123-L", name="Volkswagen Polo (leenauto 1)"),
             LoanCarCreate(license_plate="ZH-124-L", name="Toyota Yaris (leenauto 2)")]  # fmt: skip


def seed_demo_planning(db: Database, desk: Principal) -> None:
    for package in PACKAGES:
        create_package(db, package, actor=desk)
    for car in LOAN_CARS:
        add_loan_car(db, car, actor=desk)
