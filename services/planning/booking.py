"""The desk books a caller in: the packages picked and the slot tapped, in one transaction. A slot someone else
took meanwhile is refused with its reason, and then no package is added either."""

from models.planning_public import AppointmentSet
from models.public import WorkOrderPublic
from services.auth import Principal
from services.db import Database
from services.errors import Conflict
from services.events import mutation
from services.labour import open_for_changes
from services.packages import add_package_in
from services.planning.appointments import plan_in
from services.workorders import get_work_order_row


def book(
    db: Database, work_order_id: int, package_ids: list[int], body: AppointmentSet, *, actor: Principal | None
) -> WorkOrderPublic:
    """The packages' lines (`labour`, `parts`), then the appointment (`appointment`); `body.minutes` left out is
    the order's packages' norm minutes, these included."""
    with mutation(db, actor) as change:
        work_order = get_work_order_row(change.session, work_order_id)
        if body.version is not None and body.version != work_order.version:
            raise Conflict(f"Werkorder {work_order.number} is intussen gewijzigd (versie {work_order.version})")
        if package_ids:
            open_for_changes(change, work_order_id)
        for package_id in package_ids:
            add_package_in(change, work_order, package_id)
        return plan_in(change, work_order_id, body.model_copy(update={"version": None}))
