"""A work order's e-mails to its customer, and sending one again."""

from fastapi import APIRouter, status

from api.deps import Admin, DatabaseDep, DatabaseIdPath, Staff
from models.public import NotificationPublic
from services import notifications

router = APIRouter(tags=["notifications"])


@router.get("/api/workorders/{work_order_id}/notifications", response_model=list[NotificationPublic])
def list_notifications(db: DatabaseDep, work_order_id: DatabaseIdPath, _: Staff) -> list[NotificationPublic]:
    """Every e-mail of the order, oldest first, with where it stands."""
    return notifications.list_notifications(db, work_order_id)


@router.post(
    "/api/notifications/{notification_id}/resend",
    response_model=NotificationPublic,
    status_code=status.HTTP_201_CREATED,
)
def resend_notification(db: DatabaseDep, notification_id: DatabaseIdPath, principal: Admin) -> NotificationPublic:
    """The same e-mail again, as a new notification, to the customer's address now (409 when it has none)."""
    return notifications.resend_notification(db, notification_id, actor=principal)
