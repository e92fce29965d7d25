"""The tables and enums of Werkplaats. Importing this package registers every table on SQLModel.metadata."""

from models.auth import ApiToken, LoginSession, Role, User
from models.display import DisplayState
from models.enums import COLUMN_STATUS, BoardColumn, ChangeType, WorkOrderStatus
from models.event import EventKind, LogState, WorkOrderEvent
from models.signature import Signature
from models.work_session import WorkSession
from models.workorder import WorkOrder

__all__ = [
    "COLUMN_STATUS",
    "ApiToken",
    "BoardColumn",
    "ChangeType",
    "DisplayState",
    "EventKind",
    "LogState",
    "LoginSession",
    "Role",
    "Signature",
    "User",
    "WorkOrder",
    "WorkOrderEvent",
    "WorkOrderStatus",
    "WorkSession",
]
