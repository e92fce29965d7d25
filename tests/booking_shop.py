"""A shop customers book online with: the planning shop (its clock starts on Monday 7 December 2026, 10:00 at the
shop; mechanics jan, fatima and pieter; the shop's settings) with two packages, a real SMTP server and an RDW-shaped
server that knows one car. The throttle is set low, and each test speaks from an address of its own
(X-Forwarded-For, which the server trusts from 127.0.0.1, as from the nginx in front of it)."""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest

from tests.api.billing import expect
from tests.conftest import Shop
from tests.planning_shop import NOW, TODAY, open_day_shop
from tests.rdw_server import FakeRdw, demo_rdw
from tests.smtp_server import SmtpServer

LOOKUPS_PER_HOUR, BOOKINGS_PER_HOUR = 60, 8
KLEINE_BEURT = {
    "name": "Kleine beurt",
    "kind": "onderhoud",
    "labourMinutes": 60,
    "parts": [{"description": "Motorolie 5W-30", "quantity": 4, "unitPriceCents": 1250}],
}
APK = {"name": "APK", "kind": "apk", "labourMinutes": 45, "fixedPriceCents": 4950}
_addresses = itertools.count(1)


@dataclass
class BookingShop:
    shop: Shop
    smtp: SmtpServer
    rdw: FakeRdw
    kleine_beurt: int  # package ids
    apk: int

    @property
    def url(self) -> str:
        return self.shop.server.url

    def at_opening(self) -> None:
        """The server's clock back to just before Monday 10:00, so the first free start is 10:00 (a start from now is
        rounded up to the quarter; the clock ticks on, and starting a server here can take minutes)."""
        assert self.shop.server.clock is not None
        self.shop.server.clock.set(NOW - timedelta(minutes=2))

    def stranger(self) -> httpx.Client:
        """A client without credentials, from an address no other test uses."""
        address = f"198.51.100.{next(_addresses)}"
        return httpx.Client(base_url=self.url, headers={"X-Forwarded-For": address}, timeout=10)


def open_booking_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BookingShop]:
    database = f"sqlite:///{tmp_path_factory.mktemp('booking') / 'werkplaats.db'}"
    with SmtpServer() as smtp, demo_rdw(TODAY) as rdw:
        env = {
            **smtp.env,
            "RDW_BASE_URL": rdw.url,
            "BOOKING_LOOKUPS_PER_HOUR": str(LOOKUPS_PER_HOUR),
            "BOOKINGS_PER_HOUR": str(BOOKINGS_PER_HOUR),
        }
        for shop in open_day_shop(database, **env):
            ids = [
                expect(shop.admin.post("/api/packages", json=body), 201).json()["id"] for body in (KLEINE_BEURT, APK)
            ]
            yield BookingShop(shop, smtp, rdw, *ids)


def booking_shop_fixture():  # type: ignore[no-untyped-def]
    """`booking_shop = booking_shop_fixture()` in a test module: one such shop for the module's tests."""
    return pytest.fixture(scope="module", name="booking_shop")(open_booking_shop)
