"""A real HTTP server that answers like the RDW open-data (Socrata) API, so RDW lookups are tested over a socket.

Two datasets, queried the way the live API is (`GET /resource/<id>.json?kenteken=GZ183V`):
`m9d7-ebf2` (Gekentekende voertuigen, one row per plate) and `8ys7-d773` (brandstof, one row per fuel).
Like Socrata, every value is a string, null fields are left out, an unknown plate is `[]` with 200, and a plate
with dashes is unknown (the RDW only knows `GZ183V`, not `GZ-183-V`). Per plate the answer can be switched to
429, 500 or a hang, to exercise the "RDW unreachable" paths.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

VEHICLES = "m9d7-ebf2"
FUELS = "8ys7-d773"
CONTENT_TYPE = "application/json;charset=utf-8"  # byte for byte what Socrata sends
HOW = ("ok", "429", "500", "hang")

# Linked datasets every m9d7-ebf2 row points to (field name suffix -> dataset id).
_LINKED = {
    "assen": "3huj-srit",
    "brandstof": FUELS,
    "carrosserie": "vezc-m2t6",
    "carrosserie_specifiek": "jhie-znh9",
    "voertuigklasse": "kmfi-hrps",
}
_DATE_FIELDS = (
    "vervaldatum_apk",
    "datum_tenaamstelling",
    "datum_eerste_toelating",
    "datum_eerste_tenaamstelling_in_nederland",
)

Row = dict[str, str]


@dataclass
class RdwRequest:
    path: str  # without the query string, e.g. "/resource/m9d7-ebf2.json"
    plate: str | None  # the `kenteken` query value, upper-cased; None when absent
    app_token: str | None  # the X-App-Token header


def _ymd(day: date) -> str:
    return day.strftime("%Y%m%d")


def _floating_timestamp(yyyymmdd: str) -> str:
    """Socrata's `_dt` twin of a yyyymmdd number field: a floating timestamp, no zone."""
    return f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:8]}T00:00:00.000"


def _fuel_row(plate: str, number: int, fuel: str, fuels: list[str], first_admission: date) -> Row:
    """One 8ys7-d773 row with the emission fields the RDW fills for that kind of fuel."""
    row: Row = {"kenteken": plate, "brandstof_volgnummer": str(number), "brandstof_omschrijving": fuel}
    hybrid = len(fuels) > 1 and "Elektriciteit" in fuels
    if fuel == "Elektriciteit":
        if hybrid:
            row |= {"netto_max_vermogen_elektrisch": "59.00", "nominaal_continu_maximumvermogen": "20.00"}
        else:
            row |= {
                "netto_max_vermogen_elektrisch": "150.00",
                "nominaal_continu_maximumvermogen": "70.00",
                "actie_radius_enkel_elektrisch_wltp": "455",
                "elektrisch_verbruik_enkel_elektrisch_wltp": "155",
            }
    else:
        diesel = fuel == "Diesel"
        row |= {
            "nettomaximumvermogen": "110.00" if diesel else "81.00",
            "geluidsniveau_rijdend": "71",
            "geluidsniveau_stationair": "79" if diesel else "76",
            "toerental_geluidsniveau": "3000" if diesel else "3750",
            "emissiecode_omschrijving": "6",
            "milieuklasse_eg_goedkeuring_licht": "715/2007*2017/1347AG",
            "uitlaatemissieniveau": "EURO 6 AG",
        }
        if first_admission >= date(2019, 9, 1):  # registered under WLTP
            row |= {"brandstof_verbruik_gecombineerd_wltp": "5.60", "emissie_co2_gecombineerd_wltp": "127"}
        else:
            row |= {"brandstofverbruik_gecombineerd": "4.90", "co2_uitstoot_gecombineerd": "112"}
        if diesel:
            row["roetuitstoot"] = "0.10"
    if hybrid:
        row["klasse_hybride_elektrisch_voertuig"] = "NOVC-HEV"
    return row


def _socrata_json(rows: list[Row]) -> bytes:
    """Socrata's layout: compact rows, one per line, the separating comma leading the next line."""
    lines = (json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows)
    return ("[" + "\n,".join(lines) + "]\n").encode()


def _error_body(code: str, message: str) -> bytes:
    return json.dumps({"code": code, "error": True, "message": message}).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() must not wait for a handler that is deliberately hanging

    def __init__(self, fake: FakeRdw) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout) before a released hang is answered is expected, not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API behind its load balancer
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.fake._opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._closed(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def do_GET(self) -> None:
        fake = self.server.fake
        parts = urlsplit(self.path)
        values = parse_qs(parts.query).get("kenteken")
        plate = values[0].upper() if values else None  # no trimming: the RDW does not either
        fake._record(RdwRequest(path=parts.path, plate=plate, app_token=self.headers.get("X-App-Token")))

        dataset = parts.path.removeprefix("/resource/").removesuffix(".json")
        if parts.path != f"/resource/{dataset}.json" or dataset not in (VEHICLES, FUELS):
            self._send(404, _error_body("not_found", f"The requested resource {parts.path} was not found"))
            return

        how = fake._how(plate) if plate else "ok"
        if how == "hang":
            released = fake._hang(plate or "")
            if released is None:  # stop() released it: drop the connection without a byte sent
                self.close_connection = True
                return
            how = released
        if how == "429":
            message = "Too many requests; throttled. Use an app token (X-App-Token) for a higher limit."
            self._send(429, _error_body("too_many_requests", message), {"Retry-After": "1"})
        elif how == "500":
            self._send(500, _error_body("internal", "Internal error"))
        else:
            self._send(200, _socrata_json(fake._rows(dataset, plate)))

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", CONTENT_TYPE)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("X-Socrata-RequestId", uuid.uuid4().hex)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class FakeRdw:
    """The RDW open-data API on 127.0.0.1, with cars added per test and a switchable answer per plate."""

    def __init__(self) -> None:
        self.requests: list[RdwRequest] = []
        self._lock = threading.Lock()
        self._vehicles: dict[str, Row] = {}
        self._fuels: dict[str, list[Row]] = {}
        self._how_by_plate: dict[str, str] = {}
        self._gates: dict[str, threading.Event] = {}  # one per plate answering "hang"; set() releases its handlers
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._server: _Server | None = None
        self._url: str | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL without a trailing slash; requests go to `{url}/resource/m9d7-ebf2.json`."""
        if self._url is None:
            raise RuntimeError("FakeRdw is not started")
        return self._url

    def add(
        self,
        plate: str,
        brand: str,
        model: str,
        color: str,
        first_admission: date,
        apk_expiry: date | None,
        fuels: list[str],
        *,
        extra: dict[str, str | None] | None = None,
    ) -> None:
        """Register a car (replacing one with that plate); `extra` overrides row fields, None removes one."""
        plate = plate.upper()
        row: Row = {
            "kenteken": plate,
            "voertuigsoort": "Personenauto",
            "merk": brand,
            "handelsbenaming": model,
            "datum_tenaamstelling": _ymd(first_admission),
            "bruto_bpm": "3214",
            "inrichting": "hatchback",
            "aantal_zitplaatsen": "5",
            "eerste_kleur": color,
            "tweede_kleur": "Niet geregistreerd",
            "aantal_cilinders": "0" if fuels == ["Elektriciteit"] else "4",
            "cilinderinhoud": "0" if fuels == ["Elektriciteit"] else "1395",
            "massa_ledig_voertuig": "1205",
            "toegestane_maximum_massa_voertuig": "1720",
            "massa_rijklaar": "1305",
            "maximum_massa_trekken_ongeremd": "640",
            "maximum_trekken_massa_geremd": "1300",
            "datum_eerste_toelating": _ymd(first_admission),
            "datum_eerste_tenaamstelling_in_nederland": _ymd(first_admission),
            "wacht_op_keuren": "Geen verstrekking in Open Data",
            "catalogusprijs": "27490",
            "wam_verzekerd": "Ja",
            "aantal_deuren": "4",
            "aantal_wielen": "4",
            "lengte": "426",
            "breedte": "179",
            "europese_voertuigcategorie": "M1",
            "plaats_chassisnummer": "r. in motorruimte",
            "technische_max_massa_voertuig": "1720",
            "zuinigheidsclassificatie": "B",
            "export_indicator": "Nee",
            "openstaande_terugroepactie_indicator": "Nee",
            "taxi_indicator": "Nee",
            "maximum_massa_samenstelling": "3020",
            "aantal_rolstoelplaatsen": "0",
            "jaar_laatste_registratie_tellerstand": "2025",
            "tellerstandoordeel": "Logisch",
            "code_toelichting_tellerstandoordeel": "00",
            "tenaamstellen_mogelijk": "Ja",
        }
        if apk_expiry is not None:  # Socrata leaves null fields out altogether
            row["vervaldatum_apk"] = _ymd(apk_expiry)
        for key, value in (extra or {}).items():
            if value is None:
                row.pop(key, None)
            else:
                row[key] = value
        for key in _DATE_FIELDS:
            if key in row and f"{key}_dt" not in (extra or {}):
                row[f"{key}_dt"] = _floating_timestamp(row[key])
        fuel_rows = [_fuel_row(plate, n, fuel, fuels, first_admission) for n, fuel in enumerate(fuels, start=1)]
        with self._lock:
            self._vehicles[plate] = row
            self._fuels[plate] = fuel_rows

    def answer(self, plate: str, how: str = "ok") -> None:
        """How to answer requests for this plate (both datasets): "ok", "429", "500" or "hang".

        A hanging request is held open, nothing sent, until answer() switches the plate away from "hang" (then it
        is answered the new way) or stop() (then the connection is dropped without a response).
        """
        if how not in HOW:
            raise ValueError(f"how must be one of {HOW}, not {how!r}")
        plate = plate.upper()
        with self._lock:
            self._how_by_plate[plate] = how
            gate = self._gates.pop(plate, None)
            if how == "hang":
                self._gates[plate] = threading.Event()
        if gate is not None:
            gate.set()

    def count(self, plate: str) -> int:
        """Requests received for this plate, both datasets together."""
        plate = plate.upper()
        with self._lock:
            return sum(1 for request in self.requests if request.plate == plate)

    def start(self) -> FakeRdw:
        if self._server is not None:
            raise RuntimeError("FakeRdw is already started")
        with self._lock:  # fresh gates: a previous stop() left the old ones released
            self._gates = {plate: threading.Event() for plate, how in self._how_by_plate.items() if how == "hang"}
        self._stopping.clear()
        self._server = _Server(self)
        host, port = self._server.server_address[:2]
        self._url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-rdw", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release hanging handlers, close open (keep-alive) connections and the listening socket; idempotent."""
        self._stopping.set()
        with self._lock:
            gates = list(self._gates.values())
        for gate in gates:
            gate.set()
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:  # wakes handlers idling on a keep-alive connection
            with contextlib.suppress(OSError):  # already closed by its client
                connection.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def __enter__(self) -> FakeRdw:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    # Called from handler threads.

    def _record(self, request: RdwRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _how(self, plate: str) -> str:
        with self._lock:
            return self._how_by_plate.get(plate, "ok")

    def _hang(self, plate: str) -> str | None:
        """Block while the plate answers "hang"; the answer to give afterwards, or None when stopping."""
        while not self._stopping.is_set():
            with self._lock:
                how = self._how_by_plate.get(plate, "ok")
                gate = self._gates.get(plate)
            if how != "hang" or gate is None:
                return how
            gate.wait()
        return None

    def _rows(self, dataset: str, plate: str | None) -> list[Row]:
        """The rows a query answers; without `kenteken` Socrata answers the whole dataset (here: every car)."""
        base = self.url
        with self._lock:
            if dataset == FUELS:
                by_plate = self._fuels if plate is None else {plate: self._fuels.get(plate, [])}
                return [dict(row) for rows in by_plate.values() for row in rows]
            if plate is None:
                vehicles = list(self._vehicles.values())
            else:
                vehicles = [self._vehicles[plate]] if plate in self._vehicles else []
        # The real rows link to the other per-plate datasets; here they point back at this server.
        links = {f"api_gekentekende_voertuigen_{name}": f"{base}/resource/{ds}.json" for name, ds in _LINKED.items()}
        return [row | links for row in vehicles]

    def _opened(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def _closed(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)


def demo_rdw(today: date) -> FakeRdw:
    """A not-yet-started FakeRdw with six cars from the demo shop, covering the cases the app must show.

    GZ183V and XG771B have fixed dates; 4KXP77's APK lapsed 40 days before `today`, GH512K's runs out 23 days after
    it: `today` is the server's day (a test that looks at the APK warnings sets the server's clock).
    """
    rdw = FakeRdw()
    rdw.add("GZ183V", "VOLKSWAGEN", "GOLF", "GRIJS", date(2015, 3, 1), date(2027, 3, 15), ["Benzine"])
    rdw.add(  # RDW repeats the brand in Toyota's trade name
        "XG771B", "TOYOTA", "TOYOTA YARIS", "BLAUW", date(2021, 6, 18), date(2027, 6, 18), ["Benzine", "Elektriciteit"],
        extra={"cilinderinhoud": "1490", "aantal_cilinders": "3", "catalogusprijs": "24995",
               "zuinigheidsclassificatie": "A"},
    )  # fmt: skip
    rdw.add(
        "4KXP77", "RENAULT", "CLIO", "ZWART", date(2011, 4, 14), today - timedelta(days=40), ["Benzine"],
        extra={"cilinderinhoud": "1149", "catalogusprijs": "15990", "datum_tenaamstelling": "20190802",
               "jaar_laatste_registratie_tellerstand": "2024"},
    )  # fmt: skip
    rdw.add("GH512K", "OPEL", "CORSA", "ROOD", date(2014, 10, 3), today + timedelta(days=23), ["Benzine"])
    rdw.add(  # taxi: yearly APK
        "65XKRB", "MERCEDES-BENZ", "E 220 D", "ZWART", date(2018, 8, 14), date(2027, 8, 14), ["Diesel"],
        extra={"inrichting": "sedan", "cilinderinhoud": "1950", "massa_ledig_voertuig": "1680",
               "catalogusprijs": "52380", "taxi_indicator": "Ja", "lengte": "492", "breedte": "185"},
    )  # fmt: skip
    rdw.add(  # a van: other vehicle kind, body and EU category
        "VTK88Z", "FORD", "TRANSIT CUSTOM", "WIT", date(2019, 5, 9), date(2027, 5, 9), ["Diesel"],
        extra={"voertuigsoort": "Bedrijfsauto", "inrichting": "gesloten opbouw", "europese_voertuigcategorie": "N1",
               "aantal_zitplaatsen": "3", "cilinderinhoud": "1995", "massa_ledig_voertuig": "1986",
               "toegestane_maximum_massa_voertuig": "3000", "catalogusprijs": None, "bruto_bpm": None},
    )  # fmt: skip
    return rdw
