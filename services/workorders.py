"""Creating work orders, changing their details and moving them across the board."""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from pydantic.alias_generators import to_camel
from sqlalchemy import bindparam, func, or_, update
from sqlmodel import Session, col, select

from models import (
    COLUMN_STATUS,
    BoardColumn,
    Customer,
    NotificationKind,
    Role,
    WorkOrder,
    WorkOrderStatus,
    WorkSession,
)
from models.messages import Change, ColumnChanged, Created, DetailsChanged, SessionChanged, StatusChanged
from models.public import WorkOrderCreate, WorkOrderDetails, WorkOrderPublic
from services.auth import Principal
from services.clock import shop_day, utcnow
from services.customers import CUSTOMER_CLEANERS, get_customer_row, new_customer, phone_digits, phone_query
from services.db import Database
from services.errors import Conflict, Forbidden, Invalid, NotFound, clean_fields
from services.events import Mutation, mutation
from services.odometer import check_mileage_for_closing, flag_mileage
from services.outbox import queue_notification
from services.plates import normalize_plate
from services.text import clean_text, contains
from services.vehicles import queue_vehicle
from services.views import board, board_newest, current_invoice, publish_many, session_public, work_order_public

_PLATE_NOISE = re.compile(r"[\s\-.·]+")


def get_work_order_row(session: Session, work_order_id: int) -> WorkOrder:
    work_order = session.get(WorkOrder, work_order_id)
    if work_order is None:
        raise NotFound(f"Werkorder {work_order_id} bestaat niet")
    return work_order


def list_work_orders(db: Database, done_days: float) -> list[WorkOrderPublic]:
    """The board: every order not in Afgerond, and those that entered it in the last `done_days` days."""
    with db.read() as session:
        return board(session, utcnow() - timedelta(days=done_days))


DEFAULT_PAGE, MAX_PAGE = 100, 500


@dataclass(frozen=True)
class SearchPage:
    orders: list[WorkOrderPublic]
    total: int  # every match, for X-Total-Count and the pager


def search_work_orders(
    db: Database,
    query: str | None = None,
    status: str | None = None,
    column: str | None = None,
    limit: int = DEFAULT_PAGE,
    offset: int = 0,
) -> SearchPage:
    """Every order ever made whose number, plate, description, customer name or customer phone contains `query`
    (any case; a plate with or without dashes, a phone number in any notation), newest first, a page at a time."""
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise Invalid(f"limit moet tussen 1 en {MAX_PAGE} liggen en offset mag niet negatief zijn")
    conditions = []
    if status is not None:
        conditions.append(col(WorkOrder.status) == parse_status(status).value)
    if column is not None:
        conditions.append(col(WorkOrder.column) == parse_column(column).value)
    needle = (query or "").strip().lower()
    if needle:
        found_in = [
            contains(func.lower(col(WorkOrder.number)), needle),
            contains(col(WorkOrder.license_plate), _PLATE_NOISE.sub("", needle).upper()),
            contains(func.lower(col(WorkOrder.description)), needle),
            contains(func.lower(col(Customer.name)), needle),
        ]
        digits = phone_query(needle)
        if digits:
            found_in.append(contains(phone_digits(col(Customer.phone)), digits))
        conditions.append(or_(*found_in))
    matches = select(WorkOrder).join(Customer, col(Customer.id) == col(WorkOrder.customer_id)).where(*conditions)
    with db.read() as session:
        total = session.exec(select(func.count()).select_from(matches.subquery())).one()
        page = session.exec(matches.order_by(col(WorkOrder.id).desc()).limit(limit).offset(offset)).all()
        return SearchPage(publish_many(session, page), int(total))


def board_page(db: Database, done_days: float, limit: int, offset: int = 0) -> SearchPage:
    """The board's orders (as `list_work_orders`), newest first, a page at a time, with how many there are."""
    with db.read() as session:
        return SearchPage(*board_newest(session, utcnow() - timedelta(days=done_days), limit, offset))


def get_work_order(db: Database, work_order_id: int) -> WorkOrderPublic:
    with db.read() as session:
        return work_order_public(session, get_work_order_row(session, work_order_id))


def parse_column(raw: str) -> BoardColumn:
    try:
        return BoardColumn(raw)
    except ValueError:
        raise Invalid(f"Onbekende kolom: {raw!r}") from None


def parse_status(raw: str) -> WorkOrderStatus:
    try:
        return WorkOrderStatus(raw)
    except ValueError:
        raise Invalid(f"Onbekende status: {raw!r}") from None


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
    """WO-YYYY-NNNN in the shop's year: an order made at 00:30 on New Year's Day is of the new year, as in UTC not."""
    prefix = f"WO-{shop_day(utcnow()).year}-"
    last = session.exec(
        select(WorkOrder.number)
        .where(col(WorkOrder.number).startswith(prefix))
        .order_by(func.length(WorkOrder.number).desc(), col(WorkOrder.number).desc())
        .limit(1)
    ).first()
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


# A new order's fields as WorkOrderCreate names them, each with its check: the desk's dialog checks a field again
# as it is typed in, so its error goes the moment it is fixed.
NEW_ORDER_FIELDS: dict[str, Callable[[str | None], str | None]] = {
    "license_plate": lambda raw: normalize_plate(raw or ""),
    "description": lambda raw: clean_text(raw, "Omschrijving", 4000),
    **{f"customer_{name}": cleaner for name, cleaner in CUSTOMER_CLEANERS.items()},
}


def create_work_order(db: Database, new: WorkOrderCreate, *, actor: Principal | None) -> WorkOrderPublic:
    """A new order starts at the bottom of Gepland with status NIEUW, for a known customer (customerId) or a new
    one. Its plate is queued for the RDW, asked after the commit: the answer comes as a `vehicle` event. A customer
    with an e-mail address gets `ontvangen` with the link to their status page."""
    raw = {"license_plate": new.license_plate, "description": new.description}
    if new.customer_id is None:
        raw |= {f"customer_{name}": getattr(new, f"customer_{name}") for name in CUSTOMER_CLEANERS}
    cleaned = clean_fields(NEW_ORDER_FIELDS, raw)
    plate, description = str(cleaned["license_plate"]), str(cleaned["description"])
    customer_fields = None
    if new.customer_id is None:
        customer_fields = {name: cleaned[f"customer_{name}"] for name in CUSTOMER_CLEANERS}
    with mutation(db, actor) as change:
        session = change.session
        if customer_fields is None:
            assert new.customer_id is not None
            customer = get_customer_row(session, new.customer_id)
        else:
            customer = new_customer(session, customer_fields)
            session.flush()
        work_order, created = open_work_order(change, customer, plate, description, new.mileage)
        queue_notification(change, work_order, NotificationKind.ONTVANGEN)
        return created


def open_work_order(
    change: Mutation,
    customer: Customer,
    plate: str,
    description: str,
    mileage: int | None = None,
    booking_token: str | None = None,
) -> tuple[WorkOrder, WorkOrderPublic]:
    """A new order at the bottom of Gepland inside a transaction someone else opened (`created` event), its
    plate queued for the RDW; `booking_token`: an online booking's own page (services.booking)."""
    session = change.session
    assert customer.id is not None
    queue_vehicle(session, plate)
    now = utcnow()
    work_order = WorkOrder(
        number=_next_number(session),
        customer_id=customer.id,
        license_plate=plate,
        description=description,
        mileage=mileage,
        status_token=secrets.token_urlsafe(24),  # 192 random bits
        status=WorkOrderStatus.NIEUW.value,
        column=BoardColumn.GEPLAND.value,
        position=_column_size(session, BoardColumn.GEPLAND.value, None),
        created_at=now,
        updated_at=now,
        booking_token=booking_token,
    )
    flag_mileage(session, work_order)
    session.add(work_order)
    return work_order, change.record(work_order, Created())


def update_details(
    db: Database, work_order_id: int, details: WorkOrderDetails, *, actor: Principal | None
) -> WorkOrderPublic:
    """PATCH: only the fields sent change (mileage null clears it); nothing that differs, no event."""
    sent = details.model_fields_set - {"version"}
    wanted: dict[str, object] = {}
    if "description" in sent:
        wanted["description"] = clean_text(details.description, "Omschrijving", 4000)
    if "mileage" in sent:
        wanted["mileage"] = details.mileage
    if "customer_id" in sent:
        if details.customer_id is None:
            raise Invalid("Een werkorder hoort bij een klant: customerId mag niet leeg zijn")
        wanted["customer_id"] = details.customer_id
    with mutation(db, actor) as change:
        work_order = get_work_order_row(change.session, work_order_id)
        _check_version(work_order, details.version)
        if "customer_id" in wanted:
            get_customer_row(change.session, details.customer_id or 0)
        changed = [name for name, value in wanted.items() if getattr(work_order, name) != value]
        if not changed:
            return work_order_public(change.session, work_order)
        for name in changed:
            setattr(work_order, name, wanted[name])
        if "mileage" in changed:
            flag_mileage(change.session, work_order)
        work_order.version += 1
        work_order.updated_at = utcnow()
        return change.record(work_order, DetailsChanged(fields=[to_camel(name) for name in changed]))  # type: ignore[misc]


def _check_version(work_order: WorkOrder, version: int | None) -> None:
    if version is not None and version != work_order.version:
        raise Conflict(f"Werkorder {work_order.number} is intussen gewijzigd (versie {work_order.version})")


def place(change: Mutation, work_order: WorkOrder, column: BoardColumn, position: int | None) -> WorkOrderPublic | None:
    """Put the card at (column, position), closing the gap it leaves; records column and status events and
    returns the work order as they carry it (None when it was already there: nothing changed). Entering Klaar
    stops the clocks running on it and e-mails the customer (`klaar`); entering Afgerond says whether the order
    had a current invoice then; an order over € 150 incl. VAT enters it only with a mileage (services.odometer)."""
    session = change.session
    size = _column_size(session, column.value, work_order.id)
    index = size if position is None else min(position, size)
    if work_order.column == column.value and work_order.position == index:
        return None
    if column is BoardColumn.AFGEROND and work_order.column != column.value:
        check_mileage_for_closing(session, work_order)
    _shift(session, work_order.column, work_order.position + 1, -1, work_order.id)  # close the gap it leaves
    _shift(session, column.value, index, +1, work_order.id)  # and open one where it goes
    old_status, old_column = work_order.status, work_order.column
    entered = old_column != column.value
    work_order.column = column.value
    work_order.position = index
    work_order.done_at = utcnow() if column is BoardColumn.AFGEROND else None
    work_order.status = COLUMN_STATUS[column].value
    work_order.version += 1
    work_order.updated_at = utcnow()
    closed_bare = entered and column is BoardColumn.AFGEROND and current_invoice(session, work_order.id) is None
    changes: list[Change] = [ColumnChanged(column=column, position=index, without_invoice=closed_bare)]
    if work_order.status != old_status:
        changes.append(StatusChanged(status=COLUMN_STATUS[column]))
    moved = change.record(work_order, *changes)
    if column is BoardColumn.KLAAR and entered:
        moved = _stop_clocks(change, work_order) or moved
        queue_notification(change, work_order, NotificationKind.KLAAR)
    return moved


def _stop_clocks(change: Mutation, work_order: WorkOrder) -> WorkOrderPublic | None:
    """The work is done: every session still running on the order stops with the move (a `session` event each,
    after the move's own events). None when none ran."""
    running = change.session.exec(
        select(WorkSession)
        .where(WorkSession.work_order_id == work_order.id, col(WorkSession.ended_at).is_(None))
        .order_by(col(WorkSession.id))
    ).all()
    if not running:
        return None
    now = utcnow()
    for work_session in running:
        work_session.ended_at = now
    change.session.flush()
    stops = [SessionChanged(session=session_public(s), action="stopped", reason="klaar") for s in running]
    return change.record(work_order, *stops)


def may_close(actor: Principal | None) -> bool:
    """Afgerond is the desk's step (and the system's, e.g. a script run without an actor)."""
    return actor is None or actor.role is Role.ADMIN


def move_to_column(
    db: Database,
    work_order_id: int,
    column: str,
    position: int | None = None,
    version: int | None = None,
    *,
    actor: Principal | None,
) -> WorkOrderPublic:
    """Drag a card: a stale version means someone moved it first (409); nothing changes then. Afgerond is the
    desk's step: anyone else gets 403."""
    target = parse_column(column)
    if target is BoardColumn.AFGEROND and not may_close(actor):
        raise Forbidden("Alleen de balie kan een werkorder afronden (naar Afgerond)")
    if position is not None and position < 0:
        raise Invalid("Positie kan niet negatief zijn")
    with mutation(db, actor) as change:
        work_order = get_work_order_row(change.session, work_order_id)
        _check_version(work_order, version)
        return place(change, work_order, target, position) or work_order_public(change.session, work_order)
