"""business customers: a customer's KvK number and BTW-id (its invoices then also go out as UBL)

The stored stream messages' customers gain `kvk` and `vatNumber` (null: nobody had them), so a replay from an old
cursor still matches the published event schema.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 05:00:00
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from services.migrations.stored_messages import in_message_and_order, rewrite_work_order_messages

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customer") as table:
        table.add_column(sa.Column("kvk", sa.String(length=8), nullable=True))
        table.add_column(sa.Column("vat_number", sa.String(length=20), nullable=True))
    rewrite_work_order_messages(in_message_and_order("customer", _with_business_numbers))


def _with_business_numbers(customer: Any) -> bool:
    if isinstance(customer, dict) and "kvk" not in customer:
        customer.update(kvk=None, vatNumber=None)
        return True
    return False


def downgrade() -> None:
    with op.batch_alter_table("customer") as table:
        table.drop_column("vat_number")
        table.drop_column("kvk")
