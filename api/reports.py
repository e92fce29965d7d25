"""Shop insight (admin): the summary of a period and the accountant's exports of its invoices and payments."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from api.deps import Admin, DatabaseDep
from models.reports_public import ShopSummary
from services import reports

router = APIRouter(prefix="/api/reports", tags=["reports"])
# Read as text: a date that is not one is the service's Dutch 422, naming `from` or `to`.
From = Annotated[str | None, Query(alias="from", max_length=40, description="JJJJ-MM-DD; default 1 January")]
To = Annotated[str | None, Query(alias="to", max_length=40, description="JJJJ-MM-DD, included; default today")]
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/summary", response_model=ShopSummary)
def summary(db: DatabaseDep, _: Admin, start: From = None, end: To = None) -> ShopSummary:
    """Revenue, mechanics' clocked against billed minutes, inspection recommendations and parts lead time of the
    period's shop days (both included)."""
    return reports.summary(db, reports.period_of(start, end))


EXPORT_NAMES = {"invoices": "facturen", "payments": "betalingen", "mileages": "tellerstanden"}  # the file's name


@router.get("/{kind}.{file_type}", response_class=Response)
def export(
    db: DatabaseDep,
    _: Admin,
    kind: Literal["invoices", "payments", "mileages"],
    file_type: Literal["csv", "xlsx"],
    start: From = None,
    end: To = None,
) -> Response:
    """For the accountant: the invoices and credit notes issued, or the payments received, in the period; for the
    odometer registration, the mileages of the orders over € 150 incl. VAT closed in it. CSV:
    `;`-separated UTF-8 with a byte-order mark and decimal commas; XLSX: amounts as numbers formatted #,##0.00."""
    body, name = reports.export(db, EXPORT_NAMES[kind], reports.period_of(start, end), file_type)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=MEDIA_TYPES[file_type], headers=headers)
