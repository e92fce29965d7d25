"""What this process holds open: streams, pages and their subscriptions (for operators and leak tests)."""

from fastapi import APIRouter
from nicegui import Client, Event

from api.deps import Admin
from api.sse import FeedResponse
from models.public import Diagnostics
from services.broadcaster import broadcaster

router = APIRouter(prefix="/api/diagnostics", tags=["diagnostics"])


@router.get("", response_model=Diagnostics)
def diagnostics(_: Admin) -> Diagnostics:
    return Diagnostics(
        open_streams=FeedResponse.open_streams,
        broadcaster_subscribers=broadcaster.subscriber_count,
        page_clients=len(Client.instances),
        page_subscriptions=sum(len(event.callbacks) for event in Event.instances),
    )
