"""Staff accounts, API/device tokens and browser login sessions. Secrets are stored only as hashes."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel


class Role(StrEnum):
    ADMIN = "admin"
    MONTEUR = "monteur"
    MAGAZIJN = "magazijn"
    DISPLAY = "display"


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    role: str = Field(max_length=16)
    password_hash: str = Field(max_length=300)
    created_at: datetime


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    role: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime


class LoginSession(SQLModel, table=True):
    """A logged-in browser (staff) or paired iPad (display token); the cookie holds the secret."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=100)
    role: str = Field(max_length=16)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    api_token_id: int | None = Field(default=None, foreign_key="api_token.id")
    created_at: datetime
