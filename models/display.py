"""Which work order the counter iPad shows for signature (a single row, id 1)."""

from sqlmodel import Field, SQLModel


class DisplayState(SQLModel, table=True):
    __tablename__ = "display_state"

    id: int = Field(default=1, primary_key=True)
    work_order_id: int | None = Field(default=None, foreign_key="work_order.id")
