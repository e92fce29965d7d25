"""The monteurs as the planning knows them: their working hours per weekday and their days off (admin)."""

import json

from sqlmodel import col, select

from models import Mechanic, Role, User
from models.planning_public import MechanicPublic, MechanicUpdate
from services.auth import Principal
from services.db import Database
from services.errors import Invalid, NotFound
from services.events import mutation
from services.planning.capacity import WEEKDAYS, Schedule, clock_time, schedule_of, schedules


def mechanic_public(schedule: Schedule) -> MechanicPublic:
    return MechanicPublic(
        name=schedule.name, active=schedule.active, work_hours=schedule.work_hours, days_off=sorted(schedule.days_off)
    )


def list_mechanics(db: Database) -> list[MechanicPublic]:
    with db.read() as session:
        return [mechanic_public(schedule) for schedule in schedules(session)]


def _checked_hours(work_hours: dict[str, list[str] | None]) -> dict[str, list[str] | None]:
    checked: dict[str, list[str] | None] = {}
    for weekday, hours in work_hours.items():
        if weekday not in WEEKDAYS:
            raise Invalid(f"Werktijden: {weekday!r} is geen weekdag (1 = maandag … 7 = zondag)", "workHours")
        if hours is None:
            checked[weekday] = None
            continue
        try:
            start, end = (clock_time(moment) for moment in hours)
        except ValueError:
            raise Invalid(f"Werktijden van dag {weekday}: geef begin en einde als uu:mm", "workHours") from None
        if start >= end:
            raise Invalid(f"Werktijden van dag {weekday}: het begin moet voor het einde liggen", "workHours")
        checked[weekday] = [start.strftime("%H:%M"), end.strftime("%H:%M")]
    return checked


def update_mechanic(db: Database, name: str, body: MechanicUpdate, *, actor: Principal | None) -> MechanicPublic:
    """Only the fields sent change; in workHours, weekdays left out keep their hours (null: not working)."""
    hours = None if body.work_hours is None else _checked_hours(body.work_hours)
    with mutation(db, actor) as change:
        session = change.session
        user = session.exec(select(User).where(col(User.name) == name, col(User.role) == Role.MONTEUR.value)).first()
        if user is None:
            raise NotFound(f"Monteur {name} bestaat niet")
        row = session.get(Mechanic, name)
        current = schedule_of(name, row)
        row = row or Mechanic(name=name, work_hours=json.dumps(current.work_hours))
        if body.active is not None:
            row.active = body.active
        if hours is not None:
            row.work_hours = json.dumps({**current.work_hours, **hours})
        if body.days_off is not None:
            row.days_off = json.dumps(sorted({day.isoformat() for day in body.days_off}))
        session.add(row)
        session.flush()
        return mechanic_public(schedule_of(name, row))
