"""The workshop's day: mechanics' hours, loan cars, an order's appointment, the planning and its free starts."""

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from api.deps import Admin, DatabaseDep, DatabaseIdPath, Staff
from models.planning_public import (
    AppointmentSet,
    FreeSlot,
    LoanCarCreate,
    LoanCarPublic,
    MechanicPublic,
    MechanicUpdate,
    Planning,
)
from models.public import WorkOrderPublic
from services import planning

router = APIRouter(tags=["planning"])


@router.get("/api/mechanics", response_model=list[MechanicPublic])
def list_mechanics(db: DatabaseDep, _principal: Staff) -> list[MechanicPublic]:
    """Every monteur with their working hours per ISO weekday and days off."""
    return planning.list_mechanics(db)


@router.put("/api/mechanics/{name}", response_model=MechanicPublic)
def update_mechanic(
    db: DatabaseDep, name: Annotated[str, Path(max_length=100)], body: MechanicUpdate, principal: Admin
) -> MechanicPublic:
    """Only the fields sent change; weekdays left out of workHours keep their hours."""
    return planning.update_mechanic(db, name, body, actor=principal)


@router.get("/api/loan-cars", response_model=list[LoanCarPublic])
def list_loan_cars(db: DatabaseDep, _principal: Staff) -> list[LoanCarPublic]:
    return planning.list_loan_cars(db)


@router.post("/api/loan-cars", response_model=LoanCarPublic, status_code=status.HTTP_201_CREATED)
def add_loan_car(db: DatabaseDep, body: LoanCarCreate, principal: Admin) -> LoanCarPublic:
    return planning.add_loan_car(db, body, actor=principal)


@router.put("/api/workorders/{work_order_id}/appointment", response_model=WorkOrderPublic)
def set_appointment(
    db: DatabaseDep, work_order_id: DatabaseIdPath, body: AppointmentSet, principal: Admin
) -> WorkOrderPublic:
    """409 past the mechanic's capacity that day (unless `allowOverbooking`), for a loan car already out that day
    or a stale `version`; 422 outside working hours, on a holiday or a past day, for an unknown mechanic."""
    return planning.set_appointment(db, work_order_id, body, actor=principal)


@router.delete(
    "/api/workorders/{work_order_id}/appointment", status_code=status.HTTP_204_NO_CONTENT, response_class=Response
)
def cancel_appointment(db: DatabaseDep, work_order_id: DatabaseIdPath, principal: Admin) -> Response:
    planning.cancel_appointment(db, work_order_id, actor=principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/api/planning", response_model=Planning)
def get_planning(
    db: DatabaseDep,
    _principal: Staff,
    first: Annotated[date, Query(alias="from")],
    last: Annotated[date, Query(alias="to")],
) -> Planning:
    """Per day (at most 92) capacity and planned minutes, of the shop and each mechanic, and the appointments."""
    return planning.planning(db, first, last)


@router.get("/api/planning/free", response_model=list[FreeSlot])
def free_slots(
    db: DatabaseDep,
    _principal: Staff,
    minutes: Annotated[int, Query(ge=1, le=7 * 24 * 60)],
    first: Annotated[datetime | None, Query(alias="from")] = None,
    count: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[FreeSlot]:
    """The first `count` starts at which a mechanic still has `minutes` free that day, earliest first."""
    start = None if first is None else planning.shop_time(first)
    return planning.free_slots(db, minutes, start, count)
