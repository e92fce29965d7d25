"""GET /api/workorders/stream: the raw SSE stream. Authorize, pick the cursor and the filter, hand them to
FeedResponse; the replay/live merge lives in services.live."""

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, status

from api.deps import DatabaseDep, SettingsDep, Staff, StreamsDep
from api.sse import FeedResponse
from models import ON_THE_STREAM, ChangeType, EventKind
from services.broadcaster import LogBatch

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
    cursor = _cursor(last_event_id_header, last_event_id)
    wanted = _change_types(change_type)

    unfiltered = work_order_id is None and wanted is None

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

    return FeedResponse(
        db, streams, cursor, chunk_for, settings.sse_retry_ms, headers={"Cache-Control": "no-cache"},
        who=principal.name, filter=_filter_text(work_order_id, wanted),
    )  # fmt: skip


def _filter_text(work_order_id: int | None, wanted: set[str] | None) -> str | None:
    """The filter as the query string spells it, for the log and the connections page (None: everything)."""
    parts = [] if work_order_id is None else [f"workOrderId={work_order_id}"]
    if wanted is not None:
        parts.append(f"changeType={','.join(sorted(wanted))}")
    return "&".join(parts) or None
