"""appointment: the (day, mechanic) index also holds start and minutes, so the planning's per-day sums and the free
starts' busy times are read from the index alone, without the rows

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 05:00:00
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_appointment_day_mechanic", table_name="appointment")
    op.create_index("ix_appointment_day_mechanic_start", "appointment", ["day", "mechanic", "start", "minutes"])


def downgrade() -> None:
    op.drop_index("ix_appointment_day_mechanic_start", table_name="appointment")
    op.create_index("ix_appointment_day_mechanic", "appointment", ["day", "mechanic"])
