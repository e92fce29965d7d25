"""What main built once for the process and handed to the pages, kept on NiceGUI's app.state (a page function's
signature belongs to FastAPI: it cannot take it as an argument)."""

from typing import cast

from nicegui import app

from models.public import WorkOrderPublic
from services import workorders
from services.settings import Settings
from services.vehicles import RdwLookups


def hand_down(rdw: RdwLookups, settings: Settings) -> None:
    app.state.rdw = rdw
    app.state.settings = settings


def board_orders() -> list[WorkOrderPublic]:
    """What the board shows (open orders and the recent Afgerond ones): what the live pages open with."""
    return workorders.list_work_orders(cast(Settings, app.state.settings).board_done_days)


def rdw_lookups() -> RdwLookups:
    return cast(RdwLookups, app.state.rdw)


def mail_enabled() -> bool:
    """SMTP_HOST is set: e-mails to customers go out (else they are written as `uit`)."""
    return cast(Settings, app.state.settings).mail_enabled
