"""The customer's approval of an estimate: on the iPad or by telephone, with exactly what was approved (a JSON
snapshot) and its SHA-256. Written once, never changed or deleted."""

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class Approval(SQLModel, table=True):
    __tablename__ = "approval"

    id: int | None = Field(default=None, primary_key=True)
    work_order_id: int = Field(foreign_key="work_order.id", index=True)
    method: str = Field(max_length=16)  # ipad | telefoon
    signer_name: str = Field(max_length=200)
    signed_at: datetime
    device: str = Field(max_length=200)  # the token or account that recorded it ("ipad-balie (display)")
    approved_total_cents: int
    consent_version: str = Field(max_length=40)
    snapshot: str = Field(sa_column=Column(Text, nullable=False))  # the canonical JSON the hash is over
    snapshot_sha256: str = Field(max_length=64)
    png: bytes | None = None  # the signature drawn on the iPad (the first one is also the order's Signature row)
