"""Invoices and credit notes (the desk): issue one for a finished order, credit it, list (open ones: who owes
what), read, the PDF, the UBL e-invoice, and the accountant's CSV per period."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from api.deps import Admin, DatabaseDep, DatabaseIdPath
from models.public import InvoicePublic, InvoiceRow
from services import reports
from services.errors import Invalid
from services.invoicing import invoices, overview
from services.invoicing.overview import StatusFilter
from services.reports.period import FIRST_DAY, LAST_DAY, checked

router = APIRouter(tags=["invoices"])


@router.post("/api/workorders/{work_order_id}/invoice", response_model=InvoicePublic, status_code=201)
def issue_invoice(db: DatabaseDep, work_order_id: DatabaseIdPath, principal: Admin) -> InvoicePublic:
    """409 unless the order is in Klaar or Afgerond, has no current invoice, and the shop settings are complete."""
    return invoices.issue_invoice(db, work_order_id, actor=principal)


@router.get("/api/invoices", response_model=list[InvoiceRow])
def list_invoices(
    db: DatabaseDep,
    _: Admin,
    year: Annotated[int | None, Query(ge=2000, le=9999)] = None,
    status: StatusFilter | None = None,
) -> list[InvoiceRow]:
    """By number: invoices and credit notes, of one year or all; `status=open`: who owes what, longest overdue
    first, each with `daysOverdue` in the shop's days."""
    return overview.invoice_rows(db, year=year, status=status)


@router.get("/api/invoices/export.csv", response_class=Response)
def export_invoices(
    db: DatabaseDep, _: Admin, start: Annotated[date, Query(alias="from")], end: Annotated[date, Query(alias="to")]
) -> Response:
    """For the accountant: the invoices and credit notes issued from `from` to `to` (both included), with what was
    paid; `;`-separated UTF-8 with a byte-order mark, so Dutch Excel opens it as it is."""
    period = checked(start, end)
    if start < FIRST_DAY or end > LAST_DAY:
        raise Invalid(f"Kies een periode tussen {FIRST_DAY.year} en {LAST_DAY.year}", field="from")
    body, filename = reports.export(db, "facturen", period, "csv")
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=disposition)


@router.get("/api/invoices/{invoice_id}", response_model=InvoicePublic)
def get_invoice(db: DatabaseDep, invoice_id: DatabaseIdPath, _: Admin) -> InvoicePublic:
    return invoices.get_invoice(db, invoice_id)


@router.get("/api/invoices/{invoice_id}/pdf", response_class=Response)
def invoice_pdf(db: DatabaseDep, invoice_id: DatabaseIdPath, _: Admin) -> Response:
    pdf = invoices.invoice_pdf(db, invoice_id)
    number = invoices.get_invoice(db, invoice_id).number
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="factuur-{number}.pdf"'}
    )


@router.get("/api/invoices/{invoice_id}/ubl", response_class=Response)
def invoice_ubl(db: DatabaseDep, invoice_id: DatabaseIdPath, _: Admin) -> Response:
    """The e-invoice for the customer's accounting software: UBL 2.1 per SI-UBL 2.0 (NLCIUS)."""
    ubl = invoices.invoice_ubl(db, invoice_id)
    headers = {"Content-Disposition": f'attachment; filename="{ubl.filename}"'}
    return Response(ubl.data, media_type=ubl.content_type, headers=headers)


@router.post("/api/invoices/{invoice_id}/credit", response_model=InvoicePublic, status_code=status.HTTP_201_CREATED)
def credit_invoice(db: DatabaseDep, invoice_id: DatabaseIdPath, principal: Admin) -> InvoicePublic:
    """A credit note (negated lines, its own number); the order may then be invoiced again."""
    return invoices.credit_invoice(db, invoice_id, actor=principal)
