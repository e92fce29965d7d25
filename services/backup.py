"""A consistent copy of the SQLite database while the server runs, with SQLite's online backup: readers and the
writer go on meanwhile, and the copy is one moment of the database (WAL included). PostgreSQL has pg_dump."""

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from services.errors import Invalid


def backup_database(database_url: str, target: Path) -> Path:
    """Copy the database to `target` (a new file); returns its absolute path."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise Invalid(
            "Een back-up van PostgreSQL maakt u met pg_dump, bijvoorbeeld: "
            f"pg_dump --format=custom --file={target} {url.database}"
        )
    source = Path(url.database or "")
    if not url.database or url.database == ":memory:" or not source.exists():
        raise Invalid(f"Geen database gevonden op {source}")
    target = target.resolve()
    if target.exists():
        raise Invalid(f"{target} bestaat al; kies een nieuwe bestandsnaam")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as reader, sqlite3.connect(target) as copy:
        reader.backup(copy, pages=1024)  # a step at a time: the writer is never held up for long
    return target
