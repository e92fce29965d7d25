"""Keuring on the work order page, made for a mechanic at the car with a tablet: per item one tap for groen, oranje
or rood, a note, a photo straight from the camera and, where work is needed, an advice (a werkpakket, or the work
by hand with its price); the desk sends it ("Verstuur naar klant") and sees the customer's answer the moment it
arrives. An event redraws only the items it changed, so a note being typed on another item stays as it is."""

import json
from functools import partial

from nicegui import events, run, ui

from models import Role
from models.inspection_public import Grade, InspectionItemUpdate
from models.public import InspectionItemPublic, InspectionPublic, WorkOrderPublic
from pages.appointment_section import big_button
from pages.confirm import confirm
from pages.inspection_advice import AdviceDialog
from pages.section_card import Section
from pages.state import database
from pages.theme import TOUCH_TARGET
from services import planning
from services.auth import Principal
from services.billing import euro
from services.errors import ServiceError
from services.inspections import keuring

GRADES: dict[Grade, str] = {"groen": "green-7", "oranje": "orange-8", "rood": "red-7"}  # Quasar colours
DECISIONS = {"akkoord": ("Akkoord", "bg-green-100 text-green-800"), "afgewezen": ("Niet nu", "bg-slate-200")}
UPLOAD = """(event) => {
  const file = event.target.files[0];
  if (!file) return;
  const body = new FormData();
  body.append('file', file);
  event.target.value = '';
  emit('');
  fetch(%s, {method: 'POST', body, credentials: 'same-origin'})
    .then(async (r) => { if (!r.ok) emit((await r.json().catch(() => ({}))).detail || 'Foto niet opgeslagen'); })
    .catch(() => emit('Foto niet opgeslagen: geen verbinding'));
}"""


class ItemRow:
    """One checklist item: its grade buttons, note, photos, advice and (once answered) the customer's choice."""

    def __init__(self, section: "InspectionSection", item: InspectionItemPublic) -> None:
        self.section = section
        self.item = item
        self.note_sent: str | None = None
        self.root = ui.column().classes("w-full gap-2 py-2 border-b last:border-b-0")
        self.draw()

    def show(self, item: InspectionItemPublic) -> None:
        if item != self.item:
            self.item = item
            self.draw()

    def draw(self) -> None:
        item, editable = self.item, self.section.editable
        self.root.props(f"data-item-id={item.id} data-grade={item.grade or 'geen'}")
        self.root.clear()
        with self.root:
            with ui.row().classes("w-full items-center gap-2"):
                ui.label(item.label).classes("grow min-w-[14rem] font-medium")
                for grade, colour in GRADES.items():
                    chosen = item.grade == grade
                    if editable:
                        button = ui.button(grade.capitalize(), on_click=partial(self.grade, grade))
                        button.props(f"no-caps color={colour} {'unelevated' if chosen else 'outline'}")
                        button.props(f'data-grade-button={grade} aria-pressed="{str(chosen).lower()}"')
                        button.classes(f"{TOUCH_TARGET} w-24 text-base")
                    elif chosen:
                        ui.badge(grade.capitalize(), color=colour).classes("text-sm px-3 py-1")
            with ui.row().classes("w-full items-center gap-2"):
                if editable:
                    note = ui.input(placeholder="Notitie", value=item.note or "").classes("grow min-w-[16rem]")
                    note.props('data-note aria-label="Notitie" outlined')
                    for leaving in ("blur", "keydown.enter"):  # saved when the finger moves on, or on Enter
                        note.on(leaving, lambda: self.save_note(note.value))
                elif item.note:
                    ui.label(item.note).classes("grow text-sm whitespace-pre-line").props("data-note")
                for photo in item.photos:
                    with ui.link(target=photo.url, new_tab=True).props(f"data-photo-id={photo.id}"):
                        img = ui.element("img").classes("h-11 w-11 object-cover rounded border")
                        img.props(f'src="{photo.url}?size=klein" loading=lazy alt="Foto bij {item.label}"')
                if editable:
                    self._camera()
                    if item.recommendation is not None or item.grade in ("oranje", "rood"):
                        words = "Advies wijzigen" if item.recommendation else "Advies"
                        big_button(words, self.advise, icon="build").props("outline data-advise")
            self._advice()

    def _camera(self) -> None:
        """A label around the file input: one tap opens the tablet's camera; the photo goes to the API as is."""
        url = f"/api/inspections/{self.section.inspection_id}/items/{self.item.id}/photos"
        classes = f"{TOUCH_TARGET} gap-2 px-4 rounded border border-primary text-primary font-medium cursor-pointer"
        with ui.element("label").classes(classes).props("data-camera"):
            ui.icon("photo_camera", size="sm")
            ui.label("Foto")
            picker = ui.element("input").props('type=file accept="image/*" capture=environment').classes("hidden")
            picker.on("change", self.uploaded, js_handler=UPLOAD % json.dumps(url))

    def uploaded(self, event: events.GenericEventArguments) -> None:
        problem = event.args if isinstance(event.args, str) else ""
        ui.notify(problem or "Foto wordt opgeslagen…", type="negative" if problem else "info")

    def _advice(self) -> None:
        item, advice = self.item, self.item.recommendation
        if advice is None:
            return
        with ui.row().classes("w-full items-center gap-2"):
            text = f"Advies: {advice.description} · {euro(advice.price_cents)} incl. btw"
            ui.label(text).classes("font-medium").props("data-advice")
            if item.decision is not None:
                word, colours = DECISIONS[item.decision]
                ui.label(word).classes(f"rounded px-2 py-1 text-sm font-semibold {colours}").props(
                    f"data-decision={item.decision}"
                )

    async def grade(self, grade: Grade) -> None:
        await self.section.save(self.item, InspectionItemUpdate(grade=grade))

    async def save_note(self, text: str | None) -> None:
        text = (text or "").strip()
        if text != (self.item.note or "") and text != self.note_sent:  # Enter, then blur: saved once
            self.note_sent = text
            await self.section.save(self.item, InspectionItemUpdate(note=text or None))

    async def advise(self) -> None:
        chosen = await self.section.advice.ask(self.item)
        if chosen is not False:
            await self.section.save(self.item, InspectionItemUpdate(recommendation=chosen), done="Advies opgeslagen")


class InspectionSection(Section):
    """Keuring: start it, grade it item by item, send it; after that, read-only with the customer's choices."""

    title = "Keuring"
    name = "keuring"
    wide = True

    def __init__(self, order: WorkOrderPublic, principal: Principal) -> None:
        super().__init__(order)
        self.principal = principal
        self.can_grade = principal.role in (Role.ADMIN, Role.MONTEUR)
        self.can_send = principal.role is Role.ADMIN
        self.advice = AdviceDialog()
        self.rows: dict[int, ItemRow] = {}
        self.show(order)

    @property
    def inspection_id(self) -> int:
        assert self.order.inspection is not None
        return self.order.inspection.id

    @property
    def editable(self) -> bool:
        return self.can_grade and self.order.inspection is not None and self.order.inspection.status == "open"

    def part(self, order: WorkOrderPublic) -> object:
        """What needs the whole section drawn again; a changed item alone redraws its own row."""
        inspection = order.inspection
        return None if inspection is None else (inspection.id, inspection.status, [i.id for i in inspection.items])

    def show(self, order: WorkOrderPublic) -> None:
        drawn = self._shown
        super().show(order)
        if self._shown is drawn and order.inspection is not None:
            for item in order.inspection.items:
                self.rows[item.id].show(item)
            self._summarise(order.inspection)

    def draw(self, order: WorkOrderPublic) -> None:
        inspection = order.inspection
        self.rows = {}
        if inspection is None:
            self.card.props(remove="data-inspection-status")
            ui.label("Nog geen keuring").classes("text-slate-600")
            if self.can_grade:
                big_button("Keuring starten", self.start, icon="fact_check")
            return
        self.card.props(f"data-inspection-status={inspection.status}")
        with ui.row().classes("w-full items-center gap-3"):
            self.summary = ui.label().classes("grow").props("data-field=inspection")
            if self.can_send and inspection.status == "open":
                big_button("Verstuur naar klant", self.send, icon="send", colour="green-8")
        self._summarise(inspection)
        for item in inspection.items:
            self.rows[item.id] = ItemRow(self, item)

    def _summarise(self, inspection: InspectionPublic) -> None:
        graded = sum(1 for item in inspection.items if item.grade)
        if inspection.status == "open":
            text = f"{graded} van {len(inspection.items)} punten beoordeeld"
        elif inspection.status == "verstuurd" and inspection.sent_at is not None:
            text = f"Verstuurd {planning.dutch_moment(inspection.sent_at)}: wacht op de keuze van de klant"
        else:
            yes = sum(1 for item in inspection.items if item.decision == "akkoord")
            no = sum(1 for item in inspection.items if item.decision == "afgewezen")
            text = f"De klant koos: {yes} akkoord, {no} niet nu"
        self.summary.set_text(text)

    async def start(self) -> None:
        try:
            await run.io_bound(keuring.start_inspection, database(), self.order.id, actor=self.principal)
        except ServiceError as problem:
            ui.notify(problem.message, type="warning")

    async def save(self, item: InspectionItemPublic, body: InspectionItemUpdate, done: str | None = None) -> None:
        with self.card:  # the row that asked is redrawn by the event this save makes
            try:
                await run.io_bound(
                    keuring.update_item, database(), self.inspection_id, item.id, body, actor=self.principal
                )
            except ServiceError as problem:
                ui.notify(problem.message, type="warning", multi_line=True)
                return
            if done:
                ui.notify(done, type="positive")

    async def send(self) -> None:
        """Asked first, with what the customer will get and what is still missing."""
        inspection, order = self.order.inspection, self.order
        assert inspection is not None
        advised = [item.recommendation for item in inspection.items if item.recommendation is not None]
        ungraded = sum(1 for item in inspection.items if item.grade is None)
        warnings = [f"{ungraded} punten zonder beoordeling"] if ungraded else []
        if not advised:
            warnings.append("Geen advies: de klant hoeft niets te kiezen")
        if not order.customer.email:
            warnings.append("De klant heeft geen e-mailadres: stuur de statuslink zelf")
        total = euro(sum(advice.price_cents for advice in advised))
        lines = [
            f"{len(advised)} adviezen, samen {total} incl. btw. De klant kiest per advies Akkoord of Niet nu.",
            "Daarna kan de keuring niet meer veranderen.",
        ]
        if not await confirm("Keuring naar de klant versturen?", lines, "Versturen", warnings=warnings,
                             hook="data-confirm=keuring-versturen"):  # fmt: skip
            return
        with self.card:
            try:
                await run.io_bound(keuring.send_inspection, database(), inspection.id, actor=self.principal)
            except ServiceError as problem:
                ui.notify(problem.message, type="warning")
                return
            ui.notify("Keuring verstuurd naar de klant", type="positive")
