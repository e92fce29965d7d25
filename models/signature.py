"""The customer's approval: who signed, the PNG they drew, and when the server received it. Never changed."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class Signature(SQLModel, table=True):
    __tablename__ = "signature"

    id: int | None = Field(default=None, primary_key=True)
    work_order_id: int = Field(foreign_key="work_order.id", unique=True)
    signer_name: str = Field(max_length=200)
    png: bytes
    signed_at: datetime
