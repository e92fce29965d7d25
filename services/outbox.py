"""The outbox: an e-mail to the customer is a Notification row written in the same transaction as its cause (and
its `notification` event), so it is never lost when the cause commits and never sent when the cause rolls back.
services.notifications delivers it. Causes call queue_notification inside their own mutation."""

from models import Customer, Notification, NotificationKind, NotificationStatus, WorkOrder
from models.messages import NotificationChanged
from models.public import NotificationPublic
from services.clock import utcnow
from services.events import Mutation
from services.plates import format_plate
from services.views import notification_public

SUBJECTS = {
    NotificationKind.ONTVANGEN: "Uw auto is aangemeld: werkorder {number}",
    NotificationKind.TOESTEMMING: "Graag uw toestemming voor werkorder {number}",
    NotificationKind.KLAAR: "Uw auto ({plate}) is klaar om op te halen",
    NotificationKind.FACTUUR: "Factuur voor werkorder {number}",
    NotificationKind.KEURING: "De keuring van uw auto ({plate}): bekijk de foto's en kies",
    NotificationKind.AFSPRAAK: "Uw afspraak voor {plate} staat: werkorder {number}",
    NotificationKind.HERINNERING: "Herinnering: de factuur voor werkorder {number} staat nog open",
    NotificationKind.APK: "De APK van uw auto ({plate}) verloopt binnenkort",
    NotificationKind.APK2: "Nog 3 weken: de APK van uw auto ({plate}) verloopt",
    NotificationKind.ONDERHOUD: "Tijd voor de onderhoudsbeurt van uw auto ({plate})",
    NotificationKind.UITGESTELD: "Nog even over het uitgestelde werk aan uw auto ({plate})",
}


def queue_notification(
    change: Mutation, work_order: WorkOrder, kind: NotificationKind, document_id: int | None = None
) -> NotificationPublic | None:
    """Queue an e-mail of `kind` to the order's customer in the cause's own transaction, with its event; None
    (nothing queued) when the customer has no e-mail address. `document_id`: the invoice of a `factuur`, the
    reminder (services.reminders) of an `apk`, `apk2`, `onderhoud` or `uitgesteld`."""
    session = change.session
    customer = session.get(Customer, work_order.customer_id)
    if customer is None or not customer.email:
        return None
    assert work_order.id is not None
    now = utcnow()
    notification = Notification(
        work_order_id=work_order.id,
        kind=kind.value,
        recipient=customer.email,
        subject=SUBJECTS[kind].format(number=work_order.number, plate=format_plate(work_order.license_plate)),
        status=(NotificationStatus.WACHTRIJ if change.sends_mail else NotificationStatus.UIT).value,
        due_at=now if change.sends_mail else None,
        document_id=document_id,
        created_at=now,
    )
    session.add(notification)
    session.flush()
    public = notification_public(notification)
    change.record(work_order, NotificationChanged(notification=public))
    return public


def message_id(notification: Notification, host: str) -> str:
    """The same on every try, so a receiver can drop a second copy: a send cut off between the SMTP server's
    250 and our commit is tried again (see services.notifications)."""
    return f"<notification-{notification.id}.{notification.work_order_id}@{host}>"
