"""Online booking over real HTTP, without a login, on a server whose clock starts on Monday 7 December 2026, 10:00
at the shop: the packages with their prices, the free starts (the planning's own), a booking that lands in Gepland
with its packages and appointment, the customer found by e-mail, every bad field named (422), a start taken
meanwhile (409 with the next free one), the throttle per address, and nothing of another customer in any answer."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from icalendar import Calendar

from tests.api.billing import expect
from tests.booking_shop import BOOKINGS_PER_HOUR, LOOKUPS_PER_HOUR, BookingShop, booking_shop_fixture
from tests.conftest import Shop, assert_no_event_between
from tests.server import wait_until

booking_shop = booking_shop_fixture()


def book(client: httpx.Client, status: int, **fields: object) -> httpx.Response:
    return expect(client.post("/api/booking", json=fields), status)


def slots(client: httpx.Client, *package_ids: int, **params: str) -> list[str]:
    query = {"packages": ",".join(map(str, package_ids)), **params}
    return [slot["start"] for slot in expect(client.get("/api/booking/slots", params=query), 200).json()]


def find_order(shop: Shop, number: str) -> dict:
    found = expect(shop.admin.get("/api/workorders", params={"q": number}), 200).json()
    assert len(found) == 1, found
    return found[0]  # type: ignore[no-any-return]


def leave_one_hour(shop: Shop, day: str) -> None:
    """Only jan works that day, and the desk planned him in until 15:30: 60 of his 510 minutes are left."""
    for name in ("fatima", "pieter"):
        expect(shop.admin.put(f"/api/mechanics/{name}", json={"daysOff": [day]}), 200)
    desk_order = shop.create(description="Grote klus")
    body = {"start": f"{day}T08:00:00+01:00", "minutes": 450, "mechanic": "jan"}
    expect(shop.admin.put(f"/api/workorders/{desk_order['id']}/appointment", json=body), 200)


def test_anyone_sees_the_packages_with_prices_and_the_free_starts(booking_shop: BookingShop) -> None:
    booking_shop.at_opening()
    with booking_shop.stranger() as phone:
        packages = expect(phone.get("/api/booking/packages"), 200).json()
        assert packages == [
            {"id": booking_shop.apk, "name": "APK", "kind": "apk", "minutes": 45, "priceCents": 4950},
            # 60 min at € 87,50 plus 4 × € 12,50 = € 137,50, with 21 % VAT
            {
                "id": booking_shop.kleine_beurt,
                "name": "Kleine beurt",
                "kind": "onderhoud",
                "minutes": 60,
                "priceCents": 16638,
            },
        ]
        offered = slots(phone, booking_shop.kleine_beurt, booking_shop.apk)
        assert len(offered) == len(set(offered)) == 12 and offered == sorted(offered)
        assert offered[:3] == ["2026-12-07T09:00:00.000Z", "2026-12-07T10:00:00.000Z", "2026-12-07T11:00:00.000Z"]
        assert offered[6] == "2026-12-08T07:00:00.000Z"  # today until 15:00 (105 minutes before 17:00), then 08:00
        for start in offered:  # each one free as the planning itself finds it
            query: dict[str, str | int] = {"minutes": 105, "from": start, "count": 1}
            assert (
                expect(booking_shop.shop.admin.get("/api/planning/free", params=query), 200).json()[0]["start"] == start
            )
        later = slots(phone, booking_shop.apk, **{"from": "2026-12-09T00:00:00"})  # midnight at the shop
        assert later[0] == "2026-12-09T07:00:00.000Z"
        for bad, field in (("", "packageIds"), ("x", "packages"), ("1,,a", "packages"), ("99999", "packageIds")):
            response = expect(phone.get("/api/booking/slots", params={"packages": bad}), 422)
            assert list(response.json()["fields"]) == [field]


def test_a_booking_lands_in_gepland_with_its_packages_and_appointment(booking_shop: BookingShop) -> None:
    shop = booking_shop.shop
    with booking_shop.stranger() as phone, shop.stream() as stream:
        stream.next()
        start = slots(phone, booking_shop.kleine_beurt, booking_shop.apk, **{"from": "2026-12-10T00:00:00"})[0]
        answer = book(
            phone,
            201,
            licensePlate="gz-183-v",
            packageIds=[booking_shop.kleine_beurt, booking_shop.apk],
            start=start,
            name="Anna de Vries",
            email="Anna@Example.nl",
            phone="06-1234 5678",
        ).json()
        assert answer == {"number": answer["number"], "start": start}
        events = [stream.next().json for _ in range(6)]
    order = find_order(shop, answer["number"])
    assert events[0]["changeType"] == "created" and events[-1]["changeType"] == "notification"
    assert {e["changeType"] for e in events} == {"created", "labour", "parts", "appointment", "notification"}
    assert all(e["actor"] == {"name": "Anna de Vries", "role": "klant"} for e in events)
    assert (order["column"], order["status"], order["licensePlate"]) == ("Gepland", "NIEUW", "GZ183V")
    appointment = order["appointment"]
    assert (appointment["start"], appointment["minutes"]) == (start, 105)
    assert appointment["mechanic"] in ("fatima", "jan", "pieter")
    assert [line["description"] for line in order["labour"]] == ["Kleine beurt", "APK (vaste prijs)"]
    assert [part["description"] for part in order["parts"]] == ["Motorolie 5W-30"]
    assert order["totals"]["includingVatCents"] == 16638 + 4950
    assert order["customer"]["email"] == "Anna@example.nl" and order["customer"]["phone"] == "06-1234 5678"
    assert order["description"].startswith("Online afspraak: Kleine beurt, APK")
    mails = expect(shop.admin.get(f"/api/workorders/{order['id']}/notifications"), 200).json()
    assert [mail["kind"] for mail in mails] == ["afspraak"]  # the confirmation, not also `ontvangen`

    with booking_shop.stranger() as other_phone:  # the same address in other capitals: the same customer
        again = book(
            other_phone,
            201,
            licensePlate="GZ183V",
            packageIds=[booking_shop.apk],
            start=start,
            name="A. de Vries-Jansen",
            email="ANNA@example.nl",
        ).json()
    second = find_order(shop, again["number"])
    assert second["customerId"] == order["customerId"]
    assert second["customer"]["name"] == "Anna de Vries"  # a stranger's form never changes a customer


def test_bad_input_is_422_with_every_field_named_and_changes_nothing(booking_shop: BookingShop) -> None:
    shop = booking_shop.shop
    with booking_shop.stranger() as phone:
        start = slots(phone, booking_shop.apk)[0]
        good = {
            "licensePlate": "XG-771-B",
            "packageIds": [booking_shop.apk],
            "start": start,
            "name": "Piet",
            "email": "piet@example.nl",
        }

        def refused() -> None:
            body = book(
                phone, 422, **{**good, "licensePlate": "XG 77!", "name": " ", "email": "geen-adres", "phone": "bel me"}
            ).json()
            assert set(body["fields"]) == {"licensePlate", "name", "email", "phone"}
            assert "geen geldig e-mailadres" in body["fields"]["email"] and "Naam" in body["fields"]["name"]
            unknown = book(phone, 422, **{**good, "packageIds": [booking_shop.apk, 424242]}).json()
            assert unknown["fields"] == {"packageIds": "Werkpakket 424242 bestaat niet (meer)"}
            assert book(phone, 422, **{**good, "packageIds": []}).json()["detail"]
            assert book(phone, 422, **{**good, "email": None}).json()["detail"]
            assert book(phone, 422, **{**good, "sneaky": 1}).json()["detail"]

        assert_no_event_between(shop, refused)


def test_a_start_taken_meanwhile_is_409_with_the_next_free_start(booking_shop: BookingShop) -> None:
    shop = booking_shop.shop
    leave_one_hour(shop, "2027-01-12")
    with booking_shop.stranger() as first, booking_shop.stranger() as second:
        last = slots(first, booking_shop.apk, **{"from": "2027-01-12T00:00:00"})[0]
        assert last == "2027-01-12T14:30:00.000Z"  # 15:30 at the shop: jan's last free hour
        book(
            first,
            201,
            licensePlate="GH512K",
            packageIds=[booking_shop.apk],
            start=last,
            name="Eerste",
            email="eerste@example.nl",
        )
        assert slots(second, booking_shop.apk, **{"from": "2027-01-12T00:00:00"})[0] == "2027-01-13T07:00:00.000Z"
        taken = book(
            second,
            409,
            licensePlate="65-XKR-B",
            packageIds=[booking_shop.apk],
            start=last,
            name="Tweede",
            email="tweede@example.nl",
        ).json()
        assert taken == {"detail": taken["detail"], "nextStart": "2027-01-13T07:00:00.000Z"}
        assert "net door iemand anders geboekt" in taken["detail"]
        passed = book(
            second,
            409,
            licensePlate="65-XKR-B",
            packageIds=[booking_shop.apk],
            start="2026-12-07T08:00:00+01:00",
            name="Tweede",
            email="tweede@example.nl",
        ).json()
        assert datetime.fromisoformat(passed["nextStart"]) >= datetime.fromisoformat("2026-12-07T09:00:00+00:00")
    day = expect(shop.admin.get("/api/planning", params={"from": "2027-01-12", "to": "2027-01-12"}), 200).json()
    assert day["days"][0]["plannedMinutes"] == 450 + 45


def test_each_address_is_throttled_on_its_own(booking_shop: BookingShop) -> None:
    with booking_shop.stranger() as busy, booking_shop.stranger() as calm:
        for _ in range(LOOKUPS_PER_HOUR):
            expect(busy.get("/api/booking/packages"), 200)
        refused = expect(busy.get("/api/booking/slots", params={"packages": booking_shop.apk}), 429).json()
        assert refused["detail"].startswith("Te veel verzoeken vanaf uw adres; probeer het over")
        expect(busy.get("/afspraak"), 200)  # the page itself is plain HTML; what it asks is counted
        expect(calm.get("/api/booking/packages"), 200)
        for _ in range(BOOKINGS_PER_HOUR):
            book(
                calm,
                422,
                licensePlate="",
                packageIds=[booking_shop.apk],
                start="2026-12-08T09:00:00+01:00",
                name="",
                email="",
            )
        expect(calm.post("/api/booking", json={}), 429)
        expect(calm.delete("/api/booking/onbekend-token-van-32-tekens-lang"), 429)


def test_no_answer_reveals_another_customer(booking_shop: BookingShop) -> None:
    shop = booking_shop.shop
    secret = {"licensePlate": "VTK88Z", "name": "Geheime Klant", "email": "geheim@example.nl", "phone": "0699887766"}
    with booking_shop.stranger() as owner:
        start = slots(owner, booking_shop.apk, **{"from": "2026-12-15T00:00:00"})[0]
        mine = book(owner, 201, packageIds=[booking_shop.apk], start=start, **secret).json()
    order = find_order(shop, mine["number"])
    shop.admin.patch(f"/api/workorders/{order['id']}", json={"mileage": 88123})
    with booking_shop.stranger() as stranger:
        answers = [
            stranger.get("/api/booking/packages"),
            stranger.get("/api/booking/slots", params={"packages": booking_shop.apk}),
            stranger.get("/api/booking/vehicle/VT-K8-8Z"),
            stranger.get("/afspraak"),
            stranger.post("/api/booking", json={"packageIds": [booking_shop.apk], "start": start, **secret}),
            stranger.post(
                "/api/booking",
                json={
                    **secret,
                    "packageIds": [booking_shop.apk],
                    "start": start,
                    "email": "ander@example.nl",
                    "name": "Ander",
                },
            ),
            stranger.delete("/api/booking/" + "x" * 32),
            stranger.get("/afspraak/beheer/" + "x" * 32),
        ]
    vehicle = answers[2].json()
    assert set(vehicle) == {"licensePlate", "car", "brand", "model", "color", "fuel", "found"}
    assert vehicle["car"] == "Ford Transit Custom, wit"
    assert answers[4].status_code in (201, 409) and set(answers[4].json()) <= {"number", "start", "detail", "nextStart"}
    assert [a.status_code for a in answers[6:]] == [404, 404]
    for answer in answers:
        text = answer.text
        for private in ("Geheime", "geheim@", "0699887766", "88123", mine["number"], '"jan"', "fatima", "pieter"):
            assert private not in text, (answer.request.url, private)
    for answer in answers[:2] + answers[4:6]:
        assert "VTK88Z" not in answer.text and "VT-K8-8Z" not in answer.text


def test_the_confirmation_carries_an_ics_in_amsterdam_time_and_the_link_to_cancel(booking_shop: BookingShop) -> None:
    shop = booking_shop.shop
    with booking_shop.stranger() as phone:
        made = book(
            phone,
            201,
            licensePlate="XG-771-B",
            packageIds=[booking_shop.kleine_beurt],
            start="2026-12-17T13:00:00+01:00",
            name="Eva Jansen",
            email="eva@example.nl",
        ).json()
        order = find_order(shop, made["number"])
        letter = wait_until(
            lambda: next((m for m in booking_shop.smtp.inbox.messages() if m["To"] == "eva@example.nl"), None),
            15,
            "the confirmation e-mail",
        )
        mails = expect(shop.admin.get(f"/api/workorders/{order['id']}/notifications"), 200).json()
        assert [(mail["kind"], mail["status"]) for mail in mails] == [("afspraak", "verzonden")]
        assert letter["Subject"] == f"Uw afspraak voor XG-771-B staat: werkorder {made['number']}"
        text = letter.get_body(("plain",)).get_content()
        assert "Uw afspraak staat: donderdag 17 december om 13:00 bij Garage De Vries, Industrieweg 12" in text
        assert "Voor uw auto (XG-771-B): Kleine beurt." in text
        link = re.search(r"https://garage\.example/afspraak/beheer/(\S+)", text)
        assert link is not None
        [attachment] = list(letter.iter_attachments())
        assert (attachment.get_filename(), attachment.get_content_type()) == ("afspraak.ics", "text/calendar")
        calendar = Calendar.from_ical(attachment.get_payload(decode=True))
        [event] = calendar.walk("VEVENT")
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert start == datetime(2026, 12, 17, 13, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
        assert start.utcoffset() == timedelta(hours=1) and end - start == timedelta(minutes=60)
        assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
        assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
        assert str(event["summary"]) == "Afspraak Garage De Vries: Kleine beurt"
        assert str(event["location"]) == "Industrieweg 12, 3542 AD Utrecht"
        assert link.group(0) in str(event["description"]) and str(event["url"]) == link.group(0)
        assert str(event["uid"]) == f"werkorder-{order['id']}@garage.example"

        page = expect(phone.get(f"/afspraak/beheer/{link.group(1)}"), 200).text
        assert "donderdag 17 december om 13:00" in page and "Kleine beurt" in page and "XG-771-B" in page
        with shop.stream(query=f"?workOrderId={order['id']}") as stream:
            stream.next()
            expect(phone.delete(f"/api/booking/{link.group(1)}"), 204)
            cancelled = stream.next().json
        assert (cancelled["changeType"], cancelled["action"]) == ("appointment", "cancelled")
        assert cancelled["actor"] == {"name": "Eva Jansen", "role": "klant"}
        assert cancelled["workOrder"]["appointment"] is None and cancelled["workOrder"]["column"] == "Gepland"
        assert "geannuleerd" in expect(phone.get(f"/afspraak/beheer/{link.group(1)}"), 200).text
        expect(phone.delete(f"/api/booking/{link.group(1)}"), 409)
        expect(phone.get("/afspraak/beheer/" + "a" * 32), 404)
    assert len([m for m in booking_shop.smtp.inbox.messages() if m["To"] == "eva@example.nl"]) == 1
