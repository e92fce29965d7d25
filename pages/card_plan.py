"""A card's plan: its appointment (`data-planned-start`, "di 8 dec 09:00 · jan") and, once the clocked minutes
passed the planned ones, `data-overrun` with "loopt uit"."""

from nicegui import ui

from models.public import WorkOrderPublic, iso_utc
from services.planning import dutch_moment


def show_plan(card: ui.element, planned: ui.label, overrun: ui.label, order: WorkOrderPublic) -> None:
    appointment = order.appointment
    if appointment is None:
        card.props(remove="data-planned-start")
        planned.set_visibility(False)
    else:
        card.props(f'data-planned-start="{iso_utc(appointment.start)}"')
        mechanic = f" · {appointment.mechanic}" if appointment.mechanic else ""
        planned.set_text(f"{dutch_moment(appointment.start)}{mechanic}")
        planned.set_visibility(True)
    if order.progress.overrun:
        card.props("data-overrun")
    else:
        card.props(remove="data-overrun")
    overrun.set_visibility(order.progress.overrun)
