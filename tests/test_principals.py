"""Who asks is remembered for seconds, not longer, and a logout is forgotten at once."""

from models import Role
from services import auth
from services.db import Database
from services.principals import Principal, RecentPrincipals


def test_a_logged_out_session_is_refused_at_once(database: Database) -> None:
    auth.create_user(database, "anna", "monteur", "geheim123")
    raw = auth.log_in(database, "anna", "geheim123")
    assert raw is not None
    assert auth.principal_for(database, raw, "session") == Principal("anna", Role.MONTEUR)
    assert auth.recent_principal(database, raw, "session") == Principal("anna", Role.MONTEUR)  # no read needed now
    auth.log_out(database, raw)
    assert auth.recent_principal(database, raw, "session") is None
    assert auth.principal_for(database, raw, "session") is None


def test_remembered_for_its_seconds_and_bounded_in_size() -> None:
    anna, ben = Principal("anna", Role.MONTEUR), Principal("ben", Role.ADMIN)
    expired = RecentPrincipals(seconds=0)
    expired.put("a", anna)
    assert expired.get("a") is None
    small = RecentPrincipals(seconds=60, size=1)
    small.put("a", anna)
    small.put("b", ben)
    assert small.get("a") is None and small.get("b") == ben
