"""The command line as a user runs it, and the demo shop that `make run` serves."""

from pathlib import Path

import httpx

from tests.server import Server, run_cli


def test_help_lists_the_subcommands(tmp_path: Path) -> None:
    result = run_cli(f"sqlite:///{tmp_path / 'w.db'}", "--help")
    assert result.returncode == 0
    for command in ("serve", "create-user", "create-token"):
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

    server.start()  # a second start leaves a filled database alone and prints no passwords
    try:
        assert "wachtwoord" not in server.log_text()
    finally:
        server.stop()
