"""Several server processes on one PostgreSQL database: each follows the event log through LISTEN/NOTIFY.

A wake-up only says "there is something after id N"; the rows themselves are read from the log, so a lost
notification or a lost connection is never a lost event: after reconnecting the follower LISTENs again,
then catches up from its cursor. Writers append under one advisory lock (services.db.Database.write),
so ids become visible in order and reading `id > cursor` never skips an event that commits later."""

import asyncio
import logging

import psycopg
from anyio import to_thread
from sqlalchemy.engine import make_url

from services.db import Database
from services.events import NOTIFY_CHANNEL, log_bounds
from services.live import committed_after

log = logging.getLogger(__name__)
APPLICATION_NAME = "werkplaats-listener"  # how an operator (or a test) finds the listening connection


def libpq_url(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


class LogFollower:
    def __init__(self, db: Database, database_url: str) -> None:
        self.db = db
        self.conninfo = libpq_url(database_url)
        self.cursor: int | None = None

    async def catch_up(self) -> None:
        """Publish every committed event after the cursor, in id order."""
        if self.cursor is None:
            self.cursor = (await to_thread.run_sync(log_bounds, self.db))[1]
        async for events in committed_after(self.db, self.cursor):
            self.db.broadcaster.publish(events)
            self.cursor = events[-1].id

    async def run(self) -> None:
        delay = 0.05
        while not self.db.broadcaster.closed:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self.conninfo, autocommit=True, application_name=APPLICATION_NAME
                ) as connection:
                    await connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    await self.catch_up()  # whatever committed while we were not listening
                    delay = 0.05
                    async for notification in connection.notifies():
                        if self.cursor is None or int(notification.payload) > self.cursor:
                            await self.catch_up()
            except (psycopg.OperationalError, psycopg.InterfaceError) as error:
                log.warning("event log listener lost its connection (%s); reconnecting", error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
