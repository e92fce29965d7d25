"""Werkplaats entry point: the command line (serve, create-user, create-token, backup, event-schema). `serve` runs
the app wired in app.py."""

import argparse
import getpass
import json
import sys
from pathlib import Path

from models.messages import event_schema
from services.auth import create_token, create_user
from services.backup import backup_database
from services.db import Database
from services.errors import ServiceError
from services.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="main.py", description="Werkplaats: live werkorders voor de werkplaats")
    commands = parser.add_subparsers(dest="command")
    serve_cmd = commands.add_parser("serve", help="run the server (the default)")
    serve_cmd.add_argument("--host", help="listen address (env HOST, default 0.0.0.0)")
    serve_cmd.add_argument("--port", type=int, help="port (env PORT, default 8080)")
    serve_cmd.add_argument("--demo", action="store_true", help="fill an empty database with a demo shop")
    user_cmd = commands.add_parser("create-user", help="add a staff account")
    user_cmd.add_argument("name")
    user_cmd.add_argument("--role", required=True, help="admin, monteur, magazijn or display")
    user_cmd.add_argument("--password", help="asked for when left out")
    token_cmd = commands.add_parser("create-token", help="create an API/device token (printed on the last line)")
    token_cmd.add_argument("name")
    token_cmd.add_argument("--role", required=True, help="admin, monteur, magazijn or display")
    backup_cmd = commands.add_parser("backup", help="a consistent copy of the SQLite database, also while it serves")
    backup_cmd.add_argument("path", type=Path, help="the new file to write")
    commands.add_parser("event-schema", help="print the JSON Schema of the stream's messages (docs/events.schema.json)")
    args = parser.parse_args(argv)

    if args.command == "event-schema":
        print(json.dumps(event_schema(), indent=2, ensure_ascii=False))
        return 0
    settings = Settings.from_env()
    if args.command in (None, "serve"):
        settings = settings.with_overrides(host=getattr(args, "host", None), port=getattr(args, "port", None))
        from app import serve  # only here: the other commands start without loading the app

        serve(settings, fill_demo=getattr(args, "demo", False))
        return 0
    try:
        _run_command(args, settings)
    except ServiceError as error:
        print(f"Fout: {error.message}", file=sys.stderr)
        return 2
    return 0


def _run_command(args: argparse.Namespace, settings: Settings) -> None:
    if args.command == "backup":  # reads only: no migration of a database another process serves
        print(f"Back-up geschreven naar {backup_database(settings.database_url, args.path)}")
        return
    with Database.opened(settings.database_url) as database:
        if args.command == "create-user":
            password = args.password or _ask_password()
            user = create_user(database, args.name, args.role, password)
            print(f"Gebruiker {user.name} ({user.role}) aangemaakt")
        else:
            token = create_token(database, args.name, args.role)
            print(f"Token voor {args.name} ({args.role}); bewaar het, het wordt niet opnieuw getoond:")
            print(token)


def _ask_password() -> str:
    password = getpass.getpass("Wachtwoord: ")
    if password != getpass.getpass("Nogmaals: "):
        raise ServiceError("De wachtwoorden zijn niet gelijk")
    return password


if __name__ == "__main__":
    sys.exit(main())
