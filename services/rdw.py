"""The RDW's open data (opendata.rdw.nl): what a licence plate is. Two datasets, asked at once:
m9d7-ebf2 (registered vehicles: make, model, colour, first admission, APK expiry) and 8ys7-d773 (fuels).
Every value the RDW sends is a string; dates are yyyymmdd; an unknown plate is an empty list."""

import asyncio
from dataclasses import dataclass
from datetime import date, datetime

import httpx

REGISTRATIONS = "m9d7-ebf2"
FUELS = "8ys7-d773"


class RdwUnreachable(Exception):
    """The RDW could not be asked (timeout, refused, 429, 5xx, nonsense): try again later."""


@dataclass(frozen=True)
class RdwVehicle:
    brand: str | None
    model: str | None
    color: str | None
    fuel: str | None
    first_admission: date | None
    apk_expiry: date | None


def _date(raw: str | None) -> date | None:
    try:
        return datetime.strptime(raw or "", "%Y%m%d").date()
    except ValueError:
        return None


def _text(raw: object) -> str | None:
    return (raw.strip() or None) if isinstance(raw, str) else None


class RdwClient:
    """One HTTP connection pool for the process; every request bounded by `timeout` seconds in all."""

    def __init__(self, base_url: str, app_token: str | None = None, timeout: float = 5.0) -> None:
        headers = {"Accept": "application/json"} | ({"X-App-Token": app_token} if app_token else {})
        self.timeout = timeout
        self._http = httpx.AsyncClient(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout)

    async def look_up(self, plate: str) -> RdwVehicle | None:
        """The vehicle with this plate (RDW form, AB123C), None when the RDW does not know it."""
        registrations, fuels = await asyncio.gather(self._rows(REGISTRATIONS, plate), self._rows(FUELS, plate))
        if not registrations:
            return None
        row = registrations[0]
        ordered = sorted(fuels, key=lambda fuel: int(fuel.get("brandstof_volgnummer") or 0))
        names = [name for fuel in ordered if (name := _text(fuel.get("brandstof_omschrijving")))]
        return RdwVehicle(
            brand=_text(row.get("merk")),
            model=_text(row.get("handelsbenaming")),
            color=_text(row.get("eerste_kleur")),
            fuel="/".join(dict.fromkeys(names)) or None,
            first_admission=_date(row.get("datum_eerste_toelating")),
            apk_expiry=_date(row.get("vervaldatum_apk")),
        )

    async def _rows(self, dataset: str, plate: str) -> list[dict[str, str]]:
        try:
            async with asyncio.timeout(self.timeout):  # httpx's timeouts are per phase: bound the whole request
                response = await self._http.get(f"/resource/{dataset}.json", params={"kenteken": plate})
        except (httpx.HTTPError, TimeoutError) as error:
            raise RdwUnreachable(f"{dataset}: {type(error).__name__}") from None
        if response.status_code != 200:
            raise RdwUnreachable(f"{dataset}: HTTP {response.status_code}")
        try:
            rows = response.json()
        except ValueError:
            raise RdwUnreachable(f"{dataset}: no JSON") from None
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise RdwUnreachable(f"{dataset}: not a list of rows")
        return rows

    async def close(self) -> None:
        await self._http.aclose()
