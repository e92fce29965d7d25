"""How the board's Gepland column follows the plan: today's and tomorrow's appointments in time order, then the
unplanned orders in their own order; later appointments are only counted (the planning page shows them)."""

from datetime import date, datetime, timedelta

from models import BoardColumn
from models.public import WorkOrderBase
from services.clock import shop_day

PlanKey = tuple[int, datetime | None, int]


def is_later(order: WorkOrderBase, today: date) -> bool:
    """Planned in Gepland for after tomorrow: counted, not shown."""
    appointment = order.appointment
    return (
        order.column == BoardColumn.GEPLAND.value
        and appointment is not None
        and shop_day(appointment.start) > today + timedelta(days=1)
    )


def plan_key(order: WorkOrderBase) -> PlanKey:
    if order.appointment is not None:
        return 0, order.appointment.start, order.id
    return 1, None, order.position


def plan_index(order: WorkOrderBase, others: list[WorkOrderBase]) -> int:
    """Where the card goes among the other cards of Gepland."""
    key = plan_key(order)
    return sum(1 for other in others if _before(plan_key(other), key))


def _before(one: PlanKey, other: PlanKey) -> bool:
    if one[0] != other[0]:
        return one[0] < other[0]
    if one[0] == 0:
        assert one[1] is not None and other[1] is not None
        return (one[1], one[2]) < (other[1], other[2])
    return one[2] < other[2]
