"""Shop insight: GET /api/reports/summary recomputed by hand from a small shop made here through the API, with the
server's wall clock set (a session past midnight, parts ordered and received days apart), a credit note and an
inspection with a declined recommendation; admin only; a date that is not one is a Dutch 422. And the accountant's
exports, read back with the csv module and openpyxl."""

import csv
import io
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.api.billing import SHOP_SETTINGS, add_labour, add_part, expect, move
from tests.api.inspection import recommend, send, start
from tests.api.test_inspection_answer import answer
from tests.clock import ServerClock, utc
from tests.conftest import ROLES, Shop
from tests.postgres import throwaway_database
from tests.server import Server

Timed = tuple[Shop, ServerClock]
DAY_ONE = utc("2027-03-10 08:00")  # 09:00 in the shop (CET); the shop's days below are 10 to 12 March


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def timed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Timed]:
    """The same shop on each database: the sums are SQL, spelled per dialect where they must be."""
    folder = Path(tmp_path_factory.mktemp("reports"))
    with ExitStack() as stack:
        url = f"sqlite:///{folder / 'werkplaats.db'}"
        if request.param == "postgresql":
            url = stack.enter_context(throwaway_database())
        clock = ServerClock(folder / "clock", DAY_ONE)
        server = Server(url, clock=clock)
        tokens = {role: server.token(role) for role in ROLES}
        with server:
            clients = {role: server.client(token) for role, token in tokens.items()}
            yield Shop(server, tokens, clients), clock
            for client in clients.values():
                client.close()


def session(shop: Shop, order: dict, mechanic: str) -> dict:
    return expect(shop.admin.post(f"/api/workorders/{order['id']}/sessions", json={"mechanic": mechanic}), 201).json()


def stop(shop: Shop, order: dict, started: dict) -> None:
    expect(shop.admin.patch(f"/api/workorders/{order['id']}/sessions/{started['id']}", json={"action": "stop"}), 200)


def part_to(shop: Shop, part: dict, status: str) -> dict:
    path = f"/api/workorders/{part['workOrderId']}/parts/{part['id']}"
    return expect(shop.admin.patch(path, json={"status": status}), 200).json()


def invoice(shop: Shop, order: dict) -> dict:
    return expect(shop.admin.post(f"/api/workorders/{order['id']}/invoice"), 201).json()


@pytest.fixture(scope="module")
def history(timed: Timed) -> dict:
    """Three orders invoiced (one credited), an inspection answered, four parts ordered and received."""
    shop, clock = timed
    expect(shop.admin.put("/api/settings/shop", json=SHOP_SETTINGS), 200)  # € 87,50 an hour, a 15-minute unit
    a, b, c, d = (shop.create(customer=name) for name in ("Fam. A", "Fam. B", "Fam. C", "Fam. D"))
    add_part(shop, a, 10_000)
    add_part(shop, b, 5_000)
    add_part(shop, c, 2_000)
    parts = [part_to(shop, add_part(shop, d, None, description=f"Deel {n}"), "besteld") for n in range(4)]
    fatima, pieter = session(shop, a, "fatima"), session(shop, b, "pieter")
    clock.set(DAY_ONE + timedelta(minutes=30))
    stop(shop, b, pieter)  # 30 minutes
    clock.set(DAY_ONE + timedelta(minutes=59))
    stop(shop, a, fatima)  # 59 minutes
    clock.set(DAY_ONE + timedelta(hours=6))
    part_to(shop, parts[0], "ontvangen")  # 6 hours
    clock.set(utc("2027-03-10 22:30"))  # 23:30 in the shop
    jan = session(shop, a, "jan")
    clock.set(utc("2027-03-11 00:31"))  # 01:31 on the next shop day: 121 minutes, all counted on 10 March
    stop(shop, a, jan)
    clock.set(DAY_ONE + timedelta(hours=24))
    part_to(shop, parts[1], "ontvangen")  # 24 hours
    expect(shop.admin.post(f"/api/workorders/{a['id']}/labour/from-sessions"), 201)  # 180 minutes
    add_labour(shop, a, 30)
    add_labour(shop, b, 60)
    for order in (a, b, c):
        move(shop, order["id"], "Klaar")
    first = invoice(shop, a)  # 10 000 + 210 min à 8 750 = 30 625: 40 625
    credited = invoice(shop, b)  # 5 000 + 8 750 = 13 750, then credited
    expect(shop.admin.post(f"/api/invoices/{credited['id']}/credit"), 201)
    invoice(shop, c)  # 2 000
    expect(shop.admin.post(f"/api/invoices/{first['id']}/payments", json={"method": "pin", "amountCents": 20_000}), 201)
    inspection = start(shop, d)
    items = [
        recommend(shop, inspection, "Remmen voor", "Remschijven voor", 34_950),
        recommend(shop, inspection, "Ruitenwissers", "Ruitenwissers vervangen", 4_500, note="scheuren"),
        recommend(shop, inspection, "Band linksvoor", "Band linksvoor vervangen", 12_900, note="1,6 mm"),
    ]
    send(shop, inspection)
    decisions = dict(zip([str(item["id"]) for item in items], ["akkoord", "akkoord", "afgewezen"], strict=True))
    expect(answer(shop, d, decisions), 201)
    clock.set(DAY_ONE + timedelta(hours=48))
    part_to(shop, parts[2], "ontvangen")  # 48 hours
    clock.set(DAY_ONE + timedelta(hours=50))
    part_to(shop, parts[3], "ontvangen")  # 50 hours
    return {"first": first}


def summary(shop: Shop, first: str, last: str) -> dict:
    return expect(shop.admin.get(f"/api/reports/summary?from={first}&to={last}"), 200).json()  # type: ignore[no-any-return]


def test_the_summary_recomputed_by_hand(timed: Timed, history: dict) -> None:
    shop, _ = timed
    numbers = summary(shop, "2027-03-10", "2027-03-12")
    # 40 625 + 13 750 − 13 750 (the credit note) + 2 000; three invoices less one credited
    assert numbers["revenueExcludingVatCents"] == 42_625
    assert (numbers["invoiceCount"], numbers["averageInvoiceCents"]) == (2, 21_313)  # 21 312,5 rounded half up
    # A's 210 billed minutes shared 121 : 59 (jan 141,2, fatima 68,8); B's 60 billed then credited: pieter 0
    assert numbers["mechanics"] == [
        {"name": "fatima", "clockedMinutes": 59, "billedMinutes": 69, "efficiency": 1.17},
        {"name": "jan", "clockedMinutes": 121, "billedMinutes": 141, "efficiency": 1.17},
        {"name": "pieter", "clockedMinutes": 30, "billedMinutes": 0, "efficiency": 0.0},
    ]
    assert numbers["inspections"] == {"items": 3, "approved": 2, "declined": 1, "approvedCents": 39_450}
    assert numbers["partsLeadTimeHours"] == 36.0  # 6, 24, 48, 50: the middle two


def test_a_session_counts_whole_on_the_shop_day_it_started(timed: Timed, history: dict) -> None:
    shop, _ = timed
    tenth = summary(shop, "2027-03-10", "2027-03-10")
    assert {m["name"]: m["clockedMinutes"] for m in tenth["mechanics"]} == {"fatima": 59, "jan": 121, "pieter": 30}
    assert tenth["revenueExcludingVatCents"] == 0 and tenth["partsLeadTimeHours"] == 6.0
    eleventh = summary(shop, "2027-03-11", "2027-03-11")  # jan's 61 minutes after midnight are not counted here
    assert {m["name"]: (m["clockedMinutes"], m["efficiency"]) for m in eleventh["mechanics"]} == {
        "fatima": (0, None), "jan": (0, None), "pieter": (0, None),
    }  # fmt: skip
    assert eleventh["partsLeadTimeHours"] == 24.0
    empty = summary(shop, "2027-04-01", "2027-04-30")
    assert empty == {
        "revenueExcludingVatCents": 0, "invoiceCount": 0, "averageInvoiceCents": 0, "mechanics": [],
        "inspections": {"items": 0, "approved": 0, "declined": 0, "approvedCents": 0}, "partsLeadTimeHours": None,
    }  # fmt: skip


def test_only_the_desk_reads_the_reports_and_bad_dates_are_a_dutch_422(timed: Timed) -> None:
    shop, _ = timed
    for role in ("monteur", "magazijn", "display"):
        for path in ("/api/reports/summary", "/api/reports/invoices.csv", "/api/reports/payments.xlsx"):
            assert shop.clients[role].get(path).status_code == 403
    bad = expect(shop.admin.get("/api/reports/summary?from=10-03-2027"), 422).json()
    assert bad == {"detail": "'10-03-2027' is geen datum: schrijf from als JJJJ-MM-DD",
                   "fields": {"from": "'10-03-2027' is geen datum: schrijf from als JJJJ-MM-DD"}}  # fmt: skip
    backwards = expect(shop.admin.get("/api/reports/summary?from=2027-03-12&to=2027-03-10"), 422).json()
    assert backwards["fields"] == {"to": "De periode eindigt voor ze begint"}
    assert expect(shop.admin.get("/api/reports/invoices.xlsx?to=2027-02-30"), 422).json()["fields"].keys() == {"to"}


def test_the_exports_read_back(timed: Timed, history: dict) -> None:
    shop, _ = timed
    period = "from=2027-03-10&to=2027-03-12"
    response = expect(shop.admin.get(f"/api/reports/invoices.csv?{period}"), 200)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Factuurnummer", "Soort", "Factuurdatum"]
    assert [(row[1], row[2], row[7], row[9]) for row in rows[1:]] == [
        ("factuur", "11-03-2027", "406,25", "491,56"),
        ("factuur", "11-03-2027", "137,50", "166,38"),
        ("creditnota", "11-03-2027", "-137,50", "-166,38"),
        ("factuur", "11-03-2027", "20,00", "24,20"),
    ]
    book = load_workbook(io.BytesIO(expect(shop.admin.get(f"/api/reports/invoices.xlsx?{period}"), 200).content))
    sheet = book.active
    assert sheet is not None and sheet["A1"].value == "Factuurnummer"
    amount, day = sheet["H2"], sheet["C2"]
    assert amount.value == Decimal("406.25") or amount.value == 406.25  # a number, not text
    assert amount.data_type == "n" and amount.number_format == "#,##0.00"
    assert day.value.date() == date(2027, 3, 11) and day.number_format == "DD-MM-YYYY"
    paid = load_workbook(io.BytesIO(expect(shop.admin.get(f"/api/reports/payments.xlsx?{period}"), 200).content))
    payments = [[cell.value for cell in row] for row in paid.worksheets[0].iter_rows(min_row=2)]
    assert [(row[1], row[5], row[6]) for row in payments] == [(history["first"]["number"], "pin", 200)]
    assert paid.worksheets[0]["G2"].number_format == "#,##0.00"
    text = expect(shop.admin.get(f"/api/reports/payments.csv?{period}"), 200).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";"))[1][6] == "200,00"
