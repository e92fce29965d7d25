"""Feedback on the desk's pages: every change says in a short notice that it is done (or why not), from a container
that outlasts the row it came from (a section's card: a deleted row's slot cannot reach its page any more). A
removal asks first with pages.confirm, naming what it removes ("Onderdeel 'Remblokkenset' verwijderen?")."""

from nicegui import ui


def say(where: ui.element, message: str, done: bool = True) -> None:
    """A short notice: green for done, red for a refusal."""
    with where:
        ui.notify(message, type="positive" if done else "negative")
