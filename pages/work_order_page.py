"""/admin/workorders/{id}: one work order with its whole history, live. (Being built.)"""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from models import Role
from pages.access import require
from pages.frame import frame
from services import workorders


def work_order_page(request: Request, work_order_id: int) -> RedirectResponse | None:
    principal = require(request, Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN)
    if isinstance(principal, RedirectResponse):
        return principal
    order = workorders.get_work_order(work_order_id)
    with frame(f"Werkorder {order.number}", principal):
        ui.element("div").props(f"data-workorder-id={order.id}")
    return None
