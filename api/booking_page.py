"""/afspraak: the customer books online, on their phone, without a login; /afspraak/{token}: the same from a
reminder's link, the customer and car known; /afspraak/beheer/{token}: the booking's own page (the link in its
confirmation), where the customer sees and cancels it. Server-rendered HTML with a few
lines of script that talk to the booking API (api/booking.py), like the status page: a stranger's visit costs a
page and a few requests, not a socket and an element tree, and the API's throttle covers the page as well."""

import secrets
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from api.deps import DatabaseDep
from api.status_page import NOT_FOUND, private_headers, templates
from services import booking, reminders
from services.customer_status import garage_contact
from services.db import Database

router = APIRouter(prefix="/afspraak", tags=["booking"], include_in_schema=False)


async def _booking(request: Request, db: Database, plate: str, known: dict[str, Any] | None) -> Response:
    garage = await to_thread.run_sync(garage_contact, db)
    nonce = secrets.token_urlsafe(16)
    context = {"garage": garage, "plate": plate, "nonce": nonce, "known": known}
    headers = {**private_headers(nonce), "Cache-Control": "no-cache" if known is None else "no-store"}
    return templates.TemplateResponse(request, "afspraak.html", context, headers=headers)


@router.get("", response_class=HTMLResponse)
async def booking_page(request: Request, db: DatabaseDep, kenteken: str = "") -> Response:
    """`?kenteken=` fills in the plate (the link after a cancellation books the same car again)."""
    return await _booking(request, db, kenteken[:20], None)


@router.get("/beheer/{token}", response_class=HTMLResponse)
async def manage_page(request: Request, token: str, db: DatabaseDep) -> Response:
    found = await to_thread.run_sync(booking.find_booking, db, token)
    if found is None:
        return HTMLResponse(NOT_FOUND, status_code=404, headers=private_headers())
    garage = await to_thread.run_sync(garage_contact, db)
    nonce = secrets.token_urlsafe(16)
    context = {"booking": found, "garage": garage, "nonce": nonce}
    return templates.TemplateResponse(request, "afspraak_beheer.html", context, headers=private_headers(nonce))


@router.get("/{token}", response_class=HTMLResponse)
async def reminder_booking_page(request: Request, token: str, db: DatabaseDep) -> Response:
    """A reminder's link: its customer and car known, the reminder's package picked; a start and "Afspraak maken"."""
    offer = await to_thread.run_sync(reminders.reminder_offer, db, token)
    if offer is None:
        return HTMLResponse(NOT_FOUND, status_code=404, headers=private_headers())
    known = {"token": token, "customerName": offer.customer_name, "plate": offer.license_plate, "car": offer.car,
             "packageIds": offer.package_ids}  # fmt: skip
    return await _booking(request, db, offer.license_plate, known)
