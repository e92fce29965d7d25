"""The few expressions the reports need that SQLite and PostgreSQL spell differently (the length of a time span, a
value inside stored JSON), and the bucketing of moments into periods, which both spell alike."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Integer, String, case
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement


class seconds_between(FunctionElement[float]):  # an SQL function, named as one
    """end − start in seconds (fractions kept)."""

    type = Float()
    inherit_cache = True


class whole_minutes(FunctionElement[int]):
    """end − start in whole minutes, half a minute up: services.clocked.clocked_minutes in SQL."""

    type = Integer()
    inherit_cache = True


class json_text(FunctionElement[str]):
    """The value at a path of a JSON text column, as text (`json_text(column, "workOrder", "column")`)."""

    type = String()
    inherit_cache = False  # the path is written into the SQL, not bound: a cached statement would keep another path


def _args(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(clause, **kw) for clause in element.clauses]


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _args(element, compiler, **kw)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _args(element, compiler, **kw)
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


@compiles(whole_minutes, "sqlite")
def _minutes_sqlite(element: whole_minutes, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _args(element, compiler, **kw)
    return f"CAST((julianday({end}) - julianday({start})) * 1440.0 + 0.5 AS INTEGER)"


@compiles(whole_minutes, "postgresql")
def _minutes_postgresql(element: whole_minutes, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _args(element, compiler, **kw)
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM ({end} - {start})) / 60.0 + 0.5) AS INTEGER)"


@compiles(json_text, "sqlite")
def _json_sqlite(element: json_text, compiler: SQLCompiler, **kw: Any) -> str:
    column, *path = list(element.clauses)
    keys = ".".join(str(key.value) for key in path)  # type: ignore[attr-defined]
    return f"json_extract({compiler.process(column, **kw)}, '$.{keys}')"


@compiles(json_text, "postgresql")
def _json_postgresql(element: json_text, compiler: SQLCompiler, **kw: Any) -> str:
    column, *path = list(element.clauses)
    keys = ",".join(str(key.value) for key in path)  # type: ignore[attr-defined]
    return f"(CAST({compiler.process(column, **kw)} AS JSON) #>> '{{{keys}}}')"


def bucket(moment: ColumnElement[datetime] | Mapped[datetime], bounds: Sequence[datetime]) -> ColumnElement[int]:
    """The index i of the period [bounds[i], bounds[i+1]) a moment falls in (filter to bounds[0]..bounds[-1]
    first): shop days and weeks begin at their own UTC moment, so the database needs no time zones."""
    return case(*[(moment < bound, index) for index, bound in enumerate(bounds[1:-1])], else_=len(bounds) - 2)
