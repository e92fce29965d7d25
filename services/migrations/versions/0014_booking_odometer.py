"""booking and odometer: an online booking's own token (the customer's page to cancel it), and the flag on a
mileage lower than the car's last known one

The stored stream messages gain `workOrder.mileageWarning` (false: no stored mileage was flagged), so a replay from
an old cursor still matches the published event schema.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
from alembic import op

from services.migrations.stored_messages import order_gains, rewrite_work_order_messages

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("work_order") as batch:
        batch.add_column(sa.Column("mileage_warning", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("booking_token", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("uq_work_order_booking_token", ["booking_token"])
    op.create_index("ix_customer_email", "customer", [sa.text("lower(email)")])
    rewrite_work_order_messages(order_gains("mileageWarning", False))


def downgrade() -> None:
    op.drop_index("ix_customer_email", "customer")
    with op.batch_alter_table("work_order") as batch:
        batch.drop_constraint("uq_work_order_booking_token", type_="unique")
        batch.drop_column("booking_token")
        batch.drop_column("mileage_warning")
