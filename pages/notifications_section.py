"""E-mails on the work order page: every e-mail to the customer and where it stands (in the queue, sent, failed
with the reason, or not sent because e-mail is off), "Opnieuw versturen" for the desk, and a line when the
customer has no address or e-mail is off. Live from the `notification` events."""

from nicegui import run, ui

from models import NotificationStatus, Role
from models.public import NotificationPublic, WorkOrderPublic
from pages.history_list import dutch_datetime
from pages.section_card import Section
from pages.state import database
from pages.theme import NOTIFICATION_STATUS_COLORS
from services import notifications
from services.auth import Principal
from services.errors import ServiceError
from services.text import counted

KIND_WORDS = {"ontvangen": "Aanmelding", "toestemming": "Toestemming gevraagd", "klaar": "Auto klaar",
              "factuur": "Factuur", "keuring": "Keuring", "herinnering": "Betalingsherinnering",
              "afspraak": "Afspraakbevestiging", "apk": "APK-herinnering", "apk2": "Tweede APK-herinnering",
              "onderhoud": "Onderhoudsherinnering", "uitgesteld": "Herinnering uitgesteld werk"}  # fmt: skip
STATUS_WORDS = {"wachtrij": "in de wachtrij", "verzonden": "verzonden", "mislukt": "mislukt", "uit": "niet verstuurd"}
MAIL_OFF = "E-mail naar klanten staat uit. Vraag uw beheerder om het e-mailen in te stellen."  # SMTP_HOST unset
NO_ADDRESS = "De klant heeft geen e-mailadres: er gaan geen e-mails uit."


class NotificationsSection(Section):
    title = "E-mails aan de klant"
    name = "e-mails"

    def __init__(
        self, order: WorkOrderPublic, principal: Principal, sent: list[NotificationPublic], mail_on: bool
    ) -> None:
        super().__init__(order)
        self.principal = principal
        self.mail_on = mail_on
        self.notifications = {notification.id: notification for notification in sent}
        self.show(order)

    def record(self, notification: NotificationPublic) -> None:
        """A `notification` event: its e-mail as it stands now (shown by the next `show`)."""
        self.notifications[notification.id] = notification

    def part(self, order: WorkOrderPublic) -> object:
        return order.customer.email, tuple(self.notifications.values())

    def draw(self, order: WorkOrderPublic) -> None:
        if not self.mail_on:
            ui.label(MAIL_OFF).classes("text-sm text-slate-600").props("data-mail-off")
        if not order.customer.email:
            ui.label(NO_ADDRESS).classes("text-sm text-slate-600").props("data-no-email")
        if not self.notifications:
            ui.label("Nog geen e-mails").classes("text-sm text-slate-500")
        for notification in sorted(self.notifications.values(), key=lambda n: n.id, reverse=True):
            self._row(notification)

    def _row(self, notification: NotificationPublic) -> None:
        row = ui.row().classes("w-full items-center gap-2 py-1 border-b last:border-b-0 no-wrap")
        with row.props(f"data-notification-id={notification.id} data-notification-status={notification.status}"):
            color = NOTIFICATION_STATUS_COLORS[NotificationStatus(notification.status)]
            ui.badge(STATUS_WORDS[notification.status], color=color)
            with ui.column().classes("gap-0 grow min-w-0"):
                ui.label(f"{KIND_WORDS[notification.kind]} · {notification.to}").classes("text-sm font-medium")
                ui.label(self._detail(notification)).classes("text-xs text-slate-500 break-words")
            if self.principal.role is Role.ADMIN:
                ui.button("Opnieuw versturen", icon="send", on_click=lambda: self._resend(notification)).props(
                    "flat dense no-caps"
                )

    @staticmethod
    def _detail(notification: NotificationPublic) -> str:
        tries = counted(notification.attempts, "poging", "pogingen")
        if notification.sent_at is not None:
            return f"verzonden {dutch_datetime(notification.sent_at, 'd MMM HH:mm')}"
        if notification.error:
            return f"{tries}: {notification.error}"
        return notification.subject

    async def _resend(self, notification: NotificationPublic) -> None:
        """The new e-mail shows from its event, like anyone else's."""
        try:
            await run.io_bound(notifications.resend_notification, database(), notification.id, actor=self.principal)
        except ServiceError as error:
            ui.notify(error.message, type="negative")
        else:
            ui.notify("E-mail staat klaar om opnieuw te versturen", type="positive")
