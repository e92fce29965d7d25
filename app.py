"""The app's wiring and `main.py serve`: the API and its stream, the pages, and the work beside them, on one
database. Kept out of main.py, so the command line's small commands (create-user, create-token, backup) start
without loading the app (1 s instead of 3 s)."""

import asyncio
import gc
import logging
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from types import FrameType
from typing import Any

import uvicorn
from anyio import to_thread
from fastapi import FastAPI
from nicegui import ui

import pages
from api import install_api
from api.stream import DirectStream
from services import demo, reminders
from services.booking import BookingThrottles
from services.db import Database
from services.forgotten_timers import stop_forgotten_timers
from services.inspections.presence import forget_process, process_name
from services.invoicing.mollie import MollieGateway
from services.invoicing.reminders import remind_forever
from services.live import OpenStreams
from services.log_follower import LogFollower
from services.mail import MailServer
from services.notifications import NotificationSender
from services.rdw import RdwClient
from services.retention import prune_forever, prune_once
from services.settings import Settings
from services.vehicles import RdwLookups


class Lifespan:
    """The work that runs beside the requests, from startup to shutdown: the broadcaster on the server's loop,
    retention, the streams' pings, forgotten timers, payment and customer reminders, the RDW lookups, the e-mail
    sender and (on PostgreSQL) the log follower; at shutdown every feed ends. It runs inside whatever lifespan the
    app had (NiceGUI's own, in the page tests)."""

    def __init__(
        self,
        inner: Callable[[FastAPI], AbstractAsyncContextManager[Any]],
        settings: Settings,
        database: Database,
        rdw: RdwLookups,
        sender: NotificationSender,
    ) -> None:
        self.inner = inner
        self.settings = settings
        self.database = database
        self.rdw = rdw
        self.sender = sender

    @asynccontextmanager
    async def __call__(self, app: FastAPI) -> AsyncIterator[Any]:
        settings, database = self.settings, self.database
        database.broadcaster.bind(asyncio.get_running_loop())  # first: the pages' relay starts with NiceGUI's
        async with self.inner(app) as state:
            await prune_once(database, settings.event_retention_days)  # a cursor older than that is reset at once
            await to_thread.run_sync(forget_process, database, process_name(settings.port))  # a crash's viewers
            tasks = [
                asyncio.create_task(prune_forever(database, settings.event_retention_days)),
                asyncio.create_task(database.broadcaster.ping_forever(settings.sse_ping_seconds)),
                asyncio.create_task(stop_forgotten_timers(database, settings.max_session_hours)),
                asyncio.create_task(remind_forever(database)),
                asyncio.create_task(
                    reminders.remind_forever(
                        database, self.rdw, settings.apk_reminder_weeks, settings.reminder_scan_seconds
                    )
                ),
                asyncio.create_task(self.sender.run()),
            ]
            tasks.append(asyncio.create_task(self.rdw.run()))  # with the RDW off, it logs so and ends
            if database.is_postgresql:  # several processes may share the log: follow it
                tasks.append(asyncio.create_task(LogFollower(database, settings.database_url).run()))
            yield state
            database.broadcaster.close()
            for task in tasks:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task


def wire_app(app: FastAPI, settings: Settings, database: Database) -> None:
    """Everything the app is, put on `app` once: the API and its stream, the pages, and the work beside them,
    all on `database`. `main.py serve` serves it (build_app, NiceGUI mounted with ui.run_with); the page tests run the
    same on NiceGUI's own app with ui.run (tests/pages/simulated_app.py)."""
    client = (
        RdwClient(settings.rdw_base_url, settings.rdw_app_token, settings.rdw_timeout_seconds)
        if settings.rdw_enabled
        else None
    )
    rdw = RdwLookups(database, client, settings.rdw_retry_seconds)
    streams = OpenStreams()
    database.mail_enabled = settings.mail_enabled
    sender = NotificationSender(
        database,
        MailServer.from_settings(settings),
        settings.mail_retry_seconds,
        settings.mail_max_attempts,
        pays_online=settings.pays_online,
    )
    key = settings.mollie_api_key
    mollie = MollieGateway(key, settings.mollie_api_base) if key is not None else None
    app.state.settings = settings
    app.state.database = database
    app.state.rdw = rdw
    app.state.mollie = mollie
    app.state.streams = streams
    app.state.booking_throttles = BookingThrottles.from_settings(settings)
    app.state.page_counts = pages.live.page_counts  # /api/diagnostics reports the pages' numbers too
    install_api(app, streams)
    pages.register(database, rdw, settings, streams, mollie)
    inner = app.router.lifespan_context
    if isinstance(inner, Lifespan):  # wired again (the page tests do, once per test): replace, never nest
        inner = inner.inner
    app.router.lifespan_context = Lifespan(inner, settings, database, rdw, sender)


def build_app(settings: Settings, database: Database) -> FastAPI:
    """The served app: our FastAPI app with NiceGUI mounted on it."""
    app = FastAPI(title="Werkplaats", version="0.1.0")
    wire_app(app, settings, database)
    ui.run_with(
        app,
        title="Werkplaats",
        storage_secret=settings.session_secret(),
        reconnect_timeout=settings.page_reconnect_seconds,  # an iPad that sleeps briefly keeps its page
        show_welcome_message=False,
        language="nl",
    )
    return app


class Server(uvicorn.Server):
    """On SIGTERM/SIGINT every live feed ends at once, so open streams finish cleanly before uvicorn drains."""

    def __init__(self, config: uvicorn.Config, database: Database) -> None:
        super().__init__(config)
        self.database = database

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        # Everything loaded so far lives as long as the process: keep it out of the collector's full passes,
        # which otherwise stop the world for ~80 ms every few seconds (measured), inside a write transaction too.
        # A fan-out to thousands of streams makes short-lived objects by the ten thousand: a larger young
        # generation lets them die before they are promoted (10,000 streams: 1.1 s -> 0.5 s CPU per change,
        # and no more 2-3 s full-collection stalls; bench/capacity.py).
        gc.freeze()
        gc.set_threshold(50_000, 50, 100)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        broadcaster = self.database.broadcaster
        with suppress(RuntimeError):  # not bound yet, or the loop is already gone
            broadcaster.loop.call_soon_threadsafe(broadcaster.close)
        super().handle_exit(sig, frame)


def serve(settings: Settings, fill_demo: bool) -> None:
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for chatty in ("httpx", "alembic"):  # a line per RDW request, per migration step: only their warnings
        logging.getLogger(chatty).setLevel(logging.WARNING)
    with Database.opened(settings.database_url, queue_size=settings.sse_queue_size) as database:
        if fill_demo and demo.is_empty(database):
            credentials = demo.seed_demo_shop(database)
            print("Demo-werkplaats aangemaakt. Accounts (alleen nu getoond):", *credentials, sep="\n", flush=True)
        app = build_app(settings, database)
        print(f"Werkplaats draait op http://localhost:{settings.port}", flush=True)
        config = uvicorn.Config(
            DirectStream(app), settings.host, settings.port, timeout_graceful_shutdown=1, log_level="warning"
        )
        Server(config, database).run()
