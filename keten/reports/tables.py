"""A report's tables and the files they are handed over in: CSV (semicolon-free, UTF-8 with a
header row, what a spreadsheet opens) and XLSX (one sheet per table, numbers as numbers, so an
analyst can go on from the figures instead of retyping them)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

Cell = str | int | float | date | None


@dataclass(frozen=True)
class Table:
    """One table of a report: a title (the sheet name), column headings, rows of cells."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.title!r}: row {row} has not {len(self.columns)} cells"
                )


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_text(c) for c in row])
    return out.getvalue()


# Excel refuses sheet names longer than 31 characters or holding any of these.
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def to_xlsx(tables: Sequence[Table]) -> bytes:
    from openpyxl import Workbook  # imported here: only an export needs it

    book = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables:
        name = table.title.translate(_SHEET_FORBIDDEN)[:31] or "blad"
        base, n = name, 1
        while name in used:
            n += 1
            name = f"{base[: 31 - len(str(n)) - 1]} {n}"
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append(list(table.columns))
        for row in table.rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
