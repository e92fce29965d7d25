"""Moves the stream's replay horizon every hour: a cursor older than the retention period gets a reset (the
work orders' own events stay as their history; see services.events.prune_log)."""

import asyncio
import logging
from datetime import timedelta

from anyio import to_thread

from services.clock import utcnow
from services.db import Database
from services.events import prune_log

log = logging.getLogger(__name__)
PRUNE_INTERVAL_SECONDS = 3600


async def prune_once(db: Database, retention_days: float) -> None:
    removed = await to_thread.run_sync(prune_log, db, utcnow() - timedelta(days=retention_days))
    if removed:
        log.info("event log: %d events older than %s days pruned", removed, retention_days)


async def prune_forever(db: Database, retention_days: float) -> None:
    while True:
        await asyncio.sleep(PRUNE_INTERVAL_SECONDS)
        await prune_once(db, retention_days)
