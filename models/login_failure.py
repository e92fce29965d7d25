"""Wrong passwords per account name, in the database so that every server process counts the same ones."""

from datetime import datetime

from sqlmodel import Field, Index, SQLModel


class LoginFailure(SQLModel, table=True):
    """One failed login for a name (an account or not: unknown names count too), kept for the throttle's window."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_name_failed_at", "name", "failed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    failed_at: datetime = Field(index=True)  # also how old rows are pruned
    client: str | None = Field(default=None, max_length=100)  # the caller's address, for the operator
