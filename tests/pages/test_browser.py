"""The pages in a real browser: login, live list and board, drag by mouse and by finger, the iPad signature."""

import re

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.conftest import Shop
from tests.pages.conftest import IPAD, log_in, sign_with_a_finger
from tests.pages.drag import mouse_drop

LIVE = 1000  # ms: a change must be on screen within a second


def card(page: Page, order_id: int):  # type: ignore[no-untyped-def]
    return page.locator(f'[data-column] [data-workorder-id="{order_id}"]')


def column_of(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.locator(f'[data-column="{name}"]')


def on_top(shop: Shop, order: dict) -> dict:
    """First card of Gepland, so it is in view however many orders the shared shop has collected."""
    response = shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Gepland", "position": 0})
    return response.json()


def drop_point(target) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Just under the column's header: in view whatever the column holds."""
    box = target.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + 55


def test_login_refuses_a_wrong_password(context: BrowserContext, shop: Shop, staff: dict) -> None:
    page = context.new_page()
    page.goto(f"{shop.server.url}/admin/workoverzicht")
    expect(page).to_have_url(f"{shop.server.url}/login?next=/admin/workoverzicht")
    page.get_by_label("Gebruikersnaam").fill("balie")
    page.get_by_label("Wachtwoord").fill("fout-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("Onjuiste gebruikersnaam of wachtwoord")).to_be_visible()
    assert "/login" in page.url and not [c for c in context.cookies() if c["name"] == "werkplaats_sessie"]
    page.get_by_label("Wachtwoord").fill(staff["balie"])
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(f"{shop.server.url}/admin/workoverzicht")
    assert any(c["name"] == "werkplaats_sessie" and c["httpOnly"] for c in context.cookies())


def test_session_cookie_opens_the_stream_for_the_browser(context: BrowserContext, shop: Shop, staff: dict) -> None:
    page = context.new_page()
    log_in(page, shop.server.url, "jan", staff["jan"], "/admin/workoverzicht")
    order = shop.create(customer="EventSource")
    page.evaluate(
        """(id) => { window.received = [];
            const source = new EventSource('/api/workorders/stream?workOrderId=' + id);
            source.onmessage = (e) => window.received.push(JSON.parse(e.data)); }""",
        order["id"],
    )
    page.wait_for_function("() => window.received.length > 0")  # connected
    shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar"})
    page.wait_for_function("() => window.received.length >= 3", timeout=LIVE)
    received = page.evaluate("() => window.received")
    assert received[0]["type"] == "connected"
    assert [(m["changeType"], m["workOrderId"]) for m in received[1:3]] == [
        ("column", order["id"]),
        ("status", order["id"]),
    ]


def test_drag_in_one_board_appears_in_the_other(browser: Browser, shop: Shop, staff: dict) -> None:
    order = on_top(shop, shop.create(customer="Sleep Mij"))
    one, two = (
        browser.new_context(viewport={"width": 1600, "height": 1000}),
        browser.new_context(viewport={"width": 1600, "height": 1000}),
    )
    try:
        mover, watcher = one.new_page(), two.new_page()
        log_in(mover, shop.server.url, "jan", staff["jan"], "/admin/workoverzicht")
        log_in(watcher, shop.server.url, "balie", staff["balie"], "/admin/workoverzicht")
        expect(card(watcher, order["id"])).to_be_visible()
        mouse_drop(mover, card(mover, order["id"]), drop_point(column_of(mover, "Onder handen")), grip_y=20)
        expect(column_of(watcher, "Onder handen").locator(f'[data-workorder-id="{order["id"]}"]')).to_be_visible(
            timeout=LIVE
        )
        moved = shop.admin.get(f"/api/workorders/{order['id']}").json()
        assert (moved["column"], moved["status"]) == ("Onder handen", "IN_UITVOERING")
    finally:
        one.close()
        two.close()


def test_api_change_appears_on_list_and_board(context: BrowserContext, shop: Shop, staff: dict) -> None:
    order = shop.create(customer="Van Buiten")
    board, listing = context.new_page(), context.new_page()
    log_in(board, shop.server.url, "balie", staff["balie"], "/admin/workoverzicht")
    listing.goto(f"{shop.server.url}/admin/workorders")
    row = listing.locator(f'tr[data-workorder-id="{order["id"]}"]')
    expect(row).to_contain_text("Gepland")
    shop.clients["monteur"].patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar"})
    expect(row).to_contain_text("Klaar", timeout=LIVE)
    expect(row).to_contain_text("GEREED", timeout=LIVE)  # the contract's hook: the status as text, for scripts
    expect(row).not_to_contain_text("GEREED", use_inner_text=True)  # and never shown to a person
    expect(column_of(board, "Klaar").locator(f'[data-workorder-id="{order["id"]}"]')).to_be_visible(timeout=LIVE)

    session = shop.clients["monteur"].post(f"/api/workorders/{order['id']}/sessions", json={"mechanic": "Piet"}).json()
    timer = card(board, order["id"]).locator("[data-timer]")
    expect(timer).to_have_text(re.compile(r"^\d\d:\d\d$"), timeout=LIVE)
    expect(row.locator("[data-timer]")).to_be_visible(timeout=LIVE)
    shop.admin.patch(f"/api/workorders/{order['id']}/sessions/{session['id']}", json={"action": "stop"})
    expect(timer).to_have_count(0, timeout=LIVE)


def test_touch_drag_moves_a_card_on_an_ipad(browser: Browser, shop: Shop, staff: dict) -> None:
    order = on_top(shop, shop.create(customer="Vinger"))
    context = browser.new_context(**IPAD)
    try:
        page = context.new_page()
        log_in(page, shop.server.url, "jan", staff["jan"], "/admin/workoverzicht")
        source, target = card(page, order["id"]), column_of(page, "Auto binnen")
        start = source.bounding_box()
        cdp = context.new_cdp_session(page)
        x, y = start["x"] + start["width"] / 2, start["y"] + 20
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        page.wait_for_timeout(400)  # a long press, as a finger does: SortableJS waits 180 ms on touch
        tx, ty = drop_point(target)
        for step in range(1, 21):
            point = {"x": x + (tx - x) * step / 20, "y": y + (ty - y) * step / 20}
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        expect(column_of(page, "Auto binnen").locator(f'[data-workorder-id="{order["id"]}"]')).to_be_visible()
        moved = httpx.get(
            f"{shop.server.url}/api/workorders/{order['id']}",
            headers={"Authorization": f"Bearer {shop.tokens['admin']}"},
        ).json()
        assert moved["column"] == "Auto binnen"
    finally:
        context.close()


def test_stale_drag_gets_the_conflict_notice(context: BrowserContext, shop: Shop, staff: dict) -> None:
    order = on_top(shop, shop.create(customer="Te Laat"))
    page = context.new_page()
    log_in(page, shop.server.url, "jan", staff["jan"], "/admin/workoverzicht")
    source, target = card(page, order["id"]), column_of(page, "Onder handen")
    start = source.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + 20)
    page.mouse.down()  # the mechanic picks the card up…
    page.mouse.move(start["x"] + start["width"] / 2 + 10, start["y"] + 40, steps=5)
    shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar"})  # …someone else moves it
    page.mouse.move(*drop_point(target), steps=15)
    page.mouse.up()
    expect(page.get_by_text("is intussen door iemand anders verplaatst")).to_be_visible()
    expect(column_of(page, "Klaar").locator(f'[data-workorder-id="{order["id"]}"]')).to_be_visible()
    assert shop.admin.get(f"/api/workorders/{order['id']}").json()["column"] == "Klaar"


def test_ipad_signature_approves_the_order(browser: Browser, shop: Shop, staff: dict) -> None:
    order = shop.create(customer="Mevr. Handtekening", description="Remblokken voor vervangen")
    shop.admin.put("/api/display/current", json={"workOrderId": None})  # the shared iPad starts waiting
    ipad = browser.new_context(**IPAD)
    desk = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        screen = ipad.new_page()
        screen.goto(f"{shop.server.url}/display?token={shop.tokens['display']}")
        expect(screen).to_have_url(f"{shop.server.url}/display")  # paired: the token left the URL
        expect(screen.locator("[data-display-state=waiting]")).to_be_visible()
        board = desk.new_page()
        log_in(board, shop.server.url, "balie", staff["balie"], "/admin/workoverzicht")

        shop.admin.put("/api/display/current", json={"workOrderId": order["id"]})
        expect(screen.locator(f'[data-display-state=order][data-workorder-id="{order["id"]}"]')).to_be_visible(
            timeout=LIVE
        )
        expect(screen.get_by_text("Remblokken voor vervangen")).to_be_visible()

        sign_with_a_finger(ipad, screen)
        screen.get_by_label("Naam").fill("A. de Handtekening")
        screen.get_by_role("button", name="Ondertekenen").click()
        expect(screen.get_by_text("Bedankt, A. de Handtekening!")).to_be_visible()

        expect(column_of(board, "Auto binnen").locator(f'[data-workorder-id="{order["id"]}"]')).to_be_visible(
            timeout=LIVE
        )
        signed = shop.admin.get(f"/api/workorders/{order['id']}").json()
        assert (signed["column"], signed["status"]) == ("Auto binnen", "GOEDGEKEURD") and signed["signedAt"]
        expect(screen.locator("[data-display-state=waiting]")).to_be_visible(timeout=10_000)
    finally:
        ipad.close()
        desk.close()


def test_empty_signature_is_not_sent(browser: Browser, shop: Shop) -> None:
    order = shop.create(customer="Leeg")
    ipad = browser.new_context(**IPAD)
    try:
        screen = ipad.new_page()
        screen.goto(f"{shop.server.url}/display?token={shop.tokens['display']}")
        shop.admin.put("/api/display/current", json={"workOrderId": order["id"]})
        screen.get_by_label("Naam").fill("Iemand")
        screen.get_by_role("button", name="Ondertekenen").click()
        expect(screen.get_by_text("Zet eerst uw handtekening in het vak")).to_be_visible()
        assert shop.admin.get(f"/api/workorders/{order['id']}").json()["signedAt"] is None
    finally:
        ipad.close()


def test_warehouse_follows_orders_waiting_for_parts(context: BrowserContext, shop: Shop, staff: dict) -> None:
    order = shop.create(customer="Onderdeel")
    page = context.new_page()
    log_in(page, shop.server.url, "mila", staff["mila"], "/magazijn")
    row = page.locator(f'[data-workorder-id="{order["id"]}"]')
    expect(row).to_have_count(0)
    shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Wacht op onderdelen"})
    expect(row).to_contain_text(order["number"], timeout=LIVE)
    shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Onder handen"})
    expect(row).to_have_count(0, timeout=LIVE)


def test_a_page_that_lost_its_connection_catches_up(context: BrowserContext, shop: Shop, staff: dict) -> None:
    order = shop.create(customer="Even Weg")
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], "/admin/workoverzicht")
    expect(page.locator("#live-status[data-online=true]")).to_have_count(1)
    context.set_offline(True)
    expect(page.locator("#live-status[data-online=false]")).to_have_count(1, timeout=10_000)  # shown as offline
    shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar"})
    expect(column_of(page, "Gepland").locator(f'[data-workorder-id="{order["id"]}"]')).to_be_visible()  # stale
    context.set_offline(False)
    expect(page.locator("#live-status[data-online=true]")).to_have_count(1, timeout=15_000)
    expect(column_of(page, "Klaar").locator(f'[data-workorder-id="{order["id"]}"]')).to_be_visible(timeout=5_000)
