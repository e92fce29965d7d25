"""shop contact: the phone number, e-mail address and opening hours the customer's status page shows

No stored event snapshot changes: the shop's settings are not part of the work order JSON.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-01 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = (
    sa.Column("phone", sa.String(length=40), nullable=True),
    sa.Column("email", sa.String(length=254), nullable=True),
    sa.Column("opening_hours", sa.String(length=500), nullable=True),
)


def upgrade() -> None:
    with op.batch_alter_table("shop_settings") as table:
        for column in COLUMNS:
            table.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("shop_settings") as table:
        for column in COLUMNS:
            table.drop_column(column.name)
