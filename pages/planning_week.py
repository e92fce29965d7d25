"""The planning grid as one element (pages/planning_week.js): the server sends the shown days' state whole when the
week changes, then only a changed block and its days (`apply`), so a page costs one element, not four per block,
and a move costs each open page one small message. The blocks, cells and headers keep the page hooks
(`data-appointment-id`, `data-cell`, `data-day` with `data-capacity` and `data-planned`, `data-loan-car`)."""

import json
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from nicegui import ui

from pages.board import SORTABLE_OPTIONS
from pages.theme import PLATE_CLASSES

Block = dict[str, Any]  # an appointment as the browser draws it (planning_page.block_of)
DayHead = dict[str, Any]  # a day's header as the browser draws it (planning_page.day_head)

_CSS = """
.wp-plan { display: grid; gap: .25rem; }
.wp-plan-head { display: flex; flex-direction: column; gap: .25rem; padding: .25rem; }
.wp-plan-date { font-weight: 600; }
.wp-plan-words { font-size: .75rem; color: #475569; }
.wp-plan-holiday { font-size: .75rem; color: #b91c1c; }
.wp-plan-track { width: 100%; height: .5rem; border-radius: .25rem; background: #e2e8f0; overflow: hidden; }
.wp-plan-bar { height: .5rem; }
.wp-plan-name { font-weight: 500; color: #334155; padding-top: .5rem; }
.wp-plan-cell { display: flex; flex-direction: column; gap: .25rem; min-height: 3rem; border-radius: .25rem;
  background: #f1f5f9; padding: .25rem; }
.wp-plan-block { width: 100%; border-radius: .25rem; background: #dbeafe; border-left: 4px solid #2563eb;
  padding: .25rem .5rem; cursor: grab; user-select: none; overflow: hidden; font-size: .75rem; line-height: 1.25; }
.wp-plan-time { font-weight: 600; }
.wp-plan-number { display: block; font-family: ui-monospace, monospace; color: #1e3a8a; }
.wp-plan-plate { font-size: 10px; }
.wp-plan-lane { display: flex; flex-wrap: wrap; gap: .25rem; min-height: 2.5rem; border-radius: .25rem;
  background: #f8fafc; padding: .25rem; }
.wp-plan-loan { font-size: .75rem; }
"""


class WeekState(TypedDict):
    days: list[DayHead]
    mechanics: list[str]
    blocks: dict[int, Block]
    pixelsPerMinute: float


class PlanningWeek(ui.element, component="planning_week.js"):
    """`show` draws the days anew; `apply` sends the blocks that changed (None: gone) and the days they touched.
    A drop emits `block-dropped` with `{id, day, mechanic, index}`, index among the blocks of the cell it was dropped
    in (not `move`: SortableJS fires DOM events by that name on the cells)."""

    def __init__(self, *, can_move: bool) -> None:
        super().__init__()
        ui.add_css(_CSS)
        self._props["can-move"] = can_move
        self._props["sortable-options"] = SORTABLE_OPTIONS
        self._props["plate-classes"] = PLATE_CLASSES
        self._props["state"] = ""
        self.classes("w-full")

    def show(self, state: WeekState) -> None:
        """One JSON string: NiceGUI neither wraps nor watches what is in it, and the browser parses it once."""
        self._props["state"] = json.dumps(state, separators=(",", ":"))

    def apply(self, blocks: Mapping[int, Block | None], days: Sequence[DayHead]) -> None:
        self.run_method("apply", {"blocks": blocks, "days": days})
