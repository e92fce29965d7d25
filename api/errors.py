"""Every refusal is JSON {"detail": …} with the contract's status code."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.errors import ServiceError


async def service_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    return JSONResponse({"detail": exc.message}, status_code=exc.status_code)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, service_error)
