"""reports: an invoice keeps its total excl. VAT and its labour minutes beside its document (negative on a credit
note), so the shop's summary sums them in the database; indexes for the periods the reports read (invoices by
issue, work sessions by start, parts by receipt)

Existing invoices are filled in from their document (the total) and from their order's labour lines now (the
minutes: exact unless an order's labour changed after a credit note); a credit note mirrors its invoice.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 09:00:00
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("invoice", sa.Column("excluding_vat_cents", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("invoice", sa.Column("labour_minutes", sa.Integer(), nullable=False, server_default="0"))
    connection = op.get_bind()
    update = sa.text("UPDATE invoice SET excluding_vat_cents = :total WHERE id = :id")
    for invoice_id, document in connection.execute(sa.text("SELECT id, document FROM invoice")).all():
        connection.execute(update, {"total": json.loads(document)["totals"]["excludingVatCents"], "id": invoice_id})
    op.execute(
        "UPDATE invoice SET labour_minutes = (SELECT COALESCE(SUM(minutes), 0) FROM labour_line "
        "WHERE labour_line.work_order_id = invoice.work_order_id) WHERE kind = 'factuur'"
    )
    op.execute(
        "UPDATE invoice SET labour_minutes = -(SELECT original.labour_minutes FROM invoice AS original "
        "WHERE original.id = invoice.credit_of) WHERE kind = 'creditnota'"
    )
    op.create_index("ix_invoice_issued_at", "invoice", ["issued_at"])
    op.create_index("ix_work_session_started_at", "work_session", ["started_at"])
    op.create_index("ix_part_received_at", "part", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_part_received_at", table_name="part")
    op.drop_index("ix_work_session_started_at", table_name="work_session")
    op.drop_index("ix_invoice_issued_at", table_name="invoice")
    with op.batch_alter_table("invoice") as batch:
        batch.drop_column("labour_minutes")
        batch.drop_column("excluding_vat_cents")
