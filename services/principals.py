"""Who is asking, and who a token or session stood for moments ago: the read cache every Database keeps of its
auth tables (services.db; the tables themselves are services.auth's)."""

import time
from dataclasses import dataclass

from models import Role


@dataclass(frozen=True)
class Principal:
    """The person or program behind a request."""

    name: str
    role: Role


class RecentPrincipals:
    """Who a token or session hash stood for, for a few seconds: a busy client's next request needs no database
    read, and no thread to do it in (about a millisecond of server CPU per request on this machine). Only
    found principals are kept, at most `size`; logging out forgets the session at once in this process."""

    def __init__(self, seconds: float = 10.0, size: int = 10_000) -> None:
        self.seconds = seconds
        self.size = size
        self._entries: dict[str, tuple[float, Principal]] = {}

    def get(self, key: str) -> Principal | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] <= time.monotonic():
            return None
        return entry[1]

    def put(self, key: str, principal: Principal) -> None:
        if len(self._entries) >= self.size:
            now = time.monotonic()
            self._entries = {k: e for k, e in self._entries.items() if e[0] > now}
            if len(self._entries) >= self.size:
                del self._entries[next(iter(self._entries))]  # the oldest
        self._entries[key] = (time.monotonic() + self.seconds, principal)

    def forget(self, key: str) -> None:
        self._entries.pop(key, None)
