"""Every refusal is JSON {"detail": …} with the contract's status code (and `fields` for a form's fields)."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic.alias_generators import to_camel

from services.errors import Invalid, ServiceError


async def service_error(_request: Request, exc: Exception) -> JSONResponse:
    """A refusal about form fields also names each of them: `"fields": {"iban": "…", "kvk": "…"}`."""
    assert isinstance(exc, ServiceError)
    body: dict[str, object] = {"detail": exc.message}
    if isinstance(exc, Invalid) and exc.fields:
        body["fields"] = {to_camel(name): message for name, message in exc.fields.items()}
    return JSONResponse(body, status_code=exc.status_code)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, service_error)
