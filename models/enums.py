"""Board columns, statuses and change types, in the workshop's own (Dutch) words as the contract fixes them."""

from enum import StrEnum


class BoardColumn(StrEnum):
    GEPLAND = "Gepland"
    AUTO_BINNEN = "Auto binnen"
    ONDER_HANDEN = "Onder handen"
    WACHT_OP_ONDERDELEN = "Wacht op onderdelen"
    KLAAR = "Klaar"
    AFGEROND = "Afgerond"


class WorkOrderStatus(StrEnum):
    NIEUW = "NIEUW"
    GOEDGEKEURD = "GOEDGEKEURD"
    IN_UITVOERING = "IN_UITVOERING"
    WACHT_OP_ONDERDELEN = "WACHT_OP_ONDERDELEN"
    GEREED = "GEREED"
    AFGEROND = "AFGEROND"


# The status in plain Dutch, for people (the badge's tooltip, the filter, the history's sentences).
STATUS_WORDS: dict[WorkOrderStatus, str] = {
    WorkOrderStatus.NIEUW: "nieuw",
    WorkOrderStatus.GOEDGEKEURD: "goedgekeurd",
    WorkOrderStatus.IN_UITVOERING: "in uitvoering",
    WorkOrderStatus.WACHT_OP_ONDERDELEN: "wacht op onderdelen",
    WorkOrderStatus.GEREED: "gereed",
    WorkOrderStatus.AFGEROND: "afgerond",
}

# Moving a work order into a column gives it this status.
COLUMN_STATUS: dict[BoardColumn, WorkOrderStatus] = {
    BoardColumn.GEPLAND: WorkOrderStatus.NIEUW,
    BoardColumn.AUTO_BINNEN: WorkOrderStatus.GOEDGEKEURD,
    BoardColumn.ONDER_HANDEN: WorkOrderStatus.IN_UITVOERING,
    BoardColumn.WACHT_OP_ONDERDELEN: WorkOrderStatus.WACHT_OP_ONDERDELEN,
    BoardColumn.KLAAR: WorkOrderStatus.GEREED,
    BoardColumn.AFGEROND: WorkOrderStatus.AFGEROND,
}


class ChangeType(StrEnum):
    CREATED = "created"
    STATUS = "status"
    COLUMN = "column"
    SESSION = "session"
    DETAILS = "details"
    CUSTOMER = "customer"
    VEHICLE = "vehicle"
    PARTS = "parts"
    LABOUR = "labour"
    APPROVAL = "approval"
    INVOICE = "invoice"
    NOTIFICATION = "notification"
    APPOINTMENT = "appointment"
    INSPECTION = "inspection"
    PAYMENT = "payment"
