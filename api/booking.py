"""Online booking for anyone, without a login, throttled per client address: the packages on offer, the RDW's
name for a plate, the free starts for the packages' minutes, the booking itself and its cancellation. No answer
names another customer, a mechanic or another car."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status
from fastapi.responses import JSONResponse

from api.deps import BookingThrottled, DatabaseDep, LookupThrottled, RdwDep
from models.booking_public import BookablePackage, BookingConfirmed, BookingCreate, BookingSlot, BookingVehicle
from models.public import iso_utc
from services import booking, reminders
from services.errors import Invalid
from services.planning import shop_time

router = APIRouter(prefix="/api/booking", tags=["booking"])


def _package_ids(raw: str) -> list[int]:
    try:
        ids = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise Invalid("packages moet een lijst van werkpakketnummers zijn, zoals 1,2", "packages") from None
    if any(not 0 <= package_id < 2**31 for package_id in ids):
        raise Invalid("Onbekend werkpakket", "packages")
    return ids


@router.get("/packages", response_model=list[BookablePackage])
def packages(db: DatabaseDep, _throttled: LookupThrottled) -> list[BookablePackage]:
    """The packages on offer, by name, each with its price incl. VAT and its minutes."""
    return booking.bookable_packages(db)


@router.get("/vehicle/{plate}", response_model=BookingVehicle)
async def vehicle(
    plate: Annotated[str, Path(max_length=20)], rdw: RdwDep, _throttled: LookupThrottled
) -> BookingVehicle:
    """What the RDW's open data says of a plate (asked now for a plate never seen): make, model, colour, fuel."""
    return booking.booking_vehicle(await rdw.look_up(plate, actor=None))


@router.get("/slots", response_model=list[BookingSlot])
def slots(
    db: DatabaseDep,
    _throttled: LookupThrottled,
    packages: Annotated[str, Query(max_length=200, description="package ids, comma-separated: 1,2")],
    first: Annotated[datetime | None, Query(alias="from")] = None,
    count: Annotated[int, Query(ge=1, le=100)] = 12,
) -> list[BookingSlot]:
    """The first free starts for the packages' minutes, earliest first (free starts as /api/planning/free
    finds them, each start once)."""
    return booking.booking_slots(db, _package_ids(packages), None if first is None else shop_time(first), count)


TAKEN: dict[int | str, dict[str, Any]] = {
    409: {"description": "the start was taken meanwhile; `nextStart` offers the next free one (or null)"}
}


@router.post("", response_model=BookingConfirmed, status_code=status.HTTP_201_CREATED, responses=TAKEN)
def book(db: DatabaseDep, body: BookingCreate, _throttled: BookingThrottled) -> BookingConfirmed | JSONResponse:
    """A work order in Gepland with its packages and appointment; the customer found by e-mail, or made, or the
    customer and car of a reminder's `token`. 409 when the start is no longer free, with `nextStart`; 422 on bad
    input, each bad field named."""
    wanted = booking.checked_booking(body) if body.token is None else reminders.reminder_booking(db, body)
    try:
        return booking.book_online(db, wanted)
    except booking.SlotTaken as taken:
        return JSONResponse({"detail": taken.message, "nextStart": iso_utc(taken.next_start)}, status_code=409)


@router.delete("/{token}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def cancel(token: Annotated[str, Path(max_length=100)], db: DatabaseDep, _throttled: BookingThrottled) -> Response:
    """The customer cancels the booking of their token (the link in the confirmation)."""
    booking.cancel_booking(db, token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
