"""Who asks is remembered for seconds, not longer, and a logout is forgotten at once."""

from pathlib import Path

from models import Role
from services import auth
from services.auth import Principal, RecentPrincipals
from services.db import init_database


def test_a_logged_out_session_is_refused_at_once(tmp_path: Path) -> None:
    init_database(f"sqlite:///{tmp_path / 'auth.db'}")
    auth.create_user("anna", "monteur", "geheim123")
    raw = auth.log_in("anna", "geheim123")
    assert raw is not None
    assert auth.principal_for(raw, "session") == Principal("anna", Role.MONTEUR)
    assert auth.recent_principal(raw, "session") == Principal("anna", Role.MONTEUR)  # no database read needed now
    auth.log_out(raw)
    assert auth.recent_principal(raw, "session") is None
    assert auth.principal_for(raw, "session") is None


def test_remembered_for_its_seconds_and_bounded_in_size() -> None:
    anna, ben = Principal("anna", Role.MONTEUR), Principal("ben", Role.ADMIN)
    expired = RecentPrincipals(seconds=0)
    expired.put("a", anna)
    assert expired.get("a") is None
    small = RecentPrincipals(seconds=60, size=1)
    small.put("a", anna)
    small.put("b", ben)
    assert small.get("a") is None and small.get("b") == ben
