"""Customers: search (staff), create and edit (the desk)."""

from fastapi import APIRouter, status

from api.deps import Admin, DatabaseDep, DatabaseIdPath, SearchText, Staff
from models.public import CustomerCreate, CustomerPublic, CustomerUpdate
from services import customers

router = APIRouter(prefix="/api/customers", tags=["customers"])


@router.get("", response_model=list[CustomerPublic])
def search_customers(db: DatabaseDep, _: Staff, q: SearchText = None) -> list[CustomerPublic]:
    """Customers whose name, e-mail or phone contains `q` (any case), by name; at most 50."""
    return customers.search_customers(db, q)


@router.post("", response_model=CustomerPublic, status_code=status.HTTP_201_CREATED)
def create_customer(db: DatabaseDep, body: CustomerCreate, principal: Admin) -> CustomerPublic:
    return customers.create_customer(db, body, actor=principal)


@router.get("/{customer_id}", response_model=CustomerPublic)
def get_customer(db: DatabaseDep, customer_id: DatabaseIdPath, _: Staff) -> CustomerPublic:
    return customers.get_customer(db, customer_id)


@router.patch("/{customer_id}", response_model=CustomerPublic)
def update_customer(
    db: DatabaseDep, customer_id: DatabaseIdPath, body: CustomerUpdate, principal: Admin
) -> CustomerPublic:
    """Only the fields sent change (null clears one); each open work order of the customer gets a `customer`
    event."""
    return customers.update_customer(db, customer_id, body, actor=principal)
