"""What this process holds open and has seen, for operators and the leak tests (services.diagnostics); the
pages' numbers come from the page layer main handed down (app.state.page_counts)."""

from fastapi import APIRouter, Request

from api.deps import Admin, DatabaseDep, StreamsDep
from models.public import Diagnostics
from services.diagnostics import current_diagnostics

router = APIRouter(prefix="/api/diagnostics", tags=["diagnostics"])


@router.get("", response_model=Diagnostics)
def diagnostics(request: Request, db: DatabaseDep, streams: StreamsDep, _: Admin) -> Diagnostics:
    return current_diagnostics(db, streams, request.app.state.page_counts())
