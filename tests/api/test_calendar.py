"""The shop's calendar on its awkward days, with the server's wall clock set there (tests/clock.py).

Each day gets a server of its own, started at `start`; every test sets the clock it needs. The days:
- New Year's Eve at 22:30 UTC, 23:30 in Amsterdam: an hour later the shop is in the new year while UTC is not, so
  invoice 2027-0001 follows 2026-0001 and the payment term of the last invoice of 2026 crosses the year;
- the nights the clocks change (spring: 02:00 → 03:00; autumn: 03:00 → 02:00), where a session of two hours by the
  wall clock in Amsterdam is one or three, and must keep its true minutes;
- 29 February, half an hour before it turns into 1 March in Amsterdam.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from services.clock import SHOP_ZONE
from tests.api.billing import SHOP_SETTINGS, add_labour, add_part, expect, move
from tests.clock import ServerClock, utc
from tests.conftest import ROLES, Shop
from tests.server import Server, wait_until
from tests.sse import SSEClient

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]  # fmt: skip


@dataclass(frozen=True)
class AwkwardDay:
    start: datetime  # UTC
    day: date  # the shop's day at `start`
    hour_later: date  # the shop's day an hour after `start`
    local_hours: int  # how many hours the clocks on the wall in Amsterdam move in the two hours after `start`


DAYS = {
    "oudjaarsavond": AwkwardDay(utc("2026-12-31 22:30"), date(2026, 12, 31), date(2027, 1, 1), 2),
    "zomertijd": AwkwardDay(utc("2027-03-28 00:30"), date(2027, 3, 28), date(2027, 3, 28), 3),
    "wintertijd": AwkwardDay(utc("2026-10-25 00:30"), date(2026, 10, 25), date(2026, 10, 25), 1),
    "schrikkeldag": AwkwardDay(utc("2028-02-29 22:30"), date(2028, 2, 29), date(2028, 3, 1), 2),
}


@dataclass
class CalendarShop(Shop):
    clock: ServerClock
    when: AwkwardDay


@pytest.fixture(scope="module", params=list(DAYS), ids=list(DAYS))
def calendar(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CalendarShop]:
    folder = Path(tmp_path_factory.mktemp(request.param))
    when = DAYS[request.param]
    server = Server(f"sqlite:///{folder / 'werkplaats.db'}", clock=ServerClock(folder / "clock", when.start))
    tokens = {role: server.token(role) for role in ROLES}
    with server:
        clients = {role: server.client(token) for role, token in tokens.items()}
        assert server.clock is not None
        shop = CalendarShop(server, tokens, clients, server.clock, when)
        expect(shop.admin.put("/api/settings/shop", json=SHOP_SETTINGS), 200)
        yield shop
        for client in clients.values():
            client.close()


def ready_order(shop: CalendarShop) -> dict:
    work_order = shop.create(customer="Fam. Kalender")
    customer = {"street": "Kerkstraat 1", "postalCode": "1234AB", "city": "Amersfoort"}
    expect(shop.admin.patch(f"/api/customers/{work_order['customerId']}", json=customer), 200)
    add_part(shop, work_order, 4595, 2, "Remblokken voor")
    add_labour(shop, work_order, 60, description="Remmen vervangen")
    move(shop, work_order["id"], "Klaar")
    return work_order


def invoice_date_in_pdf(shop: CalendarShop, invoice_id: int) -> str:
    pdf = expect(shop.admin.get(f"/api/invoices/{invoice_id}/pdf"), 200).content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\xa0", " ")
    return text.split("Factuurdatum", 1)[1].split("\n", 1)[0].strip()


def dutch(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def test_orders_and_invoices_take_the_shops_day_and_year(calendar: CalendarShop) -> None:
    when = calendar.when
    calendar.clock.set(when.start)
    first_order = ready_order(calendar)
    first = expect(calendar.admin.post(f"/api/workorders/{first_order['id']}/invoice"), 201).json()
    calendar.clock.set(when.start + timedelta(hours=1))
    later_order = ready_order(calendar)
    later = expect(calendar.admin.post(f"/api/workorders/{later_order['id']}/invoice"), 201).json()

    new_year = when.hour_later.year != when.day.year
    assert first["number"] == f"{when.day.year}-0001"
    assert later["number"] == (f"{when.hour_later.year}-0001" if new_year else f"{when.day.year}-0002")
    assert first_order["number"].startswith(f"WO-{when.day.year}-")
    assert later_order["number"] == (f"WO-{when.hour_later.year}-0001" if new_year else later_order["number"])
    assert first["dueAt"] == (when.day + timedelta(days=14)).isoformat()  # 14 January 2027: across the year
    assert later["dueAt"] == (when.hour_later + timedelta(days=14)).isoformat()
    assert invoice_date_in_pdf(calendar, first["id"]) == dutch(when.day)
    assert invoice_date_in_pdf(calendar, later["id"]) == dutch(when.hour_later)


def test_a_session_across_the_night_keeps_its_true_minutes(calendar: CalendarShop) -> None:
    calendar.clock.set(calendar.when.start)
    work_order = calendar.create(customer="Fam. Nachtdienst")
    path = f"/api/workorders/{work_order['id']}/sessions"
    session = expect(calendar.admin.post(path, json={"mechanic": "jan"}), 201).json()
    # stopped two hours and a second after its true start (the clock ticks on between requests; half a minute
    # more would round the session up to 121 minutes, and the line up to the next quarter)
    calendar.clock.set(datetime.fromisoformat(session["startedAt"]) + timedelta(hours=2, seconds=1))
    stopped = expect(calendar.admin.patch(f"{path}/{session['id']}", json={"action": "stop"}), 200).json()

    started, ended = (datetime.fromisoformat(stopped[key]) for key in ("startedAt", "endedAt"))
    assert timedelta(hours=2) < ended - started < timedelta(hours=2, minutes=1)
    lines = expect(calendar.admin.post(f"/api/workorders/{work_order['id']}/labour/from-sessions"), 201).json()
    assert [line["minutes"] for line in lines] == [120]  # not 60 or 180, as the clocks on the wall say
    local = [moment.astimezone(SHOP_ZONE) for moment in (started, ended)]
    assert (local[1].replace(tzinfo=None) - local[0].replace(tzinfo=None)).seconds // 3600 == calendar.when.local_hours


def test_a_forgotten_timer_stops_after_ten_true_hours(calendar: CalendarShop) -> None:
    """Found at the server's start: the timer fell due (MAX_SESSION_HOURS, 10) while the server was down."""
    calendar.clock.set(calendar.when.start - timedelta(hours=3))
    work_order = calendar.create(customer="Fam. Vergeten")
    session = expect(
        calendar.admin.post(f"/api/workorders/{work_order['id']}/sessions", json={"mechanic": "piet"}), 201
    ).json()
    calendar.server.stop()
    calendar.clock.set(calendar.when.start + timedelta(hours=12), running=False)
    calendar.server.start()

    def stopped_by_itself() -> dict | None:
        history = expect(calendar.admin.get(f"/api/workorders/{work_order['id']}/events"), 200).json()
        return next((e["session"] for e in history if e["changeType"] == "session" and e.get("reason") == "auto"), None)

    stopped = wait_until(stopped_by_itself, 10, "the forgotten timer stopped")
    assert stopped["id"] == session["id"]
    started, ended = (datetime.fromisoformat(stopped[key]) for key in ("startedAt", "endedAt"))
    assert ended - started == timedelta(hours=10)


def test_a_part_expected_on_the_day_after(calendar: CalendarShop) -> None:
    calendar.clock.set(calendar.when.start)
    work_order = calendar.create(customer="Fam. Onderdeel")
    part = add_part(calendar, work_order, 1250, 1, "Distributieriem")
    next_day = calendar.when.day + timedelta(days=1)
    body = {"status": "besteld", "expectedAt": next_day.isoformat()}
    ordered = expect(calendar.admin.patch(f"/api/workorders/{work_order['id']}/parts/{part['id']}", json=body), 200)
    assert ordered.json()["expectedAt"] == next_day.isoformat()
    move(calendar, work_order["id"], "Wacht op onderdelen")
    with SSEClient(calendar.server.url, None, f"{work_order['statusUrl']}/stream") as stream:
        status = stream.next().json
    assert f"verwacht {next_day.day} {MONTHS[next_day.month - 1]}" in str(status)
