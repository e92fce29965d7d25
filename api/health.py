"""Liveness for load balancers and the tests: no auth."""

from fastapi import APIRouter

from models.public import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    return Health(status="ok")
