"""The shop's contact details for its customers over real HTTP: phone, e-mail and opening hours kept as sent (an
e-mail address normalised, empty is null), a bad one refused at its field with nothing saved."""

import pytest

from tests.api.billing import SHOP_SETTINGS, complete_shop, expect
from tests.conftest import Shop, assert_no_event_between

CONTACT = {"phone": "+31 (0)30-123 45 67", "email": "Balie@Garage-De-Vries.NL", "openingHours": "ma–vr 08:00–17:30"}


def test_the_contact_fields_round_trip(shop: Shop) -> None:
    saved = expect(shop.admin.put("/api/settings/shop", json={**SHOP_SETTINGS, **CONTACT}), 200).json()
    contact = {name: saved[name] for name in CONTACT}
    assert contact == {**CONTACT, "email": "Balie@garage-de-vries.nl"}  # the domain in lower case, as mail does
    assert expect(shop.admin.get("/api/settings/shop"), 200).json() == saved
    hours = "ma–vr  08:00–17:30\nza 09:00–12:00 "
    cleared = {**SHOP_SETTINGS, "phone": "  ", "email": None, "openingHours": hours}
    saved = expect(shop.admin.put("/api/settings/shop", json=cleared), 200).json()
    assert (saved["phone"], saved["email"], saved["openingHours"]) == (None, None, hours.strip())
    without = {name: value for name, value in SHOP_SETTINGS.items() if name not in CONTACT}
    saved = expect(shop.admin.put("/api/settings/shop", json=without), 200).json()  # left out: empty
    assert (saved["phone"], saved["email"], saved["openingHours"]) == (None, None, None)
    complete_shop(shop)


@pytest.mark.parametrize(
    ("field", "bad", "said"),
    [
        ("phone", "bel me maar", "geen geldig telefoonnummer"),
        ("phone", "0" * 41, "te lang"),
        ("email", "balie@", "geen geldig e-mailadres"),
        ("openingHours", "x" * 501, "te lang"),
        ("openingHours", 17, "valid string"),
    ],
)
def test_a_bad_contact_field_is_refused_and_nothing_changes(shop: Shop, field: str, bad: object, said: str) -> None:
    saved = complete_shop(shop)

    def refused() -> None:
        response = shop.admin.put("/api/settings/shop", json={**SHOP_SETTINGS, "name": "Anders", field: bad})
        assert response.status_code == 422 and said in str(response.json()["detail"]), response.text

    assert_no_event_between(shop, refused)
    assert expect(shop.admin.get("/api/settings/shop"), 200).json() == saved
