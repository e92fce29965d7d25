"""Settings in one typed object, read from the environment (flags on the command line override them)."""

import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///data/werkplaats.db"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "0.0.0.0"
    port: int = 8080
    sse_ping_seconds: float = 30.0
    sse_retry_ms: int = 5000
    sse_queue_size: int = 1000  # commits (and pings) a subscriber may fall behind before it is cut off
    event_retention_days: float = 7.0
    page_reconnect_seconds: float = 30.0  # how long a page (an iPad asleep) may be away and keep its state
    secret_key: str | None = None
    board_done_days: float = 7.0  # the board shows Afgerond orders this recent; the list searches them all
    rdw_base_url: str = "https://opendata.rdw.nl"  # "off": no lookups, vehicles stay pending
    rdw_app_token: str | None = None
    rdw_timeout_seconds: float = 5.0
    rdw_retry_seconds: float = 30.0  # the first retry after a failed lookup; doubles up to an hour
    log_level: str = "INFO"  # INFO: a line per published event and per stream opened and closed
    max_session_hours: float = 10.0  # a session still running this long after its start stops by itself
    smtp_host: str | None = None  # unset: no e-mail is sent, notifications get status `uit`
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    mail_from: str | None = None  # default: werkplaats@ the host of PUBLIC_URL
    public_url: str = "http://localhost:8080"  # the base of the links in e-mails
    mail_retry_seconds: float = 30.0  # the first retry after a failed send; doubles up to an hour
    mail_max_attempts: int = 6  # then `mislukt`
    mail_timeout_seconds: float = 30.0  # one whole send (connect to the server's 250 after the message)
    booking_lookups_per_hour: int = 300  # per client address: the booking pages' packages, plates and free starts
    bookings_per_hour: int = 10  # per client address: bookings made and cancelled
    mollie_api_key: str | None = None  # unset: no payment links; e-mail and status page say to pay by transfer
    mollie_api_base: str = "https://api.mollie.com"
    apk_reminder_weeks: int = 8  # the first APK reminder goes this long before the APK expires (at least 4)
    reminder_scan_seconds: float = 300.0  # how often each process looks for reminders due (and cars to refresh)

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        return cls(
            database_url=env.get("DATABASE_URL", DEFAULT_DATABASE_URL),
            host=env.get("HOST", cls.host),
            port=int(env.get("PORT", cls.port)),
            sse_ping_seconds=float(env.get("SSE_PING_SECONDS", cls.sse_ping_seconds)),
            sse_queue_size=int(env.get("SSE_QUEUE_SIZE", cls.sse_queue_size)),
            event_retention_days=float(env.get("EVENT_RETENTION_DAYS", cls.event_retention_days)),
            page_reconnect_seconds=float(env.get("PAGE_RECONNECT_SECONDS", cls.page_reconnect_seconds)),
            secret_key=env.get("SECRET_KEY") or None,
            board_done_days=float(env.get("BOARD_DONE_DAYS", cls.board_done_days)),
            rdw_base_url=env.get("RDW_BASE_URL", cls.rdw_base_url).strip(),
            rdw_app_token=env.get("RDW_APP_TOKEN") or None,
            rdw_timeout_seconds=float(env.get("RDW_TIMEOUT_SECONDS", cls.rdw_timeout_seconds)),
            rdw_retry_seconds=float(env.get("RDW_RETRY_SECONDS", cls.rdw_retry_seconds)),
            log_level=env.get("LOG_LEVEL", cls.log_level).strip().upper() or cls.log_level,
            max_session_hours=float(env.get("MAX_SESSION_HOURS", cls.max_session_hours)),
            smtp_host=env.get("SMTP_HOST", "").strip() or None,
            smtp_port=int(env.get("SMTP_PORT", cls.smtp_port)),
            smtp_user=env.get("SMTP_USER") or None,
            smtp_password=env.get("SMTP_PASSWORD") or None,
            smtp_starttls=env.get("SMTP_STARTTLS", "true").strip().lower() not in ("false", "0", "no", "off"),
            mail_from=env.get("MAIL_FROM", "").strip() or None,
            public_url=env.get("PUBLIC_URL", cls.public_url).strip().rstrip("/") or cls.public_url,
            mail_retry_seconds=float(env.get("MAIL_RETRY_SECONDS", cls.mail_retry_seconds)),
            mail_max_attempts=max(1, int(env.get("MAIL_MAX_ATTEMPTS", cls.mail_max_attempts))),
            mail_timeout_seconds=float(env.get("MAIL_TIMEOUT_SECONDS", cls.mail_timeout_seconds)),
            booking_lookups_per_hour=int(env.get("BOOKING_LOOKUPS_PER_HOUR", cls.booking_lookups_per_hour)),
            bookings_per_hour=int(env.get("BOOKINGS_PER_HOUR", cls.bookings_per_hour)),
            mollie_api_key=env.get("MOLLIE_API_KEY", "").strip() or None,
            mollie_api_base=env.get("MOLLIE_API_BASE", "").strip().rstrip("/") or cls.mollie_api_base,
            apk_reminder_weeks=max(4, int(env.get("APK_REMINDER_WEEKS", cls.apk_reminder_weeks))),
            reminder_scan_seconds=float(env.get("REMINDER_SCAN_SECONDS", cls.reminder_scan_seconds)),
        )

    def with_overrides(self, host: str | None = None, port: int | None = None) -> "Settings":
        """Command-line flags win over the environment where given."""
        return replace(self, host=host or self.host, port=port or self.port)

    @property
    def rdw_enabled(self) -> bool:
        return self.rdw_base_url.lower() != "off"

    @property
    def mail_enabled(self) -> bool:
        return self.smtp_host is not None

    @property
    def pays_online(self) -> bool:
        """MOLLIE_API_KEY is set: invoices get a payment link (else: pay by bank transfer)."""
        return self.mollie_api_key is not None

    @property
    def data_dir(self) -> Path:
        """The folder beside the SQLite file (or ./data for PostgreSQL) that holds the generated secret."""
        if self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///")).resolve().parent
        return Path("data").resolve()

    def session_secret(self) -> str:
        """SECRET_KEY, or one generated once and kept beside the database so sessions survive restarts."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()
