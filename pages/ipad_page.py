"""/admin/ipad: the desk's view of the counter iPad. A live preview of what the iPad shows (nothing can be signed
here), "iPad vrijmaken", and how to pair a real iPad: a pairing link made here, or a token from the command line."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from models import Role
from pages.access import require
from pages.clipboard import copy_text
from pages.counter_ipad import IpadStatus
from pages.display import CounterDisplay
from pages.frame import frame
from pages.live import follow_display
from pages.state import database, public_url
from services import auth, display
from services.auth import Principal
from services.errors import ServiceError

DEFAULT_NAME = "balie-ipad"


def pairing_link(token: str) -> str:
    return f"{public_url()}/display?token={token}"


class Pairing(ui.card):
    """A display token made on the spot, shown once as the link to open on the iPad."""

    def __init__(self, principal: Principal) -> None:
        super().__init__()
        self.principal = principal
        self.classes("w-full max-w-2xl gap-3").props("data-pairing")
        with self:
            ui.label("Een iPad koppelen").classes("text-lg font-semibold")
            ui.label(
                "Maak een koppellink en open die één keer in Safari op de iPad aan de balie. De iPad blijft daarna "
                "gekoppeld en toont vanzelf elke werkorder die u naar de iPad stuurt. De link is een sleutel: "
                "deel hem met niemand anders."
            ).classes("text-sm")
            with ui.row().classes("w-full items-end gap-3 no-wrap"):
                self.name = ui.input("Naam van de iPad", value=DEFAULT_NAME).classes("grow")
                ui.button("Koppellink maken", icon="link", on_click=self.make_link).props("unelevated no-caps")
            with ui.row().classes("w-full items-end gap-3 no-wrap") as self.result:
                self.link = ui.input("Koppellink").props("readonly data-pairing-link").classes("grow")
                ui.button("Kopiëren", icon="content_copy", on_click=self.copy).props("outline no-caps")
            self.result.set_visibility(False)
            with ui.expansion("Liever via de opdrachtregel van de server").classes("w-full text-sm"):
                ui.label("Maak een sleutel voor de iPad (de sleutel staat op de laatste regel):")
                ui.code(f".venv/bin/python main.py create-token {DEFAULT_NAME} --role display", language="sh")
                ui.label("en open op de iPad:")
                ui.code(pairing_link("<sleutel>"), language="text")

    async def make_link(self) -> None:
        try:
            token = await run.io_bound(auth.create_token, database(), self.name.value or "", "display")
        except ServiceError as error:
            self.name.error = error.message
            return
        self.name.error = None
        if token is None:  # the server is shutting down
            return
        self.link.set_value(pairing_link(token))
        self.result.set_visibility(True)
        ui.notify("Koppellink gemaakt: open hem op de iPad", type="positive")

    async def copy(self) -> None:
        await copy_text(self.link.value, "Koppellink gekopieerd")


def ipad_page(request: Request) -> RedirectResponse | None:
    principal = require(request, Role.ADMIN)
    if isinstance(principal, RedirectResponse):
        return principal
    with frame("iPad aan de balie", principal):
        IpadStatus(principal)
        with ui.row().classes("w-full items-start gap-6"):
            with ui.column().classes("gap-2"):
                ui.label("Voorbeeld: dit ziet de klant op de iPad").classes("text-sm text-slate-600")
                with (
                    ui.element("div")
                    .classes(
                        "w-[40rem] max-w-full h-[44rem] overflow-auto rounded-[2rem] border-[12px] border-slate-800 "
                        "bg-white shadow-lg"
                    )
                    .props("data-ipad-preview")
                ):
                    screen = CounterDisplay(principal, preview=True)
            Pairing(principal)
        follow_display(screen.turn_changed)
        screen.show(display.current_display(database()))
    return None
