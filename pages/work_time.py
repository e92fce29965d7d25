"""Werktijd: who worked on the order and how long, per mechanic and in all. The clocked minutes are what the
desk bills as labour; a session still running counts on in the browser (session_badge), not on the server."""

from datetime import datetime

from nicegui import ui

from models.public import SessionPublic, WorkOrderPublic
from pages.history_list import dutch_datetime
from pages.section_card import Section
from pages.status_badge import session_badge
from services.clock import as_utc


def duration_text(seconds: float) -> str:
    """1 u 25 min; whole minutes, as a mechanic writes them down."""
    hours, minutes = divmod(int(seconds // 60), 60)
    if hours and minutes:
        return f"{hours} u {minutes} min"
    return f"{hours} u" if hours else f"{minutes} min"


def worked_seconds(session: SessionPublic) -> float:
    """A finished session's length (a running one counts as nothing yet: its timer runs in the browser)."""
    if session.ended_at is None:
        return 0.0
    return (as_utc(session.ended_at) - as_utc(session.started_at)).total_seconds()


def _clock(moment: datetime) -> str:
    return dutch_datetime(moment, "HH:mm")


def _session_line(session: SessionPublic) -> str:
    day = dutch_datetime(session.started_at, "d MMM")
    if session.ended_at is None:
        return f"{day}, sinds {_clock(session.started_at)}"
    return f"{day}, {_clock(session.started_at)}–{_clock(session.ended_at)} ({duration_text(worked_seconds(session))})"


class WorkTimeSection(Section):
    """Its data is the order's sessions, finished ones too (the order itself carries only the running ones):
    loaded with the page, then kept up to date from each session event (`record`)."""

    title = "Werktijd"
    name = "werktijd"

    def __init__(self, order: WorkOrderPublic, sessions: list[SessionPublic]) -> None:
        super().__init__(order)
        self.sessions = {session.id: session for session in sessions}
        self.show(order)

    def record(self, session: SessionPublic) -> None:
        self.sessions[session.id] = session

    def part(self, order: WorkOrderPublic) -> object:
        return sorted(self.sessions.values(), key=lambda session: session.id)

    def draw(self, order: WorkOrderPublic) -> None:
        by_mechanic: dict[str, list[SessionPublic]] = {}
        for session in sorted(self.sessions.values(), key=lambda session: session.id):
            by_mechanic.setdefault(session.mechanic, []).append(session)
        if not by_mechanic:
            ui.label("Er is nog niet aan gewerkt").classes("text-sm text-slate-500")
            return
        for mechanic, sessions in by_mechanic.items():
            seconds = sum(worked_seconds(session) for session in sessions)
            running = next((session for session in sessions if session.ended_at is None), None)
            with ui.column().classes("w-full gap-0") as block:
                block.props["data-mechanic"] = mechanic
                with ui.row().classes("items-center gap-2"):
                    ui.label(f"{mechanic} — {duration_text(seconds)}").classes("font-medium")
                    if running is not None:
                        session_badge(running)
                for session in sessions:
                    ui.label(_session_line(session)).classes("text-xs text-slate-500")
        total = sum(worked_seconds(session) for session in self.sessions.values())
        running_now = any(session.ended_at is None for session in self.sessions.values())
        text = f"Totaal: {duration_text(total)}" + (" + wat nu loopt" if running_now else "")
        total_label = ui.label(text).classes("font-semibold pt-1")
        total_label.props["data-total"] = duration_text(total)
