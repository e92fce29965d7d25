"""Vehicles by licence plate, filled in from the RDW in the background. Creating a work order only queues its
plate (rdw_due_at); RdwLookups asks the RDW after the commit and the answer reaches every page and stream as a
`vehicle` event of each open work order of that plate. A failed try is retried with a growing back-off."""

import asyncio
import calendar
import logging
from contextlib import suppress
from dataclasses import asdict
from datetime import date, timedelta
from typing import Literal

from anyio import to_thread
from sqlmodel import Session, col, select

from models import ChangeType, RdwStatus, Vehicle, WorkOrder
from models.messages import VehicleChanged
from models.public import VehiclePublic
from services.auth import Principal
from services.clock import as_utc, utcnow
from services.db import Database
from services.errors import Unavailable
from services.events import mutation
from services.inspections.views import deferred_of
from services.metrics import rdw_requests
from services.plates import normalize_plate
from services.rdw import RdwClient, RdwUnreachable, RdwVehicle
from services.views import open_work_orders, vehicle_public

log = logging.getLogger(__name__)
FRESH_FOR = timedelta(hours=24)  # an answer this recent is not asked again, unless someone asks for a refresh
MAX_ATTEMPTS = 10  # then wait for a new work order of that plate, or "Vernieuw RDW"
MAX_BACKOFF = timedelta(hours=1)
IDLE_WAKE_SECONDS = 60.0
Answer = RdwVehicle | None | RdwUnreachable  # found, unknown to the RDW, or not asked
NOTHING_FOUND = RdwVehicle(None, None, None, None, None, None)


def queue_vehicle(session: Session, plate: str) -> Vehicle:
    """The vehicle row of a plate, due for the RDW unless it was asked in the last 24 hours (or is queued)."""
    now = utcnow()
    vehicle = session.get(Vehicle, plate)
    if vehicle is None:
        vehicle = Vehicle(license_plate=plate, rdw_due_at=now)
        session.add(vehicle)
    elif vehicle.rdw_due_at is None and (
        vehicle.rdw_checked_at is None or now - as_utc(vehicle.rdw_checked_at) > FRESH_FOR
    ):
        vehicle.rdw_attempts = 0
        vehicle.rdw_due_at = now
    return vehicle


def claim_due(db: Database, lease: timedelta, limit: int) -> list[str]:
    """Plates due now, each leased for a while: another process (or this one after a crash) takes it over only
    when the lease has passed without an answer."""
    now = utcnow()
    with db.write() as session:
        due = session.exec(
            select(Vehicle).where(col(Vehicle.rdw_due_at) <= now).order_by(col(Vehicle.rdw_due_at)).limit(limit)
        ).all()
        for vehicle in due:
            vehicle.rdw_due_at = now + lease
        return [vehicle.license_plate for vehicle in due]


def seconds_until_due(db: Database) -> float | None:
    with db.read() as session:
        due = session.exec(select(Vehicle.rdw_due_at).where(col(Vehicle.rdw_due_at).is_not(None))
                           .order_by(col(Vehicle.rdw_due_at)).limit(1)).first()  # fmt: skip
    return None if due is None else max(0.0, (as_utc(due) - utcnow()).total_seconds())


def _backoff(retry_seconds: float, attempts: int) -> timedelta:
    return min(timedelta(seconds=retry_seconds * 2 ** (attempts - 1)), MAX_BACKOFF)


def record_answer(
    db: Database,
    plate: str,
    answer: Answer,
    retry_seconds: float,
    *,
    actor: Principal | None,
    always_tell: bool = False,
) -> VehiclePublic:
    """Store what the RDW said (or that it could not be asked) and tell every open work order of the plate when
    that changed what they show (always after a refresh someone asked for)."""
    with mutation(db, actor) as change:
        session = change.session
        vehicle = session.get(Vehicle, plate) or Vehicle(license_plate=plate)
        deferred = deferred_of(session, [plate]).get(plate)
        before = vehicle_public(vehicle, deferred)
        now = utcnow()
        if isinstance(answer, RdwUnreachable):
            vehicle.rdw_status = RdwStatus.UNREACHABLE.value
            vehicle.rdw_attempts += 1
            retry = vehicle.rdw_attempts < MAX_ATTEMPTS
            vehicle.rdw_due_at = now + _backoff(retry_seconds, vehicle.rdw_attempts) if retry else None
        else:
            for name, value in asdict(answer or NOTHING_FOUND).items():
                setattr(vehicle, name, value)
            vehicle.rdw_status = (RdwStatus.OK if answer else RdwStatus.UNKNOWN).value
            vehicle.rdw_checked_at, vehicle.rdw_attempts, vehicle.rdw_due_at = now, 0, None
        session.add(vehicle)
        session.flush()
        public = vehicle_public(vehicle, deferred)
        if always_tell or public != before:
            for work_order in open_work_orders(session, col(WorkOrder.license_plate) == plate):
                change.record(work_order, VehicleChanged(vehicle=public))
        return public


def stored_vehicle(db: Database, plate: str) -> VehiclePublic | None:
    with db.read() as session:
        vehicle = session.get(Vehicle, plate)
        return None if vehicle is None else vehicle_public(vehicle, deferred_of(session, [plate]).get(plate))


RDW_OFF = "Het opvragen bij de RDW staat uit. Vraag uw beheerder om de RDW-koppeling in te stellen."


class RdwLookups:
    """Asks the RDW for every due plate, a few at a time, in the server's event loop (never in a request).
    Woken by every `created` event, and by the clock for retries; `client` None means RDW_BASE_URL=off."""

    def __init__(
        self, db: Database, client: RdwClient | None, retry_seconds: float = 30.0, concurrency: int = 4
    ) -> None:
        self.db = db
        self.client = client
        self.retry_seconds = retry_seconds
        self._slots = asyncio.Semaphore(concurrency)
        self._running: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()

    @property
    def enabled(self) -> bool:
        """False with RDW_BASE_URL=off: a vehicle stays pending, and the pages say it is not asked."""
        return self.client is not None

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=2 * (self.client.timeout if self.client else 0) + 10)

    async def ask(self, plate: str) -> Answer:
        assert self.client is not None
        async with self._slots:
            try:
                answer = await self.client.look_up(plate)
            except RdwUnreachable as error:
                log.info("RDW not reachable for %s: %s", plate, error)
                rdw_requests.labels("unreachable").inc()
                return error
        rdw_requests.labels("ok" if answer else "unknown").inc()
        return answer

    async def _check(self, plate: str) -> None:
        answer = await self.ask(plate)
        await to_thread.run_sync(lambda: record_answer(self.db, plate, answer, self.retry_seconds, actor=None))
        self._wake.set()  # its retry time may now be the soonest

    async def run(self) -> None:
        """Until the server stops: claim what is due, ask, then sleep until the next due time or a new order."""
        if self.client is None:
            log.info("RDW lookups are off (RDW_BASE_URL=off): vehicles stay pending")
            return
        listener = asyncio.create_task(self._listen())
        try:
            while not self.db.broadcaster.closed:
                self._wake.clear()
                for plate in await to_thread.run_sync(claim_due, self.db, self.lease, 20):
                    task = asyncio.create_task(self._check(plate))
                    self._running.add(task)
                    task.add_done_callback(self._running.discard)
                wait = await to_thread.run_sync(seconds_until_due, self.db)
                with suppress(TimeoutError):
                    async with asyncio.timeout(IDLE_WAKE_SECONDS if wait is None else min(wait, IDLE_WAKE_SECONDS)):
                        await self._wake.wait()
        finally:
            for task in (listener, *self._running):
                task.cancel()
            await self.client.close()

    def wake(self) -> None:
        """Look for due plates now (the reminder scan queued some), not at the next timer."""
        self._wake.set()

    async def _listen(self) -> None:
        """Wake the loop for every new work order: its plate may be due (a dropped subscription is renewed)."""
        while not self.db.broadcaster.closed:
            subscription = self.db.broadcaster.subscribe()
            try:
                while (batch := await subscription.get()) is not None:
                    if any(event.change_type == ChangeType.CREATED for event in batch.events):
                        self._wake.set()
            finally:
                subscription.unsubscribe()

    async def look_up(self, plate: str, *, actor: Principal | None) -> VehiclePublic:
        """GET /api/vehicles/{plate}: what is stored, or (for a plate never asked) the RDW's answer now."""
        plate = normalize_plate(plate)
        stored = await to_thread.run_sync(stored_vehicle, self.db, plate)
        if stored is not None and (stored.rdw.status != RdwStatus.PENDING or self.client is None):
            return stored
        if self.client is None:
            return vehicle_public(Vehicle(license_plate=plate))
        return await self.refresh(plate, actor=actor)

    async def refresh(self, plate: str, *, actor: Principal | None) -> VehiclePublic:
        """ "Vernieuw RDW": ask now, whenever it was last asked; every open order of the plate hears of it."""
        plate = normalize_plate(plate)
        if self.client is None:
            raise Unavailable(RDW_OFF)
        answer = await self.ask(plate)
        return await to_thread.run_sync(
            lambda: record_answer(self.db, plate, answer, self.retry_seconds, actor=actor, always_tell=True)
        )


ApkState = Literal["verlopen", "binnenkort", "geldig"]
APK_SOON_MONTHS = 2  # a garage sells the APK with the job when it falls due this soon


def months_later(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def apk_state(apk_expiry: date, today: date) -> ApkState:
    """Expired, due within two months, or fine."""
    if apk_expiry < today:
        return "verlopen"
    return "binnenkort" if apk_expiry <= months_later(today, APK_SOON_MONTHS) else "geldig"
