"""Feedback and safety on the desk's pages: a removal asks first and names what it removes ("Onderdeel
'Remblokkenset' verwijderen?"), and every change says in a short notice that it is done (or why not). Both live in a
container that outlasts the row they came from (a section's card): a live redraw of that row must not take the
question away, nor the notice (a deleted row's slot cannot reach its page any more)."""

from nicegui import ui


async def confirm(where: ui.element, question: str, action: str, detail: str = "") -> bool:
    """True once `action` is pressed; Annuleren, Escape or a click beside the dialog is no."""
    with where, ui.dialog() as dialog, ui.card().classes("w-[26rem] max-w-full gap-3").props("data-confirm"):
        ui.label(question).classes("text-lg font-semibold")
        if detail:
            ui.label(detail).classes("text-sm")
        with ui.row().classes("w-full justify-end"):
            ui.button("Annuleren", on_click=lambda: dialog.submit(False)).props("flat no-caps")
            ui.button(action, on_click=lambda: dialog.submit(True)).props("unelevated no-caps color=negative")
    answer = await dialog
    dialog.delete()
    return answer is True


def say(where: ui.element, message: str, done: bool = True) -> None:
    """A short notice: green for done, red for a refusal."""
    with where:
        ui.notify(message, type="positive" if done else "negative")
