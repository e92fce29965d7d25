"""The pages on NiceGUI's simulated user (no browser): the same services and pages, a fresh SQLite file."""

import asyncio
import os

from nicegui import app, ui

import pages
from services.broadcaster import broadcaster
from services.db import init_database
from services.settings import Settings
from services.vehicles import RdwLookups

init_database(os.environ["WERKPLAATS_SIMULATION_DATABASE"])
broadcaster.closed = False
pages.register(RdwLookups(None), Settings())
app.on_startup(lambda: broadcaster.bind(asyncio.get_running_loop()))
ui.run(storage_secret="simulation", language="nl")
