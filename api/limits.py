"""Request size limits for the API: a body over its route's limit is refused with 413 before it is parsed."""

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_LIMIT = 64 * 1024
# A 1 MiB PNG is 1.4 MiB as base64: the service itself answers that case with its own 413 message.
LIMITS = {"/api/display/signature": 4 * 1024 * 1024}
# Routes that read their own body as a stream with their own cap (api.uploads): passed through unbuffered.
STREAMED = re.compile(r"/api/inspections/\d+/items/\d+/photos")


class BodySizeLimit:
    """Pure ASGI, so a streamed (chunked) body is counted too, and the stream route is left untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in ("GET", "HEAD")
            or not scope["path"].startswith("/api/")
            or STREAMED.fullmatch(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        limit = LIMITS.get(scope["path"], DEFAULT_LIMIT)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                await _too_large(send, limit)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"Verzoek is groter dan {limit // 1024} KiB"}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
