"""Rewriting the stream messages kept in the event log when a migration adds fields to them, so that a replay
from an old cursor still matches the published event schema. Only the loop lives here; what each migration adds
stays in that migration, frozen with it."""

import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

Change = Callable[[Any], bool]  # True when it changed what it was given


def rewrite_work_order_messages(change: Callable[[dict[str, Any]], bool], containing: str = "") -> None:
    """`change` each stored `workorder-update` (only those whose text holds `containing`, when given: fewer to
    read) and store back the ones it changed."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, data FROM event_log WHERE kind = 'workorder-update' AND data LIKE :containing"),
        {"containing": f"%{containing}%"},
    ).all()
    for event_id, data in rows:
        message = json.loads(data)
        if change(message):
            encoded = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
            connection.execute(
                sa.text("UPDATE event_log SET data = :data WHERE id = :id"), {"data": encoded, "id": event_id}
            )


def in_message_and_order(key: str, change: Change) -> Callable[[dict[str, Any]], bool]:
    """A change of `key` wherever a message holds it: beside the work order (a customer's or vehicle's own
    change) and inside it."""

    def changed(message: dict[str, Any]) -> bool:
        order = message.get("workOrder")
        inside = change(order.get(key)) if isinstance(order, dict) else False
        return change(message.get(key)) or inside

    return changed


def order_gains(key: str, value: Any) -> Callable[[dict[str, Any]], bool]:
    """A message's work order gains `key`, as `value`, where it lacks it."""

    def changed(message: dict[str, Any]) -> bool:
        order = message.get("workOrder")
        if isinstance(order, dict) and key not in order:
            order[key] = value
            return True
        return False

    return changed
