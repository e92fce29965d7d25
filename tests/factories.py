"""In-process shortcuts for tests that call the services directly (the simulated-user and fan-out tests)."""

from models.public import WorkOrderCreate, WorkOrderPublic
from services import workorders
from services.auth import Principal


def create_order(customer: str, plate: str, description: str, actor: Principal | None = None) -> WorkOrderPublic:
    """A work order for a new customer, the way the desk makes one."""
    new = WorkOrderCreate(customer_name=customer, license_plate=plate, description=description)
    return workorders.create_work_order(new, actor=actor)
