"""Why a service refused a request. The API maps each to its status code; pages show the message."""


class ServiceError(Exception):
    """A refused request: nothing was changed and no event was written."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    status_code = 404


class Conflict(ServiceError):
    status_code = 409


class Invalid(ServiceError):
    status_code = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field  # the input it is about, for a form to show it there


class TooLarge(ServiceError):
    status_code = 413


class Forbidden(ServiceError):
    status_code = 403


class Unavailable(ServiceError):
    status_code = 503
