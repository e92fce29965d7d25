"""Security headers on every response: API answers and refusals, the pages (the signature page above all: it must
never be framed) and the stream, which keeps its own headers and still arrives at once."""

import time

import httpx
import pytest

from tests.conftest import Shop

SECURITY = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
}


def assert_secured(response: httpx.Response) -> None:
    assert {name: response.headers.get(name) for name in SECURITY} == SECURITY, response.url
    assert len(response.headers.get_list("content-security-policy")) == 1


@pytest.mark.parametrize(
    ("method", "path", "role", "status"),
    [
        ("GET", "/healthz", None, 200),
        ("GET", "/api/workorders", "admin", 200),
        ("GET", "/api/workorders", None, 401),
        ("POST", "/api/workorders", "magazijn", 403),
        ("GET", "/api/workorders/999999", "admin", 404),
        ("GET", "/api/nergens", "admin", 404),
        ("PATCH", "/api/workorders/abc/column", "admin", 422),
        ("GET", "/openapi.json", None, 200),
        ("GET", "/metrics", "admin", 200),
    ],
)
def test_api_answers_and_refusals(shop: Shop, method: str, path: str, role: str | None, status: int) -> None:
    body: dict[str, object] | None = {} if method != "GET" else None
    if role is None:
        response = httpx.request(method, f"{shop.server.url}{path}", json=body)
    else:
        response = shop.clients[role].request(method, path, json=body)
    assert response.status_code == status
    assert_secured(response)


def test_a_body_refused_for_its_size(shop: Shop) -> None:
    response = shop.admin.post("/api/workorders", content=b"x" * (65 * 1024), headers={"Content-Type": "text/plain"})
    assert response.status_code == 413
    assert_secured(response)


def test_pages_login_and_the_signature_page(shop: Shop) -> None:
    with httpx.Client(base_url=shop.server.url) as browser:
        login = browser.get("/login")
        assert login.status_code == 200 and "text/html" in login.headers["content-type"]
        assert_secured(login)
        redirect = browser.get("/admin/workorders")
        assert redirect.status_code == 303
        assert_secured(redirect)
        pairing = browser.get(f"/display?token={shop.tokens['display']}")
        assert pairing.status_code == 303
        assert_secured(pairing)
        signature_page = browser.get("/display")
        assert signature_page.status_code == 200 and "text/html" in signature_page.headers["content-type"]
        assert_secured(signature_page)


def test_the_stream_keeps_its_headers_and_is_not_held_back(shop: Shop) -> None:
    opened = time.monotonic()
    with shop.stream() as stream:
        connected = stream.next(timeout=2)  # the first message comes at once: nothing buffers the body
        assert time.monotonic() - opened < 2 and connected.json["type"] == "connected"
        assert stream.response is not None
        headers = stream.response.headers
        assert headers["content-type"].startswith("text/event-stream")
        assert headers["cache-control"] == "no-cache" and headers["x-accel-buffering"] == "no"
        assert "content-length" not in headers
        assert_secured(stream.response)
        order = shop.create()
        assert stream.next(timeout=2).json["workOrderId"] == order["id"]
    head = shop.admin.head("/api/workorders/stream")
    assert head.status_code == 200
    assert_secured(head)
