"""Money received for an invoice: at the counter (pin, contant, overboeking) or online through Mollie, and the
Mollie payments we asked for (the payment links). A Mollie payment is recorded once: `provider_id` is unique."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel


class PaymentMethod(StrEnum):
    IDEAL = "ideal"
    CREDITCARD = "creditcard"
    BANCONTACT = "bancontact"
    PIN = "pin"
    CONTANT = "contant"
    OVERBOEKING = "overboeking"


ONLINE_METHODS = (PaymentMethod.IDEAL, PaymentMethod.CREDITCARD, PaymentMethod.BANCONTACT)
COUNTER_METHODS = (PaymentMethod.PIN, PaymentMethod.CONTANT, PaymentMethod.OVERBOEKING)


class Payment(SQLModel, table=True):
    __tablename__ = "payment"

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    method: str = Field(max_length=16)
    amount_cents: int
    at: datetime
    provider_id: str | None = Field(default=None, max_length=64, unique=True)  # Mollie's tr_…: recorded once


class PaymentLink(SQLModel, table=True):
    """A Mollie payment we created for an invoice's open amount: the webhook records only what matches one."""

    __tablename__ = "payment_link"

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    provider_id: str = Field(max_length=64, unique=True)
    amount_cents: int
    checkout_url: str = Field(max_length=1000)
    created_at: datetime
