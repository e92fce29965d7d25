"""The fan-out design, in-process: one change to K subscribers is encoded once, and a subscriber that falls
behind is cut off without holding up the others."""

import asyncio

import pytest

from services.broadcaster import PING, Broadcaster, LogBatch, LogEvent
from services.db import Database
from tests.factories import create_order

K = 50


async def test_one_change_to_k_subscribers_is_serialized_once(database: Database) -> None:
    database.broadcaster.bind(asyncio.get_running_loop())
    subscriptions = [database.broadcaster.subscribe() for _ in range(K)]
    try:
        await asyncio.to_thread(create_order, database, "K. Klant", "AB123C", "Kleine beurt")
        received = [await asyncio.wait_for(s.get(), 5) for s in subscriptions]
    finally:
        for subscription in subscriptions:
            subscription.unsubscribe()
    batch = received[0]
    assert batch is not None and isinstance(batch, LogBatch) and [e.change_type for e in batch.events] == ["created"]
    assert all(other is batch for other in received)  # one object: its JSON was encoded once, at append
    wire = [batch.sse for _ in received]  # every one is `batch` itself
    assert all(chunk is wire[0] for chunk in wire)  # and its SSE bytes once, for every stream
    first = batch.events[0]
    assert wire[0] == f"id: {first.id}\r\ndata: {first.data}\r\n\r\n".encode()


@pytest.mark.parametrize("bound", [1, 8])
async def test_a_subscriber_that_falls_behind_is_dropped_and_freed(bound: int) -> None:
    fanout = Broadcaster(queue_size=bound)
    fanout.bind(asyncio.get_running_loop())
    slow, fast = fanout.subscribe(), fanout.subscribe()
    events = [LogEvent(i, "workorder-update", 1, "column", "{}") for i in range(1, bound + 2)]
    for event in events:
        fanout.publish([event])
        delivered = await fast.get()  # the reader keeps up
        assert delivered is not None and delivered.events == (event,)
    assert slow.dropped and fanout.subscriber_count == 1
    assert slow.backlog == 0 and await slow.get() is None  # backlog freed; the consumer is told to resume


async def test_one_timer_pings_the_streams_and_not_the_pages() -> None:
    fanout = Broadcaster()
    fanout.bind(asyncio.get_running_loop())
    stream, relay = fanout.subscribe(pings=True), fanout.subscribe()
    fanout.ping()
    assert await asyncio.wait_for(stream.get(), 1) is PING
    assert relay.backlog == 0
    await asyncio.wait_for(fanout.ping_forever(0), 1)  # 0 turns pings off: it returns instead of spinning
