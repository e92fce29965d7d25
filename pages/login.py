"""/login: staff log in with name and password; a wrong password says so, and so do too many of them (the page
then says how long to wait)."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from pages.access import principal_of, safe_next
from pages.frame import browser_helpers
from pages.state import database, tickets
from pages.theme import HOME_BY_ROLE
from services import auth

WRONG_PASSWORD = "Onjuiste gebruikersnaam of wachtwoord"


def login_page(request: Request, next: str | None = None) -> RedirectResponse | None:
    principal = principal_of(request)
    if principal is not None:
        return RedirectResponse(safe_next(next) or HOME_BY_ROLE[principal.role], status_code=303)
    ui.page_title("Inloggen · Werkplaats")
    browser_helpers()

    client_address = request.client.host if request.client else None  # for the log of failed attempts

    def refuse(message: str) -> None:
        error.set_text(message)
        error.set_visibility(True)
        password.set_value("")

    async def try_login() -> None:
        try:
            session_token = await run.io_bound(
                auth.log_in, database(), name.value or "", password.value or "", client_address
            )
        except auth.LoginThrottled as throttled:
            refuse(throttled.message)
            return
        if session_token is None:
            refuse(WRONG_PASSWORD)
            return
        ticket = tickets().issue(session_token)
        ui.navigate.to(f"/auth/complete?ticket={ticket}&next={safe_next(next) or '/'}")

    with ui.card().classes("absolute-center w-80 gap-3"):
        ui.label("Werkplaats").classes("text-2xl font-bold")
        ui.label("Log in om verder te gaan").classes("text-sm text-gray-500")
        name = ui.input("Gebruikersnaam").props("autofocus autocomplete=username").classes("w-full")
        password = ui.input("Wachtwoord", password=True, password_toggle_button=True)
        password.props("autocomplete=current-password").classes("w-full").on("keydown.enter", try_login)
        error = ui.label(WRONG_PASSWORD).classes("text-negative text-sm")
        error.set_visibility(False)
        ui.button("Inloggen", on_click=try_login).classes("w-full")
    return None


def start_page(request: Request) -> RedirectResponse:
    principal = principal_of(request)
    return RedirectResponse(HOME_BY_ROLE[principal.role] if principal else "/login", status_code=303)
