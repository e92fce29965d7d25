"""In-process shortcuts for tests that call the services directly (the simulated-user and fan-out tests)."""

from models.public import WorkOrderCreate, WorkOrderPublic
from services import workorders
from services.auth import Principal
from services.db import Database


def create_order(
    db: Database, customer: str, plate: str, description: str, actor: Principal | None = None
) -> WorkOrderPublic:
    """A work order for a new customer, the way the desk makes one."""
    new = WorkOrderCreate(customer_name=customer, license_plate=plate, description=description)
    return workorders.create_work_order(db, new, actor=actor)
