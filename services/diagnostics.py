"""What this process holds open and has seen (streams, pages, subscriptions, recent events) and the newest id
of the log every process shares: for operators (/api/diagnostics, /admin/verbindingen) and the leak tests.
The pages' own numbers come from the page layer (NiceGUI), handed in by the caller."""

import os
from dataclasses import dataclass

from models.public import Diagnostics, StreamDiagnostics
from services.db import Database
from services.events import log_bounds
from services.live import OpenStreams


@dataclass(frozen=True)
class PageCounts:
    clients: int  # every page client, connected or not yet
    subscriptions: int  # the pages' live subscriptions
    connected: dict[str, int]  # connected pages per page path


def current_diagnostics(db: Database, streams: OpenStreams, pages: PageCounts) -> Diagnostics:
    """One read of the log (its newest id); everything else is this process's memory."""
    opened = sorted(streams, key=lambda stream: stream.since)
    return Diagnostics(
        open_streams=len(opened),
        broadcaster_subscribers=db.broadcaster.subscriber_count,
        page_clients=pages.clients,
        page_subscriptions=pages.subscriptions,
        process_id=os.getpid(),
        streams=[
            StreamDiagnostics(who=s.who, since=s.since, filter=s.filter, last_event_id=s.last_event_id) for s in opened
        ],
        pages=dict(sorted(pages.connected.items())),
        events_last_minute=db.broadcaster.events_last_minute(),
        newest_event_id=db.broadcaster.newest_event_id,
        cluster_newest_event_id=log_bounds(db)[1],
    )
