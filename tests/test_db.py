"""The writer lock stays off the event loop: a write started there would stop every page and stream of the
process while it waits for another writer, so it is refused at once; in a worker thread it runs."""

import asyncio

import pytest

from services.db import Database, WriteOnTheEventLoop
from services.workorders import get_work_order
from tests.factories import create_order


async def test_a_write_on_the_event_loop_is_refused_and_runs_in_a_thread(database: Database) -> None:
    with pytest.raises(WriteOnTheEventLoop):
        create_order(database, "K. Klant", "AB123C", "Op de verkeerde plek")
    order = await asyncio.to_thread(create_order, database, "K. Klant", "AB123C", "In een werkdraad")
    assert get_work_order(database, order.id).description == "In een werkdraad"  # reads may run anywhere
