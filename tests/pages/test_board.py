"""The workshop board in Chromium: a drop anywhere in a column lands there (mouse and finger), a tablet's touch
targets and columns, the desk's step Afgerond (a mechanic refused, the desk asked before closing without an
invoice), and timers that say what they do."""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.conftest import Shop
from tests.pages.conftest import log_in
from tests.pages.drag import grip, mouse_drop
from tests.pages.test_browser import LIVE, card, column_of, on_top

TABLET: dict[str, Any] = {
    "viewport": {"width": 1024, "height": 768},
    "has_touch": True,
    "is_mobile": True,
    "locale": "nl-NL",
}


@pytest.fixture
def tablet(browser: Browser) -> Iterator[BrowserContext]:
    """A mechanic's 1024×768 touch tablet."""
    context = browser.new_context(**TABLET)
    yield context
    context.close()


def empty(shop: Shop, column: str) -> None:
    """Every card of the column to the end of Gepland: the shared shop's board holds other tests' orders."""
    for order in shop.admin.get("/api/workorders").json():
        if order["column"] == column:
            shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Gepland"})


def into(shop: Shop, order: dict, column: str) -> dict:
    response = shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": column})
    assert response.status_code == 200, response.text
    return response.json()


def below(locator: Locator, by: float) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] + by


def inside(page: Page, column: str, depth: float = 120) -> tuple[float, float]:
    """A point in the column's own space, below its header (whatever cards it holds)."""
    box = column_of(page, column).bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + depth


def finger_drop(context: BrowserContext, page: Page, source: Locator, to: tuple[float, float]) -> None:
    """A long press (SortableJS waits 180 ms on touch), then the finger moves and lets go."""
    finger_drag(context, page, grip(source), to)


def finger_drag(context: BrowserContext, page: Page, start: tuple[float, float], to: tuple[float, float]) -> None:
    """finger_drop from any point (the planning page's blocks are held by their first line)."""
    x, y = start
    cdp = context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    page.wait_for_timeout(400)  # the long press itself: a duration, not a wait for something
    for step in range(1, 21):
        point = {"x": x + (to[0] - x) * step / 20, "y": y + (to[1] - y) * step / 20}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def swipe(context: BrowserContext, page: Page, start: tuple[float, float], dx: float) -> None:
    """One quick sideways swipe of a finger: it moves at once, so no long press starts a drag."""
    cdp = context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start[0], "y": start[1]}]})
    for step in range(1, 11):
        point = {"x": start[0] + dx * step / 10, "y": start[1]}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def heading(page: Page, column: str) -> Locator:
    return column_of(page, column).get_by_text(column, exact=True)


def in_column(page: Page, column: str, order: dict) -> Locator:
    return column_of(page, column).locator(f'[data-workorder-id="{order["id"]}"]')


def moved_by_server(page: Page, order: dict, column: str) -> None:
    """In the column with the version the server's move gave it: SortableJS alone already shows it there."""
    expect(in_column(page, column, order)).to_have_attribute("data-version", str(order["version"] + 1), timeout=LIVE)


def where(shop: Shop, order: dict) -> tuple[str, int]:
    now = shop.admin.get(f"/api/workorders/{order['id']}").json()
    return now["column"], now["position"]


def drops_into_empty_space(shop: Shop, page: Page, drop, below_last: str, empty_column: str) -> None:  # type: ignore[no-untyped-def]
    """One card below the last card of a column, another into an empty column: both land at the column's end."""
    for column in (below_last, empty_column):
        empty(shop, column)
    last = into(shop, shop.create(customer="Laatste Kaart"), below_last)
    first, second = on_top(shop, shop.create(customer="Eerste Sleep")), shop.create(customer="Tweede Sleep")
    expect(card(page, first["id"])).to_be_visible()
    drop(card(page, first["id"]), below(card(page, last["id"]), 40))
    moved_by_server(page, first, below_last)
    assert where(shop, first) == (below_last, 1)

    second = on_top(shop, second)
    expect(column_of(page, "Gepland").locator("[data-workorder-id]").first).to_have_attribute(
        "data-workorder-id", str(second["id"])
    )
    drop(card(page, second["id"]), inside(page, empty_column, 300))  # well below the header
    moved_by_server(page, second, empty_column)
    assert where(shop, second) == (empty_column, 0)


def test_a_drop_below_the_last_card_or_into_an_empty_column_lands_there_by_mouse(
    context: BrowserContext, shop: Shop, staff: dict
) -> None:
    page = context.new_page()
    log_in(page, shop.server.url, "jan", staff["jan"], "/admin/workoverzicht")
    drops_into_empty_space(shop, page, lambda source, to: mouse_drop(page, source, to), "Wacht op onderdelen", "Klaar")


def test_a_drop_below_the_last_card_or_into_an_empty_column_lands_there_by_finger(
    tablet: BrowserContext, shop: Shop, staff: dict
) -> None:
    page = tablet.new_page()
    log_in(page, shop.server.url, "jan", staff["jan"], "/admin/workoverzicht")
    drops_into_empty_space(
        shop, page, lambda source, to: finger_drop(tablet, page, source, to), "Auto binnen", "Onder handen"
    )


# Every button and link on the board and its column switcher: its size, and its words (a Quasar icon is text too,
# so the label is the button's own `.block` span).
TARGETS_JS = """() => [...document.querySelectorAll(
    '[data-board] a, [data-board] button, [data-column-switcher] button, header a, header button')]
  .filter((el) => el.offsetParent !== null)
  .map((el) => { const box = el.getBoundingClientRect();
    const words = el.tagName === 'A' ? el.textContent : (el.querySelector('.block') || {}).textContent || '';
    return {words: words.trim(), width: box.width, height: box.height}; })"""


def test_every_touch_target_on_the_tablet_board_is_44_px_and_says_what_it_does(
    tablet: BrowserContext, shop: Shop, staff: dict
) -> None:
    running = into(shop, shop.create(customer="Tablet Klok"), "Onder handen")
    shop.clients["monteur"].post(f"/api/workorders/{running['id']}/sessions", json={"mechanic": "jan"})
    into(shop, shop.create(customer="Tablet Start"), "Auto binnen")
    page = tablet.new_page()
    log_in(page, shop.server.url, "jan", staff["jan"], "/admin/workoverzicht")
    expect(card(page, running["id"]).get_by_role("button", name="Stop")).to_be_visible()
    targets = page.evaluate(TARGETS_JS)
    words = {target["words"] for target in targets}
    assert {"Start", "Stop", "Onderdeel", "Gepland", "Klaar", "Afgerond", running["number"]} <= words
    too_small = [target for target in targets if target["width"] < 44 or target["height"] < 44]
    assert not too_small, too_small
    assert all(target["words"] for target in targets), [target for target in targets if not target["words"]]


def test_column_headers_stay_in_view_and_every_column_is_one_swipe_away(
    tablet: BrowserContext, shop: Shop, staff: dict
) -> None:
    for n in range(8):  # more cards than the tablet shows at once
        shop.create(customer=f"Lange Kolom {n}")
    page = tablet.new_page()
    log_in(page, shop.server.url, "jan", staff["jan"], "/admin/workoverzicht")
    board = page.locator("[data-board]")
    header, afgerond, klaar = (heading(page, name) for name in ("Gepland", "Afgerond", "Klaar"))
    expect(header).to_be_in_viewport()
    expect(afgerond).not_to_be_in_viewport()  # 1024 px: Klaar and Afgerond start off-screen

    board.hover()
    page.mouse.wheel(0, 800)
    page.wait_for_function("() => document.querySelector('[data-board]').scrollTop > 300")
    board_box, header_box = board.bounding_box(), header.bounding_box()
    assert board_box is not None and header_box is not None
    assert board_box["y"] <= header_box["y"] <= board_box["y"] + 20  # still at the top of the board
    assert page.evaluate("() => document.documentElement.scrollHeight <= window.innerHeight")  # one scroller

    swipe(tablet, page, (board_box["x"] + board_box["width"] - 40, board_box["y"] + 200), -700)
    expect(afgerond).to_be_in_viewport(ratio=1)
    expect(klaar).to_be_in_viewport(ratio=1)

    page.get_by_role("button", name="Gepland").tap()  # and back with the column switcher
    expect(header).to_be_in_viewport(ratio=1)
    expect(afgerond).not_to_be_in_viewport()
    page.get_by_role("button", name="Afgerond").tap()
    expect(afgerond).to_be_in_viewport(ratio=1)


def test_a_mechanic_is_refused_at_afgerond_and_the_card_goes_back(
    context: BrowserContext, shop: Shop, staff: dict
) -> None:
    order = on_top(shop, shop.create(customer="Niet Afronden"))
    page = context.new_page()
    log_in(page, shop.server.url, "jan", staff["jan"], "/admin/workoverzicht")
    mouse_drop(page, card(page, order["id"]), inside(page, "Afgerond"))
    expect(page.get_by_text("Alleen de balie kan een werkorder afronden")).to_be_visible()
    expect(in_column(page, "Gepland", order)).to_be_visible()
    expect(in_column(page, "Afgerond", order)).to_have_count(0)
    assert where(shop, order) == ("Gepland", 0)
    assert [entry["changeType"] for entry in shop.admin.get(f"/api/workorders/{order['id']}/events").json()] == [
        "created",
        "column",  # on_top's move, nothing after it
    ]


def test_the_desk_is_asked_before_closing_without_an_invoice(context: BrowserContext, shop: Shop, staff: dict) -> None:
    order = on_top(shop, shop.create(customer="Zonder Factuur"))
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], "/admin/workoverzicht")
    mouse_drop(page, card(page, order["id"]), inside(page, "Afgerond"))
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Afronden zonder factuur?")
    expect(dialog).to_contain_text(order["number"])
    dialog.get_by_role("button", name="Annuleren").click()
    expect(in_column(page, "Gepland", order)).to_be_visible()
    expect(dialog).to_be_hidden()
    assert where(shop, order) == ("Gepland", 0)
    # put back on top by the server's answer (not only by SortableJS) before the hand takes it again
    expect(column_of(page, "Gepland").locator("[data-workorder-id]").first).to_have_attribute(
        "data-workorder-id", str(order["id"]), timeout=LIVE
    )

    mouse_drop(page, card(page, order["id"]), inside(page, "Afgerond"))
    dialog.get_by_role("button", name="Afronden zonder factuur").click()
    moved_by_server(page, order, "Afgerond")
    assert where(shop, order)[0] == "Afgerond"
    closed = [e for e in shop.admin.get(f"/api/workorders/{order['id']}/events").json() if e["changeType"] == "column"]
    assert (closed[-1]["summary"], closed[-1]["withoutInvoice"]) == (
        "balie verplaatste de auto naar Afgerond, zonder factuur",
        True,
    )


def test_timers_say_what_they_do(context: BrowserContext, shop: Shop, staff: dict) -> None:
    planned, elsewhere = on_top(shop, shop.create(customer="Nog Gepland")), shop.create(customer="Andere Klus")
    here = into(shop, shop.create(customer="Hier Beginnen"), "Onder handen")
    done = into(shop, shop.create(customer="Al Afgerond"), "Afgerond")
    shop.clients["monteur"].post(f"/api/workorders/{elsewhere['id']}/sessions", json={"mechanic": "jan"})
    empty(shop, "Klaar")
    page = context.new_page()
    log_in(page, shop.server.url, "jan", staff["jan"], "/admin/workoverzicht")
    expect(card(page, here["id"]).get_by_role("button", name="Start")).to_be_visible()
    for idle in (planned, done):  # no work happens in Gepland or Afgerond
        expect(card(page, idle["id"]).get_by_role("button", name="Onderdeel")).to_be_visible()
        expect(card(page, idle["id"]).get_by_role("button", name="Start")).to_have_count(0)
    expect(card(page, elsewhere["id"]).get_by_role("button", name="Stop")).to_be_visible()  # Stop wherever it runs

    card(page, here["id"]).get_by_role("button", name="Start").click()
    expect(page.get_by_text(f"jan stopt met {elsewhere['number']}")).to_be_visible()
    expect(card(page, here["id"]).get_by_role("button", name="Stop")).to_be_visible(timeout=LIVE)
    expect(card(page, elsewhere["id"]).get_by_role("button", name="Stop")).to_have_count(0)
    assert shop.admin.get(f"/api/workorders/{elsewhere['id']}").json()["activeSessions"] == []

    mouse_drop(page, card(page, here["id"]), inside(page, "Klaar"))
    expect(page.get_by_text(f"{here['number']} is klaar: de klok van jan is gestopt")).to_be_visible()
    expect(in_column(page, "Klaar", here).locator("[data-timer]")).to_have_count(0)
    expect(in_column(page, "Klaar", here).get_by_role("button", name="Start")).to_have_count(0)
    assert shop.admin.get(f"/api/workorders/{here['id']}").json()["activeSessions"] == []
