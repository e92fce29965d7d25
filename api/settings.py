"""The shop's own details for its invoices (the desk)."""

from fastapi import APIRouter

from api.deps import Admin, DatabaseDep
from models.public import ShopSettingsPublic, ShopSettingsUpdate
from services import shop

router = APIRouter(prefix="/api/settings", tags=["settings"])


@router.get("/shop", response_model=ShopSettingsPublic)
def get_shop_settings(db: DatabaseDep, _: Admin) -> ShopSettingsPublic:
    return shop.get_shop_settings(db)


@router.put("/shop", response_model=ShopSettingsPublic)
def update_shop_settings(db: DatabaseDep, body: ShopSettingsUpdate, principal: Admin) -> ShopSettingsPublic:
    """The whole set (a field left out is empty); an invalid KvK number, BTW-id or IBAN is 422."""
    return shop.update_shop_settings(db, body, actor=principal)
