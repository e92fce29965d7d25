"""A PostgreSQL shop on the previous release upgrades too: the old database's rows (tests/upgrade.py) are put
into a PostgreSQL database at schema 0001, then a server starts on it and finds everything."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, create_engine, select, text

from services.db import MIGRATIONS
from tests.postgres import throwaway_database
from tests.upgrade import OLD_DATABASE, OLD_TABLES, assert_upgraded_without_loss, old_release_server


def _previous_release_on(url: str) -> None:
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    schema = MetaData()
    schema.reflect(bind=engine)
    old = create_engine(f"sqlite:///{OLD_DATABASE}")
    with old.connect() as source, engine.begin() as target:
        for name in OLD_TABLES:
            table = schema.tables[name]
            rows = [dict(row) for row in source.execute(select(table)).mappings()]
            if rows:
                target.execute(table.insert(), rows)
            if "id" in table.c:  # the ids were given: the sequences must go on after them
                target.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT MAX(id) FROM {name}))")
                )
    old.dispose()
    engine.dispose()


def test_a_postgresql_database_of_the_previous_release_upgrades_without_loss(tmp_path: Path) -> None:
    with throwaway_database() as url:
        _previous_release_on(url)
        assert_upgraded_without_loss(old_release_server(url, tmp_path))
