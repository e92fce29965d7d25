"""An e-mail to the customer, written in the same transaction as its cause (the outbox) and delivered later by
the sender. `due_at` is its place in the queue: when to try next, pushed ahead while a process is sending it (the
lease), None once it is done."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel


class NotificationKind(StrEnum):
    ONTVANGEN = "ontvangen"  # the order was made: here is your status page
    TOESTEMMING = "toestemming"  # the work costs more than approved: approve again
    KLAAR = "klaar"  # the car is ready to be picked up
    FACTUUR = "factuur"  # the invoice, its PDF attached
    KEURING = "keuring"  # the inspection: approve or decline its recommendations on the status page
    AFSPRAAK = "afspraak"  # an online booking's confirmation, with its .ics and the link to cancel it
    HERINNERING = "herinnering"  # the invoice is still open a week after its due date
    APK = "apk"  # reminders (services.reminders): the APK expires in APK_REMINDER_WEEKS
    APK2 = "apk2"  # the APK expires in 3 weeks and no appointment was made since the first
    ONDERHOUD = "onderhoud"  # a year since the last service
    UITGESTELD = "uitgesteld"  # three months since the customer declined work on an inspection


class NotificationStatus(StrEnum):
    WACHTRIJ = "wachtrij"  # waiting for (another) try
    VERZONDEN = "verzonden"  # the SMTP server accepted it
    MISLUKT = "mislukt"  # the last try failed, or the server refused it for good
    UIT = "uit"  # e-mail is off (no SMTP_HOST): never sent


class Notification(SQLModel, table=True):
    __tablename__ = "notification"

    id: int | None = Field(default=None, primary_key=True)
    work_order_id: int = Field(foreign_key="work_order.id", index=True)
    kind: str = Field(max_length=16)
    recipient: str = Field(max_length=254)  # the customer's address when it was queued ("to" in the JSON)
    subject: str = Field(max_length=200)
    status: str = Field(max_length=16, index=True)
    attempts: int = 0  # tries started; one cut short by a crash counts too
    due_at: datetime | None = Field(default=None, index=True)
    last_error: str | None = Field(default=None, max_length=1000)
    document_id: int | None = None  # what it is about beyond the order: the invoice of a `factuur`
    sent_at: datetime | None = None
    created_at: datetime
