"""The command line as a user runs it, and the demo shop that `make run` serves."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.server import Server, run_cli


def test_help_lists_the_subcommands(tmp_path: Path) -> None:
    result = run_cli(f"sqlite:///{tmp_path / 'w.db'}", "--help")
    assert result.returncode == 0
    for command in ("serve", "create-user", "create-token", "backup", "event-schema"):
        assert command in result.stdout


def test_create_token_prints_the_token_last_and_it_works(tmp_path: Path) -> None:
    server = Server(f"sqlite:///{tmp_path / 'w.db'}")
    token = server.token("monteur", name="werkbank-tablet")
    assert token.startswith("wp_") and len(token) > 40
    assert token not in (tmp_path / "w.db").read_bytes().decode("latin-1")  # stored hashed only
    server.start()
    try:
        assert (
            httpx.get(f"{server.url}/api/workorders", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        )
    finally:
        server.stop()


def test_create_user_with_password_argument_and_prompt(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    created = run_cli(url, "create-user", "anna", "--role", "monteur", "--password", "geheim-wachtwoord")
    assert created.returncode == 0, created.stderr
    assert b"geheim-wachtwoord" not in (tmp_path / "w.db").read_bytes()
    assert run_cli(url, "create-user", "anna", "--role", "monteur", "--password", "nog-een-wachtwoord").returncode == 2
    assert run_cli(url, "create-user", "bob", "--role", "baas", "--password", "geheim-wachtwoord").returncode == 2
    assert run_cli(url, "create-user", "bob", "--role", "admin", "--password", "kort").returncode == 2
    assert run_cli(url, "create-token", "x", "--role", "baas").returncode == 2


def test_demo_shop_fills_an_empty_database(tmp_path: Path) -> None:
    server = Server(f"sqlite:///{tmp_path / 'w.db'}", demo=True)
    server.start()
    try:
        token = server.token("admin")
        orders = httpx.get(f"{server.url}/api/workorders", headers={"Authorization": f"Bearer {token}"}).json()
        log = server.log_text()
    finally:
        server.stop()
    assert 15 <= len(orders) <= 30
    columns = {order["column"] for order in orders}
    assert columns == {"Gepland", "Auto binnen", "Onder handen", "Wacht op onderdelen", "Klaar", "Afgerond"}
    assert any(order["activeSessions"] for order in orders)
    assert "balie" in log and "/display?token=wp_" in log  # the demo accounts, printed once
    assert_a_believable_shop(orders)

    server.start()  # a second start leaves a filled database alone and prints no passwords
    try:
        assert "wachtwoord" not in server.log_text()
    finally:
        server.stop()


def assert_a_believable_shop(orders: list[dict]) -> None:
    """The demo does not contradict itself: every car past Gepland approved, nothing at € 0,00, every part priced,
    and a car waiting for parts waits for a part on order with an expected date."""
    for order in orders:
        assert order["totals"]["includingVatCents"] > 0, order["number"]
        assert all(part["unitPriceCents"] for part in order["parts"]), order["number"]
        if order["column"] != "Gepland":
            assert order["approval"] is not None and not order["needsApproval"], order["number"]
        if order["column"] == "Wacht op onderdelen":
            assert any(p["status"] == "besteld" and p["expectedAt"] for p in order["parts"]), order["number"]
        if order["column"] in ("Klaar", "Afgerond"):
            assert all(part["status"] == "gemonteerd" for part in order["parts"]), order["number"]
    assert any(order["status"] == "GOEDGEKEURD" for order in orders)
    assert all(order["invoice"] for order in orders if order["column"] == "Afgerond")


def test_backup_while_the_server_runs_restores_every_order_and_event(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    server = Server(url, demo=True)
    token = server.token("admin")
    server.start()
    try:
        with server.client(token) as client:
            orders = client.get("/api/workorders").json()
            histories = {o["id"]: client.get(f"/api/workorders/{o['id']}/events").json() for o in orders}
            with ThreadPoolExecutor(1) as writer:  # changes go on while the copy is made
                moving = writer.submit(
                    lambda: [client.patch(f"/api/workorders/{orders[0]['id']}/column", json={"column": c})
                             for c in ("Klaar", "Gepland") * 10]
                )  # fmt: skip
                result = run_cli(url, "backup", str(tmp_path / "copy" / "backup.db"))
                moving.result()
        assert result.returncode == 0, result.stderr
        assert "Back-up geschreven naar" in result.stdout
        again = run_cli(url, "backup", str(tmp_path / "copy" / "backup.db"))
        assert again.returncode == 2 and "bestaat al" in again.stderr  # never overwrites
    finally:
        server.stop()
    restored = Server(f"sqlite:///{tmp_path / 'copy' / 'backup.db'}")
    restored_token = restored.token("admin")
    restored.start()
    try:
        with restored.client(restored_token) as client:
            copied = {o["id"]: o for o in client.get("/api/workorders").json()}
            assert set(copied) == {o["id"] for o in orders}
            for order_id, history in histories.items():
                events = client.get(f"/api/workorders/{order_id}/events").json()
                assert events[: len(history)] == history  # every event before the copy (moves may follow)
    finally:
        restored.stop()


def test_backup_of_postgresql_points_to_pg_dump(tmp_path: Path) -> None:
    result = run_cli("postgresql+psycopg://postgres@127.0.0.1:5432/werkplaats", "backup", str(tmp_path / "x.dump"))
    assert result.returncode == 2 and "pg_dump" in result.stderr
