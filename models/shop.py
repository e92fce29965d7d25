"""The shop's own details, as its invoices and the customer's status page show them, and how it bills (a single
row, id 1): empty until the desk fills them in."""

from sqlmodel import Field, SQLModel


class ShopSettings(SQLModel, table=True):
    __tablename__ = "shop_settings"

    id: int = Field(default=1, primary_key=True)
    name: str | None = Field(default=None, max_length=200)
    street: str | None = Field(default=None, max_length=200)
    postal_code: str | None = Field(default=None, max_length=20)
    city: str | None = Field(default=None, max_length=100)
    kvk: str | None = Field(default=None, max_length=8)
    vat_number: str | None = Field(default=None, max_length=20)
    iban: str | None = Field(default=None, max_length=34)
    hourly_rate_cents: int | None = None
    payment_term_days: int | None = None
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)
    opening_hours: str | None = Field(default=None, max_length=500)  # free text: "ma–vr 08:00–17:30"
    billing_unit_minutes: int = Field(default=15)  # "Uren overnemen" rounds clocked time up to this unit
