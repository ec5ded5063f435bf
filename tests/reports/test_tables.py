"""The hand-over formats: what goes into a CSV or an XLSX comes back out of it unchanged."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from keten.reports.tables import Table, to_csv, to_xlsx


def test_csv_has_a_header_and_iso_dates() -> None:
    table = Table("t", ("maand", "instroom"), ((date(2026, 1, 31), 12), ("totaal", None)))
    assert to_csv(table) == "maand,instroom\n2026-01-31,12\ntotaal,\n"


def test_xlsx_keeps_numbers_as_numbers_and_names_each_sheet_once() -> None:
    rows = (("asiel", 1250, 0.884),)
    data = to_xlsx([Table("cijfers", ("product", "n", "aandeel"), rows)] * 2)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["cijfers", "cijfers 2"]
    sheet = book["cijfers"]
    assert [c.value for c in sheet[2]] == ["asiel", 1250, 0.884]


def test_a_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError, match="has not 2 cells"):
        Table("t", ("a", "b"), ((1,),))
