"""A multipart upload read as a stream with a cap: a photo over the limit is refused (413) as soon as the cap is
passed, so a 40 MB body never sits in the server's memory; only the one file field's bytes are kept."""

from fastapi import Request
from python_multipart.multipart import MultipartParser, parse_options_header

from services.errors import Invalid, TooLarge

MULTIPART_SLACK = 64 * 1024  # the boundaries and part headers around the file


class _FileField:
    """Collects the bytes of the form field `name`; every other field is skipped."""

    def __init__(self, name: str, limit: int) -> None:
        self.name, self.limit = name.encode(), limit
        self.data = bytearray()
        self.found = False
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._in_field = False

    def on_part_begin(self) -> None:
        self._in_field = False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if bytes(self._header_field).lower() == b"content-disposition":
            _, options = parse_options_header(bytes(self._header_value))
            self._in_field = options.get(b"name") == self.name
            self.found = self.found or self._in_field
        self._header_field.clear()
        self._header_value.clear()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_field:
            self.data += data[start:end]
            if len(self.data) > self.limit:
                raise TooLarge(f"Foto is groter dan {self.limit // (1024 * 1024)} MB")


def declared_too_large(request: Request, limit: int) -> bool:
    declared = request.headers.get("content-length")
    return declared is not None and declared.isdigit() and int(declared) > limit + MULTIPART_SLACK


async def read_file_field(request: Request, name: str, limit: int) -> bytes:
    """The bytes of form field `name` of a multipart/form-data body; 413 past `limit`, 422 without the field."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise Invalid("Stuur de foto als multipart/form-data met het veld 'file'")
    if declared_too_large(request, limit):
        raise TooLarge(f"Foto is groter dan {limit // (1024 * 1024)} MB")
    field = _FileField(name, limit)
    callbacks = {
        "on_part_begin": field.on_part_begin,
        "on_header_field": field.on_header_field,
        "on_header_value": field.on_header_value,
        "on_header_end": field.on_header_end,
        "on_part_data": field.on_part_data,
    }
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit + MULTIPART_SLACK:
            raise TooLarge(f"Foto is groter dan {limit // (1024 * 1024)} MB")
        parser.write(chunk)
    parser.finalize()
    if not field.found or not field.data:
        raise Invalid("Het veld 'file' met de foto ontbreekt", "file")
    return bytes(field.data)
