"""Totalen, Toestemming and Factuur on the work order page: what the order costs (incl. 21 % VAT), whether the
customer approved it (every approval, "Naar iPad" again and a telephone approval when the total outgrew the last
one by more than 10 %), and its invoice (Factureren, the PDF, Crediteren). Redrawn from each event."""

from nicegui import run, ui

from models import Role
from models.public import ApprovalPublic, PhoneApprovalCreate, WorkOrderPublic
from pages.confirm import confirm
from pages.counter_ipad import send_to_ipad
from pages.history_list import AMSTERDAM
from pages.section_card import Section
from pages.state import database
from pages.unpriced_warning import unpriced_warning
from services import approvals
from services.auth import Principal
from services.billing import VAT_RATE, euro
from services.clock import as_utc
from services.errors import ServiceError
from services.history import dutch_date
from services.invoicing import invoices

NEEDS_APPROVAL = "Toestemming nodig"


def _amount_row(label: str, cents: int, name: str, strong: bool = False) -> None:
    with ui.row().classes("w-full justify-between" + (" font-semibold border-t pt-1" if strong else "")):
        ui.label(label)
        ui.label(euro(cents)).classes("tabular-nums").props(f"data-field={name}")


async def _call(action, *args: object, done: str, **kwargs: object) -> None:  # type: ignore[no-untyped-def]
    """A desk action in a worker thread; a refusal is said, and the section redraws from the event."""
    try:
        await run.io_bound(action, *args, **kwargs)
    except ServiceError as error:
        ui.notify(error.message, type="negative")
        return
    ui.notify(done, type="positive")


class TotalsSection(Section):
    title = "Totalen"
    name = "totalen"

    def __init__(self, order: WorkOrderPublic) -> None:
        super().__init__(order)
        self.show(order)

    def part(self, order: WorkOrderPublic) -> object:
        return order.totals

    def draw(self, order: WorkOrderPublic) -> None:
        totals = order.totals
        _amount_row("Totaal excl. btw", totals.excluding_vat_cents, "excluding-vat")
        _amount_row(f"Btw {VAT_RATE}%", totals.vat_cents, "vat")
        _amount_row("Totaal incl. btw", totals.including_vat_cents, "including-vat", strong=True)


class PhoneApprovalDialog(ui.dialog):
    """The desk called the customer: who agreed, and a note of what was said."""

    def __init__(self, section: "ApprovalsSection") -> None:
        super().__init__()
        self.section = section
        with self, ui.card().classes("w-[28rem] max-w-full gap-3"):
            ui.label("Telefonische toestemming").classes("text-lg font-semibold")
            self.total = ui.label().classes("text-sm text-slate-600")
            self.signer = ui.input("Naam").classes("w-full")
            self.note = ui.textarea("Notitie").classes("w-full")
            self.error = ui.label().classes("text-negative text-sm")
            with ui.row().classes("w-full justify-end"):
                ui.button("Annuleren", on_click=self.close).props("flat no-caps")
                ui.button("Vastleggen", on_click=self.save).props("unelevated no-caps")

    def ask(self) -> None:
        order = self.section.order
        self.total.set_text(f"Akkoord op {euro(order.totals.including_vat_cents)} incl. btw")
        self.signer.set_value(order.customer_name)
        self.note.set_value("")
        self.error.set_text("")
        self.open()

    async def save(self) -> None:
        body = PhoneApprovalCreate(method="telefoon", signer_name=self.signer.value or "", note=self.note.value or "")
        try:
            await run.io_bound(
                approvals.approve_by_phone, database(), self.section.order.id, body, actor=self.section.principal
            )
        except ServiceError as error:
            self.error.set_text(error.message)
            return
        self.close()
        ui.notify("Toestemming vastgelegd", type="positive")


class ApprovalsSection(Section):
    """Toestemming: every approval (how, who, when, for how much), and what to do while one is needed."""

    title = "Toestemming"
    name = "toestemming"

    def __init__(self, order: WorkOrderPublic, principal: Principal) -> None:
        super().__init__(order)
        self.principal = principal
        self.can_ask = principal.role is Role.ADMIN
        self.dialog = PhoneApprovalDialog(self) if self.can_ask else None
        self.history: list[ApprovalPublic] = approvals.approvals_of(database(), order.id)
        self.show(order)

    def part(self, order: WorkOrderPublic) -> object:
        return order.approval, order.needs_approval, order.totals

    def draw(self, order: WorkOrderPublic) -> None:
        if order.approval is not None and order.approval.id not in {approval.id for approval in self.history}:
            self.history.append(order.approval)  # approvals never change: the event's newest is all that is new
        if order.needs_approval:
            again = order.approval is not None
            with ui.row().classes("w-full items-center gap-2 rounded bg-amber-100 text-amber-900 px-2 py-1"):
                ui.icon("warning")
                ui.label(NEEDS_APPROVAL if again else "Nog niet ondertekend").props("data-needs-approval")
            if again:
                grown = order.totals.including_vat_cents - order.approval.approved_total_cents  # type: ignore[union-attr]
                ui.label(f"Het totaal is {euro(grown)} hoger dan waarvoor de klant tekende.").classes("text-sm")
            if self.can_ask and (warning := unpriced_warning(order)):
                ui.label(warning).classes("text-sm text-amber-900").props("data-unpriced")
            if self.can_ask:
                with ui.row().classes("gap-2"):
                    ui.button("Naar iPad", icon="tablet_mac", on_click=self._to_ipad).props("unelevated no-caps")
                    ui.button("Telefonische toestemming", icon="call", on_click=self._ask_by_phone).props(
                        "outline no-caps"
                    )
        if not self.history:
            ui.label("Nog geen toestemming vastgelegd").classes("text-sm text-slate-500")
        for approval in reversed(self.history):
            self._row(approval)

    def _row(self, approval: ApprovalPublic) -> None:
        how = "op de iPad" if approval.method == "ipad" else "telefonisch"
        when = as_utc(approval.signed_at).astimezone(AMSTERDAM)
        with ui.column().classes("w-full gap-0 py-1 border-b last:border-b-0").props(f"data-approval-id={approval.id}"):
            with ui.row().classes("w-full justify-between"):
                ui.label(f"{approval.signer_name}, {how}").classes("font-medium")
                ui.label(euro(approval.approved_total_cents)).classes("tabular-nums")
            ui.label(f"{dutch_date(when.date())} {when:%H:%M}").classes("text-xs text-slate-500")
            note = approval.snapshot.get("note")
            if note:
                ui.label(str(note)).classes("text-sm whitespace-pre-line")

    async def _to_ipad(self) -> None:
        await send_to_ipad(self.order, self.principal)

    def _ask_by_phone(self) -> None:
        assert self.dialog is not None
        self.dialog.ask()


class InvoiceSection(Section):
    """Factuur: the current invoice with its PDF, or the button that makes one once the car is Klaar."""

    title = "Factuur"
    name = "factuur"

    def __init__(self, order: WorkOrderPublic, principal: Principal) -> None:
        super().__init__(order)
        self.principal = principal
        self.can_invoice = principal.role is Role.ADMIN
        self.show(order)

    def part(self, order: WorkOrderPublic) -> object:
        return order.invoice, order.column

    def draw(self, order: WorkOrderPublic) -> None:
        invoice = order.invoice
        if invoice is None:
            ui.label("Nog geen factuur").classes("text-sm text-slate-500")
            if self.can_invoice:
                button = ui.button("Factureren", icon="receipt_long", on_click=self._issue).props("unelevated no-caps")
                if order.column not in invoices.INVOICEABLE:
                    button.disable()
                    ui.label("Factureren kan zodra de auto Klaar is").classes("text-xs text-slate-500")
            return
        with ui.column().classes("w-full gap-1").props(f"data-invoice-number={invoice.number}"):
            with ui.row().classes("w-full justify-between"):
                ui.label(f"Factuur {invoice.number}").classes("font-medium")
                ui.label(euro(invoice.totals.including_vat_cents)).classes("tabular-nums font-semibold")
            if invoice.status == "betaald":  # live from the `payment` event (the webhook or the counter)
                ui.badge("betaald", color="positive").props("data-invoice-paid")
            else:
                ui.label(f"Te betalen vóór {dutch_date(invoice.due_at)}").classes("text-sm text-slate-600")
            with ui.row().classes("gap-2"):
                ui.link("PDF", invoice.pdf_url, new_tab=True).classes("q-btn q-btn--outline px-3 py-1 rounded")
                if self.can_invoice:
                    ui.button("Crediteren", icon="undo", on_click=self._credit).props("outline no-caps color=negative")

    async def _issue(self) -> None:
        """Asked first, naming the number it will get and every warning; the desk may issue it all the same."""
        try:
            preview = await run.io_bound(invoices.preview_invoice, database(), self.order.id)
        except ServiceError as error:
            ui.notify(error.message, type="negative")
            return
        if preview is None:  # the server is shutting down
            return
        confirmed = await confirm(
            f"Factuur {preview.number} maken?",
            [
                f"Voor {self.order.number}, {euro(preview.including_vat_cents)} incl. btw. Een factuur kan daarna "
                "alleen met een creditnota ongedaan worden gemaakt."
            ],
            "Toch factureren" if preview.warnings else "Factureren",
            warnings=preview.warnings,
            hook="data-confirm=factureren",
        )
        if confirmed:
            await _call(invoices.issue_invoice, database(), self.order.id, done="Factuur gemaakt", actor=self.principal)

    async def _credit(self) -> None:
        """Asked first: a credit note cannot be taken back (it gets a number of its own, like the invoice)."""
        invoice = self.order.invoice
        assert invoice is not None
        confirmed = await confirm(
            f"Factuur {invoice.number} crediteren?",
            [
                "Er komt een creditnota met een eigen nummer die deze factuur opheft. Daarna kunnen onderdelen en "
                "arbeid weer worden gewijzigd en kan de werkorder opnieuw worden gefactureerd."
            ],
            "Creditnota maken",
            hook="data-confirm=crediteren",
            danger=True,
        )
        if confirmed:
            await _call(
                invoices.credit_invoice, database(), invoice.id, done="Creditnota gemaakt", actor=self.principal
            )
