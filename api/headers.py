"""Security headers on every HTTP response: the API, the stream and the NiceGUI pages (the signature page must
never be framed). Only frame-ancestors in the CSP: NiceGUI's pages need their inline scripts."""

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
)
_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)


def secured(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """A response's raw headers with the security headers it does not set itself (a route's own choice wins)."""
    own = list(headers)
    present = {name.lower() for name, _ in own} & _NAMES
    return own + [header for header in SECURITY_HEADERS if header[0] not in present]


class SecurityHeaders:
    """Pure ASGI: it adds to the response's start message and passes every body chunk straight on, so the
    stream is neither buffered nor delayed (a BaseHTTPMiddleware would put each response through a queue)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # websockets (the pages' socket.io) have no response headers to guard
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": secured(message.get("headers", ()))}
            await send(message)

        await self.app(scope, receive, send_with_headers)
