"""The counter iPad: which order waits for a signature, and the customer's signature itself."""

import base64
import binascii
import struct

from models import BoardColumn, DisplayState, Signature, WorkOrder
from models.messages import ColumnChanged
from models.public import WorkOrderPublic
from services.approvals import approval_needed, record_approval
from services.auth import Principal
from services.clock import utcnow
from services.db import Database
from services.errors import Conflict, Forbidden, Invalid, TooLarge
from services.events import Mutation, mutation
from services.text import clean_line
from services.views import work_order_public
from services.workorders import get_work_order_row, place

MAX_SIGNATURE_BYTES = 1024 * 1024
_DATA_URL_PREFIX = "data:image/png;base64,"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def decode_signature_png(data_url: str) -> bytes:
    """The PNG inside a data URL; refuses anything that is not a PNG, or over 1 MiB."""
    if not isinstance(data_url, str) or not data_url.startswith(_DATA_URL_PREFIX):
        raise Invalid("Handtekening moet een data:image/png;base64-URL zijn")
    encoded = data_url.removeprefix(_DATA_URL_PREFIX)
    if len(encoded) * 3 // 4 > MAX_SIGNATURE_BYTES + 3:
        raise TooLarge("Handtekening is groter dan 1 MiB")
    try:
        png = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid("Handtekening is geen geldige base64") from None
    if len(png) > MAX_SIGNATURE_BYTES:
        raise TooLarge("Handtekening is groter dan 1 MiB")
    if len(png) < 33 or not png.startswith(_PNG_MAGIC) or png[12:16] != b"IHDR":
        raise Invalid("Handtekening is geen PNG-afbeelding")
    width, height = struct.unpack(">II", png[16:24])
    if width == 0 or height == 0:
        raise Invalid("Handtekening is een lege afbeelding")
    return png


def _state(change: Mutation) -> DisplayState:
    return change.session.get(DisplayState, 1) or DisplayState(id=1)


def current_display(db: Database) -> WorkOrderPublic | None:
    with db.read() as session:
        state = session.get(DisplayState, 1)
        if state is None or state.work_order_id is None:
            return None
        return work_order_public(session, get_work_order_row(session, state.work_order_id))


class DisplayBusy(Conflict):
    """The iPad shows another order that still waits for a signature: someone may be signing it right now."""

    def __init__(self, waiting: WorkOrder) -> None:
        super().__init__(f"Er tekent nu iemand op de iPad: {waiting.number} wacht op een handtekening")
        self.waiting_number = waiting.number


def set_current_display(
    db: Database, work_order_id: int | None, *, actor: Principal | None, replace: bool = True
) -> WorkOrderPublic | None:
    """The desk sends an order to the iPad ("Naar iPad"); None clears the iPad. With `replace=False` an order
    still waiting there for a signature is not pushed away (DisplayBusy): the desk page asks first."""
    with mutation(db, actor) as change:
        state = _state(change)
        result = None
        if work_order_id is not None:
            work_order = get_work_order_row(change.session, work_order_id)
            if not approval_needed(change.session, work_order):
                raise Conflict(
                    f"Werkorder {work_order.number} is al ondertekend en heeft geen nieuwe toestemming nodig"
                )
            if not replace and state.work_order_id not in (None, work_order_id):
                waiting = get_work_order_row(change.session, state.work_order_id)
                if approval_needed(change.session, waiting):
                    raise DisplayBusy(waiting)
            result = work_order_public(change.session, work_order)
        if state.work_order_id != work_order_id:
            state.work_order_id = work_order_id
            change.session.add(state)
            change.record_display(work_order_id)
        return result


def sign_work_order(
    db: Database,
    work_order_id: int,
    signer_name: str,
    data_url: str,
    *,
    actor: Principal | None,
    only_current: bool = False,
) -> WorkOrderPublic:
    """The customer approves what the iPad shows (an approval record). The first signature is also stored as the
    order's Signature and moves the car to Auto binnen; a later one (the total grew more than 10 %) only records
    the approval. Nothing to approve is 409."""
    signer_name = clean_line(signer_name, "Naam", 200)
    png = decode_signature_png(data_url)
    with mutation(db, actor) as change:
        work_order = get_work_order_row(change.session, work_order_id)
        state = _state(change)
        if not approval_needed(change.session, work_order):  # first: once signed, the iPad has moved on to waiting
            raise Conflict(f"Werkorder {work_order.number} is al ondertekend; er is geen nieuwe toestemming nodig")
        if only_current and state.work_order_id != work_order_id:
            raise Forbidden("Deze werkorder wacht niet op een handtekening op dit scherm")
        first = work_order.signed_at is None
        if first:
            now = utcnow()
            change.session.add(Signature(work_order_id=work_order_id, signer_name=signer_name, png=png, signed_at=now))
            work_order.signed_at = now
        record_approval(change, work_order, "ipad", signer_name, png=png)
        if first and not place(change, work_order, BoardColumn.AUTO_BINNEN, None):
            work_order.version += 1  # already in Auto binnen: the signature is still a change everyone sees
            change.record(work_order, ColumnChanged(column=BoardColumn.AUTO_BINNEN, position=work_order.position))
        if state.work_order_id == work_order_id:
            state.work_order_id = None
            change.session.add(state)
            change.record_display(None)
        return work_order_public(change.session, work_order)
