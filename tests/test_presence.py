"""Presence in-process (services/inspections/presence.py): each open status page counts, each change is one
`presence` event in the log (not in the order's history), and a process that starts again clears the pages it
held before a crash, saying so."""

import json

from models import EventKind
from services.db import Database
from services.events import events_after
from services.history import work_order_history
from services.inspections import presence
from tests.factories import create_order


def presence_events(database: Database, after: int) -> list[tuple[int | None, int]]:
    found = [event for event in events_after(database, after) if event.kind == EventKind.PRESENCE]
    return [(event.work_order_id, json.loads(event.data)["viewing"]) for event in found]


def test_pages_are_counted_across_processes_and_a_restart_clears_its_own(database: Database) -> None:
    one = create_order(database, "Fam. Een", "AB-123-C", "APK")
    two = create_order(database, "Fam. Twee", "AB-124-C", "APK")
    start = events_after(database, 0)[-1].id
    here, there = presence.process_name(8080), presence.process_name(8081)
    first = presence.page_opened(database, one.id, here)
    presence.page_opened(database, one.id, there)
    presence.page_opened(database, two.id, here)
    assert presence.viewing(database) == {one.id: 2, two.id: 1}
    presence.page_closed(database, first)
    presence.page_closed(database, first)  # closed twice (a retry): nothing changes, nothing is said
    assert presence.viewing(database, [one.id]) == {one.id: 1}

    presence.forget_process(database, here)  # `here` was killed and starts again
    assert presence.viewing(database) == {one.id: 1}
    assert presence_events(database, start) == [(one.id, 1), (one.id, 2), (two.id, 1), (one.id, 1), (two.id, 0)]
    assert {entry.change_type for entry in work_order_history(database, two.id)} == {"created"}
    presence.forget_process(database, here)  # nothing left of it: no event
    assert len(presence_events(database, start)) == 5
