"""The desk's side of the counter iPad: "Naar iPad" that asks before it pushes away an order someone may be
signing, and a line saying what the iPad shows now, with "iPad vrijmaken". Used by the list, the order page and
the iPad preview (/admin/ipad)."""

from nicegui import run, ui

from models.public import WorkOrderBase, WorkOrderPublic
from pages.confirm import confirm
from pages.live import follow_display
from pages.state import database
from pages.unpriced_warning import send_despite_unpriced
from services import display
from services.auth import Principal
from services.display import DisplayBusy
from services.errors import ServiceError

BUSY_TITLE = "Er tekent nu iemand op de iPad"


async def _put(order_id: int | None, principal: Principal, replace: bool) -> None:
    await run.io_bound(display.set_current_display, database(), order_id, actor=principal, replace=replace)


async def send_to_ipad(order: WorkOrderBase, principal: Principal) -> None:
    """Naar iPad; the desk is asked first when parts have no price yet, and when another order still waits there for
    a signature."""
    if not await send_despite_unpriced(order):
        return
    with ui.context.client.content:  # the notices outlive the button that asked
        try:
            try:
                await _put(order.id, principal, replace=False)
            except DisplayBusy as busy:
                text = (
                    f"Op de iPad wacht {busy.waiting_number} nog op een handtekening. Stuurt u {order.number}, "
                    "dan verdwijnt die van het scherm."
                )
                if not await confirm(BUSY_TITLE, [text], f"{order.number} toch sturen", hook="data-confirm=busy"):
                    return
                await _put(order.id, principal, replace=True)
        except ServiceError as error:
            ui.notify(error.message, type="negative")
            return
        ui.notify(f"{order.number} staat op de iPad", type="positive")


class IpadStatus(ui.row):
    """What the iPad shows now, live, and "iPad vrijmaken" while it shows an order."""

    def __init__(self, principal: Principal) -> None:
        super().__init__()
        self.principal = principal
        self.classes("items-center gap-3 rounded bg-slate-100 px-3 py-1 min-h-[44px]").props("data-ipad-status")
        with self:
            ui.icon("tablet_mac").classes("text-slate-500")
            self.text = ui.label().classes("text-sm")
            self.clear_button = ui.button("iPad vrijmaken", icon="clear", on_click=self.clear_ipad)
            self.clear_button.props("flat dense no-caps").classes("min-h-[44px]")
        follow_display(self.refresh_status)
        self.show(display.current_display(database()))

    def show(self, order: WorkOrderPublic | None) -> None:
        if order is None:
            self.text.set_text("De iPad wacht op een werkorder")
            self.props(remove="data-ipad-order")
        else:
            self.text.set_text(f"Op de iPad: {order.number} · {order.customer_name}")
            self.props(f"data-ipad-order={order.id}")
        self.clear_button.set_visibility(order is not None)

    async def refresh_status(self) -> None:
        self.show(await run.io_bound(display.current_display, database()))

    async def clear_ipad(self) -> None:
        try:
            await _put(None, self.principal, replace=True)
        except ServiceError as error:
            ui.notify(error.message, type="negative")
            return
        ui.notify("De iPad is vrijgemaakt", type="positive")
