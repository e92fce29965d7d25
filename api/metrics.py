"""GET /metrics for Prometheus (admin only): this process's streams, pages, events, deliveries and RDW lookups."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from nicegui import Client
from prometheus_client.exposition import choose_encoder

from api.deps import Admin
from services import metrics
from services.live import OpenStreams

router = APIRouter(tags=["operations"])

# Read when scraped, not kept up to date on every change: both live outside services (api, nicegui).
metrics.page_clients.set_function(lambda: len(Client.instances))


def count_streams(streams: OpenStreams) -> None:
    """The app's open streams are what sse_streams reports (install_api, once per app)."""
    metrics.sse_streams.set_function(lambda: len(streams))


@router.get(
    "/metrics",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}, "application/openmetrics-text": {}}}},
)
async def prometheus_metrics(request: Request, _: Admin) -> Response:  # async: reads counters, no I/O
    """The Prometheus text format; OpenMetrics when the scraper asks for it (the library's own negotiation)."""
    encode, content_type = choose_encoder(request.headers.get("accept", ""))
    return Response(encode(metrics.registry), media_type=content_type)
