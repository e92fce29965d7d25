"""The shop's own details (name, address, KvK, BTW-id, IBAN, hourly rate, payment term, billing unit; phone, e-mail
and opening hours for the customer): set at /admin/instellingen, copied onto every invoice when it is issued, and
shown on the customer's status page. The numbers are checked with python-stdnum."""

from collections.abc import Callable

from sqlmodel import Session
from stdnum import iban
from stdnum.exceptions import ValidationError

from models import ShopSettings
from models.public import ShopSettingsPublic, ShopSettingsUpdate
from services.auth import Principal
from services.customers import clean_email, clean_kvk, clean_phone, clean_postal_code, clean_vat_number
from services.db import Database
from services.errors import Conflict, Invalid, clean_fields
from services.events import mutation
from services.text import clean_line, clean_text

# In the words of the settings form, for "vul eerst … in".
FIELD_LABELS = {
    "name": "Bedrijfsnaam",
    "street": "Straat en huisnummer",
    "postal_code": "Postcode",
    "city": "Plaats",
    "kvk": "KvK-nummer",
    "vat_number": "BTW-id",
    "iban": "IBAN",
    "hourly_rate_cents": "Uurtarief",
    "payment_term_days": "Betalingstermijn",
    "billing_unit_minutes": "Arbeid afronden op",
}
# How customers reach the shop: on the status page, not needed for an invoice.
CONTACT_LABELS = {"phone": "Telefoonnummer", "email": "E-mailadres", "opening_hours": "Openingstijden"}
DEFAULT_BILLING_UNIT = 15  # minutes: "Uren overnemen" rounds clocked time up to a quarter of an hour


def _line(name: str, max_length: int) -> Callable[[str | None], str | None]:
    def cleaned(raw: str | None) -> str | None:
        return None if raw is None or not raw.strip() else clean_line(raw, FIELD_LABELS[name], max_length)

    return cleaned


def clean_opening_hours(raw: str | None) -> str | None:
    """Free text, a few lines at most ("ma–vr 08:00–17:30")."""
    return None if raw is None or not raw.strip() else clean_text(raw, CONTACT_LABELS["opening_hours"], 500)


def clean_iban(raw: str | None) -> str | None:
    """Checked (country, length, check digits) and stored as printed: NL91 ABNA 0417 1643 00."""
    if raw is None or not raw.strip():
        return None
    try:
        return str(iban.format(iban.validate(raw)))
    except ValidationError:
        raise Invalid(f"{raw.strip()!r} is geen geldig IBAN") from None


_CLEANERS: dict[str, Callable[[str | None], str | None]] = {
    "name": _line("name", 200),
    "street": _line("street", 200),
    "postal_code": clean_postal_code,
    "city": _line("city", 100),
    "kvk": clean_kvk,
    "vat_number": clean_vat_number,
    "iban": clean_iban,
    "phone": clean_phone,
    "email": clean_email,
    "opening_hours": clean_opening_hours,
}


def _public(settings: ShopSettings | None) -> ShopSettingsPublic:
    return ShopSettingsPublic.model_validate((settings or ShopSettings()).model_dump())


def get_shop_settings(db: Database) -> ShopSettingsPublic:
    with db.read() as session:
        return _public(session.get(ShopSettings, 1))


def shop_settings_row(session: Session) -> ShopSettings:
    return session.get(ShopSettings, 1) or ShopSettings()


def clean_shop_settings(body: ShopSettingsUpdate) -> dict[str, object]:
    """Every field as it will be stored; every bad one refused at once (Invalid.fields: a message per field)."""
    fields: dict[str, object] = clean_fields(_CLEANERS, {name: getattr(body, name) for name in _CLEANERS})
    fields["hourly_rate_cents"] = body.hourly_rate_cents
    fields["payment_term_days"] = body.payment_term_days
    fields["billing_unit_minutes"] = body.billing_unit_minutes or DEFAULT_BILLING_UNIT
    return fields


def update_shop_settings(db: Database, body: ShopSettingsUpdate, *, actor: Principal | None) -> ShopSettingsPublic:
    """PUT: every field as sent (left out or empty: unset); any bad number refuses the whole request."""
    fields = clean_shop_settings(body)
    with mutation(db, actor) as change:
        settings = shop_settings_row(change.session)
        for name, value in fields.items():
            setattr(settings, name, value)
        change.session.add(settings)
        change.session.flush()
        return _public(settings)


def complete_settings(session: Session) -> ShopSettingsPublic:
    """The settings an invoice needs, all of them; 409 naming the first one missing."""
    settings = _public(session.get(ShopSettings, 1))
    missing = [label for name, label in FIELD_LABELS.items() if getattr(settings, name) is None]
    if missing:
        raise Conflict(f"De bedrijfsgegevens zijn niet compleet: vul eerst {', '.join(missing)} in (Instellingen)")
    return settings


def hourly_rate_cents(session: Session) -> int:
    rate = shop_settings_row(session).hourly_rate_cents
    if rate is None:
        raise Conflict("Er is nog geen uurtarief ingesteld: vul het in bij Instellingen of geef een tarief op")
    return rate
