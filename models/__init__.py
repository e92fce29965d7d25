"""The tables and enums of Werkplaats. Importing this package registers every table on SQLModel.metadata."""

from models.approval import Approval
from models.auth import ApiToken, LoginSession, Role, User
from models.customer import Customer
from models.display import DisplayState
from models.enums import COLUMN_STATUS, STATUS_WORDS, BoardColumn, ChangeType, WorkOrderStatus
from models.event import ON_THE_STREAM, EventKind, LogState, WorkOrderEvent
from models.inspection import (
    ChecklistItem,
    DeferredItem,
    Inspection,
    InspectionItem,
    InspectionPhoto,
    StatusViewer,
)
from models.invoice import Invoice, InvoiceCounter, InvoiceCustomer, InvoiceDocument, InvoiceKind, InvoiceStatus
from models.labour import LabourLine, LabourSession
from models.login_failure import LoginFailure
from models.notification import Notification, NotificationKind, NotificationStatus
from models.part import PART_STEPS, Part, PartStatus
from models.payment import COUNTER_METHODS, ONLINE_METHODS, Payment, PaymentLink, PaymentMethod
from models.planning import Appointment, LoanCar, Mechanic, ServicePackage, WorkOrderPackage
from models.reminder import Reminder, ReminderKind
from models.shop import ShopSettings
from models.signature import Signature
from models.vehicle import RdwStatus, Vehicle
from models.work_session import WorkSession
from models.workorder import WorkOrder

__all__ = [
    "COLUMN_STATUS",
    "COUNTER_METHODS",
    "ONLINE_METHODS",
    "ON_THE_STREAM",
    "PART_STEPS",
    "STATUS_WORDS",
    "ApiToken",
    "Appointment",
    "Approval",
    "BoardColumn",
    "ChangeType",
    "ChecklistItem",
    "Customer",
    "DeferredItem",
    "DisplayState",
    "EventKind",
    "Inspection",
    "InspectionItem",
    "InspectionPhoto",
    "Invoice",
    "InvoiceCounter",
    "InvoiceCustomer",
    "InvoiceDocument",
    "InvoiceKind",
    "InvoiceStatus",
    "LabourLine",
    "LabourSession",
    "LoanCar",
    "LogState",
    "LoginFailure",
    "LoginSession",
    "Mechanic",
    "Notification",
    "NotificationKind",
    "NotificationStatus",
    "Part",
    "PartStatus",
    "Payment",
    "PaymentLink",
    "PaymentMethod",
    "RdwStatus",
    "Reminder",
    "ReminderKind",
    "Role",
    "ServicePackage",
    "ShopSettings",
    "Signature",
    "StatusViewer",
    "User",
    "Vehicle",
    "WorkOrder",
    "WorkOrderEvent",
    "WorkOrderPackage",
    "WorkOrderStatus",
    "WorkSession",
]
