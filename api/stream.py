"""GET /api/workorders/stream: the raw SSE stream. Authorize, pick the cursor and the filter, hand them to
FeedResponse; the replay/live merge lives in services.live. DirectStream, around the app, opens the plain case
of it without the app's middleware."""

from collections.abc import Callable
from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, status
from starlette.applications import Starlette
from starlette.datastructures import State
from starlette.requests import HTTPConnection
from starlette.types import Receive, Scope, Send

from api.deps import STAFF, DatabaseDep, SettingsDep, Staff, StreamsDep, authenticate
from api.sse import FeedResponse
from models import ON_THE_STREAM, ChangeType, EventKind
from services.auth import SESSION_COOKIE, Principal
from services.broadcaster import LogBatch
from services.db import Database
from services.live import OpenStreams
from services.settings import Settings

PATH = "/api/workorders/stream"
router = APIRouter(prefix="/api/workorders", tags=["stream"])


CHANGE_TYPES = {change.value for change in ChangeType} | {EventKind.PRESENCE.value}  # presence: not an update


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


@router.api_route(
    "/stream",
    methods=["GET", "HEAD"],  # HEAD: the headers alone (curl -I), no stream opened
    status_code=status.HTTP_200_OK,  # FeedResponse's signature has none for FastAPI to read
    response_class=FeedResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def stream(
    db: DatabaseDep,
    principal: Staff,
    settings: SettingsDep,
    streams: StreamsDep,
    work_order_id: Annotated[int | None, Query(alias="workOrderId")] = None,
    change_type: Annotated[str | None, Query(alias="changeType")] = None,
    last_event_id: Annotated[int | None, Query(alias="lastEventId", ge=0)] = None,
    last_event_id_header: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> FeedResponse:
    """Every change as an unnamed SSE message with its log id; resume with Last-Event-ID."""
    return feed(db, principal, settings, streams, work_order_id, change_type, last_event_id, last_event_id_header)


def feed(
    db: Database,
    principal: Principal,
    settings: Settings,
    streams: OpenStreams,
    work_order_id: int | None,
    change_type: str | None,
    last_event_id: int | None,
    last_event_id_header: str | None,
) -> FeedResponse:
    cursor = _cursor(last_event_id_header, last_event_id)
    wanted = _change_types(change_type)
    chunk_for, filter_text = _filter(work_order_id, None if wanted is None else frozenset(wanted))
    return FeedResponse(
        db, streams, cursor, chunk_for, settings.sse_retry_ms, headers={"Cache-Control": "no-cache"},
        who=principal.name, filter=filter_text,
    )  # fmt: skip


@lru_cache(maxsize=1024)
def _filter(work_order_id: int | None, wanted: frozenset[str] | None) -> tuple[Callable[[LogBatch], bytes], str | None]:
    """What a stream with this filter sends of a commit, and the filter as the query string spells it (for the
    log and the connections page; None: everything). Made once per filter, shared by its streams."""

    def chunk_for(batch: LogBatch) -> bytes:
        if unfiltered:
            return batch.sse  # joined once for every unfiltered stream
        return b"".join(
            event.sse
            for event in batch.events
            if event.kind in ON_THE_STREAM
            and (work_order_id is None or event.work_order_id == work_order_id)
            and (wanted is None or event.change_type in wanted)
        )

    unfiltered = work_order_id is None and wanted is None
    parts = [] if work_order_id is None else [f"workOrderId={work_order_id}"]
    if wanted is not None:
        parts.append(f"changeType={','.join(sorted(wanted))}")
    return chunk_for, "&".join(parts) or None


class NotPlain(Exception):
    """A request DirectStream leaves to the route: FastAPI's validation and error answers decide it."""


def _plain_int(raw: str | None) -> int | None:
    """A query value the route would read as this int (or as absent) whatever FastAPI's coercion rules are."""
    if raw is None:
        return None
    if raw.isascii() and raw.isdigit() and len(raw) <= 18:
        return int(raw)
    raise NotPlain


class DirectStream:
    """Pure ASGI, around the whole app: a GET of the stream that the route would answer with a stream is opened
    here, by the same code (authenticate, feed), without the middleware, routing and dependency frames that an
    open stream otherwise keeps alive (at 10,000 streams, 40 % of each stream's memory, and a frame more for
    every message sent: bench/capacity.py). Everything else (HEAD, a 401, 403 or 422, a value FastAPI would
    coerce, every other path) goes on to the app, so every answer but the stream itself still comes from there.
    An error before the stream starts is the server's plain 500, as the app's own would be."""

    def __init__(self, app: Starlette) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == PATH:
            response = await self._response(scope, self.app.state)
            if response is not None:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    @staticmethod
    async def _response(scope: Scope, state: State) -> FeedResponse | None:
        connection = HTTPConnection(scope)
        headers, query = connection.headers, connection.query_params
        try:
            work_order_id, last_event_id = _plain_int(query.get("workOrderId")), _plain_int(query.get("lastEventId"))
            principal = await authenticate(
                state.database, headers.get("authorization"), connection.cookies.get(SESSION_COOKIE)
            )
            if principal.role not in STAFF:
                return None
            return feed(
                state.database, principal, state.settings, state.streams, work_order_id, query.get("changeType"),
                last_event_id, headers.get("last-event-id"),
            )  # fmt: skip
        except (NotPlain, HTTPException):
            return None
