"""services.parts in-process where the time matters: "Ontvangen" can be taken back for exactly a minute after the
part was received (the shop's clock set with time-machine), and a late undo changes and emits nothing."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from models import Role
from models.public import PartCreate, PartUpdate
from services import parts
from services.auth import Principal
from services.db import Database
from services.errors import Conflict
from services.events import log_bounds
from services.workorders import get_work_order
from tests.factories import create_order

RECEIVED = datetime(2026, 12, 1, 10, 15, tzinfo=UTC)
WAREHOUSE = Principal("mila", Role.MAGAZIJN)


def received_part(db: Database) -> tuple[int, int]:
    """(order id, part id) of a part ordered and then received at RECEIVED."""
    order = create_order(db, "Fam. Visser", "AB123C", "Distributieriem")
    part = parts.add_part(db, order.id, PartCreate(description="Waterpomp", quantity=1), actor=WAREHOUSE)
    with time_machine.travel(RECEIVED - timedelta(days=1), tick=False):
        parts.update_part(db, order.id, part.id, PartUpdate(status="besteld"), actor=WAREHOUSE)
    with time_machine.travel(RECEIVED, tick=False):
        parts.update_part(db, order.id, part.id, PartUpdate(status="ontvangen"), actor=WAREHOUSE)
    return order.id, part.id


def test_received_goes_back_to_ordered_up_to_a_minute_after_it_came_in(database: Database) -> None:
    order_id, part_id = received_part(database)
    with time_machine.travel(RECEIVED + parts.UNDO_WINDOW, tick=False):
        undone = parts.update_part(database, order_id, part_id, PartUpdate(status="besteld"), actor=WAREHOUSE)
    assert (undone.status, undone.received_at, undone.version) == ("besteld", None, 4)
    assert undone.ordered_at == RECEIVED - timedelta(days=1)  # still ordered when it was


def test_a_minute_later_it_cannot_be_undone_and_nothing_changes(database: Database) -> None:
    order_id, part_id = received_part(database)
    before = get_work_order(database, order_id)
    newest = log_bounds(database)[1]
    with (
        time_machine.travel(RECEIVED + parts.UNDO_WINDOW + timedelta(milliseconds=1), tick=False),
        pytest.raises(Conflict, match="langer dan een minuut geleden ontvangen"),
    ):
        parts.update_part(database, order_id, part_id, PartUpdate(status="besteld"), actor=WAREHOUSE)
    assert get_work_order(database, order_id) == before
    assert log_bounds(database)[1] == newest
