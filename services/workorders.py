"""Creating work orders and moving them across the board."""

from sqlalchemy import bindparam, func, update
from sqlmodel import Session, col, select

from models import COLUMN_STATUS, BoardColumn, ChangeType, WorkOrder, WorkOrderStatus
from models.public import WorkOrderPublic
from services.clock import utcnow
from services.db import read_session
from services.errors import Conflict, Invalid, NotFound
from services.events import Mutation, mutation
from services.plates import normalize_plate
from services.text import clean_line, clean_text
from services.views import board, work_order_public


def get_work_order_row(session: Session, work_order_id: int) -> WorkOrder:
    work_order = session.get(WorkOrder, work_order_id)
    if work_order is None:
        raise NotFound(f"Werkorder {work_order_id} bestaat niet")
    return work_order


def list_work_orders() -> list[WorkOrderPublic]:
    with read_session() as session:
        return board(session)


def get_work_order(work_order_id: int) -> WorkOrderPublic:
    with read_session() as session:
        return work_order_public(session, get_work_order_row(session, work_order_id))


def parse_column(raw: str) -> BoardColumn:
    try:
        return BoardColumn(raw)
    except ValueError:
        raise Invalid(f"Onbekende kolom: {raw!r}") from None


# Built once: a move runs these on every drag, and building and keying a statement cost more than running it.
_COLUMN_SIZE = (
    select(func.count())
    .select_from(WorkOrder)
    .where(col(WorkOrder.column) == bindparam("in_column"), col(WorkOrder.id) != bindparam("without"))
)
_SHIFT = (
    update(WorkOrder)
    .where(
        col(WorkOrder.column) == bindparam("in_column"),
        col(WorkOrder.position) >= bindparam("from_position"),
        col(WorkOrder.id) != bindparam("without"),
    )
    .values(position=col(WorkOrder.position) + bindparam("by"))
    .execution_options(synchronize_session=False)  # only the moved card is loaded, and it is excluded
)
_NO_ID = 0  # ids start at 1


def _column_size(session: Session, column: str, without: int | None) -> int:
    return int(session.execute(_COLUMN_SIZE, {"in_column": column, "without": without or _NO_ID}).scalar_one())


def _shift(session: Session, column: str, from_position: int, by: int, without: int | None) -> None:
    """Positions in a column stay dense (0..n-1): move every card at or after a position up or down by one."""
    params = {"in_column": column, "from_position": from_position, "by": by, "without": without or _NO_ID}
    session.execute(_SHIFT, params)


def _next_number(session: Session) -> str:
    prefix = f"WO-{utcnow().year}-"
    last = session.exec(
        select(WorkOrder.number)
        .where(col(WorkOrder.number).startswith(prefix))
        .order_by(func.length(WorkOrder.number).desc(), col(WorkOrder.number).desc())
        .limit(1)
    ).first()
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def create_work_order(customer_name: str, license_plate: str, description: str) -> WorkOrderPublic:
    """A new order starts at the bottom of Gepland with status NIEUW."""
    customer_name = clean_line(customer_name, "Klantnaam", 200)
    plate = normalize_plate(license_plate)
    description = clean_text(description, "Omschrijving", 4000)
    with mutation() as change:
        session = change.session
        now = utcnow()
        work_order = WorkOrder(
            number=_next_number(session),
            customer_name=customer_name,
            license_plate=plate,
            description=description,
            status=WorkOrderStatus.NIEUW.value,
            column=BoardColumn.GEPLAND.value,
            position=_column_size(session, BoardColumn.GEPLAND.value, None),
            created_at=now,
            updated_at=now,
        )
        session.add(work_order)
        return change.record(work_order, (ChangeType.CREATED, {}))


def place(change: Mutation, work_order: WorkOrder, column: BoardColumn, position: int | None) -> WorkOrderPublic | None:
    """Put the card at (column, position), closing the gap it leaves; records column and status events and
    returns the work order as they carry it (None when it was already there: nothing changed)."""
    session = change.session
    size = _column_size(session, column.value, work_order.id)
    index = size if position is None else min(position, size)
    if work_order.column == column.value and work_order.position == index:
        return None
    _shift(session, work_order.column, work_order.position + 1, -1, work_order.id)  # close the gap it leaves
    _shift(session, column.value, index, +1, work_order.id)  # and open one where it goes
    old_status = work_order.status
    work_order.column = column.value
    work_order.position = index
    work_order.status = COLUMN_STATUS[column].value
    work_order.version += 1
    work_order.updated_at = utcnow()
    changes = [(ChangeType.COLUMN, {"column": column.value, "position": index})]
    if work_order.status != old_status:
        changes.append((ChangeType.STATUS, {"status": work_order.status}))
    return change.record(work_order, *changes)


def move_to_column(
    work_order_id: int, column: str, position: int | None = None, version: int | None = None
) -> WorkOrderPublic:
    """Drag a card: a stale version means someone moved it first (409); nothing changes then."""
    target = parse_column(column)
    if position is not None and position < 0:
        raise Invalid("Positie kan niet negatief zijn")
    with mutation() as change:
        work_order = get_work_order_row(change.session, work_order_id)
        if version is not None and version != work_order.version:
            raise Conflict(f"Werkorder {work_order.number} is intussen gewijzigd (versie {work_order.version})")
        return place(change, work_order, target, position) or work_order_public(change.session, work_order)
