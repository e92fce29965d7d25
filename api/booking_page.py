"""/afspraak: the customer books online, on their phone, without a login; /afspraak/beheer/{token}: the booking's
own page (the link in its confirmation), where the customer sees and cancels it. Server-rendered HTML with a few
lines of script that talk to the booking API (api/booking.py), like the status page: a stranger's visit costs a
page and a few requests, not a socket and an element tree, and the API's throttle covers the page as well."""

import secrets

from anyio import to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from api.deps import DatabaseDep
from api.status_page import NOT_FOUND, private_headers, templates
from services import booking
from services.customer_status import garage_contact

router = APIRouter(prefix="/afspraak", tags=["booking"], include_in_schema=False)


@router.get("", response_class=HTMLResponse)
async def booking_page(request: Request, db: DatabaseDep, kenteken: str = "") -> Response:
    """`?kenteken=` fills in the plate (the link after a cancellation books the same car again)."""
    garage = await to_thread.run_sync(garage_contact, db)
    nonce = secrets.token_urlsafe(16)
    context = {"garage": garage, "plate": kenteken[:20], "nonce": nonce}
    headers = {**private_headers(nonce), "Cache-Control": "no-cache"}
    return templates.TemplateResponse(request, "afspraak.html", context, headers=headers)


@router.get("/beheer/{token}", response_class=HTMLResponse)
async def manage_page(request: Request, token: str, db: DatabaseDep) -> Response:
    found = await to_thread.run_sync(booking.find_booking, db, token)
    if found is None:
        return HTMLResponse(NOT_FOUND, status_code=404, headers=private_headers())
    garage = await to_thread.run_sync(garage_contact, db)
    nonce = secrets.token_urlsafe(16)
    context = {"booking": found, "garage": garage, "nonce": nonce}
    return templates.TemplateResponse(request, "afspraak_beheer.html", context, headers=private_headers(nonce))
