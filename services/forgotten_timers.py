"""Stops a mechanic's session that runs past MAX_SESSION_HOURS (a timer left running overnight), at the moment it
falls due, and at startup any that fell due while the server was down (services.work_sessions does the stopping)."""

import asyncio
import logging

from anyio import to_thread

from services.clock import utcnow
from services.db import Database
from services.work_sessions import stop_overdue_sessions

log = logging.getLogger(__name__)
CHECK_SECONDS = 60.0  # a session started, or corrected to an earlier start, after the last look is seen this soon


async def stop_forgotten_timers(db: Database, max_hours: float) -> None:
    longest_wait = min(CHECK_SECONDS, max_hours * 3600)
    while True:
        try:
            next_due = await to_thread.run_sync(stop_overdue_sessions, db, max_hours)
        except Exception:  # the database away for a moment: try again at the next look
            log.exception("forgotten timers: could not stop overdue sessions")
            next_due = None
        wait = longest_wait if next_due is None else (next_due - utcnow()).total_seconds()
        await asyncio.sleep(min(longest_wait, max(wait, 0.05)))
