"""Schemathesis against the server's own OpenAPI document: generated requests, valid and invalid, to every operation
as an admin. Whatever comes in, the answer is never a 5xx, and a 2xx matches its documented response schema (a
refusal is {"detail": "<Dutch sentence>"} by contract, where FastAPI's generated document promises its own 422
shape for every route: that part is not checked).

Derandomized, so a failure comes back on the next run. A server of its own (with a local RDW and a few records to
find), so what it makes does not reach the shared one; on SQLite and on PostgreSQL, which refuses more (a NUL in
text, an id beyond 32 bits) and so found what SQLite let pass. Each operation is one Hypothesis run over
Schemathesis' strategy for it: the pytest plugin's lazy loader (schemathesis.pytest.from_fixture) sets a node
attribute that pytest 9 no longer has."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, BaseSchema, Case, GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.core.result import Err
from schemathesis.errors import FailureGroup

from tests.postgres import throwaway_database
from tests.rdw_server import FakeRdw
from tests.server import Server

STREAM = "/api/workorders/stream"  # never ends: not for a fuzzer
EXAMPLES = 15  # per operation and mode: over 400 requests, about 10 s per database


@contextmanager
def database_url(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh SQLite file, or a throwaway PostgreSQL database (dropped afterwards)."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'werkplaats.db'}"
        return
    with throwaway_database() as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzzed_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, str]]:
    with database_url(request.param, tmp_path_factory) as url, FakeRdw() as rdw:
        server = Server(url, env={"RDW_BASE_URL": rdw.url, "RDW_TIMEOUT_SECONDS": "1"})
        token = server.token("admin")
        server.start()
        with server.client(token) as admin:  # low ids that exist, so the generated ones also reach the services
            for number in range(3):
                order = {"customerName": f"Klant {number}", "licensePlate": f"FZ-{number:03d}-X", "description": "x"}
                assert admin.post("/api/workorders", json=order).status_code == 201
            assert admin.post("/api/workorders/1/sessions", json={"mechanic": "jan"}).status_code == 201
        yield server, token
        server.stop()


@pytest.fixture(scope="module")
def api_schema(fuzzed_server: tuple[Server, str]) -> BaseSchema:
    return schemathesis.openapi.from_url(f"{fuzzed_server[0].url}/openapi.json").exclude(path=STREAM)


def operations(schema: BaseSchema) -> list[APIOperation]:
    """Every operation of the document; one Schemathesis cannot read fails the test with its own error."""
    found = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()
        found.append(result.ok())
    return found


def fuzz(operation: APIOperation, mode: GenerationMode, token: str) -> int:
    """Runs the generated cases of one operation; returns how many were sent (Hypothesis raises on a failure)."""
    sent = 0

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case: Case) -> None:
        nonlocal sent
        sent += 1
        response = case.call(headers={"Authorization": f"Bearer {token}"}, timeout=10)
        if 200 <= response.status_code < 300:
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
        else:
            case.validate_response(response, checks=[not_a_server_error])

    call()
    return sent


def test_no_request_makes_the_server_fail(api_schema: BaseSchema, fuzzed_server: tuple[Server, str]) -> None:
    server, token = fuzzed_server
    failures, sent = [], 0
    for operation in operations(api_schema):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                sent += fuzz(operation, mode, token)
            except Unsatisfiable:
                continue  # no input of this operation can be invalid (none at all, or any string is fine)
            except (Exception, FailureGroup) as failure:  # every operation is tried: report them all at once
                failures.append(f"{operation.label} ({mode.value}): {failure}")
    assert not failures, "\n\n".join(failures) + f"\n\nserver log:\n{server.log_text()[-5000:]}"
    assert sent >= 300, sent


def test_every_operation_but_the_stream_is_fuzzed(api_schema: BaseSchema) -> None:
    paths = {operation.path for operation in operations(api_schema)}
    assert STREAM not in paths and {"/api/workorders", "/metrics", "/api/display/signature"} <= paths
