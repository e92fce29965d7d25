"""Invoices and credit notes (the desk): issue one for a finished order, credit it, list, read, the PDF and
the UBL e-invoice."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from api.deps import Admin, DatabaseDep, DatabaseIdPath
from models.public import InvoicePublic
from services.invoicing import invoices

router = APIRouter(tags=["invoices"])


@router.post("/api/workorders/{work_order_id}/invoice", response_model=InvoicePublic, status_code=201)
def issue_invoice(db: DatabaseDep, work_order_id: DatabaseIdPath, principal: Admin) -> InvoicePublic:
    """409 unless the order is in Klaar or Afgerond, has no current invoice, and the shop settings are complete."""
    return invoices.issue_invoice(db, work_order_id, actor=principal)


@router.get("/api/invoices", response_model=list[InvoicePublic])
def list_invoices(
    db: DatabaseDep, _: Admin, year: Annotated[int | None, Query(ge=2000, le=9999)] = None
) -> list[InvoicePublic]:
    """By number: invoices and credit notes, of one year or all."""
    return invoices.list_invoices(db, year)


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
