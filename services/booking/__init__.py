"""Online booking: what anyone may ask (packages, the RDW's name for a plate, free starts), the booking itself in
one transaction, the customer's own page to cancel it, its confirmation e-mail with an .ics, and the throttle per
client address. What the rest of the code uses is named here."""

from services.booking.confirmation import calendar_file, confirmation_context, manage_path
from services.booking.offer import bookable_packages, booking_slots, booking_vehicle
from services.booking.online import Booking, SlotTaken, book_online, cancel_booking, checked_booking, find_booking
from services.booking.throttle import AddressThrottle, BookingThrottles, TooManyRequests

__all__ = [
    "AddressThrottle",
    "Booking",
    "BookingThrottles",
    "SlotTaken",
    "TooManyRequests",
    "book_online",
    "bookable_packages",
    "booking_slots",
    "booking_vehicle",
    "calendar_file",
    "cancel_booking",
    "checked_booking",
    "confirmation_context",
    "find_booking",
    "manage_path",
]
