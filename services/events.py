"""The event log: mutations append here in their own transaction; streams and pages replay from here by id."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, text
from sqlmodel import Session, col, select

from models import EventKind, LogState, WorkOrder, WorkOrderEvent
from models.messages import EVENT_FOR_CHANGE, Actor, Change, DisplayChanged, Presence
from models.public import PublicModel, WorkOrderOnStream, WorkOrderPublic
from services.auth import Principal
from services.broadcaster import LogEvent
from services.clock import utcnow
from services.db import Database
from services.views import work_order_public

NOTIFY_CHANNEL = "werkplaats_events"


def to_log_event(row: WorkOrderEvent) -> LogEvent:
    assert row.id is not None
    return LogEvent(row.id, row.kind, row.work_order_id, row.change_type, row.data)


def actor_of(principal: Principal | None) -> Actor | None:
    return None if principal is None else Actor(name=principal.name, role=principal.role.value)


@dataclass
class Mutation:
    """One transaction's changes and the events they append; published only after commit."""

    session: Session
    actor: Actor | None
    sends_mail: bool = False  # a customer e-mail queued now will be delivered (Database.mail_enabled)
    approving: bool = False  # the lines added now are the ones the customer approves in this same transaction
    rows: list[WorkOrderEvent] = field(default_factory=list)

    def record(self, work_order: WorkOrder, *changes: Change) -> WorkOrderPublic:
        """Append one workorder-update event per change, each carrying the work order as it is now: read once,
        complete, and returned, so the caller can answer with it; the events carry it lean (WorkOrderOnStream)."""
        self.session.flush()
        assert work_order.id is not None
        now = utcnow()
        public = work_order_public(self.session, work_order)
        on_stream = WorkOrderOnStream.of(public)
        for change in changes:
            event = EVENT_FOR_CHANGE[type(change)].model_construct(
                **change.__dict__, work_order_id=work_order.id, actor=self.actor, work_order=on_stream, at=now
            )
            self._append(EventKind.WORKORDER_UPDATE, work_order.id, change.change_type, event, now)
        return public

    def record_display(self, work_order_id: int | None) -> None:
        """Append the internal event that tells every iPad page which order to show."""
        event = DisplayChanged(work_order_id=work_order_id)
        self._append(EventKind.DISPLAY, work_order_id, EventKind.DISPLAY.value, event, utcnow())

    def record_presence(self, work_order_id: int, viewing: int) -> None:
        """Append the number of the order's open status pages: through the log, so it reaches every process and
        stream in order, but as its own kind, so the order's history and version stay as they were."""
        now = utcnow()
        message = Presence(work_order_id=work_order_id, viewing=viewing, at=now)
        self._append(EventKind.PRESENCE, work_order_id, EventKind.PRESENCE.value, message, now)

    def _append(
        self, kind: EventKind, work_order_id: int | None, change_type: str, message: PublicModel, at: datetime
    ) -> None:
        row = WorkOrderEvent(
            kind=kind.value,
            work_order_id=work_order_id,
            change_type=change_type,
            data=message.model_dump_json(by_alias=True),
            created_at=at,
        )
        self.session.add(row)
        self.rows.append(row)


@contextmanager
def mutation(db: Database, actor: Principal | None) -> Iterator[Mutation]:
    """Validate, change and append in ONE transaction; fan out only after it committed. A refusal raises.

    On PostgreSQL the transaction NOTIFYs the new id instead (delivered at commit, never for a rollback) and
    every process, this one included, reads the new rows through its log follower (services.log_follower)."""
    with db.write_lock:
        with db.write() as session:
            change = Mutation(session, actor_of(actor), db.mail_enabled)
            yield change
            session.flush()
            shared = db.is_postgresql
            if shared and change.rows:
                session.execute(text("SELECT pg_notify(:channel, :newest)"),
                                {"channel": NOTIFY_CHANNEL, "newest": str(change.rows[-1].id)})  # fmt: skip
        if not shared:
            db.broadcaster.publish([to_log_event(row) for row in change.rows])


REPLAY_BATCH = 500


def log_bounds(db: Database) -> tuple[int, int]:
    """(pruned_through, newest id): a cursor in that range can be replayed without a gap."""
    with db.read() as session:
        state = session.get(LogState, 1)
        newest = session.exec(select(func.max(WorkOrderEvent.id))).one()
        return (state.pruned_through if state else 0), newest or 0


def events_after(db: Database, cursor: int, limit: int = REPLAY_BATCH) -> list[LogEvent]:
    """Committed events with id > cursor, oldest first."""
    with db.read() as session:
        rows = session.exec(
            select(WorkOrderEvent).where(col(WorkOrderEvent.id) > cursor).order_by(col(WorkOrderEvent.id)).limit(limit)
        )
        return [to_log_event(row) for row in rows]


def prune_log(db: Database, older_than: datetime) -> int:
    """Retention bounds how far back a stream may replay (a cursor before the horizon gets a reset). Work-order
    events stay, as each order's history; only the iPad's internal events before the horizon are removed.
    The newest event always stays within reach. Returns how many rows went."""
    with db.write() as session:
        newest = session.exec(select(func.max(WorkOrderEvent.id))).one()
        if newest is None:
            return 0
        last_old = session.exec(
            select(func.max(WorkOrderEvent.id)).where(
                col(WorkOrderEvent.created_at) < older_than, col(WorkOrderEvent.id) < newest
            )
        ).one()
        if last_old is None:
            return 0
        result = session.exec(
            delete(WorkOrderEvent).where(  # type: ignore[call-overload]
                col(WorkOrderEvent.id) <= last_old, col(WorkOrderEvent.kind) != EventKind.WORKORDER_UPDATE.value
            )
        )
        state = session.get(LogState, 1) or LogState(id=1)
        state.pruned_through = max(state.pruned_through, last_old)
        session.add(state)
        return int(result.rowcount)
