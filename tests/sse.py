"""A real SSE client for the tests: parses the wire format the way a browser's EventSource does."""

import json
import queue
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Message:
    id: str = ""  # every message of ours has one; "" only for a malformed stream
    data: str = ""
    retry: int | None = None
    comments: list[str] = field(default_factory=list)

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.data)  # type: ignore[no-any-return]


class SSEClient:
    """Reads a stream in a background thread; messages (and comments) arrive on a queue."""

    def __init__(self, base_url: str, token: str | None, path: str = "/api/workorders/stream", **headers: str) -> None:
        """token None: no Authorization header (the customer's status stream needs none)."""
        self.messages: queue.Queue[Message | None] = queue.Queue()
        self.comments: queue.Queue[str] = queue.Queue()
        self.response: httpx.Response | None = None
        self._client = httpx.Client(base_url=base_url, timeout=httpx.Timeout(10, read=None))
        auth = {} if token is None else {"Authorization": f"Bearer {token}"}
        self._request = self._client.build_request("GET", path, headers={**auth, **headers})
        self._opened = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self._opened.wait(10):
            raise AssertionError("stream did not open")

    def _run(self) -> None:
        try:
            self.response = self._client.send(self._request, stream=True)
            self._opened.set()
            if self.response.status_code != 200:
                return
            current = Message()
            for line in self.response.iter_lines():
                if line == "":
                    if current.data or current.id or current.retry is not None:
                        self.messages.put(current)
                    current = Message()
                    continue
                name, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if name == "":
                    self.comments.put(value)
                elif name == "data":
                    current.data = f"{current.data}\n{value}" if current.data else value
                elif name == "id":
                    current.id = value
                elif name == "retry":
                    current.retry = int(value)
        except (httpx.HTTPError, RuntimeError):
            pass
        finally:
            self._opened.set()
            self.messages.put(None)  # end of stream

    def next(self, timeout: float = 5) -> Message:
        try:
            message = self.messages.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no SSE message within {timeout}s") from None
        if message is None:
            raise AssertionError("stream ended")
        return message

    def take(self, count: int, timeout: float = 5) -> list[Message]:
        return [self.next(timeout) for _ in range(count)]

    def ended(self, timeout: float) -> bool:
        """True once the server closed the stream (other messages before the end are skipped)."""
        try:
            while (self.messages.get(timeout=timeout)) is not None:
                pass
        except queue.Empty:
            return False
        return True

    def close(self) -> None:
        if self.response is not None:
            self.response.close()
        self._client.close()
        self._thread.join(5)

    def __enter__(self) -> "SSEClient":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
