"""Invoices and credit notes: numbered YYYY-NNNN without gaps per year (invoice_counter), and a copy of
everything they say (lines, totals, shop, customer) taken when issued, so they never change afterwards."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from models.public import InvoiceLine, PublicModel, ShopSettingsPublic, Totals


class InvoiceKind(StrEnum):
    FACTUUR = "factuur"
    CREDITNOTA = "creditnota"


class InvoiceStatus(StrEnum):
    """Kept beside the payments in the same transaction, so open invoices are one indexed read."""

    OPEN = "open"
    BETAALD = "betaald"  # paid in full
    GECREDITEERD = "gecrediteerd"  # a credit note settled it (and a credit note itself: nothing to pay)


class Invoice(SQLModel, table=True):
    __tablename__ = "invoice"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    year: int = Field(index=True)
    sequence: int  # NNNN: the number within its year
    kind: str = Field(max_length=16)
    work_order_id: int = Field(foreign_key="work_order.id", index=True)
    credit_of: int | None = Field(default=None, foreign_key="invoice.id", unique=True)  # one credit note each
    issued_at: datetime = Field(index=True)
    delivered_on: date  # the day the work was done (the order entered Klaar), or the invoice date
    due_on: date
    document: str = Field(sa_column=Column(Text, nullable=False))  # lines, totals, shop and customer as issued
    status: str = Field(default=InvoiceStatus.OPEN.value, max_length=16, index=True)
    reminded_at: datetime | None = None  # the `herinnering` e-mail was queued: never a second one
    # Copied from the document when issued (negative on a credit note), so the reports sum them in the database.
    excluding_vat_cents: int = 0
    labour_minutes: int = 0


class InvoiceCounter(SQLModel, table=True):
    """The last number given out per year, advanced inside the invoicing transaction."""

    __tablename__ = "invoice_counter"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last: int = 0


class InvoiceCustomer(PublicModel):
    name: str
    street: str | None
    postal_code: str | None
    city: str | None
    kvk: str | None = None  # copied since it existed: the UBL names a business customer by it
    vat_number: str | None = None


class InvoiceDocument(PublicModel):
    """Everything an invoice says, copied when it is issued (stored as JSON in Invoice.document)."""

    lines: list[InvoiceLine]
    totals: Totals
    shop: ShopSettingsPublic
    customer: InvoiceCustomer
    work_order_number: str
    license_plate: str
    credit_of_number: str | None = None
