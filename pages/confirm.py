"""Asking the desk first: a dialog with a question, what it should know, and two buttons in words. The answer is
awaited, so the action reads top to bottom (`if await confirm(...)`)."""

from nicegui import ui


async def confirm(
    question: str,
    lines: list[str],
    yes: str,
    *,
    warnings: list[str] | None = None,
    hook: str = "data-confirm",
    danger: bool = False,
) -> bool:
    """True when the desk chose `yes`. Warnings are listed in amber, each its own line (`data-warning`). Made on the
    page's layout, so a section redrawn meanwhile cannot take the open dialog with it."""
    with ui.context.client.layout, ui.dialog() as dialog, ui.card().classes("w-[30rem] max-w-full gap-3"):
        dialog.props(hook)
        ui.label(question).classes("text-lg font-semibold")
        for line in lines:
            ui.label(line).classes("text-sm")
        if warnings:
            with ui.column().classes("w-full gap-1 rounded bg-amber-100 text-amber-900 px-3 py-2"):
                for warning in warnings:
                    with ui.row().classes("items-start gap-2 no-wrap"):
                        ui.icon("warning").classes("mt-0.5")
                        ui.label(warning).classes("text-sm").props("data-warning")
        with ui.row().classes("w-full justify-end"):
            ui.button("Annuleren", on_click=lambda: dialog.submit(False)).props("flat no-caps")
            ui.button(yes, on_click=lambda: dialog.submit(True)).props(
                "unelevated no-caps" + (" color=negative" if danger else "")
            )
    confirmed = await dialog
    dialog.delete()
    return bool(confirmed)
