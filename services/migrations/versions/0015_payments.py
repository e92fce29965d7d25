"""payments: an invoice's status and reminder, the payments received and the Mollie payments we asked for

The stored stream messages gain the invoice's `status`, `paidCents`, `paymentUrl` and `payments` (open and unpaid:
no payment existed; a credit note `gecrediteerd`), so a replay from an old cursor still matches the published
event schema.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 12:00:00
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from services.migrations.stored_messages import in_message_and_order, rewrite_work_order_messages

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.add_column("invoice", sa.Column("status", sa.String(length=16), nullable=False, server_default="open"))
    op.add_column("invoice", sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_invoice_status", "invoice", ["status"])
    op.execute(
        "UPDATE invoice SET status = 'gecrediteerd' WHERE kind = 'creditnota' "
        "OR id IN (SELECT credit_of FROM invoice WHERE credit_of IS NOT NULL)"
    )
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("provider_id", sa.String(length=64), nullable=True),
        _fk("payment", "invoice_id", "invoice"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider_id", name="uq_payment_provider_id"),
    )
    op.create_index("ix_payment_invoice_id", "payment", ["invoice_id"])
    op.create_table(
        "payment_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.String(length=64), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("checkout_url", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("payment_link", "invoice_id", "invoice"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider_id", name="uq_payment_link_provider_id"),
    )
    op.create_index("ix_payment_link_invoice_id", "payment_link", ["invoice_id"])
    rewrite_work_order_messages(in_message_and_order("invoice", _with_payments), containing='"pdfUrl"')


def _with_payments(invoice: Any) -> bool:
    if not isinstance(invoice, dict) or "status" in invoice:
        return False
    invoice["status"] = "gecrediteerd" if invoice.get("kind") == "creditnota" else "open"
    invoice.update(paidCents=0, paymentUrl=None, payments=[])
    return True


def downgrade() -> None:
    op.drop_table("payment_link")
    op.drop_table("payment")
    op.drop_index("ix_invoice_status", "invoice")
    with op.batch_alter_table("invoice") as batch:
        batch.drop_column("reminded_at")
        batch.drop_column("status")
