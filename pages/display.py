"""/display: the iPad at the counter. Shows the order waiting for signature, takes the customer's finger
signature and name, thanks them, then waits until the desk sends the next order (which appears at once)."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from models import Role
from models.public import WorkOrderPublic
from pages.access import require, with_session_cookie
from pages.frame import browser_helpers
from pages.live import follow_display
from pages.signature_pad import SignaturePad
from pages.state import database
from pages.status_badge import plate_badge
from services import auth, display
from services.approvals import CONSENT_TEXT, CONSENT_VERSION
from services.auth import Principal
from services.billing import PRICE_FOLLOWS, VAT_RATE, estimate_lines, euro
from services.errors import ServiceError

THANKS_SECONDS = 5


class CounterDisplay:
    """The iPad's screen; as a `preview` (the desk's /admin/ipad) it shows the same without the means to sign."""

    def __init__(self, principal: Principal, preview: bool = False) -> None:
        self.principal = principal
        self.preview = preview
        self.only_current = principal.role is Role.DISPLAY  # the iPad signs only the order it was sent
        self.can_sign = principal.role in (Role.DISPLAY, Role.ADMIN)
        self.thanking = False
        self.body = ui.column().classes("w-full max-w-3xl mx-auto p-6 gap-5")

    def show(self, order: WorkOrderPublic | None) -> None:
        if self.thanking:
            return
        self.body.clear()
        with self.body:
            if order is None:
                self._waiting()
            else:
                self._order(order)

    def _waiting(self) -> None:
        with ui.column().classes("w-full items-center gap-4 py-24").props("data-display-state=waiting"):
            ui.icon("directions_car", size="6rem").classes("text-slate-300")
            ui.label("Welkom bij de werkplaats").classes("text-3xl font-semibold text-slate-700")
            ui.label("Een ogenblik geduld, de werkorder komt zo op dit scherm.").classes("text-lg text-slate-500")

    def _order(self, order: WorkOrderPublic) -> None:
        with ui.column().classes("w-full gap-1").props(f"data-display-state=order data-workorder-id={order.id}"):
            ui.label("Werkorder ter goedkeuring").classes("text-sm uppercase tracking-wide text-slate-500")
            with ui.row().classes("items-center gap-3"):
                ui.label(order.number).classes("text-2xl font-bold")
                plate_badge(order.license_plate).classes("text-xl")
            ui.label(order.customer_name).classes("text-xl")
        with ui.card().classes("w-full bg-slate-50"):
            ui.label("Wat wij gaan doen").classes("font-semibold")
            ui.label(order.description).classes("text-lg whitespace-pre-line")
        self._estimate(order)
        ui.label(CONSENT_TEXT).classes("text-sm text-slate-600").props(f"data-consent-version={CONSENT_VERSION}")
        ui.label("Zet hieronder uw handtekening voor akkoord").classes("text-lg")
        if self.preview:
            self._signature_placeholder()
            return
        frame_classes = "w-full h-64 rounded-lg border-2 border-dashed border-slate-400 overflow-hidden"
        with ui.element("div").classes(frame_classes):
            pad = SignaturePad().classes("w-full h-full")
        name = ui.input("Naam").props("outlined autocomplete=name").classes("w-full text-lg")
        with ui.row().classes("w-full justify-between"):
            ui.button("Wissen", icon="backspace", on_click=pad.erase).props("outline size=lg")
            submit = ui.button("Ondertekenen", icon="draw").props("size=lg unelevated")
        submit.on_click(lambda: self.sign(order, pad, name, submit))

    def _signature_placeholder(self) -> None:
        with ui.element("div").classes(
            "w-full h-40 rounded-lg border-2 border-dashed border-slate-300 flex items-center justify-center"
        ):
            ui.label("Hier tekent de klant met een vinger, op de iPad zelf").classes("text-slate-400")

    def _estimate(self, order: WorkOrderPublic) -> None:
        """The lines and the total incl. VAT the customer signs for, above the signature field."""
        with ui.card().classes("w-full gap-1").props("data-estimate"):
            ui.label("De kosten").classes("font-semibold")
            if order.approval is not None:
                ui.label(
                    f"Dit is meer dan de {euro(order.approval.approved_total_cents)} waarvoor u eerder tekende; "
                    "daarom vragen wij opnieuw uw akkoord."
                ).classes("text-amber-900 bg-amber-100 rounded px-2 py-1")
            lines = estimate_lines(order.parts, order.labour)
            if not lines:
                ui.label("Nog geen onderdelen of arbeid; de kosten volgen.").classes("text-slate-500")
            for line in lines:
                with ui.row().classes("w-full gap-3 no-wrap text-lg").props("data-estimate-line"):
                    ui.label(f"{line.quantity}×").classes("tabular-nums w-10 text-right")
                    ui.label(line.description).classes("grow")
                    if line.total_cents is None:
                        ui.label(PRICE_FOLLOWS).classes("italic text-slate-500").props("data-price-follows")
                    else:
                        ui.label(euro(line.total_cents)).classes("tabular-nums")
            if any(line.unpriced for line in lines):
                ui.label(f"Onderdelen met “{PRICE_FOLLOWS}” zitten nog niet in het totaal.").classes("text-slate-600")
            totals = order.totals
            for label, cents in (
                ("Totaal excl. btw", totals.excluding_vat_cents),
                (f"Btw {VAT_RATE}%", totals.vat_cents),
            ):
                with ui.row().classes("w-full justify-between text-slate-600 border-t pt-1"):
                    ui.label(label)
                    ui.label(euro(cents)).classes("tabular-nums")
            with ui.row().classes("w-full justify-between text-2xl font-bold"):
                ui.label("Totaal incl. btw")
                ui.label(euro(totals.including_vat_cents)).classes("tabular-nums").props("data-field=including-vat")

    async def sign(self, order: WorkOrderPublic, pad: SignaturePad, name: ui.input, submit: ui.button) -> None:
        if not self.can_sign:
            ui.notify("Alleen de iPad aan de balie of de balie zelf kan laten ondertekenen", type="warning")
            return
        signature = await pad.png_data_url()
        if signature is None:
            ui.notify("Zet eerst uw handtekening in het vak", type="warning")
            return
        if not (name.value or "").strip():
            ui.notify("Vul uw naam in", type="warning")
            return
        submit.disable()
        try:
            await run.io_bound(
                display.sign_work_order,
                database(),
                order.id,
                name.value,
                signature,
                actor=self.principal,
                only_current=self.only_current,
            )
        except ServiceError as error:
            ui.notify(error.message, type="negative")
            submit.enable()
            return
        self.thank(name.value.strip())

    def thank(self, signer: str) -> None:
        self.body.clear()
        with self.body, ui.column().classes("w-full items-center gap-4 py-24").props("data-display-state=thanks"):
            ui.icon("check_circle", size="6rem", color="positive")
            ui.label(f"Bedankt, {signer}!").classes("text-3xl font-semibold")
            ui.label("Uw akkoord is ontvangen. Wij gaan voor u aan de slag.").classes("text-lg text-slate-500")
            ui.timer(THANKS_SECONDS, self.done_thanking, once=True)  # inside the body: the button is gone
        self.thanking = True

    async def done_thanking(self) -> None:
        self.thanking = False
        self.show(await run.io_bound(display.current_display, database()))

    async def turn_changed(self) -> None:
        self.show(await run.io_bound(display.current_display, database()))


async def display_page(request: Request, token: str | None = None) -> RedirectResponse | None:
    if token:  # pairing: the token becomes this iPad's lasting session and leaves the URL
        session_token = await run.io_bound(auth.pair_display, database(), token)  # a write: never on the event loop
        if session_token is not None:
            return with_session_cookie(RedirectResponse("/display", status_code=303), session_token, request)
    principal = require(request, *Role)  # staff may look at it too; only the iPad and the desk sign
    if isinstance(principal, RedirectResponse):
        return principal
    ui.page_title("Werkorder ondertekenen · Werkplaats")
    browser_helpers()
    ui.query("body").classes("bg-white")
    screen = CounterDisplay(principal)
    follow_display(screen.turn_changed)
    screen.show(display.current_display(database()))
    return None
