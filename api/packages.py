"""Service packages (werkpakketten): the shop's list (admin keeps it) and adding one to a work order."""

from fastapi import APIRouter, status

from api.deps import Admin, DatabaseDep, DatabaseIdPath, Staff
from models.planning_public import PackageAdd, PackageCreate, PackagePublic, PackageUpdate
from models.public import WorkOrderPublic
from services import packages

router = APIRouter(tags=["packages"])


@router.get("/api/packages", response_model=list[PackagePublic])
def list_packages(db: DatabaseDep, _principal: Staff) -> list[PackagePublic]:
    """The active packages, by name."""
    return packages.list_packages(db)


@router.post("/api/packages", response_model=PackagePublic, status_code=status.HTTP_201_CREATED)
def create_package(db: DatabaseDep, body: PackageCreate, principal: Admin) -> PackagePublic:
    return packages.create_package(db, body, actor=principal)


@router.patch("/api/packages/{package_id}", response_model=PackagePublic)
def update_package(db: DatabaseDep, package_id: DatabaseIdPath, body: PackageUpdate, principal: Admin) -> PackagePublic:
    return packages.update_package(db, package_id, body, actor=principal)


@router.post(
    "/api/workorders/{work_order_id}/packages", response_model=WorkOrderPublic, status_code=status.HTTP_201_CREATED
)
def add_package(db: DatabaseDep, work_order_id: DatabaseIdPath, body: PackageAdd, principal: Admin) -> WorkOrderPublic:
    """Its labour line (or one fixed-price line) and its parts (`nodig`), priced: `labour` and `parts` events; an
    appointment grows by its minutes. Answers with the work order."""
    return packages.add_package(db, work_order_id, body, actor=principal)
