"""Mollie, the Dutch shops' usual payment provider, through its maintained client (mollie-api-python): create a
payment of an invoice's open amount, and fetch one back when its webhook says it changed. Only this module knows
Mollie's shapes; MOLLIE_API_BASE points the client at another host (the tests' Mollie-shaped server)."""

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from mollie.api.client import Client
from mollie.api.error import IdentifierError, NotFoundError, RequestError, ResponseError, ResponseHandlingError

from models import ONLINE_METHODS
from services.errors import Unavailable

log = logging.getLogger(__name__)
TIMEOUT = (3, 10)  # connect, read (seconds): a webhook answered 503 is sent again by Mollie
CURRENCY = "EUR"


class MollieUnreachable(Unavailable):
    """Mollie did not answer, or answered with an error of its own: try again later."""


@dataclass(frozen=True)
class MolliePayment:
    """What we read of a Mollie payment. `amount_cents` None: not an amount in whole cents."""

    id: str
    status: str  # open, pending, authorized, paid, failed, canceled, expired
    currency: str
    amount_cents: int | None
    invoice_id: str | None  # metadata.invoiceId, as Mollie kept it
    method: str | None
    checkout_url: str | None


def mollie_amount(cents: int) -> dict[str, str]:
    """Mollie's amount: a string with exactly two decimals, `{"currency": "EUR", "value": "243.55"}`."""
    return {"currency": CURRENCY, "value": f"{Decimal(cents) / 100:.2f}"}


def _cents(value: Any) -> int | None:
    try:
        amount = Decimal(str(value)) * 100
    except InvalidOperation:
        return None
    return int(amount) if amount == amount.to_integral_value() else None


def _payment(raw: Any) -> MolliePayment:
    amount = raw.amount or {}
    metadata = raw.metadata if isinstance(raw.metadata, dict) else {}
    invoice_id = metadata.get("invoiceId")
    return MolliePayment(
        id=raw.id,
        status=raw.status,
        currency=str(amount.get("currency", "")),
        amount_cents=_cents(amount.get("value")),
        invoice_id=None if invoice_id is None else str(invoice_id),
        method=raw.method,
        checkout_url=raw.checkout_url,
    )


class MollieGateway:
    """One client per process (MOLLIE_API_KEY, MOLLIE_API_BASE); blocking calls, made from worker threads."""

    def __init__(self, api_key: str, api_base: str) -> None:
        self.client = Client(api_endpoint=api_base, timeout=TIMEOUT)
        self.client.set_api_key(api_key)

    def create_payment(
        self, cents: int, description: str, redirect_url: str, webhook_url: str, invoice_id: int
    ) -> MolliePayment:
        data = {
            "amount": mollie_amount(cents),
            "description": description,
            "redirectUrl": redirect_url,
            "webhookUrl": webhook_url,
            "metadata": {"invoiceId": str(invoice_id)},
            "method": [method.value for method in ONLINE_METHODS],
            "locale": "nl_NL",
        }
        try:
            return _payment(self.client.payments.create(data))
        except (RequestError, ResponseError, ResponseHandlingError) as error:
            log.warning("Mollie: creating a payment for invoice %s failed: %s", invoice_id, error)
            raise MollieUnreachable("Mollie is nu niet bereikbaar; probeer het zo opnieuw") from error

    def fetch(self, payment_id: str) -> MolliePayment | None:
        """The payment as Mollie has it; None when Mollie knows no such payment (or the id is not a payment's)."""
        try:
            return _payment(self.client.payments.get(payment_id))
        except (IdentifierError, NotFoundError):
            return None
        except (RequestError, ResponseError, ResponseHandlingError) as error:
            log.warning("Mollie: fetching payment %s failed: %s", payment_id, error)
            raise MollieUnreachable("Mollie is nu niet bereikbaar") from error
