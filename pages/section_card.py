"""The sections of the work order page (Kop, Klant, Voertuig, Werktijd; later Onderdelen, Arbeid en totalen, …):
one titled card each in one responsive grid, so a new section is one more Section subclass and nothing moves."""

from typing import ClassVar

from nicegui import ui

from models.public import WorkOrderPublic

_NOT_DRAWN = object()


def section_grid() -> ui.element:
    """One column on a phone, two from a tablet up; a wide section spans both."""
    return ui.element("div").classes("w-full grid grid-cols-1 md:grid-cols-2 gap-4 items-start")


class SectionCard(ui.card):
    """A titled card with `data-section=NAME`; buttons go in `actions`, beside the title."""

    def __init__(self, title: str, name: str, *, wide: bool = False) -> None:
        super().__init__()
        self.props(f"data-section={name}").classes("w-full gap-3 p-4" + (" md:col-span-2" if wide else ""))
        with self, ui.row().classes("w-full items-center gap-2 no-wrap"):
            ui.label(title).classes("text-lg font-semibold grow")
            self.actions = ui.row().classes("gap-1")


class Section:
    """A card drawn from the work order. An event carries the whole order; `show` redraws the body only when
    the part this section shows (`part`) changed, so a column move does not redraw the customer. A subclass adds
    its buttons to `card.actions`, then calls `show(order)` at the end of its __init__."""

    title: ClassVar[str]
    name: ClassVar[str]
    wide: ClassVar[bool] = False

    def __init__(self, order: WorkOrderPublic) -> None:
        self.order = order
        self.card = SectionCard(self.title, self.name, wide=self.wide)
        with self.card:
            self.body = ui.column().classes("w-full gap-1")
        self._shown: object = _NOT_DRAWN

    def part(self, order: WorkOrderPublic) -> object:
        raise NotImplementedError

    def draw(self, order: WorkOrderPublic) -> None:
        raise NotImplementedError

    def show(self, order: WorkOrderPublic) -> None:
        self.order = order  # the latest, for a dialog opened from this section
        part = self.part(order)
        if part == self._shown:
            return
        self._shown = part
        self.body.clear()
        with self.body:
            self.draw(order)
