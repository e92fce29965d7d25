"""Vehicles by licence plate, from the RDW's open data."""

from fastapi import APIRouter

from api.deps import Mover, RdwDep, Staff
from models.public import VehiclePublic

router = APIRouter(prefix="/api/vehicles", tags=["vehicles"])


@router.get("/{plate}", response_model=VehiclePublic)
async def get_vehicle(plate: str, principal: Staff, rdw: RdwDep) -> VehiclePublic:
    """What the RDW said of the plate (any form: AB-123-C or ab123c); asks it now if it never was."""
    return await rdw.look_up(plate, actor=principal)


@router.post("/{plate}/refresh", response_model=VehiclePublic)
async def refresh_vehicle(plate: str, principal: Mover, rdw: RdwDep) -> VehiclePublic:
    """ "Vernieuw RDW": ask again now; every open work order of the plate gets a `vehicle` event."""
    return await rdw.refresh(plate, actor=principal)
