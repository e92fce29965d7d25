"""Every route authorizes: none or an invalid credential is 401, a credential without the right is 403."""

import httpx
import pytest

from tests.conftest import Shop

ROUTES = [
    ("GET", "/api/workorders", None),
    ("POST", "/api/workorders", {"customerName": "K", "licensePlate": "AB123C", "description": "x"}),
    ("GET", "/api/workorders/1", None),
    ("PATCH", "/api/workorders/1/column", {"column": "Klaar"}),
    ("POST", "/api/workorders/1/sessions", {"mechanic": "Jan"}),
    ("PATCH", "/api/workorders/1/sessions/1", {"action": "stop"}),
    (
        "POST",
        "/api/display/signature",
        {"workOrderId": 1, "signerName": "K", "signature": "data:image/png;base64,"},
    ),
    ("PUT", "/api/display/current", {"workOrderId": 1}),
    ("GET", "/api/display/current", None),
    ("GET", "/api/workorders/stream", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wp_wrong"},
        {"Authorization": "Basic YWRtaW46YWRtaW4="},
        {"Authorization": "Bearer"},
    ],
)
def test_missing_or_invalid_credentials_are_401(
    shop: Shop, method: str, path: str, body: object, headers: dict
) -> None:
    response = httpx.request(method, f"{shop.server.url}{path}", json=body, headers=headers, timeout=10)
    assert response.status_code == 401
    assert "detail" in response.json()


FORBIDDEN = {
    "monteur": ["POST /api/workorders", "POST /api/display/signature", "PUT /api/display/current"],
    "magazijn": [
        "POST /api/workorders", "PATCH /api/workorders/1/column", "POST /api/workorders/1/sessions",
        "PATCH /api/workorders/1/sessions/1", "POST /api/display/signature", "PUT /api/display/current",
    ],
    "display": [
        "GET /api/workorders", "POST /api/workorders", "GET /api/workorders/1", "PATCH /api/workorders/1/column",
        "POST /api/workorders/1/sessions", "PATCH /api/workorders/1/sessions/1", "PUT /api/display/current",
        "GET /api/workorders/stream",
    ],
}  # fmt: skip


@pytest.mark.parametrize("role", list(FORBIDDEN))
def test_roles_without_the_right_get_403(shop: Shop, role: str) -> None:
    for method, path, body in ROUTES:
        with shop.clients[role].stream(method, path, json=body) as response:  # the SSE route never ends
            if response.status_code != 200:
                response.read()
        if f"{method} {path}" in FORBIDDEN[role]:
            assert response.status_code == 403, f"{role} {method} {path}: {response.status_code}"
            assert "detail" in response.json()
        else:
            assert response.status_code != 403, f"{role} {method} {path} was refused"


def test_openapi_is_served(shop: Shop) -> None:
    spec = httpx.get(f"{shop.server.url}/openapi.json").json()
    assert "/api/workorders/{work_order_id}/column" in spec["paths"]
    assert httpx.get(f"{shop.server.url}/docs").status_code == 200
