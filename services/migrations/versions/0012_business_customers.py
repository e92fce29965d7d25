"""business customers: a customer's KvK number and BTW-id (its invoices then also go out as UBL)

The stored stream messages' customers gain `kvk` and `vatNumber` (null: nobody had them), so a replay from an old
cursor still matches the published event schema.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 05:00:00
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customer") as table:
        table.add_column(sa.Column("kvk", sa.String(length=8), nullable=True))
        table.add_column(sa.Column("vat_number", sa.String(length=20), nullable=True))
    _upgrade_stored_messages()


def _with_business_numbers(customer: Any) -> bool:
    if isinstance(customer, dict) and "kvk" not in customer:
        customer.update(kvk=None, vatNumber=None)
        return True
    return False


def _upgrade_stored_messages() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, data FROM event_log WHERE kind = 'workorder-update'")).all()
    for event_id, data in rows:
        message = json.loads(data)
        order = message.get("workOrder")
        changed = _with_business_numbers(message.get("customer"))
        if isinstance(order, dict):
            changed = _with_business_numbers(order.get("customer")) or changed
        if changed:
            encoded = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
            connection.execute(
                sa.text("UPDATE event_log SET data = :data WHERE id = :id"), {"data": encoded, "id": event_id}
            )


def downgrade() -> None:
    with op.batch_alter_table("customer") as table:
        table.drop_column("vat_number")
        table.drop_column("kvk")
