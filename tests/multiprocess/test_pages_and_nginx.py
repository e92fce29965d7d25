"""Pages across processes, and the documented nginx configuration in front of two processes."""

import re
import secrets
import statistics
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.pages.conftest import log_in
from tests.server import ROOT, Server, free_port, seed_account, wait_until
from tests.sse import SSEClient

NGINX = Path("/usr/sbin/nginx")


@pytest.fixture(scope="module")
def monteur(cluster: list[Server], pg_url: str) -> tuple[str, str]:
    password = secrets.token_urlsafe(12)
    seed_account(pg_url, "pg-jan", "monteur", password)
    return "pg-jan", password


def _create(server: Server, token: str, customer: str) -> dict:
    with server.client(token) as client:
        response = client.post(
            "/api/workorders", json={"customerName": customer, "licensePlate": "NG123X", "description": "x"}
        )
        assert response.status_code == 201
        return response.json()


def test_a_page_on_a_updates_for_a_change_on_b(
    browser: Browser, cluster: list[Server], pg_token: str, monteur: tuple[str, str]
) -> None:
    order = _create(cluster[0], pg_token, "Over Processen")
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        page = context.new_page()
        log_in(page, cluster[0].url, *monteur, "/admin/workoverzicht")
        expect(page.locator(f'[data-column="Gepland"] [data-workorder-id="{order["id"]}"]')).to_be_visible()
        with cluster[1].client(pg_token) as client:
            client.patch(f"/api/workorders/{order['id']}/column", json={"column": "Onder handen"})
        expect(page.locator(f'[data-column="Onder handen"] [data-workorder-id="{order["id"]}"]')).to_be_visible(
            timeout=1000
        )
    finally:
        context.close()


@pytest.fixture(scope="module")
def nginx(cluster: list[Server], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """nginx on loopback with deploy/nginx.conf, pointed at processes A and B."""
    if not NGINX.exists():  # a missing part fails, never skips: make test installs it (scripts/)
        pytest.fail("nginx is required: apt-get install nginx (make test does it as root)")
    prefix = tmp_path_factory.mktemp("nginx")
    port = free_port()
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    upstreams = "".join(f"        server 127.0.0.1:{server.port};\n" for server in cluster[:2])
    config = re.sub(r"(        server 127\.0\.0\.1:\d+;\n)+", upstreams, config)
    config = config.replace("listen 80;", f"listen 127.0.0.1:{port};")
    config = config.replace("pid /run/werkplaats-nginx.pid;", f"pid {prefix}/nginx.pid;")
    config = config.replace(
        "error_log /var/log/nginx/werkplaats-error.log warn;", f"error_log {prefix}/error.log warn;"
    )
    (prefix / "nginx.conf").write_text(config)
    process = subprocess.Popen(
        [str(NGINX), "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(up, 15, f"nginx on {url} ({prefix / 'error.log'})")
    yield url
    process.terminate()
    process.wait(10)


def test_stream_through_nginx_delivers_each_event_at_once(nginx: str, cluster: list[Server], pg_token: str) -> None:
    order = _create(cluster[2], pg_token, "Door Nginx")
    latencies = []
    with SSEClient(nginx, pg_token, f"/api/workorders/stream?workOrderId={order['id']}&changeType=column") as stream:
        stream.next()
        with httpx.Client(base_url=nginx, headers={"Authorization": f"Bearer {pg_token}"}) as client:
            for index in range(10):
                started = time.monotonic()
                client.patch(f"/api/workorders/{order['id']}/column", json={"column": ["Klaar", "Gepland"][index % 2]})
                stream.next(timeout=2)
                latencies.append(time.monotonic() - started)
    assert statistics.median(latencies) < 0.1, f"through nginx: {latencies}"


def test_board_page_through_nginx(
    browser: Browser, nginx: str, cluster: list[Server], pg_token: str, monteur: tuple[str, str]
) -> None:
    order = _create(cluster[2], pg_token, "Bord Via Nginx")
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        page = context.new_page()
        log_in(page, nginx, *monteur, "/admin/workoverzicht")
        card = f'[data-workorder-id="{order["id"]}"]'
        expect(page.locator(f'[data-column="Gepland"] {card}')).to_be_visible()
        with cluster[2].client(pg_token) as client:
            client.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar"})
        expect(page.locator(f'[data-column="Klaar"] {card}')).to_be_visible(timeout=1000)
        expect(page.locator("#live-status[data-online=true]")).to_have_count(1)
    finally:
        context.close()
