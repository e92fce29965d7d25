"""The accountant's exports of a period: the invoices (and credit notes) and the payments, as CSV or XLSX.

CSV: `;` between fields, UTF-8 with a byte-order mark, CRLF line ends, dates as DD-MM-JJJJ and amounts in euros
with a decimal comma and no thousands separator (1234,56): Dutch Excel opens it as it is. XLSX: dates are dates
and amounts are numbers (never text) with the format `#,##0.00`, which Dutch Excel shows as 1.234,56."""

import csv
import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from services.db import Database
from services.invoicing.overview import Cell, invoice_table, payment_table
from services.reports.mileages import mileage_table
from services.reports.period import Period

Table = tuple[list[str], list[list[Cell]]]
EXPORTS: dict[str, Callable[[Database, Period], Table]] = {
    "facturen": invoice_table, "betalingen": payment_table, "tellerstanden": mileage_table,
}  # fmt: skip
MONEY_FORMAT, DATE_FORMAT = "#,##0.00", "DD-MM-YYYY"


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return f"{cell:.2f}".replace(".", ",")
    if isinstance(cell, date):
        return cell.strftime("%d-%m-%Y")
    return str(cell)


def csv_bytes(table: Table) -> bytes:
    header, rows = table
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_text(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(table: Table, title: str) -> bytes:
    header, rows = table
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal | float):
                cell.number_format = MONEY_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(db: Database, kind: str, period: Period, file_type: str) -> tuple[bytes, str]:
    """(the file, its name) of `kind` ("facturen", "betalingen" or "tellerstanden") as "csv" or "xlsx"."""
    table = EXPORTS[kind](db, period)
    name = f"{kind}-{period.first.isoformat()}-{period.last.isoformat()}.{file_type}"
    return (csv_bytes(table) if file_type == "csv" else xlsx_bytes(table, kind.capitalize())), name
