"""What main built once for the process and handed to the pages, kept on NiceGUI's app.state (a page function's
signature belongs to FastAPI: it cannot take it as an argument); and the login tickets, the pages' own."""

import secrets
import time
from typing import cast

from nicegui import app

from models.public import WorkOrderPublic
from services import workorders
from services.db import Database
from services.invoicing.mollie import MollieGateway
from services.live import OpenStreams
from services.settings import Settings
from services.vehicles import RdwLookups

TICKET_SECONDS = 30


class LoginTickets:
    """Single-use tickets, valid for TICKET_SECONDS and kept in this process, each standing for a new session
    token until the browser exchanges it for the cookie (pages.access)."""

    def __init__(self) -> None:
        self._issued: dict[str, tuple[str, float]] = {}

    def issue(self, session_token: str) -> str:
        now = time.monotonic()
        for stale in [t for t, (_, issued) in self._issued.items() if now - issued > TICKET_SECONDS]:
            del self._issued[stale]
        ticket = secrets.token_urlsafe(24)
        self._issued[ticket] = (session_token, now)
        return ticket

    def redeem(self, ticket: str) -> str | None:
        """The session token of a ticket, once, while it is valid."""
        entry = self._issued.pop(ticket, None)
        if entry is None or time.monotonic() - entry[1] > TICKET_SECONDS:
            return None
        return entry[0]


def hand_down(
    database: Database, rdw: RdwLookups, settings: Settings, streams: OpenStreams, mollie: MollieGateway | None
) -> None:
    app.state.database = database
    app.state.rdw = rdw
    app.state.mollie = mollie
    app.state.settings = settings
    app.state.streams = streams
    app.state.tickets = LoginTickets()


def database() -> Database:
    return cast(Database, app.state.database)


def board_orders() -> list[WorkOrderPublic]:
    """What the board shows (open orders and the recent Afgerond ones): what the live pages open with."""
    return workorders.list_work_orders(database(), cast(Settings, app.state.settings).board_done_days)


def board_page(limit: int, offset: int) -> workorders.SearchPage:
    """A page of the board's orders, newest first (the list's opening view), and how many the board holds."""
    return workorders.board_page(database(), cast(Settings, app.state.settings).board_done_days, limit, offset)


def rdw_lookups() -> RdwLookups:
    return cast(RdwLookups, app.state.rdw)


def mollie() -> MollieGateway | None:
    """None while MOLLIE_API_KEY is unset: no payment links."""
    return cast(MollieGateway | None, app.state.mollie)


def streams() -> OpenStreams:
    return cast(OpenStreams, app.state.streams)


def tickets() -> LoginTickets:
    return cast(LoginTickets, app.state.tickets)


def mail_enabled() -> bool:
    """SMTP_HOST is set: e-mails to customers go out (else they are written as `uit`)."""
    return cast(Settings, app.state.settings).mail_enabled


def public_url() -> str:
    """PUBLIC_URL: the address customers and the iPad reach this server on (links to share start with it)."""
    return cast(Settings, app.state.settings).public_url
