"""Imported by Python at the start of a server process whose PYTHONPATH holds this folder (tests/planning_shop.py):
the clock starts at WERKPLAATS_TEST_NOW and runs on from there (time-machine), so that what the server thinks is
today never depends on the day the tests run. libfaketime cannot do it here: under it Python's time.sleep fails."""

import os
from datetime import datetime

import time_machine

if now := os.environ.get("WERKPLAATS_TEST_NOW"):
    time_machine.travel(datetime.fromisoformat(now), tick=True).start()
