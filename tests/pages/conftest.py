"""Real browser fixtures: Debian's Chromium driven by Playwright, staff accounts made with the CLI."""

import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.conftest import Shop, shared_shop
from tests.server import seed_account

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]  # fmt: skip
IPAD: dict[str, Any] = {
    "viewport": {"width": 1024, "height": 1366},
    "has_touch": True,
    "is_mobile": True,
    "device_scale_factor": 2,
}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
    "device_scale_factor": 2,
    "locale": "nl-NL",
}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")  # not session: Playwright's loop must be gone before the simulated-user tests
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():  # a missing part fails, never skips: make test installs it (scripts/)
        pytest.fail("Chromium is required: apt-get install chromium (make test does it as root)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """The pages' own shared server. The API tests leave hundreds of open orders on theirs, and a board of hundreds
    of cards is slower than these tests' one-second live waits (making it fast is issue 24's work, not theirs)."""
    yield from shared_shop(tmp_path_factory, "pages-shop")


@pytest.fixture(scope="session")
def staff(shop: Shop) -> dict[str, str]:
    """name -> password of one account per staff role on the shared server."""
    accounts = {"balie": "admin", "jan": "monteur", "mila": "magazijn"}
    passwords = {}
    for name, role in accounts.items():
        password = secrets.token_urlsafe(12)
        seed_account(shop.server.database_url, name, role, password)
        passwords[name] = password
    return passwords


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """The customer's phone."""
    context = browser.new_context(**PHONE)
    yield context
    context.close()


@pytest.fixture
def office(browser: Browser) -> Iterator[BrowserContext]:
    """The desk's wide screen, where the planning page shows a week."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="nl-NL")
    yield context
    context.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL")
    yield context
    context.close()


def log_in(page: Page, base_url: str, name: str, password: str, path: str) -> None:
    page.goto(f"{base_url}{path}")
    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile("^" + re.escape(base_url + path) + "$"))


def sign_with_a_finger(context: BrowserContext, page: Page) -> None:
    """A zigzag across the page's signature canvas, drawn with touch events as a finger on an iPad draws it."""
    box = page.locator("canvas").bounding_box()
    assert box is not None
    cdp = context.new_cdp_session(page)
    points = [(0.2 + 0.6 * i / 30, 0.5 + 0.25 * ((-1) ** i) * (i % 5) / 5) for i in range(31)]
    touches = [{"x": box["x"] + box["width"] * px, "y": box["y"] + box["height"] * py} for px, py in points]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [touches[0]]})
    for point in touches[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()
