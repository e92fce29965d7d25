"""labour, approvals and invoices: labour lines (and the session minutes they billed), the approval records, the
shop's settings, invoices with their per-year counter

The stored stream messages gain the work order's new keys (`labour` empty, `totals` from the parts the snapshot
holds, `approval` and `invoice` null, `needsApproval` true until it was signed) and session events their
`reason` (null), so a replay from an old cursor still matches the published event schema.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 09:00:00
"""

import json
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _totals(parts: list[dict]) -> dict[str, int]:
    """As services.billing computes them (kept here: a migration must not change when the code does)."""
    excluding = sum(
        part["quantity"] * (part.get("unitPriceCents") or 0) for part in parts if part.get("status") != "retour"
    )
    vat = int((Decimal(excluding) * 21 / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return {"excludingVatCents": excluding, "vatCents": vat, "includingVatCents": excluding + vat}


def upgrade() -> None:
    op.create_table(
        "shop_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("kvk", sa.String(length=8), nullable=True),
        sa.Column("vat_number", sa.String(length=20), nullable=True),
        sa.Column("iban", sa.String(length=34), nullable=True),
        sa.Column("hourly_rate_cents", sa.Integer(), nullable=True),
        sa.Column("payment_term_days", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "labour_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("rate_cents", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["work_order_id"], ["work_order.id"], name="fk_labour_line_work_order_id_work_order"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_labour_line_work_order_id", "labour_line", ["work_order_id"])
    op.create_table(
        "labour_session",
        sa.Column("labour_line_id", sa.Integer(), nullable=False),
        sa.Column("work_session_id", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["labour_line_id"], ["labour_line.id"], name="fk_labour_session_labour_line_id"),
        sa.ForeignKeyConstraint(["work_session_id"], ["work_session.id"], name="fk_labour_session_work_session_id"),
        sa.PrimaryKeyConstraint("labour_line_id", "work_session_id"),
    )
    op.create_index("ix_labour_session_work_session_id", "labour_session", ["work_session_id"])
    op.create_table(
        "approval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device", sa.String(length=200), nullable=False),
        sa.Column("approved_total_cents", sa.Integer(), nullable=False),
        sa.Column("consent_version", sa.String(length=40), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("snapshot_sha256", sa.String(length=64), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["work_order_id"], ["work_order.id"], name="fk_approval_work_order_id_work_order"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_approval_work_order_id", "approval", ["work_order_id"])
    op.create_table(
        "invoice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("credit_of", sa.Integer(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["work_order_id"], ["work_order.id"], name="fk_invoice_work_order_id_work_order"),
        sa.ForeignKeyConstraint(["credit_of"], ["invoice.id"], name="fk_invoice_credit_of_invoice"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number", name="uq_invoice_number"),
        sa.UniqueConstraint("credit_of", name="uq_invoice_credit_of"),
    )
    op.create_index("ix_invoice_work_order_id", "invoice", ["work_order_id"])
    op.create_index("ix_invoice_year", "invoice", ["year"])
    op.create_table(
        "invoice_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, data FROM event_log WHERE kind = 'workorder-update'")).all()
    for event_id, data in rows:
        message = json.loads(data)
        order = message.get("workOrder")
        if not isinstance(order, dict) or "totals" in order:
            continue
        order["labour"] = []
        order["totals"] = _totals(order.get("parts", []))
        order["approval"] = None
        order["needsApproval"] = order.get("signedAt") is None
        order["invoice"] = None
        if message.get("changeType") == "session":
            message.setdefault("reason", None)
        encoded = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        connection.execute(
            sa.text("UPDATE event_log SET data = :data WHERE id = :id"), {"data": encoded, "id": event_id}
        )


def downgrade() -> None:
    for table in ("invoice_counter", "invoice", "approval", "labour_session", "labour_line", "shop_settings"):
        op.drop_table(table)
