"""Odometer duty (tellerstandregistratie) over real HTTP: an order over € 150 incl. VAT does not reach Afgerond
without a mileage (409, nothing emitted), one of exactly € 150 does; a mileage lower than the car's last known one
is kept but flagged (`mileageWarning`), on creation and on a correction; the closed orders' mileages to register
come as CSV and XLSX."""

import csv
import io
import itertools
from datetime import datetime

from openpyxl import load_workbook

from services.clock import shop_day
from tests.api.billing import add_labour, expect, order
from tests.conftest import Shop, assert_no_event_between

_plates = itertools.count(100)


def move(shop: Shop, work_order: dict, column: str, status: int = 200) -> dict:
    response = shop.admin.patch(f"/api/workorders/{work_order['id']}/column", json={"column": column})
    return expect(response, status).json()  # type: ignore[no-any-return]


def create(shop: Shop, plate: str, mileage: int | None = None) -> dict:
    body = {"customerName": "Kees Teller", "licensePlate": plate, "description": "Distributieriem", "mileage": mileage}
    return expect(shop.admin.post("/api/workorders", json=body), 201).json()  # type: ignore[no-any-return]


def test_over_150_euro_incl_vat_needs_a_mileage_before_afgerond(shop: Shop) -> None:
    big = create(shop, f"KM-{next(_plates)}-A")
    add_labour(shop, big, 60, rate=12_397)  # € 123,97 + 21 % = € 150,00 …
    add_labour(shop, big, 1, rate=60)  # … plus one cent and its VAT (no amount reaches € 150,01): € 150,02
    assert order(shop, big["id"])["totals"]["includingVatCents"] == 15_002
    move(shop, big, "Klaar")

    def refused() -> None:
        detail = move(shop, big, "Afgerond", 409)["detail"]
        assert detail == "kilometerstand ontbreekt"

    assert_no_event_between(shop, refused)
    assert order(shop, big["id"])["column"] == "Klaar"
    expect(shop.admin.patch(f"/api/workorders/{big['id']}", json={"mileage": 154_321}), 200)
    assert move(shop, big, "Afgerond")["column"] == "Afgerond"

    exactly = create(shop, f"KM-{next(_plates)}-A")
    add_labour(shop, exactly, 60, rate=12_397)  # € 150,00 incl. VAT: not over it
    assert order(shop, exactly["id"])["totals"]["includingVatCents"] == 15_000
    assert move(shop, exactly, "Afgerond")["column"] == "Afgerond"


def test_a_lower_mileage_than_last_time_is_kept_but_flagged(shop: Shop) -> None:
    plate = f"KM-{next(_plates)}-B"
    first = create(shop, plate, mileage=120_000)
    assert first["mileageWarning"] is False  # nothing known before it
    lower = create(shop, plate, mileage=119_500)
    assert (lower["mileage"], lower["mileageWarning"]) == (119_500, True)
    corrected = expect(shop.admin.patch(f"/api/workorders/{lower['id']}", json={"mileage": 121_000}), 200).json()
    assert (corrected["mileage"], corrected["mileageWarning"]) == (121_000, False)
    again = expect(shop.admin.patch(f"/api/workorders/{lower['id']}", json={"mileage": 100}), 200).json()
    assert again["mileageWarning"] is True
    cleared = expect(shop.admin.patch(f"/api/workorders/{lower['id']}", json={"mileage": None}), 200).json()
    assert cleared["mileageWarning"] is False
    unknown = create(shop, plate)  # no reading: nothing to compare
    assert unknown["mileageWarning"] is False
    third = create(shop, plate, mileage=120_500)  # the last known one is the first order's: 120,000
    assert third["mileageWarning"] is False
    other_car = create(shop, f"KM-{next(_plates)}-B", mileage=5)
    assert other_car["mileageWarning"] is False


def test_the_mileages_to_register_are_exported(shop: Shop) -> None:
    plate = f"KM-{next(_plates)}-C"
    create(shop, plate, mileage=99_000)
    lower = create(shop, plate, mileage=98_000)  # kept, flagged: the list says so
    add_labour(shop, lower, 120, rate=10_000)  # € 242,00 incl. VAT
    small = create(shop, f"KM-{next(_plates)}-C", mileage=5_000)  # € 150 or less: nothing to register
    for work_order in (lower, small):
        move(shop, work_order, "Klaar")
    closed = move(shop, lower, "Afgerond")
    move(shop, small, "Afgerond")
    day = shop_day(datetime.fromisoformat(closed["updatedAt"])).isoformat()
    period = {"from": day, "to": day}

    text = expect(shop.admin.get("/api/reports/mileages.csv", params=period), 200).content.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header == ["Afgerond op", "Kenteken", "Kilometerstand", "Werkorder", "Totaal incl. btw",
                      "Lager dan vorige keer"]  # fmt: skip
    mine = [row for row in rows if row[3] in (lower["number"], small["number"])]
    day_text = f"{day[8:10]}-{day[5:7]}-{day[:4]}"
    assert mine == [[day_text, plate, "98000", lower["number"], "242,00", "ja"]]

    book = load_workbook(io.BytesIO(expect(shop.admin.get("/api/reports/mileages.xlsx", params=period), 200).content))
    cells = [row for row in book.active.iter_rows(min_row=2, values_only=True) if row[3] == lower["number"]]  # type: ignore[union-attr]
    assert [(row[2], float(row[4])) for row in cells] == [(98_000, 242.0)]  # numbers, not text
    expect(shop.clients["monteur"].get("/api/reports/mileages.csv"), 403)
