"""/afmelden/{token}: the one-click opt-out of every reminder e-mail. GET only shows the page with its button (a
mail scanner that opens links changes nothing); POST records it — the button, and a mail client's own "Afmelden"
(RFC 8058 List-Unsubscribe-Post, which posts to the same address)."""

import secrets

from anyio import to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from api.deps import BookingThrottled, DatabaseDep
from api.status_page import NOT_FOUND, private_headers, templates
from services import reminders
from services.customer_status import garage_contact
from services.db import Database

router = APIRouter(prefix="/afmelden", tags=["reminders"], include_in_schema=False)


async def _page(request: Request, db: Database, state: reminders.OptOut, token: str) -> Response:
    garage = await to_thread.run_sync(garage_contact, db)
    nonce = secrets.token_urlsafe(16)
    context = {"garage": garage, "state": state, "token": token, "nonce": nonce}
    headers = private_headers(nonce, posts_form=True)
    return templates.TemplateResponse(request, "afmelden.html", context, headers=headers)


@router.get("/{token}", response_class=HTMLResponse)
async def opt_out_page(request: Request, token: str, db: DatabaseDep) -> Response:
    state = await to_thread.run_sync(reminders.opt_out_state, db, token)
    if state is None:
        return HTMLResponse(NOT_FOUND, status_code=404, headers=private_headers())
    return await _page(request, db, state, token)


@router.post("/{token}", response_class=HTMLResponse)
async def opt_out(request: Request, token: str, db: DatabaseDep, _throttled: BookingThrottled) -> Response:
    """Recorded once, with its moment; pressing again changes nothing. 404 for an unknown token."""
    state = await to_thread.run_sync(reminders.opt_out, db, token)
    return await _page(request, db, state, token)
