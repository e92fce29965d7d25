"""Reminders that bring customers back: `apk` (APK_REMINDER_WEEKS before the APK expires), `apk2` (3 weeks before,
when no appointment was made since), `onderhoud` (a year after the last service), `uitgesteld` (3 months after
declined work), each once per car, kind and date, through the outbox; the RDW asked first for the cars due; the
links each e-mail carries: book in two taps (/afspraak/{token}) and opt out in one (/afmelden/{token})."""

from services.reminders.links import (
    REMINDER_KINDS,
    OptOut,
    ReminderOffer,
    letter_context,
    opt_out,
    opt_out_state,
    reminder_booking,
    reminder_offer,
    unsubscribe_headers,
)
from services.reminders.scan import queue_due_reminders, remind_forever, scan_once

__all__ = [
    "REMINDER_KINDS",
    "OptOut",
    "ReminderOffer",
    "letter_context",
    "opt_out",
    "opt_out_state",
    "queue_due_reminders",
    "remind_forever",
    "reminder_booking",
    "reminder_offer",
    "scan_once",
    "unsubscribe_headers",
]
