"""event schema 2: the stored stream messages carry the work order as a list or board needs it

In every stored `workorder-update`, `workOrder.approval` loses its `snapshot`, `workOrder.invoice` its `lines`, and
`workOrder.inspection` its `items`, which become `counts`; an `approval` event's own `approval` loses its snapshot
too (a telephone approval's note moves beside it, as `note`), and an `invoice` or `payment` event's own `invoice`
its lines. So a replay from any cursor gives one shape, the one the published schema (version 2) describes. The
complete records stay where they always were (approval, invoice and inspection tables; GET /api/workorders/{id}).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 09:00:00
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

BATCH = 500


def _counts(items: list[dict[str, Any]]) -> dict[str, int]:
    """As models.public.InspectionSummary counts them (frozen here with this release)."""
    grades = [item.get("grade") for item in items]
    decisions = [item.get("decision") for item in items if item.get("recommendation") is not None]
    return {
        "total": len(items),
        "groen": grades.count("groen"),
        "oranje": grades.count("oranje"),
        "rood": grades.count("rood"),
        "ungraded": grades.count(None),
        "photos": sum(len(item.get("photos") or []) for item in items),
        "recommendations": len(decisions),
        "approved": decisions.count("akkoord"),
        "declined": decisions.count("afgewezen"),
    }


def _without(record: Any, key: str) -> bool:
    if isinstance(record, dict) and key in record:
        del record[key]
        return True
    return False


def _lean(message: dict[str, Any]) -> bool:
    """Message of schema 1 → schema 2, in place; True when it changed."""
    changed = False
    order = message.get("workOrder")
    if isinstance(order, dict):
        changed |= _without(order.get("approval"), "snapshot")
        changed |= _without(order.get("invoice"), "lines")
        inspection = order.get("inspection")
        if isinstance(inspection, dict) and "items" in inspection:
            inspection["counts"] = _counts(inspection.pop("items") or [])
            changed = True
    change_type = message.get("changeType")
    if change_type == "approval":
        approval = message.get("approval")
        if isinstance(approval, dict) and isinstance(approval.get("snapshot"), dict):
            message.setdefault("note", approval["snapshot"].get("note"))
        changed |= _without(approval, "snapshot")
        if "note" not in message:
            message["note"] = None
            changed = True
    elif change_type in ("invoice", "payment"):
        changed |= _without(message.get("invoice"), "lines")
    return changed


def upgrade() -> None:
    connection = op.get_bind()
    select = sa.text(
        "SELECT id, data FROM event_log WHERE kind = 'workorder-update' AND id > :after "
        "AND (data LIKE :snapshot OR data LIKE :lines OR data LIKE :items) ORDER BY id LIMIT :batch"
    )  # every approval event holds a "snapshot"; the other messages need no change
    patterns = {"snapshot": '%"snapshot"%', "lines": '%"lines"%', "items": '%"items"%', "batch": BATCH}
    update = sa.text("UPDATE event_log SET data = :data WHERE id = :id")
    after = 0
    while rows := connection.execute(select, {"after": after, **patterns}).all():
        for event_id, data in rows:
            message = json.loads(data)
            if _lean(message):
                encoded = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
                connection.execute(update, {"data": encoded, "id": event_id})
        after = rows[-1][0]


def downgrade() -> None:
    """The stored messages stay lean: what they left out is in the records themselves (and in GET)."""
