"""Customers: made at the desk (or with a new work order), searched when the next job comes in, edited; an edit
shows at once on every open work order of that customer. A customer with a KvK number is a business (lease, fleet):
its invoices also go out as UBL. Its numbers are checked as the shop's own are (python-stdnum)."""

import re
from collections.abc import Callable

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, func, select
from stdnum.eu import vat
from stdnum.exceptions import ValidationError
from stdnum.nl import postcode
from stdnum.util import clean, isdigits

from models import Customer, WorkOrder
from models.messages import CustomerChanged
from models.public import CustomerCreate, CustomerPublic, CustomerUpdate
from services.auth import Principal
from services.clock import utcnow
from services.db import Database
from services.errors import Invalid, NotFound, clean_fields
from services.events import Mutation, mutation
from services.text import clean_line, contains
from services.views import customer_public, open_work_orders

_PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{5,24}")
_PHONE_QUERY = re.compile(r"[0-9 ()\-+.]+")
PHONE_QUERY_DIGITS = 3  # fewer digits find half the customers: "12" is more likely part of a number or plate
SEARCH_LIMIT = 50


def _optional_line(raw: str | None, what: str, max_length: int) -> str | None:
    return None if raw is None or not raw.strip() else clean_line(raw, what, max_length)


def clean_email(raw: str | None) -> str | None:
    """Checked for form only (no DNS at the counter); stored as the library normalises it."""
    email = _optional_line(raw, "E-mailadres", 254)
    if email is None:
        return None
    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        raise Invalid(f"{email!r} is geen geldig e-mailadres") from None


def clean_phone(raw: str | None) -> str | None:
    phone = _optional_line(raw, "Telefoonnummer", 40)
    if phone is not None and not _PHONE.fullmatch(phone):
        raise Invalid(f"{phone!r} is geen geldig telefoonnummer")
    return phone


def tel_uri(phone: str) -> str:
    """A `tel:` link a phone dials: the digits and plus of the number as written, without the "(0)" that a
    number written internationally keeps for callers at home (+31 (0)30 … dials +3130 …)."""
    return "tel:" + "".join(c for c in phone.replace("(0)", "") if c.isdigit() or c == "+")


def clean_postal_code(raw: str | None) -> str | None:
    """A Dutch postcode, stored as it is written on an envelope: 1234 AB."""
    code = _optional_line(raw, "Postcode", 10)
    if code is None:
        return None
    try:
        return str(postcode.validate(code))
    except ValidationError:
        raise Invalid(f"{code!r} is geen geldige postcode (1234 AB)") from None


def clean_kvk(raw: str | None) -> str | None:
    """Eight digits. python-stdnum has no KvK module (and the KvK dropped its check digit in 2016), so the form is
    all there is to check; its helpers strip the spaces and dots people type."""
    if raw is None or not raw.strip():
        return None
    number = clean(raw, " .-")
    if not (isdigits(number) and len(number) == 8):
        raise Invalid(f"{raw.strip()!r} is geen geldig KvK-nummer (8 cijfers)")
    return str(number)


def clean_vat_number(raw: str | None) -> str | None:
    """A European VAT number (a Dutch one: NL000099998B57), checked and stored compact."""
    if raw is None or not raw.strip():
        return None
    try:
        return str(vat.validate(raw))
    except ValidationError:
        raise Invalid(f"{raw.strip()!r} is geen geldig btw-identificatienummer") from None


CUSTOMER_CLEANERS: dict[str, Callable[[str | None], str | None]] = {
    "name": lambda raw: clean_line(raw, "Klantnaam", 200),
    "email": clean_email,
    "phone": clean_phone,
    "street": lambda raw: _optional_line(raw, "Straat", 200),
    "postal_code": clean_postal_code,
    "city": lambda raw: _optional_line(raw, "Plaats", 100),
}
# A business customer's numbers: given when the customer is made or edited, not with a new work order.
_ALL_CLEANERS = {**CUSTOMER_CLEANERS, "kvk": clean_kvk, "vat_number": clean_vat_number}


def clean_customer_fields(fields: dict[str, str | None]) -> dict[str, str | None]:
    """Every given field cleaned and checked; any bad one refuses the whole request (each said at its field)."""
    return clean_fields(_ALL_CLEANERS, fields)


def phone_digits(column: Mapped[str | None] | ColumnElement[str | None]) -> ColumnElement[str]:
    """SQL: a stored phone number's digits alone, however it was typed ("06-1234 5678", "(06) 12345678")."""
    digits: ColumnElement[str] = func.coalesce(column, "")
    for punctuation in " -().+":
        digits = func.replace(digits, punctuation, "")
    return digits


def phone_query(query: str) -> str | None:
    """The digits of a query that reads as (part of) a phone number, so "0612345678" finds "06-1234 5678"."""
    digits = "".join(c for c in query if c.isdigit())
    return digits if _PHONE_QUERY.fullmatch(query) and len(digits) >= PHONE_QUERY_DIGITS else None


def new_customer(session: Session, cleaned: dict[str, str | None]) -> Customer:
    """A new customer from fields clean_customer_fields checked (outside the transaction)."""
    now = utcnow()
    customer = Customer.model_validate({**cleaned, "created_at": now, "updated_at": now})
    session.add(customer)
    return customer


def get_customer_row(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"Klant {customer_id} bestaat niet")
    return customer


def create_customer(db: Database, body: CustomerCreate, *, actor: Principal | None) -> CustomerPublic:
    fields = clean_customer_fields(body.model_dump())
    with mutation(db, actor) as change:
        customer = new_customer(change.session, fields)
        change.session.flush()
        return customer_public(customer)


def get_customer(db: Database, customer_id: int) -> CustomerPublic:
    with db.read() as session:
        return customer_public(get_customer_row(session, customer_id))


def search_customers(db: Database, query: str | None, limit: int = SEARCH_LIMIT) -> list[CustomerPublic]:
    """Customers whose name, e-mail or phone contains the query (any case; a phone number in any notation), by
    name."""
    statement = select(Customer).order_by(func.lower(Customer.name), col(Customer.id)).limit(limit)
    needle = (query or "").strip().lower()
    if needle:
        searched = (col(Customer.name), col(Customer.email), col(Customer.phone))
        matches = [contains(func.lower(column), needle) for column in searched]
        digits = phone_query(needle)
        if digits:
            matches.append(contains(phone_digits(col(Customer.phone)), digits))
        statement = statement.where(or_(*matches))
    with db.read() as session:
        return [customer_public(customer) for customer in session.exec(statement)]


def tell_customer_changed(change: Mutation, customer: Customer) -> CustomerPublic:
    """Every open work order of the customer gets a customer event, so each page that shows one of them shows the
    change at once."""
    customer.updated_at = utcnow()
    change.session.flush()
    public = customer_public(customer)
    for work_order in open_work_orders(change.session, col(WorkOrder.customer_id) == customer.id):
        change.record(work_order, CustomerChanged(customer=public))
    return public


def set_reminders_opt_out(customer: Customer, opted_out: bool) -> bool:
    """Record an opt-out with its moment (AVG), or undo it; True when that changed anything."""
    if opted_out == (customer.reminders_opt_out_at is not None):
        return False
    customer.reminders_opt_out_at = utcnow() if opted_out else None
    return True


def update_customer(db: Database, customer_id: int, body: CustomerUpdate, *, actor: Principal | None) -> CustomerPublic:
    """Only the fields sent change (null clears one; `remindersOptOut` records or undoes an opt-out)."""
    sent = body.model_fields_set - {"reminders_opt_out"}
    fields = clean_customer_fields({name: getattr(body, name) for name in sent})
    with mutation(db, actor) as change:
        customer = get_customer_row(change.session, customer_id)
        changed = {name: value for name, value in fields.items() if getattr(customer, name) != value}
        for name, value in changed.items():
            setattr(customer, name, value)
        opt_out = body.reminders_opt_out
        if not (opt_out is not None and set_reminders_opt_out(customer, opt_out)) and not changed:
            return customer_public(customer)
        return tell_customer_changed(change, customer)
