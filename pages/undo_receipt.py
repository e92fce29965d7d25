"""The parts desk's "Ongedaan maken": for a minute after a tap on "Ontvangen" a notice under the header (clear of
the other notices, at the bottom) offers to take it back (a mis-tap), as the server allows (parts.UNDO_WINDOW)."""

from nicegui import run, ui

from models import PartStatus
from models.public import PartPublic, PartUpdate, WorkOrderBase
from pages.state import database
from pages.theme import TOUCH_BUTTON
from services import parts
from services.auth import Principal
from services.clock import as_utc, utcnow
from services.errors import ServiceError


class RecentReceipts(ui.column):
    """One notice per part this desk just received, each with its own timer."""

    def __init__(self, principal: Principal) -> None:
        super().__init__()
        self.principal = principal
        self.notices: dict[int, tuple[PartPublic, ui.element]] = {}  # part id -> (as received, its notice)
        self.classes("fixed top-16 left-1/2 -translate-x-1/2 z-50 gap-2 items-center w-max max-w-[95vw]")

    def received(self, order: WorkOrderBase, part: PartPublic) -> None:
        if part.received_at is None:
            return
        left = (as_utc(part.received_at) + parts.UNDO_WINDOW - utcnow()).total_seconds()
        self.forget(part.id)
        with self:
            notice = ui.row().classes("items-center gap-4 rounded-lg bg-slate-800 text-white pl-4 pr-2 py-2 shadow-lg")
            with notice.props(f'data-undo-part-id={part.id} role="status"'):
                ui.label(f"{part.description} ontvangen voor {order.number}").classes("text-base")
                ui.button("Ongedaan maken", icon="undo", on_click=lambda: self.undo(part)).props(
                    f"{TOUCH_BUTTON} color=amber-4 text-color=black"
                )
                ui.timer(max(left, 0.1), lambda: self.forget(part.id), once=True)
        self.notices[part.id] = (part, notice)

    def follow(self, order: WorkOrderBase) -> None:
        """A notice goes as soon as its part changed elsewhere (fitted, sent back, or taken back already)."""
        for part in order.parts:
            shown = self.notices.get(part.id)
            if shown is not None and (part.status != PartStatus.ONTVANGEN or part.version != shown[0].version):
                self.forget(part.id)
        kept = {part.id for part in order.parts}
        for part_id, (part, _) in list(self.notices.items()):
            if part.work_order_id == order.id and part_id not in kept:
                self.forget(part_id)

    def forget(self, part_id: int) -> None:
        if (shown := self.notices.pop(part_id, None)) is not None:
            shown[1].delete()

    async def undo(self, part: PartPublic) -> None:
        body = PartUpdate(status=PartStatus.BESTELD.value, version=part.version)
        try:
            await run.io_bound(parts.update_part, database(), part.work_order_id, part.id, body, actor=self.principal)
        except ServiceError as error:
            refusal: str | None = error.message
        else:
            refusal = None
        self.forget(part.id)
        with self:  # the notice that was clicked is gone by now
            if refusal is not None:
                ui.notify(refusal, type="negative")
            else:
                ui.notify(f"{part.description} staat weer als besteld", type="info")
