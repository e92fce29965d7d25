"""The sender in-process, against a real SMTP server: a broken template never loses an e-mail (it is retried,
then `mislukt` with the template's error, and a resend after the fix is delivered); every kind's template renders
in Dutch with the status link, HTML escaped."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace

import pytest
from jinja2 import DictLoader, Environment, StrictUndefined

from models import NotificationKind
from models.public import NotificationPublic, WorkOrderCreate
from services import notifications, workorders
from services.db import Database
from services.mail import Letter, MailServer, compose, mail_templates
from services.reminders import REMINDER_KINDS
from tests.smtp_server import SmtpServer

MAIL = MailServer("127.0.0.1", 0, None, None, False, "werkplaats@garage.example", "https://garage.example", 2.0)


@pytest.fixture
async def sending(database: Database) -> Database:
    """A database whose e-mails this process delivers (as with SMTP_HOST set), its broadcaster on this loop."""
    database.broadcaster.bind(asyncio.get_running_loop())
    database.mail_enabled = True
    return database


async def until(condition: Callable[[], Awaitable[object]], timeout: float, what: str) -> None:
    async with asyncio.timeout(timeout):
        while not await condition():
            await asyncio.sleep(0.05)
    assert await condition(), what


async def statuses(db: Database, work_order_id: int) -> list[NotificationPublic]:
    return await asyncio.to_thread(notifications.list_notifications, db, work_order_id)


async def test_a_broken_template_keeps_the_email_until_it_is_mislukt(sending: Database) -> None:
    new = WorkOrderCreate(customer_name="Els", customer_email="els@example.nl", license_plate="AB123C", description="x")
    order = await asyncio.to_thread(workorders.create_work_order, sending, new, actor=None)
    broken = Environment(
        loader=DictLoader({"ontvangen.txt": "Beste {{ klantnaam }}", "ontvangen.html": "<p>{{ klantnaam }}</p>"}),
        undefined=StrictUndefined,
    )
    with SmtpServer() as smtp:
        server = replace(MAIL, port=smtp.port)
        sender = asyncio.create_task(notifications.NotificationSender(sending, server, 0.05, 2, templates=broken).run())
        try:
            await until(lambda: _status_is(sending, order.id, "mislukt"), 10, "the e-mail to be given up")
        finally:
            sender.cancel()
        (failed,) = await statuses(sending, order.id)
        assert failed.attempts == 2 and failed.error is not None and "klantnaam" in failed.error
        assert "UndefinedError" in failed.error and smtp.inbox.count() == 0

        again = await asyncio.to_thread(notifications.resend_notification, sending, failed.id, actor=None)
        sender = asyncio.create_task(
            notifications.NotificationSender(sending, server, 0.05, 2).run()
        )  # the fixed templates
        try:
            await until(lambda: _status_is(sending, order.id, "verzonden"), 10, "the resent e-mail to be sent")
        finally:
            sender.cancel()
        assert smtp.inbox.count() == 1 and [n.status for n in await statuses(sending, order.id)] == [
            "mislukt",
            "verzonden",
        ]
        assert smtp.inbox.messages()[0]["Message-ID"] == f"<notification-{again.id}.{order.id}@garage.example>"


async def _status_is(db: Database, work_order_id: int, status: str) -> bool:
    return any(n.status == status for n in await statuses(db, work_order_id))


# What a kind's e-mail says beyond every e-mail's own fields (services.notifications.letter_for adds it).
KIND_CONTEXT = {
    NotificationKind.AFSPRAAK: {"start_text": "dinsdag 8 december om 09:00", "packages": ["Kleine beurt"],
                                "garage": "Garage Test", "address": "Hoofdstraat 1, Utrecht",
                                "manage_url": "https://garage.example/afspraak/beheer/xyz"},
}  # fmt: skip
REMINDER_CONTEXT = {"due_text": "1 maart 2027", "items": ["Remblokken voor"],
                    "book_url": "https://garage.example/afspraak/tok",
                    "opt_out_url": "https://garage.example/afmelden/tok"}  # fmt: skip


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_kind_renders_in_dutch_with_the_status_link(kind: NotificationKind) -> None:
    context = {"customer_name": "Jan <de Vries>", "number": "WO-2026-0007", "plate": "AB-123-C",
               "car": "Toyota Yaris, blauw", "status_url": "https://garage.example/status/abc",
               "e_invoice": False, "payment": None, **KIND_CONTEXT.get(kind, {}),
               **(REMINDER_CONTEXT if kind in REMINDER_KINDS else {})}  # fmt: skip
    letter = Letter(kind.value, "jan@example.nl", "Onderwerp", "<notification-1.7@garage.example>", context, [])
    message = compose(MAIL, letter, mail_templates())
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    assert "Beste Jan <de Vries>" in text.get_content() and "Beste Jan &lt;de Vries&gt;" in html.get_content()
    # a reminder is about the car, not an order: its links book and opt out instead
    links = ("afspraak/tok", "afmelden/tok") if kind in REMINDER_KINDS else ("status/abc", "WO-2026-0007")
    for part in (text.get_content(), html.get_content()):
        assert "AB-123-C" in part and all(link in part for link in links)


def test_the_desk_has_a_dutch_word_for_every_kind() -> None:
    """The work order page names each e-mail by its kind: a kind without a word would break the page."""
    from pages.notifications_section import KIND_WORDS

    assert set(KIND_WORDS) == {kind.value for kind in NotificationKind}
