"""/admin/verbindingen: who is connected to this server process, live — open SSE streams, open pages per kind,
events of the last minute (the numbers of /api/diagnostics, shown for a person, in the shop's time). What only a
developer reads — process id, newest log ids, each stream's filter and last id — waits behind "Details"."""

from collections.abc import Awaitable

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from models import Role
from models.public import Diagnostics
from pages.access import require
from pages.frame import frame
from pages.history_list import dutch_datetime
from pages.live import follow_log, page_counts
from pages.reread import Reread
from pages.state import database, streams
from services.diagnostics import current_diagnostics

SINCE = "d MMM HH:mm:ss"  # the shop's time, as on every other page
STREAM_REFRESH_SECONDS = 2.0  # streams opening and closing are not events: the list is re-read this often


class ConnectionsView:
    """Re-reads the diagnostics off the event loop (it asks the database for the cluster's newest id); a
    commit that arrives while a read runs makes one more read afterwards, not one per commit."""

    def __init__(self) -> None:
        self.refresh = Reread(
            lambda: run.io_bound(current_diagnostics, database(), streams(), page_counts()), self.show
        )
        with ui.row().classes("w-full gap-4"):
            self.figures = {
                key: self._figure(label)
                for key, label in (
                    ("streams", "Open SSE-streams"),
                    ("pages", "Open pagina's"),
                    ("events", "Events laatste minuut"),
                )
            }
        ui.label("Open SSE-streams").classes("text-lg font-semibold")
        self.streams = ui.column().classes("w-full gap-1")
        ui.label("Open pagina's per soort").classes("text-lg font-semibold")
        self.pages = ui.column().classes("w-full gap-1")
        with ui.expansion("Details", icon="info").classes("w-full").props("data-details"):
            with ui.row().classes("w-full gap-4"):
                self.figures |= {
                    "newest": self._figure("Nieuwste event-id (dit proces)"),
                    "cluster": self._figure("Nieuwste event-id (cluster)"),
                }
            self.process = ui.label().classes("text-sm text-gray-600")
            self.stream_details = ui.column().classes("w-full gap-1")

    @staticmethod
    def _figure(label: str) -> ui.label:
        with ui.card().classes("min-w-[11rem] gap-0"):
            ui.label(label).classes("text-xs uppercase text-gray-500")
            return ui.label("–").classes("text-2xl font-semibold font-mono")

    @staticmethod
    def _numbers() -> Awaitable[Diagnostics | None]:
        return run.io_bound(current_diagnostics, database(), streams(), page_counts())

    def show(self, numbers: Diagnostics) -> None:
        values = {
            "streams": numbers.open_streams,
            "pages": sum(numbers.pages.values()),
            "events": numbers.events_last_minute,
            "newest": "–" if numbers.newest_event_id is None else numbers.newest_event_id,
            "cluster": numbers.cluster_newest_event_id,
        }
        for key, value in values.items():
            self.figures[key].set_text(str(value))
        self.process.set_text(
            f"Serverproces {numbers.process_id}. Deze pagina wordt door één proces bediend: met meerdere processen "
            "(PostgreSQL) zijn streams, pagina's en events van dit proces; het cluster-id komt uit het gedeelde log."
        )
        self.streams.clear()
        self.stream_details.clear()
        if not numbers.streams:
            with self.streams:
                ui.label("Geen open streams.").classes("text-gray-500")
        for stream in numbers.streams:
            with self.streams, ui.row().classes("w-full gap-6 border-b py-1 text-sm") as row:
                row.props["data-stream"] = stream.who
                row.props["data-filter"] = stream.filter or ""
                ui.label(stream.who).classes("font-semibold min-w-[10rem]")
                ui.label(f"sinds {dutch_datetime(stream.since, SINCE)}")
            with self.stream_details, ui.row().classes("w-full gap-6 border-b py-1 font-mono text-sm") as row:
                row.props["data-stream-details"] = stream.who
                ui.label(stream.who).classes("font-semibold min-w-[10rem]")
                ui.label(f"filter: {stream.filter or 'alles'}")
                ui.label(f"laatste id: {'–' if stream.last_event_id is None else stream.last_event_id}")
        self.pages.clear()
        with self.pages:
            if not numbers.pages:
                ui.label("Geen open pagina's.").classes("text-gray-500")
            for path, count in numbers.pages.items():
                row = ui.row().classes("gap-6 font-mono text-sm")
                row.props["data-page-kind"] = path
                with row:
                    ui.label(path).classes("min-w-[16rem]")
                    ui.label(str(count))


async def connections_page(request: Request) -> RedirectResponse | None:
    principal = require(request, Role.ADMIN)
    if isinstance(principal, RedirectResponse):
        return principal
    with frame("Verbindingen", principal):
        view = ConnectionsView()
        follow_log(view.refresh)
        ui.timer(STREAM_REFRESH_SECONDS, view.refresh)
        await view.refresh()
    return None
