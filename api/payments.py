"""Getting paid: a Mollie payment link for an invoice (the desk), Mollie's webhook (no login: it proves nothing,
the service asks Mollie), and payments at the counter."""

from typing import Annotated

from fastapi import APIRouter, Form, Response, status

from api.deps import Admin, DatabaseDep, DatabaseIdPath, MollieDep, SettingsDep
from models.public import CounterPaymentCreate, InvoicePublic, PaymentLinkPublic
from services.invoicing import payments

router = APIRouter(tags=["payments"])


@router.post(
    "/api/invoices/{invoice_id}/payment-link", response_model=PaymentLinkPublic, status_code=status.HTTP_201_CREATED
)
def create_payment_link(
    db: DatabaseDep, invoice_id: DatabaseIdPath, principal: Admin, mollie: MollieDep, settings: SettingsDep
) -> PaymentLinkPublic:
    """A Mollie payment of the open amount; 409 unless open or while online payment is off, 503 while Mollie is
    unreachable."""
    return payments.create_payment_link(db, mollie, invoice_id, settings.public_url, actor=principal)


@router.post(payments.WEBHOOK_PATH, status_code=status.HTTP_200_OK, response_class=Response)
def mollie_webhook(db: DatabaseDep, mollie: MollieDep, id: Annotated[str, Form(max_length=64)] = "") -> Response:
    """200 whatever the id (Mollie only needs to know it arrived); 503 when Mollie cannot be asked, so it retries."""
    payments.record_mollie_payment(db, mollie, id)
    return Response(status_code=status.HTTP_200_OK)


@router.post("/api/invoices/{invoice_id}/payments", response_model=InvoicePublic, status_code=status.HTTP_201_CREATED)
def record_counter_payment(
    db: DatabaseDep, invoice_id: DatabaseIdPath, body: CounterPaymentCreate, principal: Admin
) -> InvoicePublic:
    """Pin, contant or overboeking: the invoice after it (`betaald` once paid in full); 409 over the open amount."""
    return payments.record_counter_payment(db, invoice_id, body, actor=principal)
