"""The SSE response for a live feed: sse-starlette's EventSourceResponse (its headers, its HEAD answer), with the
per-stream machinery replaced by one small delivery task.

EventSourceResponse runs four tasks per stream (sender, pinger, shutdown watcher, disconnect listener) and a
cancel scope around every send. At 10,000 streams that was most of each stream's memory and of the CPU per
delivery (bench/capacity.py, py-spy). Here those jobs are shared instead: the broadcaster's one timer hands
every stream its ping, closing the broadcaster at shutdown ends every feed, and a client that stops reading is
cut off when its backlog passes the broadcaster's bound (its stuck send is cancelled). What a stream keeps is
the request's own task, waiting for the client to leave, and the delivery task ("pump"). The response head is
EventSourceResponse's, made once per kind of stream and shared (api.stream.DirectStream serves it without the
middleware that would otherwise add the security headers, so they are in it already).
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from functools import cache

from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from api.headers import secured
from models.messages import Connected, Reset
from services.broadcaster import PING, LogBatch
from services.db import Database
from services.live import Feed, OpenStream, OpenStreams, open_feed
from services.metrics import event_delivery_seconds

log = logging.getLogger(__name__)
PING_MESSAGE = ServerSentEvent(comment="ping").encode()
observe_delivery = event_delivery_seconds.observe  # bound once: it runs for every delivery to every stream


def _peer(scope: Scope) -> str:
    """host:port of the client (or of the proxy in front of it), for the stream's log lines."""
    client = scope.get("client")
    return f"{client[0]}:{client[1]}" if client else "?"


def _body(chunk: bytes) -> Message:
    return {"type": "http.response.body", "body": chunk, "more_body": True}


@cache
def _head(headers: tuple[tuple[str, str], ...]) -> tuple[tuple[bytes, bytes], ...]:
    """EventSourceResponse's raw headers (its content type, Cache-Control, Connection, X-Accel-Buffering) for a
    stream with these headers of its own, and the security headers: worked out once, not once per stream."""
    return tuple(secured(EventSourceResponse(iter(()), headers=dict(headers), ping=0).raw_headers))


class FeedResponse(Response):
    """Streams `db`'s log from `cursor` (None: from now); `chunk_for` turns a commit's events into the bytes
    this stream sends (empty: nothing for this client; awaitable when it must read first, off the event loop).
    While open it is one of `streams`; `who` and `filter` are what /api/diagnostics and the connections page show
    of it, and what the server log says when it opens and closes."""

    media_type = EventSourceResponse.media_type

    def __init__(
        self,
        db: Database,
        streams: OpenStreams,
        cursor: int | None,
        chunk_for: Callable[[LogBatch], bytes | Awaitable[bytes]],
        retry_ms: int,
        headers: Mapping[str, str] | None = None,
        who: str = "",
        filter: str | None = None,
    ) -> None:
        # Not Response.__init__: there is no body to render, and the head is shared.
        self.status_code = 200
        self.background = None
        self.raw_headers = list(_head(tuple((headers or {}).items())))
        self.db = db
        self.streams = streams
        self.cursor = cursor
        self.chunk_for = chunk_for
        self.retry_ms = retry_ms
        self.stream = OpenStream(who, filter)
        self._task: asyncio.Task[object] | None = None
        self._ended_by: str | None = None

    async def opening(self, feed: Feed) -> bytes:
        """`connected` with the stream's starting id; then `reset` when that cursor cannot be replayed. Sent once
        subscribed, so nothing committed after it is missed."""
        connected = Connected(last_event_id=feed.start).model_dump_json(by_alias=True)
        opening = ServerSentEvent(connected, id=str(feed.start), retry=self.retry_ms).encode()
        if feed.reset:
            opening += ServerSentEvent(Reset().model_dump_json(by_alias=True), id=str(feed.newest)).encode()
        return opening

    def _end(self, reason: str) -> None:
        """End the request (it waits in receive() for the client to leave), from the pump's side."""
        if self._ended_by is None and self._task is not None:
            self._ended_by = reason
            self._task.cancel()

    def _opened(self, scope: Scope, feed: Feed) -> None:
        """Logged from a frame of its own: logging looks up its caller's frame, and looked up in __call__ that
        frame object would live as long as the stream."""
        log.info(
            "SSE stream opened: %s from %s, filter %s, cursor %s (starts at %s)",
            self.stream.who, _peer(scope), self.stream.filter or "-", self.cursor, feed.start,
        )  # fmt: skip

    async def _pump(self, feed: Feed, send: Send) -> None:
        """The deliveries, in a task of their own: waking it resumes two frames, where the request's own task
        would resume its whole middleware and routing stack (about twenty) for every message."""
        async for batch in feed.batches():
            chunk = PING_MESSAGE if batch is PING else self.chunk_for(batch)
            if not isinstance(chunk, bytes):
                chunk = await chunk
            if chunk:
                await send(_body(chunk))
                if batch.events:
                    self.stream.last_event_id = batch.events[-1].id
                if batch.published_at is not None:  # None: a replay from the log, or a ping
                    observe_delivery(time.monotonic() - batch.published_at)
        await send({"type": "http.response.body", "body": b"", "more_body": False})  # the server stops

    def _pump_ended(self, pump: asyncio.Task[None]) -> None:
        if pump.cancelled():
            self._end("stopped reading; its backlog passed the bound")
        elif (error := pump.exception()) is not None:
            log.error("SSE stream failed", exc_info=error)
            self._end("lost its stream to an error")
        # Otherwise the response is complete, and receive() below has returned already.

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] == "HEAD":  # the head alone, as EventSourceResponse answers it: no stream opened
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            if self.background is not None:
                await self.background()
            return
        self._task = task = asyncio.current_task()
        assert task is not None
        self.streams.add(self.stream)
        ended = "the client left"
        try:
            async with open_feed(self.db, self.cursor, pings=True) as feed:
                await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
                await send(_body(await self.opening(feed)))
                self.stream.last_event_id = feed.start
                self._opened(scope, feed)
                pump = asyncio.create_task(self._pump(feed, send))
                feed.subscription.on_drop = pump.cancel  # its send may be stuck on a client that reads nothing
                pump.add_done_callback(self._pump_ended)
                try:
                    # Until the client leaves, or the response is complete (uvicorn then answers http.disconnect).
                    while (await receive())["type"] != "http.disconnect":
                        pass
                finally:
                    pump.remove_done_callback(self._pump_ended)
                    if pump.done() and not pump.cancelled() and pump.exception() is None:
                        ended = "the server stopped"
                    pump.cancel()
        except asyncio.CancelledError:
            if self._ended_by is None:
                ended = "cancelled"
                raise
            task.uncancel()
            ended = self._ended_by
        finally:
            self.streams.discard(self.stream)
            log.info("SSE stream closed: %s from %s (%s), last id %s", self.stream.who, _peer(scope), ended,
                     self.stream.last_event_id)  # fmt: skip
