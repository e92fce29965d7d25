"""The process's database (Database: engine, sessions, the writer lock, its broadcaster and principals cache) and
schema migrations. Only services use its sessions; nothing else knows which database runs."""

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

import models  # noqa: F401  (registers every table on the metadata)
from services.broadcaster import DEFAULT_QUEUE_SIZE, Broadcaster
from services.principals import RecentPrincipals

MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK_KEY = 7_031_100  # PostgreSQL advisory lock: one process migrates at a time
WRITE_LOCK_KEY = 7_031_101  # PostgreSQL advisory lock: appends to the event log commit in id order


def create_db_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).resolve().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest Alembic revision."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:
        sqlite = not is_postgresql(engine)
        if sqlite:  # a batch migration rebuilds tables others refer to: SQLite must not cascade or refuse that
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside a transaction, or it does nothing
            connection.commit()
        with connection.begin():
            if not sqlite:
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").all()):
                raise RuntimeError(f"migration left broken references: {broken[:5]}")
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


class WriteOnTheEventLoop(RuntimeError):
    """A write was started on the server's event loop: waiting for the writer lock there would stop every page
    and stream of the process. Call the service in a worker thread (run.io_bound, to_thread)."""


def _off_the_event_loop() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return  # a worker thread, or a command-line process: fine
    raise WriteOnTheEventLoop("Database.write() called on the event loop; use a worker thread")


@dataclass(eq=False)
class Database:
    """This process's database: the engine, its one writer at a time, the broadcaster its commits are published
    to and the short-lived cache of who its tokens and sessions stand for. Made once (main, a command, a test)
    and handed to every service call: nothing about it is a module global."""

    engine: Engine
    broadcaster: Broadcaster
    principals: RecentPrincipals
    # One writer at a time in this process: no SQLite lock upgrades racing, and events are committed, then
    # published, in id order (mutation() holds it across the publish too, hence re-entrant).
    write_lock: threading.RLock = field(default_factory=threading.RLock)
    # Whether this process delivers the customer e-mails it queues (SMTP_HOST is set; main sets it at start). When
    # it does not, a new notification is written as `uit`: it shows on the order page and nothing sends it.
    mail_enabled: bool = False

    @classmethod
    def open(cls, url: str, *, queue_size: int = DEFAULT_QUEUE_SIZE) -> "Database":
        """Open the database and bring its schema up to date."""
        engine = create_db_engine(url)
        migrate(engine)
        return cls(engine, Broadcaster(queue_size), RecentPrincipals())

    @classmethod
    @contextmanager
    def opened(cls, url: str, *, queue_size: int = DEFAULT_QUEUE_SIZE) -> Iterator["Database"]:
        """Open (migrating), yield, and close however the block ends: for a command, a seed or a bench."""
        database = cls.open(url, queue_size=queue_size)
        try:
            yield database
        finally:
            database.close()

    @property
    def is_postgresql(self) -> bool:
        return is_postgresql(self.engine)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction at a time per process (and per database, on PostgreSQL); never on the event
        loop."""
        _off_the_event_loop()
        with self.write_lock, Session(self.engine, expire_on_commit=False) as session, session.begin():
            if self.is_postgresql:
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            yield session

    def close(self) -> None:
        self.engine.dispose()
