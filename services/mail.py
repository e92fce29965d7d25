"""E-mail to customers: Dutch templates (Jinja2: HTML with a plain-text part, attachments) made into a message
with a stable Message-ID, and delivered over SMTP with aiosmtplib. No database here: services.notifications
decides what to send and records how it went."""

import asyncio
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiosmtplib
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.settings import Settings

TEMPLATES = Path(__file__).parent / "mail_templates"
IMPLICIT_TLS_PORT = 465  # SMTPS: TLS from the first byte, where 587 upgrades with STARTTLS


def mail_templates() -> Environment:
    """The Dutch templates: `{kind}.txt` and `{kind}.html` per notification kind. A missing variable is an error
    (StrictUndefined), never an e-mail with a hole in it; HTML is escaped, text is not."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class MailServer:
    """Where and how to send (SMTP_* and MAIL_FROM), and the base of the links in the e-mails (PUBLIC_URL)."""

    host: str
    port: int
    user: str | None
    password: str | None
    starttls: bool
    sender: str
    public_url: str
    timeout: float  # one whole send, from connecting to the server's answer to the message

    @classmethod
    def from_settings(cls, settings: Settings) -> "MailServer | None":
        """None when SMTP_HOST is not set: nothing is sent."""
        if settings.smtp_host is None:
            return None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            sender=settings.mail_from or f"werkplaats@{public_host(settings.public_url)}",
            public_url=settings.public_url,
            timeout=settings.mail_timeout_seconds,
        )

    @property
    def domain(self) -> str:
        """The right-hand side of our Message-IDs."""
        return public_host(self.public_url)


def public_host(public_url: str) -> str:
    return urlsplit(public_url).hostname or "localhost"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "application/pdf"
    data: bytes


@dataclass(frozen=True)
class Letter:
    """One notification as it goes out: who to, about what, the template's data, and its files."""

    kind: str
    to: str
    subject: str
    message_id: str
    context: dict[str, Any]
    attachments: list[Attachment]
    headers: dict[str, str] = field(default_factory=dict)  # beyond the usual: a reminder's List-Unsubscribe


def compose(server: MailServer, letter: Letter, templates: Environment) -> EmailMessage:
    """The MIME message: plain text, the same in HTML as its alternative, then the attachments. Raises the
    template's error (jinja2.TemplateError) when a template is broken: the caller keeps the notification."""
    context = {**letter.context, "subject": letter.subject}
    text = templates.get_template(f"{letter.kind}.txt").render(context)
    html = templates.get_template(f"{letter.kind}.html").render(context)
    message = EmailMessage()
    message["From"] = server.sender
    message["To"] = letter.to
    message["Subject"] = letter.subject
    message["Message-ID"] = letter.message_id
    message["Date"] = formatdate(localtime=True)
    for name, value in letter.headers.items():
        message[name] = value
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for attachment in letter.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return message


@dataclass(frozen=True)
class Outgoing:
    """A message ready for the wire: made in a worker thread, since the email package is slow (about 30 ms a
    message) and would hold up every page and stream of the event loop."""

    sender: str  # the envelope's addresses, without display names
    to: str
    data: bytes

    @property
    def international(self) -> bool:
        return not (self.sender + self.to).isascii()


def outgoing(server: MailServer, message: EmailMessage) -> Outgoing:
    sender, to = parseaddr(server.sender)[1], parseaddr(str(message["To"]))[1]
    wire = policy.SMTP if (sender + to).isascii() else policy.SMTPUTF8
    return Outgoing(sender, to, message.as_bytes(policy=wire))


async def deliver(server: MailServer, message: Outgoing) -> None:
    """Hand the message to the SMTP server; returns once it answered 250 to the message. Raises aiosmtplib's
    errors, OSError or TimeoutError (the whole send is bounded by `server.timeout`)."""
    implicit_tls = server.port == IMPLICIT_TLS_PORT
    async with asyncio.timeout(server.timeout):
        await aiosmtplib.send(
            message.data,
            sender=message.sender,
            recipients=[message.to],
            mail_options=["SMTPUTF8"] if message.international else None,
            hostname=server.host,
            port=server.port,
            username=server.user,
            password=server.password,
            use_tls=implicit_tls,
            start_tls=server.starttls and not implicit_tls,
            timeout=server.timeout,
        )


def refused_for_good(error: Exception) -> bool:
    """A 5xx answer (an unknown recipient, a refused sender): trying again would get the same answer."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(refused.code >= 500 for refused in error.recipients)
    return isinstance(error, aiosmtplib.SMTPResponseException) and 500 <= error.code < 600
