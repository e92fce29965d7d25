"""The pages on NiceGUI's simulated user (no browser): the app main serves, wired by the same function
(main.wire_app) on NiceGUI's own app, on a fresh SQLite file, without the RDW."""

import os

from nicegui import app, ui

from app import wire_app
from services.db import Database
from services.settings import Settings

settings = Settings(database_url=os.environ["WERKPLAATS_SIMULATION_DATABASE"], rdw_base_url="off")
wire_app(app, settings, Database.open(settings.database_url))
ui.run(storage_secret="simulation", language="nl")
