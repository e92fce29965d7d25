"""The JSON Schema of every message on the stream, for third-party clients to validate against."""

from typing import Any

from fastapi import APIRouter

from api.deps import Staff
from models.messages import event_schema

router = APIRouter(prefix="/api/events", tags=["stream"])


@router.get("/schema")
def get_event_schema(_: Staff) -> dict[str, Any]:
    """One schema (JSON Schema 2020-12) for `connected`, `reset` and every kind of `workorder-update`."""
    return event_schema()
