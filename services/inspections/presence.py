"""Who watches: while a customer's status page is open (its stream connected), the desk sees "klant kijkt mee".
Each open page is a row, written with a `presence` event in one transaction, so every process counts the same
pages and every page and stream hears the new number in log order. A process that was killed leaves its rows
behind; it clears them when it starts again (the rows name the process by host and port)."""

import socket
from collections.abc import Collection

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from models import StatusViewer
from services.clock import utcnow
from services.db import Database
from services.events import Mutation, mutation


def process_name(port: int) -> str:
    """This server process as its rows name it: the same after a restart, so it can clear what a crash left."""
    return f"{socket.gethostname()}:{port}"


def _count(session: Session, work_order_id: int) -> int:
    statement = select(func.count()).select_from(StatusViewer).where(StatusViewer.work_order_id == work_order_id)
    return int(session.exec(statement).one())


def _announce(change: Mutation, work_order_id: int) -> None:
    change.session.flush()
    change.record_presence(work_order_id, _count(change.session, work_order_id))


def page_opened(db: Database, work_order_id: int, process: str) -> int:
    """A status page of the order connected: its row's id, for page_closed."""
    with mutation(db, None) as change:
        viewer = StatusViewer(work_order_id=work_order_id, process=process, opened_at=utcnow())
        change.session.add(viewer)
        _announce(change, work_order_id)
        assert viewer.id is not None
        return viewer.id


def page_closed(db: Database, viewer_id: int) -> None:
    with mutation(db, None) as change:
        viewer = change.session.get(StatusViewer, viewer_id)
        if viewer is None:
            return
        change.session.delete(viewer)
        _announce(change, viewer.work_order_id)


def forget_process(db: Database, process: str) -> None:
    """At start: the pages this process held before it stopped without closing them are gone."""
    with mutation(db, None) as change:
        rows = change.session.exec(select(StatusViewer).where(StatusViewer.process == process)).all()
        orders = sorted({row.work_order_id for row in rows})
        if orders:
            change.session.exec(delete(StatusViewer).where(col(StatusViewer.process) == process))  # type: ignore[call-overload]
            for work_order_id in orders:
                _announce(change, work_order_id)


def viewing(db: Database, work_order_ids: Collection[int] | None = None) -> dict[int, int]:
    """Open status pages per order (of these orders, or of all), for the orders that have any."""
    with db.read() as session:
        statement = select(StatusViewer.work_order_id, func.count()).group_by(col(StatusViewer.work_order_id))
        if work_order_ids is not None:
            statement = statement.where(col(StatusViewer.work_order_id).in_(work_order_ids))
        return {work_order_id: int(count) for work_order_id, count in session.exec(statement)}
