"""The JSON API and the SSE stream: thin routes that parse, authorize and call a service."""

from fastapi import APIRouter, FastAPI, HTTPException, status

from api import (
    approvals,
    booking,
    booking_page,
    customers,
    diagnostics,
    display,
    events,
    health,
    inspections,
    invoices,
    labour,
    metrics,
    notifications,
    opt_out_page,
    packages,
    parts,
    payments,
    planning,
    reports,
    settings,
    status_page,
    stream,
    vehicles,
    workorders,
)
from api.errors import install_error_handlers
from api.headers import SecurityHeaders
from api.limits import BodySizeLimit
from services.live import OpenStreams


def _unknown_api_path(path: str) -> None:
    """Unknown /api paths answer JSON 404 instead of falling through to the pages."""
    raise HTTPException(status.HTTP_404_NOT_FOUND, f"Onbekend pad /api/{path}")


def install_api(app: FastAPI, streams: OpenStreams) -> None:
    """The routes, on what main built (app.state: api.deps); `streams` are the ones /metrics counts."""
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so the 413s and the pages get them too
    app.include_router(health.router)
    app.include_router(stream.router)  # before /api/workorders/{id}, which would shadow /stream
    app.include_router(workorders.router)
    app.include_router(parts.router)
    app.include_router(labour.router)
    app.include_router(packages.router)
    app.include_router(planning.router)
    app.include_router(inspections.router)
    app.include_router(approvals.router)
    app.include_router(invoices.router)
    app.include_router(payments.router)
    app.include_router(reports.router)
    app.include_router(settings.router)
    app.include_router(notifications.router)
    app.include_router(status_page.router)
    app.include_router(booking.router)
    app.include_router(booking_page.router)
    app.include_router(opt_out_page.router)
    app.include_router(customers.router)
    app.include_router(vehicles.router)
    app.include_router(events.router)
    app.include_router(display.router)
    app.include_router(diagnostics.router)
    app.include_router(metrics.router)
    metrics.count_streams(streams)
    fallback = APIRouter()
    fallback.add_api_route(
        "/api/{path:path}",
        _unknown_api_path,
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
    app.include_router(fallback)
