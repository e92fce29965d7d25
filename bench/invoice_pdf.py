"""How long the desk waits for an invoice PDF: a work order of 40 lines (parts and labour) is invoiced on a real
server, then its PDF is fetched over and over (GET /api/invoices/{id}/pdf: read, render, send) and, in this
process, rendered alone (invoices.invoice_pdf). Target: under 200 ms. Reports p50 and p99 of both, and
with --png renders page 1 to that file with pdftoppm (Debian's poppler-utils) when it is installed.

    .venv/bin/python -m bench.invoice_pdf                   # 200 requests
    .venv/bin/python -m bench.invoice_pdf --png docs/screenshots/invoice.png
    .venv/bin/python -m bench.invoice_pdf --quick           # 10 requests (CI smoke)
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

from bench.common import bench_server, exit_code, parse_args, percentile
from services.db import Database
from services.invoicing import invoices
from tests.api.billing import SHOP_SETTINGS
from tests.server import Server

LINES = 40
TARGET_MS = 200.0


def _expect(response: httpx.Response, status: int) -> httpx.Response:
    if response.status_code != status:
        raise RuntimeError(f"{response.request.method} {response.request.url}: {response.status_code} {response.text}")
    return response


def invoiced_order(client: httpx.Client) -> dict:
    """A finished order with 30 parts and 10 labour lines for a customer with an address, invoiced."""
    _expect(client.put("/api/settings/shop", json=SHOP_SETTINGS), 200)
    body = {"customerName": "Fam. van den Berg-de Jong", "licensePlate": "GHJ12K", "description": "Grote beurt"}
    order = _expect(client.post("/api/workorders", json=body), 201).json()
    customer = {"street": "Lange Nieuwstraat 112", "postalCode": "3512PN", "city": "Utrecht"}
    _expect(client.patch(f"/api/customers/{order['customerId']}", json=customer), 200)
    for n in range(LINES - 10):
        part = {"description": f"Onderdeel {n}: filterset met afdichtring, origineel", "quantity": 1 + n % 4,
                "unitPriceCents": 333 * (n + 1), "articleNumber": f"ART-{n:05d}"}  # fmt: skip
        _expect(client.post(f"/api/workorders/{order['id']}/parts", json=part), 201)
    for n in range(10):
        labour = {"description": f"Werkzaamheden stap {n}", "minutes": 7 + 13 * n}
        _expect(client.post(f"/api/workorders/{order['id']}/labour", json=labour), 201)
    _expect(client.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar"}), 200)
    return _expect(client.post(f"/api/workorders/{order['id']}/invoice"), 201).json()


def timed(action, rounds: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Milliseconds per call."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def report(name: str, times: Sequence[float]) -> None:
    p50, p99 = percentile(times, 50), percentile(times, 99)
    verdict = "ok" if p99 < TARGET_MS else f"over the {TARGET_MS:.0f} ms target"
    print(f"{name:<28} n={len(times):<4} p50 {p50:7.1f} ms   p99 {p99:7.1f} ms   ({verdict})")


def render_png(pdf: bytes, png: Path) -> str | None:
    """Page 1 as a PNG, or why not."""
    if shutil.which("pdftoppm") is None:
        return "pdftoppm is not installed (Debian: apt-get install poppler-utils); no PNG written"
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "invoice.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", source,
                        Path(folder) / "page"], check=True)  # fmt: skip
        png.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(folder) / "page.png", png)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=200, help="PDF requests (and in-process renders)")
    parser.add_argument("--png", type=Path, help="write page 1 of the invoice here (needs pdftoppm)")
    args = parse_args(parser, argv, rounds=10)
    unmeasured: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/werkplaats.db"
        server: Server = bench_server(url)
        token = server.token("admin", "bench-balie")
        with server, server.client(token) as client:
            invoice = invoiced_order(client)
            pdf_path = invoice["pdfUrl"]
            pdf = _expect(client.get(pdf_path), 200).content
            if not pdf.startswith(b"%PDF"):
                unmeasured.append("the PDF route did not answer a PDF")
            http = timed(lambda: _expect(client.get(pdf_path), 200), args.rounds)
            with Database.opened(url) as database:
                render = timed(lambda: invoices.invoice_pdf(database, invoice["id"]), args.rounds)
    print(f"# invoice {invoice['number']}: {len(invoice['lines'])} lines, {len(pdf)} bytes")
    report("GET …/pdf (over HTTP)", http)
    report("invoice_pdf() (render only)", render)
    if len(invoice["lines"]) != LINES:
        unmeasured.append(f"the invoice has {len(invoice['lines'])} lines, not {LINES}")
    if args.png is not None and (why := render_png(pdf, args.png)):
        print(f"# {why}", file=sys.stderr)
    return exit_code(args.quick, unmeasured)


if __name__ == "__main__":
    sys.exit(main())
