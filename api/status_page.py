"""/status/{token}: the customer's own page, without a login: server-rendered HTML (a phone's first paint needs
no script and no download) and its own small stream, /status/{token}/stream, that carries only CustomerStatus
messages of that one order. Not NiceGUI: a thousand customers watching must cost a stream each, not a socket and
an element tree each. An unknown token is a plain 404, for the page and the stream alike."""

import secrets
from collections.abc import Awaitable
from pathlib import Path

from anyio import CancelScope, to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sse_starlette import ServerSentEvent
from starlette.types import Receive, Scope, Send

from api.deps import DatabaseDep, DatabaseIdPath, MollieDep, SettingsDep, StreamsDep
from api.sse import FeedResponse
from models import EventKind
from models.inspection_public import InspectionAnswer
from models.public import ApprovalPublic
from services.broadcaster import LogBatch, LogEvent
from services.customer_status import (
    customer_invoice_pdf,
    encode_status,
    find_status,
    garage_contact,
    read_status_message,
    status_message,
)
from services.db import Database
from services.errors import Invalid, ServiceError, TooLarge
from services.inspections import keuring, presence
from services.invoicing import payments
from services.live import Feed, OpenStreams

router = APIRouter(prefix="/status", tags=["status"], include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
STEPS = {"gepland": "Gepland", "binnen": "Binnen", "in-uitvoering": "Bezig", "wacht-op-onderdelen": "Onderdelen",
         "klaar": "Klaar", "afgerond": "Afgerond"}  # fmt: skip
NOT_FOUND = "<!doctype html><meta charset=utf-8><title>Niet gevonden</title><p>Deze pagina bestaat niet."


def private_headers(nonce: str | None = None, *, posts_form: bool = False) -> dict[str, str]:
    """The token is in the address: never cached, never sent on as a referrer, never indexed; the page runs
    only its own inline script and style, and talks only to this server (`posts_form`: a form of its own too)."""
    headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
    if nonce is not None:
        form_action = "'self'" if posts_form else "'none'"
        headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; "
            f"img-src 'self'; base-uri 'none'; form-action {form_action}; frame-ancestors 'none'"
        )
    return headers


def _not_found() -> HTMLResponse:
    return HTMLResponse(NOT_FOUND, status_code=404, headers=private_headers())


@router.get("/{token}", response_class=HTMLResponse)
async def status_page(request: Request, token: str, db: DatabaseDep, settings: SettingsDep) -> Response:
    found = await to_thread.run_sync(find_status, db, token)
    if found is None:
        return _not_found()
    _, status = found
    garage = await to_thread.run_sync(garage_contact, db)
    nonce = secrets.token_urlsafe(16)
    context = {
        "status": status, "garage": garage, "steps": STEPS, "at": list(STEPS).index(status.stage), "nonce": nonce,
        "pays_online": settings.pays_online, "pay_url": f"/status/{token}/betalen",
    }  # fmt: skip
    return templates.TemplateResponse(request, "status.html", context, headers=private_headers(nonce))


class StatusFeed(FeedResponse):
    """The stream of one order's status: the whole status on connecting, then a new one whenever an event of
    the order changed what the page shows (a mechanic starting work changes nothing there: nothing is sent)."""

    def __init__(
        self, db: Database, streams: OpenStreams, work_order_id: int, token: str, retry_ms: int, process: str
    ) -> None:
        super().__init__(
            db,
            streams,
            None,
            self.changed,
            retry_ms,
            headers=private_headers(),
            who="klant",
            filter=f"status van werkorder {work_order_id}",
        )
        self.work_order_id = work_order_id
        self.token = token
        self.process = process
        self.shown = b""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """While it streams the page counts as open: the desk sees "klant kijkt mee" (services.inspections.presence)."""
        if scope["type"] != "http" or scope["method"] == "HEAD":
            await super().__call__(scope, receive, send)
            return
        viewer = await to_thread.run_sync(presence.page_opened, self.db, self.work_order_id, self.process)
        try:
            await super().__call__(scope, receive, send)
        finally:
            with CancelScope(shield=True):  # a cancelled stream still closes its page
                await to_thread.run_sync(presence.page_closed, self.db, viewer)

    async def opening(self, feed: Feed) -> bytes:
        found = await to_thread.run_sync(find_status, self.db, self.token)
        assert found is not None  # work orders are never deleted
        status = found[1]
        self.shown = encode_status(status)
        return ServerSentEvent(status.model_dump_json(by_alias=True), retry=self.retry_ms).encode()

    def changed(self, batch: LogBatch) -> bytes | Awaitable[bytes]:
        """The order as the commit's last event of it left it, if the page would show something else now."""
        mine = [
            e for e in batch.events if e.work_order_id == self.work_order_id and e.kind == EventKind.WORKORDER_UPDATE
        ]
        if not mine:
            return b""
        if (message := status_message(mine[-1])) is None:  # the inspection's items: from the complete order
            return self._read_changed(mine[-1])
        return self._if_new(message)

    async def _read_changed(self, event: LogEvent) -> bytes:
        return self._if_new(await read_status_message(self.db, event))

    def _if_new(self, message: bytes) -> bytes:
        if message == self.shown:
            return b""
        self.shown = message
        return message


@router.get("/{token}/stream")
async def status_stream(token: str, settings: SettingsDep, db: DatabaseDep, streams: StreamsDep) -> Response:
    found = await to_thread.run_sync(find_status, db, token)
    if found is None:
        return _not_found()
    return StatusFeed(db, streams, found[0], token, settings.sse_retry_ms, presence.process_name(settings.port))


@router.get("/{token}/factuur.pdf")
async def customer_invoice(token: str, db: DatabaseDep) -> Response:
    """The current invoice's PDF, for the customer whose token it is; a plain 404 otherwise."""
    found = await to_thread.run_sync(customer_invoice_pdf, db, token)
    if found is None:
        return _not_found()
    number, pdf = found
    headers = {**private_headers(), "Content-Disposition": f'inline; filename="factuur-{number}.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


PAY_LATER = (
    "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width, initial-scale=1'>"
    "<title>Betalen</title><p>Betalen lukt nu even niet. Probeer het over een paar minuten opnieuw."
)


@router.get("/{token}/betalen")
async def pay(token: str, db: DatabaseDep, mollie: MollieDep, settings: SettingsDep) -> Response:
    """ "Betalen" (and the e-mail's link): on to Mollie's checkout of what is still open; back to the status page
    when nothing is (paid meanwhile, or no online payments); a plain 404 for an unknown token."""
    if await to_thread.run_sync(find_status, db, token) is None:
        return _not_found()
    try:
        checkout = await to_thread.run_sync(payments.checkout_for_customer, db, mollie, token, settings.public_url)
    except ServiceError:  # Mollie unreachable, or the invoice was settled a moment ago
        return HTMLResponse(PAY_LATER, status_code=503, headers=private_headers())
    return RedirectResponse(checkout or f"/status/{token}", status_code=303, headers=private_headers())


ANSWER_LIMIT = 4 * 1024 * 1024  # a 1 MiB signature PNG as base64, and the decisions


async def _capped_body(request: Request, limit: int) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge(f"Verzoek is groter dan {limit // (1024 * 1024)} MiB")
    return bytes(body)


@router.post("/{token}/inspection", status_code=201)
async def answer_inspection(request: Request, token: str, db: DatabaseDep) -> ApprovalPublic:
    """The customer's decisions per recommendation, signed: one online approval, the approved work on the order
    and the declined work on the vehicle, in one transaction; 409 when already answered, 422 a decision for an
    item without a recommendation, 413 a signature over 1 MiB."""
    raw = await _capped_body(request, ANSWER_LIMIT)
    try:
        body = InspectionAnswer.model_validate_json(raw)
    except ValidationError as error:
        raise Invalid(f"Ongeldig antwoord: {error.errors()[0]['msg']}") from None
    return await to_thread.run_sync(keuring.answer_inspection, db, token, body)


@router.get("/{token}/photos/{photo_id}")
async def customer_photo(token: str, photo_id: DatabaseIdPath, db: DatabaseDep, size: str = "groot") -> Response:
    """A photo of this order's inspection (`?size=klein`: the thumbnail); any other is the plain 404."""
    jpeg = await to_thread.run_sync(keuring.customer_photo, db, token, photo_id, size == "klein")
    if jpeg is None:
        return _not_found()
    return Response(jpeg, media_type="image/jpeg", headers=private_headers())
