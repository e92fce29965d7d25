"""The SSE response for a live feed: sse-starlette's EventSourceResponse (its headers, its HEAD answer), with the
per-stream machinery replaced by one loop.

EventSourceResponse runs four tasks per stream (sender, pinger, shutdown watcher, disconnect listener) and a
cancel scope around every send. At 10,000 streams that was most of each stream's memory and of the CPU per
delivery (bench/capacity.py, py-spy). Here those jobs are shared instead: the broadcaster's one timer hands
every stream its ping, closing the broadcaster at shutdown ends every feed, and a client that stops reading is
cut off when its backlog passes the broadcaster's bound (its stuck send is cancelled). What a stream keeps is
the request's own task and one small task that notices the client going away.
"""

import asyncio
import logging
from collections.abc import AsyncGenerator, Callable, Mapping

from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.types import Receive, Scope, Send

from services.broadcaster import PING, LogBatch
from services.events import encode
from services.live import open_feed

log = logging.getLogger(__name__)
PING_MESSAGE = ServerSentEvent(comment="ping").encode()


class FeedResponse(EventSourceResponse):
    """Streams the log from `cursor` (None: from now); `chunk_for` turns a commit's events into the bytes
    this stream sends (empty: nothing for this client)."""

    def __init__(
        self,
        cursor: int | None,
        chunk_for: Callable[[LogBatch], bytes],
        retry_ms: int,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self._body = self._messages()
        super().__init__(self._body, headers=headers, ping=0)
        self.cursor = cursor
        self.chunk_for = chunk_for
        self.retry_ms = retry_ms
        self._task: asyncio.Task[object] | None = None
        self._ended_by: str | None = None

    async def _messages(self) -> AsyncGenerator[bytes]:
        async with open_feed(self.cursor, pings=True) as feed:
            feed.subscription.on_drop = lambda: self._end("stopped reading; its backlog passed the bound")
            connected = encode({"type": "connected", "lastEventId": feed.start})
            yield f"retry: {self.retry_ms}\r\nid: {feed.start}\r\ndata: {connected}\r\n\r\n".encode()
            if feed.reset:
                yield f"id: {feed.newest}\r\ndata: {encode({'type': 'reset'})}\r\n\r\n".encode()
            async for batch in feed.batches():
                chunk = PING_MESSAGE if batch is PING else self.chunk_for(batch)
                if chunk:
                    yield chunk

    def _end(self, reason: str) -> None:
        """Stop this stream wherever it waits, even in a send to a socket that accepts nothing."""
        if self._ended_by is None and self._task is not None:
            self._ended_by = reason
            self._task.cancel()

    async def _end_when_client_leaves(self, receive: Receive) -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        self._end("left")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "HEAD":
            await super().__call__(scope, receive, send)
            return
        self._task = task = asyncio.current_task()
        assert task is not None
        watcher = asyncio.create_task(self._end_when_client_leaves(receive))
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            async for chunk in self._body:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})  # the server stops
        except asyncio.CancelledError:
            if self._ended_by is None:
                raise
            task.uncancel()
            await self._body.aclose()  # unsubscribes, if the cut came during a send
            log.info("SSE client %s %s: stream closed", scope.get("client"), self._ended_by)
        finally:
            watcher.cancel()
