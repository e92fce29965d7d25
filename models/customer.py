"""A customer of the workshop: a person or company whose cars come in."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class Customer(SQLModel, table=True):
    __tablename__ = "customer"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    email: str | None = Field(default=None, max_length=254)  # indexed as lower(email): an online booking finds by it
    phone: str | None = Field(default=None, max_length=40)
    street: str | None = Field(default=None, max_length=200)
    postal_code: str | None = Field(default=None, max_length=7)
    city: str | None = Field(default=None, max_length=100)
    kvk: str | None = Field(default=None, max_length=8)  # a business customer: its invoices also go out as UBL
    vat_number: str | None = Field(default=None, max_length=20)
    reminders_opt_out_at: datetime | None = None  # when the customer asked for no more reminders (AVG: kept dated)
    created_at: datetime
    updated_at: datetime
