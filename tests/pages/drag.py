"""A board card dragged by the mouse as a hand does it: the one helper the board's browser tests share."""

from playwright.sync_api import Locator, Page

# SortableJS (forceFallback) looks where the pointer is every 50 ms, not on every move: a hand that lets go sooner
# drops the card in the column it passed last. A hand waits until the card's place shows in the column under it.
HELD_OVER_JS = """([x, y]) => {
  const column = document.elementFromPoint(x, y)?.closest('[data-column]');
  const place = document.querySelector('.sortable-chosen:not(.sortable-fallback)');
  return Boolean(column && place && column.contains(place));
}"""

GRIP_Y = 66  # px below a card's top: the customer's name, below the number (a link) and above the buttons


def grip(source: Locator, y: float = GRIP_Y) -> tuple[float, float]:
    """Where a hand takes a card: across its middle, `y` below its top."""
    box = source.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + y


def mouse_drop(page: Page, source: Locator, to: tuple[float, float], *, grip_y: float = GRIP_Y) -> None:
    """Takes the card at `grip_y` once nothing lies over it (a dialog still closing covers the board), moves in
    steps like a hand does, and lets go at `to` once the card's place shows in the column there."""
    x, y = grip(source, grip_y)
    page.wait_for_function(
        "([x, y, card]) => card.contains(document.elementFromPoint(x, y))", arg=[x, y, source.element_handle()]
    )
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 10, y + 10, steps=5)
    page.mouse.move(*to, steps=15)
    page.wait_for_function(HELD_OVER_JS, arg=list(to))
    page.mouse.up()
