"""The workshop's day: mechanics' working time and capacity, loan cars, appointments and the planning read from
them. What the rest of the code uses is named here."""

from services.planning.appointments import (
    cancel_appointment,
    cancel_in,
    confirm_pickup,
    dutch_day,
    dutch_moment,
    plan_in,
    set_appointment,
    shop_time,
)
from services.planning.booking import book
from services.planning.calendar import free_slots, mechanic_free_at, planning
from services.planning.loan_cars import add_loan_car, list_loan_cars
from services.planning.mechanics import list_mechanics, update_mechanic
from services.planning.overrun import at_risk

__all__ = [
    "add_loan_car",
    "at_risk",
    "book",
    "cancel_appointment",
    "cancel_in",
    "confirm_pickup",
    "dutch_day",
    "dutch_moment",
    "free_slots",
    "list_loan_cars",
    "list_mechanics",
    "mechanic_free_at",
    "plan_in",
    "planning",
    "set_appointment",
    "shop_time",
    "update_mechanic",
]
