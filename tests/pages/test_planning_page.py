"""The planning page in Chromium, on a server whose clock starts on Monday 7 December 2026: a drag to another
mechanic's day is seen at once by another open planning page and by the board; a refused move goes back with the
reason; the same by finger on a touch tablet; the board's Gepland column follows the plan (today and tomorrow in time
order, later ones counted)."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.api.billing import expect as expect_status
from tests.conftest import Shop
from tests.pages.conftest import browser, log_in, playwright  # noqa: F401  (the real-browser fixtures)
from tests.pages.test_board import finger_drag
from tests.planning_shop import day_shop_fixture
from tests.server import seed_account

day_shop = day_shop_fixture()
LIVE = 1500  # ms
PASSWORD = "geheim-balie-123"


@pytest.fixture(scope="module")
def desk(day_shop: Shop) -> Shop:
    seed_account(day_shop.server.database_url, "balie", "admin", PASSWORD)
    return day_shop


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:  # noqa: F811
    opened = [browser.new_context(viewport={"width": 1600, "height": 1000}, locale="nl-NL") for _ in range(3)]
    yield opened
    for context in opened:
        context.close()


def plan(shop: Shop, order: dict, **fields: object) -> dict:
    return expect_status(shop.admin.put(f"/api/workorders/{order['id']}/appointment", json=fields), 200).json()


def cell(page: Page, day: str, mechanic: str) -> Locator:
    return page.locator(f'[data-cell][data-day="{day}"][data-mechanic="{mechanic}"]')


def mouse_drag(page: Page, source: Locator, target: Locator) -> None:
    start, end = source.bounding_box(), target.bounding_box()
    assert start is not None and end is not None
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + 10)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 10, start["y"] + 20, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=15)
    page.mouse.up()


def test_a_drag_is_seen_by_every_planning_page_and_the_board(desk: Shop, contexts: list[BrowserContext]) -> None:
    first, tomorrow_late, later, unplanned = (desk.create(description=f"Klus {n}") for n in range(4))
    plan(desk, first, start="2026-12-08T09:00:00+01:00", minutes=120, mechanic="jan")
    plan(desk, tomorrow_late, start="2026-12-08T14:00:00+01:00", minutes=60, mechanic="fatima")
    plan(desk, later, start="2026-12-17T09:00:00+01:00", minutes=60, mechanic="pieter")
    expect_status(desk.admin.put("/api/mechanics/pieter", json={"daysOff": ["2026-12-11"]}), 200)
    planner, other, board = (context.new_page() for context in contexts)
    log_in(planner, desk.server.url, "balie", PASSWORD, "/admin/planning")
    log_in(other, desk.server.url, "balie", PASSWORD, "/admin/planning")
    log_in(board, desk.server.url, "jan", "geheim-jan-123", "/admin/workoverzicht")

    gepland = board.locator('[data-column="Gepland"]')
    cards = gepland.locator("[data-workorder-id]")
    expect(cards).to_have_count(3)  # the one of 17 December is only counted
    ids = [cards.nth(n).get_attribute("data-workorder-id") for n in range(3)]
    assert ids == [str(first["id"]), str(tomorrow_late["id"]), str(unplanned["id"])]
    card = gepland.locator(f'[data-workorder-id="{first["id"]}"]')
    expect(card).to_have_attribute("data-planned-start", "2026-12-08T08:00:00.000Z")
    expect(card).to_contain_text("di 8 dec 09:00 · jan")
    expect(board.get_by_text("+ 1 later")).to_have_attribute("href", "/admin/planning")

    block = planner.locator(f'[data-appointment-id="{first["id"]}"]')
    expect(cell(planner, "2026-12-08", "jan").locator(block)).to_be_visible()
    day = planner.locator('[data-day="2026-12-08"]:not([data-cell])')
    expect(day).to_have_attribute("data-capacity", str(3 * 510))
    expect(day).to_have_attribute("data-planned", "180")

    mouse_drag(planner, block, cell(planner, "2026-12-10", "fatima"))
    for page in (planner, other):
        moved = page.locator(f'[data-appointment-id="{first["id"]}"]')
        expect(cell(page, "2026-12-10", "fatima").locator(moved)).to_be_visible(timeout=LIVE)
        expect(moved).to_have_attribute("data-start", "2026-12-10T07:00:00.000Z")
        expect(page.locator('[data-day="2026-12-08"]:not([data-cell])')).to_have_attribute("data-planned", "60")
        expect(page.locator('[data-day="2026-12-10"]:not([data-cell])')).to_have_attribute("data-planned", "120")
    expect(card).to_have_count(0, timeout=LIVE)  # 10 December is after tomorrow: counted now
    expect(board.get_by_text("+ 2 later")).to_be_visible()
    saved = desk.admin.get(f"/api/workorders/{first['id']}").json()["appointment"]
    assert (saved["start"], saved["mechanic"], saved["minutes"]) == ("2026-12-10T07:00:00.000Z", "fatima", 120)

    mouse_drag(
        planner, planner.locator(f'[data-appointment-id="{first["id"]}"]'), cell(planner, "2026-12-11", "pieter")
    )
    expect(planner.get_by_text("pieter werkt niet op vr 11 dec")).to_be_visible(timeout=LIVE)
    back = planner.locator(f'[data-appointment-id="{first["id"]}"]')
    expect(cell(planner, "2026-12-10", "fatima").locator(back)).to_be_visible()
    expect(cell(planner, "2026-12-11", "pieter").locator("[data-appointment-id]")).to_have_count(0)
    assert desk.admin.get(f"/api/workorders/{first['id']}").json()["appointment"]["mechanic"] == "fatima"


@pytest.fixture
def touch_tablet(browser: Browser) -> Iterator[BrowserContext]:  # noqa: F811
    """The desk's iPad in landscape: a finger, no mouse."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 1024}, has_touch=True, is_mobile=True, locale="nl-NL"
    )
    yield context
    context.close()


def test_a_finger_drag_is_seen_by_every_planning_page_and_the_board(
    desk: Shop, contexts: list[BrowserContext], touch_tablet: BrowserContext
) -> None:
    order = desk.create(description="Met de vinger verplaatst")
    plan(desk, order, start="2026-12-08T11:00:00+01:00", minutes=60, mechanic="jan")
    planner = touch_tablet.new_page()
    other, board = contexts[0].new_page(), contexts[1].new_page()
    log_in(planner, desk.server.url, "balie", PASSWORD, "/admin/planning")
    log_in(other, desk.server.url, "balie", PASSWORD, "/admin/planning")
    log_in(board, desk.server.url, "jan", "geheim-jan-123", "/admin/workoverzicht")
    card = board.locator(f'[data-column="Gepland"] [data-workorder-id="{order["id"]}"]')
    expect(card).to_contain_text("di 8 dec 11:00 · jan")

    block = planner.locator(f'[data-appointment-id="{order["id"]}"]')
    expect(cell(planner, "2026-12-08", "jan").locator(block)).to_be_visible()
    start, target = block.bounding_box(), cell(planner, "2026-12-08", "pieter").bounding_box()
    assert start is not None and target is not None
    finger_drag(
        touch_tablet,
        planner,
        (start["x"] + start["width"] / 2, start["y"] + 8),  # its first line: the time, not the order's link
        (target["x"] + target["width"] / 2, target["y"] + target["height"] / 2),
    )
    for page in (planner, other):
        moved = page.locator(f'[data-appointment-id="{order["id"]}"]')
        expect(cell(page, "2026-12-08", "pieter").locator(moved)).to_be_visible(timeout=LIVE)
        expect(moved).to_have_attribute("data-start", "2026-12-08T07:00:00.000Z")  # the start of pieter's day
    expect(card).to_contain_text("di 8 dec 08:00 · pieter", timeout=LIVE)
    expect(card).to_have_attribute("data-planned-start", "2026-12-08T07:00:00.000Z")
    saved = desk.admin.get(f"/api/workorders/{order['id']}").json()["appointment"]
    assert (saved["start"], saved["mechanic"]) == ("2026-12-08T07:00:00.000Z", "pieter")
