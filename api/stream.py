"""GET /api/workorders/stream: the raw SSE stream. Authorize, pick the cursor, hand a generator to
EventSourceResponse; the replay/live merge lives in services.live."""

import logging
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, Request, status
from sse_starlette import EventSourceResponse, ServerSentEvent
from sse_starlette.sse import SendTimeoutError
from starlette.types import Receive, Scope, Send

from api.deps import SettingsDep, Staff
from models import ChangeType, EventKind
from services.broadcaster import LogEvent
from services.events import encode
from services.live import open_feed

router = APIRouter(prefix="/api/workorders", tags=["stream"])
log = logging.getLogger(__name__)


class WorkOrderStream(EventSourceResponse):
    """A client whose socket accepts nothing for sse_send_timeout is cut off: expected, so no traceback."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except SendTimeoutError:
            log.info("SSE client %s stopped reading; stream closed", scope.get("client"))


CHANGE_TYPES = {change.value for change in ChangeType}


def _cursor(header: str | None, query: int | None) -> int | None:
    """The browser's reconnect sends the header; it wins over a ?lastEventId= left in the URL."""
    if header is None or not header.strip():
        return query
    if not header.strip().isdigit():
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Last-Event-ID moet een getal zijn")
    return int(header.strip())


def _change_types(raw: str | None) -> set[str] | None:
    if raw is None:
        return None
    wanted = {part.strip() for part in raw.split(",") if part.strip()}
    unknown = wanted - CHANGE_TYPES
    if unknown or not wanted:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"Onbekend changeType {sorted(unknown)}; kies uit {', '.join(sorted(CHANGE_TYPES))}",
        )
    return wanted


@router.get("/stream", response_class=EventSourceResponse, responses={200: {"content": {"text/event-stream": {}}}})
async def stream(
    request: Request,
    _: Staff,
    settings: SettingsDep,
    work_order_id: Annotated[int | None, Query(alias="workOrderId")] = None,
    change_type: Annotated[str | None, Query(alias="changeType")] = None,
    last_event_id: Annotated[int | None, Query(alias="lastEventId", ge=0)] = None,
    last_event_id_header: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> EventSourceResponse:
    """Every change as an unnamed SSE message with its log id; resume with Last-Event-ID."""
    cursor = _cursor(last_event_id_header, last_event_id)
    wanted = _change_types(change_type)

    unfiltered = work_order_id is None and wanted is None

    def selected(event: LogEvent) -> bool:
        return (
            event.kind == EventKind.WORKORDER_UPDATE
            and (work_order_id is None or event.work_order_id == work_order_id)
            and (wanted is None or event.change_type in wanted)
        )

    async def messages() -> AsyncIterator[bytes]:
        async with open_feed(cursor) as feed:
            connected = encode({"type": "connected", "lastEventId": feed.start})
            yield f"retry: {settings.sse_retry_ms}\r\nid: {feed.start}\r\ndata: {connected}\r\n\r\n".encode()
            if feed.reset:
                yield f"id: {feed.newest}\r\ndata: {encode({'type': 'reset'})}\r\n\r\n".encode()
            async for batch in feed.batches():
                # An unfiltered stream takes the bytes joined once for all such streams.
                chunk = batch.sse if unfiltered else b"".join(e.sse for e in batch.events if selected(e))
                if chunk:
                    yield chunk

    return WorkOrderStream(
        messages(),
        shutdown_event=request.app.state.shutdown,  # set on SIGTERM; closing the broadcaster ends every feed
        shutdown_grace_period=1.0,
        ping=settings.sse_ping_seconds,
        ping_message_factory=lambda: ServerSentEvent(comment="ping"),
        send_timeout=settings.sse_send_timeout,
        headers={"Cache-Control": "no-cache"},
    )
