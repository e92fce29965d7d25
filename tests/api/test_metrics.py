"""GET /metrics: admins only, Prometheus text format, and the numbers move with what the process does."""

from datetime import date
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import Shop
from tests.rdw_server import FakeRdw
from tests.server import Server, wait_until

NAMES = {
    "werkplaats_sse_streams": "gauge",
    "werkplaats_page_clients": "gauge",
    "werkplaats_events": "counter",
    "werkplaats_event_delivery_seconds": "histogram",
    "werkplaats_notifications_pending": "gauge",
    "werkplaats_rdw_requests": "counter",
}


def scrape(shop: Shop) -> dict[str, float]:
    return scrape_with(shop.admin)


def scrape_with(admin: httpx.Client) -> dict[str, float]:
    """Every sample by name and labels, e.g. `werkplaats_rdw_requests_total{outcome="ok"}`."""
    response = admin.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        sample.name + "".join(f'{{{k}="{v}"}}' for k, v in sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def test_only_admins_read_the_metrics(shop: Shop) -> None:
    assert httpx.get(f"{shop.server.url}/metrics").status_code == 401
    assert httpx.get(f"{shop.server.url}/metrics", headers={"Authorization": "Bearer wp_wrong"}).status_code == 401
    for role in ("monteur", "magazijn", "display"):
        assert shop.clients[role].get("/metrics").status_code == 403, role


def test_every_metric_is_there_with_its_type(shop: Shop) -> None:
    text = shop.admin.get("/metrics").text
    families = {family.name: family.type for family in text_string_to_metric_families(text)}
    assert {name: families.get(name) for name in NAMES} == NAMES
    samples = scrape(shop)
    assert samples["werkplaats_notifications_pending"] == 0
    assert {f'werkplaats_rdw_requests_total{{outcome="{o}"}}' for o in ("ok", "unknown", "unreachable")} <= set(samples)
    assert 'werkplaats_event_delivery_seconds_bucket{le="0.001"}' in samples
    assert 'werkplaats_event_delivery_seconds_bucket{le="5.0"}' in samples


def test_events_total_grows_with_a_change(shop: Shop) -> None:
    before = scrape(shop)["werkplaats_events_total"]
    shop.create()
    assert scrape(shop)["werkplaats_events_total"] >= before + 1  # published before the request answers


def test_an_open_stream_is_counted_and_its_deliveries_timed(shop: Shop) -> None:
    def sample(name: str) -> float:
        return scrape(shop)[name]

    delivered = sample("werkplaats_event_delivery_seconds_count")
    with shop.stream() as stream:
        stream.next()  # connected
        wait_until(lambda: sample("werkplaats_sse_streams") >= 1, 5, "the stream to be counted")
        streams_open = sample("werkplaats_sse_streams")
        order = shop.create()
        assert stream.next().json["workOrderId"] == order["id"]
        wait_until(lambda: sample("werkplaats_event_delivery_seconds_count") > delivered, 5, "a timed delivery")
    wait_until(lambda: sample("werkplaats_sse_streams") < streams_open, 5, "the stream to close")
    samples = scrape(shop)
    assert samples["werkplaats_event_delivery_seconds_sum"] > 0
    count, bucketed = "werkplaats_event_delivery_seconds_count", 'werkplaats_event_delivery_seconds_bucket{le="+Inf"}'
    assert samples[bucketed] == samples[count]


def test_rdw_lookups_are_counted_by_outcome(tmp_path: Path) -> None:
    with FakeRdw() as rdw:
        rdw.add("MT001X", "SEAT", "IBIZA", "GRIJS", date(2018, 1, 1), None, ["Diesel"])
        rdw.answer("MT003X", "500")
        server = Server(f"sqlite:///{tmp_path / 'rdw.db'}", env={"RDW_BASE_URL": rdw.url, "RDW_RETRY_SECONDS": "600"})
        token = server.token("admin")
        server.start()
        try:
            with server.client(token) as admin:
                for plate in ("MT001X", "MT002X", "MT003X"):  # registered, unknown to the RDW, RDW failing
                    assert admin.get(f"/api/vehicles/{plate}").status_code == 200
                samples = scrape_with(admin)
        finally:
            server.stop()
    counts = {o: samples[f'werkplaats_rdw_requests_total{{outcome="{o}"}}'] for o in ("ok", "unknown", "unreachable")}
    assert counts == {"ok": 1, "unknown": 1, "unreachable": 1}
